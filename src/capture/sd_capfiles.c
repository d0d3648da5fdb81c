/* sd_capfiles: capture files named by a path (see sd_capfiles.h). */
#include "sd_capfiles.h"

#include "../common/sd_common.h"

#include <dirent.h>
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

/* Capture files under a directory, recursively, in name order. */
static void add_dir(char ***files, size_t *nf, const char *dir, int depth)
{
    DIR *d = depth < 32 ? opendir(dir) : NULL;
    if (!d)
        return;
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
        struct stat st;
        if (lstat(names[i], &st) != 0) /* gone since readdir */
            ;
        else if (S_ISDIR(st.st_mode))
            add_dir(files, nf, names[i], depth + 1);
        else if (S_ISREG(st.st_mode) && (strstr(names[i], ".pcap") || strstr(names[i], ".cap") ||
                                         strstr(names[i], ".pcapng")))
            push_file(files, nf, names[i]);
        free(names[i]);
    }
    free(names);
}

void sd_capfiles_add(char ***files, size_t *n, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        add_dir(files, n, path, 0);
    else
        push_file(files, n, path);
}
