/* sd_outfile: where outputs land: a buffer written whole to a new file (a
 * link planted at the path is not followed, see sd_create), and an output
 * directory made, or accepted as it is only when asked. */
#ifndef SD_OUTFILE_H
#define SD_OUTFILE_H

#include "../common/sd_common.h"

/* 0, or -1 with errno set (EIO for a short write). */
int sd_outfile_write(const char *path, const sd_buf *b);
/* The descriptor of dir, created (mode 0755) or, with force, existing;
 * -1 after a message on stderr naming prog. *fresh: it has no entries (an
 * earlier run's files need not be looked for). */
int sd_outdir_open(const char *dir, bool force, bool *fresh, const char *prog);

#endif
