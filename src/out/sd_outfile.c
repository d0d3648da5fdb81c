/* sd_outfile: output files and directories (see sd_outfile.h). */
#include "sd_outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sd_outfile_write(const char *path, const sd_buf *b)
{
    FILE *f = sd_create(path); /* a link planted at path is not followed */
    if (!f)
        return -1;
    size_t w = b->len ? fwrite(b->p, 1, b->len, f) : 0;
    int e = ferror(f);
    if (fclose(f) != 0 || w != b->len || e) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}

/* Whether the directory dirfd has no entries (besides . and ..). */
static bool dir_empty(int dirfd)
{
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    bool empty = true;
    for (struct dirent *e; empty && (e = readdir(d));)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

int sd_outdir_open(const char *dir, bool force, bool *fresh, const char *prog)
{
    if (mkdir(dir, 0755) != 0) {
        if (errno != EEXIST) {
            fprintf(stderr, "%s: cannot create %s: %s\n", prog, dir, strerror(errno));
            return -1;
        }
        if (!force) {
            fprintf(stderr, "%s: %s exists; use --force to write into it\n", prog, dir);
            return -1;
        }
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        fprintf(stderr, "%s: cannot open %s: %s\n", prog, dir, strerror(errno));
    else
        *fresh = dir_empty(fd);
    return fd;
}
