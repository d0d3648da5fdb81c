/* sd_framemap: where each frame of a merged capture came from. Frames are
 * numbered across the merge (as Wireshark numbers a mergecap'd file); an
 * analyst opening one of the inputs needs its own number. Kept as runs of
 * consecutive frames from one file: inputs that follow each other in time
 * cost one run each, interleaved ones up to one run per frame, so the runs
 * are capped and the frames past the cap are counted. */
#ifndef SD_FRAMEMAP_H
#define SD_FRAMEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 24 MB of runs: a merge of captures that alternate packet by packet still
 * maps its first million switches; past that file_frame is left unset. */
#define SD_FRAMEMAP_MAX_RUNS ((size_t)1 << 20)

typedef struct sd_framemap sd_framemap;

sd_framemap *sd_framemap_new(size_t max_runs);
/* The next frame (global numbers increase by one each call) came from
 * file, where it is file_frame. false when it could not be kept (cap). */
bool sd_framemap_add(sd_framemap *m, uint64_t global, unsigned file, uint64_t file_frame);
/* The file and its frame number for global; false if not kept. */
bool sd_framemap_find(const sd_framemap *m, uint64_t global, unsigned *file, uint64_t *file_frame);
/* Run i (from 0) of consecutive frames of one file: its first frame,
 * their count, the file and the first one's number there; false past the
 * last run. */
bool sd_framemap_run(const sd_framemap *m, size_t i, uint64_t *global, uint64_t *n, unsigned *file,
                     uint64_t *file_frame);
/* Frames that found the runs full. */
uint64_t sd_framemap_unmapped(const sd_framemap *m);
void sd_framemap_free(sd_framemap *m);

#endif
