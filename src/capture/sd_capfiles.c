/* sd_capfiles: capture files named by a path (see sd_capfiles.h). */
#include "sd_capfiles.h"

#include "../common/sd_common.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_file(char ***files, size_t *n, const char *path)
{
    *files = sd_reallocarray(*files, *n + 1, sizeof **files);
    (*files)[(*n)++] = sd_strdup(path);
}

static bool capture_name(const char *name)
{
    return strstr(name, ".pcap") || strstr(name, ".cap") || strstr(name, ".pcapng");
}

typedef struct walk {
    char ***files;
    size_t *nf;
    sd_capfiles_skipped skipped;
    void *ud;
} walk;

static void add_dir(walk *w, const char *dir, int depth);

/* One entry of a directory. Links are not followed: one to a directory
 * could loop, one to a file is often a second name of a file in the same
 * tree (a rotation's "latest.pcap") and would read it twice. */
static void add_entry(walk *w, const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) /* gone since readdir */
        return;
    if (S_ISDIR(st.st_mode))
        add_dir(w, path, depth + 1);
    else if (!capture_name(path))
        ; /* not a capture by its name: the walk's filter, as documented */
    else if (S_ISREG(st.st_mode))
        push_file(w->files, w->nf, path);
    else if (S_ISLNK(st.st_mode))
        w->skipped(w->ud, path, "a symbolic link (not followed in a directory: name its target)");
    else /* reading a FIFO would wait for a writer that may never come */
        w->skipped(w->ud, path, "not a regular file (a FIFO, device or socket)");
}

/* Capture files under a directory, recursively, in name order. */
static void add_dir(walk *w, const char *dir, int depth)
{
    char why[160];
    if (depth >= SD_CAPFILES_DEPTH) {
        snprintf(why, sizeof why, "a directory nested deeper than %d levels", SD_CAPFILES_DEPTH);
        w->skipped(w->ud, dir, why);
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, sizeof why, "a directory that cannot be opened: %s", strerror(errno));
        w->skipped(w->ud, dir, why);
        return;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        names = sd_reallocarray(names, n + 1, sizeof *names);
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        names[n] = sd_malloc(len);
        snprintf(names[n++], len, "%s/%s", dir, de->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        add_entry(w, names[i], depth);
        free(names[i]);
    }
    free(names);
}

void sd_capfiles_add(char ***files, size_t *n, const char *path, sd_capfiles_skipped skipped, void *ud)
{
    struct stat st;
    walk w = { .files = files, .nf = n, .skipped = skipped, .ud = ud };
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        add_dir(&w, path, 0);
    else
        push_file(files, n, path);
}
