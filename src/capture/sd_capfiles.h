/* sd_capfiles: the capture files a command-line path names: a file (or '-'
 * for stdin) as it is; a directory's capture files (*.pcap, *.pcapng,
 * *.cap), recursively in name order, hidden entries skipped, symbolic
 * links not followed, at most SD_CAPFILES_DEPTH levels deep. */
#ifndef SD_CAPFILES_H
#define SD_CAPFILES_H

#include <stddef.h>

/* Directories nested deeper are not read (a tree made to exhaust the
 * stack or the descriptors); said through skipped. */
#define SD_CAPFILES_DEPTH 32

/* Called for each entry a walk passes over that may hold packets: a link,
 * FIFO, device or socket named like a capture, a directory too deep or
 * that cannot be opened (why says which). The
 * capture layer does not print: the caller says it. */
typedef void (*sd_capfiles_skipped)(void *ud, const char *path, const char *why);

/* Appends the files path names to *files (*n of them; grown, each string
 * owned by the array). */
void sd_capfiles_add(char ***files, size_t *n, const char *path, sd_capfiles_skipped skipped, void *ud);

#endif
