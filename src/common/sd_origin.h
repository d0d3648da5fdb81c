/* sd_origin: for the writers of a merged capture, the file a frame came
 * from and its number in that file (frames are numbered across the merge;
 * Wireshark with one of the inputs open wants the file's own number).
 * The CLI points it at the capture for the run; unset (one file, a
 * library user) there is nothing to add and writers add nothing. */
#ifndef SD_ORIGIN_H
#define SD_ORIGIN_H

#include <stdbool.h>
#include <stdint.h>

typedef bool (*sd_origin_fn)(const void *ctx, uint64_t frame, const char **path, uint64_t *file_frame);
/* fn NULL: unset. */
void sd_origin_set(sd_origin_fn fn, const void *ctx);
bool sd_origin(uint64_t frame, const char **path, uint64_t *file_frame);
/* The run's first frame: 1, or a chunk's given base + 1 (--own-frame-base),
 * for a writer that asks whether the run's inputs are merged at all. */
void sd_origin_set_first(uint64_t frame);
uint64_t sd_origin_first(void);

#endif
