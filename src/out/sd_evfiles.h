/* sd_evfiles: the event files of an output directory (`ssh -o DIR`):
 * events.jsonl, events.csv and, on request, keystrokes.csv (inter-key
 * latencies), written as events come so an interrupted run leaves them
 * complete. The directory is made when missing; files are created without
 * following links; every write and close is checked. */
#ifndef SD_EVFILES_H
#define SD_EVFILES_H

#include "../common/sd_event.h"

typedef struct sd_evfiles sd_evfiles;

/* NULL after a message on stderr naming prog and the path. live: flush
 * after every write. */
sd_evfiles *sd_evfiles_open(const char *dir, bool keystrokes, bool live, const char *prog);
/* Appends the events of l that keep (may be NULL) accepts. */
void sd_evfiles_write(sd_evfiles *f, bool (*keep)(void *ud, const sd_event *e), void *ud, const sd_evlist *l);
/* Closes every file: 0, or -1 after a message for each that could not be
 * written whole. NULL is fine. */
int sd_evfiles_close(sd_evfiles *f);

#endif
