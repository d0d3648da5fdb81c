/* sd_filesink: many output files in one directory, written in the
 * background with bounded memory and a bounded number of descriptors.
 *
 * A file is a handle (sd_sinkfile) the caller appends bytes and holes to;
 * its bytes are buffered in memory and handed to a writer thread, which
 * creates, writes (pwritev at the file offset) and closes the files in the
 * order the calls were made. So a record written after some files were
 * closed (an index line) reaches the disk after those files' last bytes.
 *
 * Safety: names are relative to the directory descriptor and must not
 * contain '/'; every open is O_NOFOLLOW, so a symlink planted in the
 * directory under an output name is never followed (the open fails and
 * counts as a write error). Every write, truncate and close is checked;
 * the first error is kept (sticky) and every error is counted.
 *
 * Memory: at most `budget` bytes of file data are held (queued blocks
 * included); past that the least recently written files are written out
 * and the caller waits for the writer. Nothing is kept of a closed file. */
#ifndef SD_FILESINK_H
#define SD_FILESINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sd_filesink sd_filesink;
typedef struct sd_sinkfile sd_sinkfile;

#define SD_SINK_NAME_MAX 192 /* longest file name, with its NUL */

typedef struct sd_filesink_opts {
    size_t max_open;  /* descriptors held open at once (>= 1; 0 = 63) */
    size_t budget;    /* bytes of file data held in memory (0 = 32 MiB) */
    FILE *log;        /* where the first 10 errors are described; NULL = nowhere */
    const char *prog; /* prefix of those lines, e.g. "strider extract" */
    const char *dir;  /* the directory as named (-o DIR): those lines name DIR/file; NULL = file alone */
} sd_filesink_opts;

/* A sink writing into the directory dirfd (not closed by the sink). Starts
 * the writer thread; without one (pthread_create failed) the writes happen
 * in the caller's thread, with the same results. */
sd_filesink *sd_filesink_new(int dirfd, const sd_filesink_opts *o);
/* Waits until every file is written and closed, frees the sink; returns
 * the number of errors (0 = every byte written). */
uint64_t sd_filesink_free(sd_filesink *s);
/* Waits until the writer has done everything asked of it so far: every
 * file closed before this call is on disk. */
void sd_filesink_sync(sd_filesink *s);
/* Whether name is in the directory (a symlink counts; not followed). */
bool sd_filesink_exists(const sd_filesink *s, const char *name);
/* Errors so far (counted by the writer; may lag the calls made). */
uint64_t sd_filesink_errors(const sd_filesink *s);

/* A new file named name (truncated to SD_SINK_NAME_MAX - 1). Nothing is
 * created until bytes are written or the file is closed with a length. */
sd_sinkfile *sd_sinkfile_new(sd_filesink *s, const char *name);
/* Creates (or truncates) the file now, in the caller's thread, so that a
 * file that must exist is there from the start; -1 (errno set, error
 * counted) if it cannot be. Call before anything else on f. */
int sd_sinkfile_create(sd_filesink *s, sd_sinkfile *f);
void sd_sinkfile_write(sd_filesink *s, sd_sinkfile *f, const void *p, size_t n);
/* Room for up to n bytes at f's end, to format them in place instead of
 * copying them in from a buffer of the caller's (extract's transcript
 * chunks): where they go, in f's last pending
 * block (a new one when it is full or there is none), or NULL when they do
 * not fit there (more than a block holds, or the last block has less room
 * than n): then write them with sd_sinkfile_write. After a pointer, put at
 * most n bytes there and call sd_sinkfile_commit with their number before
 * any other call on the sink. */
void *sd_sinkfile_room(sd_filesink *s, sd_sinkfile *f, size_t n);
void sd_sinkfile_commit(sd_filesink *s, sd_sinkfile *f, size_t n);
/* A hole of n bytes (NULs in the file; sparse where the file system can). */
void sd_sinkfile_skip(sd_sinkfile *f, uint64_t n);
/* Queues the pending bytes for the writer now (e.g. after a complete
 * record), instead of when the budget or the file's end asks for it. */
void sd_sinkfile_flush(sd_filesink *s, sd_sinkfile *f);
/* The file's length so far: bytes and holes. */
uint64_t sd_sinkfile_pos(const sd_sinkfile *f);
const char *sd_sinkfile_name(const sd_sinkfile *f);
/* Ends the file: pending bytes written, a trailing hole made real (the file
 * is sd_sinkfile_pos() bytes long); frees f. A file never written (and
 * not created) is not created. */
void sd_sinkfile_close(sd_filesink *s, sd_sinkfile *f);

#endif
