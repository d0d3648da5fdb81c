/* sd_capfiles: the capture files a command-line path names: a file (or '-'
 * for stdin) as it is; a directory's capture files (*.pcap, *.pcapng,
 * *.cap), recursively in name order, hidden entries skipped, links not
 * followed into directories, at most 32 levels deep. */
#ifndef SD_CAPFILES_H
#define SD_CAPFILES_H

#include <stddef.h>

/* Appends the files path names to *files (*n of them; grown, each string
 * owned by the array). */
void sd_capfiles_add(char ***files, size_t *n, const char *path);

#endif
