/* sd_outfile: output files and directories (see sd_outfile.h). */
#include "sd_outfile.h"
#include "sd_text.h"

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
    char shown[1024]; /* the name as messages show a file's (a script may pass any) */
    if (mkdir(dir, 0755) != 0) {
        int err = errno;
        sd_text_safe_made(dir, shown, sizeof shown);
        if (err != EEXIST) {
            fprintf(stderr, "%s: cannot create %s: %s\n", prog, shown, strerror(err));
            return -1;
        }
        if (!force) {
            fprintf(stderr, "%s: %s exists; use --force to write into it\n", prog, shown);
            return -1;
        }
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        fprintf(stderr, "%s: cannot open %s: %s\n", prog, sd_text_safe_made(dir, shown, sizeof shown), strerror(err));
    }
    else
        *fresh = dir_empty(fd);
    return fd;
}
