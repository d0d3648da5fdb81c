/* sd_table: a text table written as rows arrive. The first rows (up to
 * `hold`) are kept to size the columns, then written; later rows are written
 * at once, and a column only grows when a later cell is wider. So a small
 * result looks exactly like a table sized on all its rows, and a stream of a
 * million rows costs the memory of `hold` rows. */
#ifndef SD_TABLE_H
#define SD_TABLE_H

#include "../common/sd_common.h"

typedef struct sd_table sd_table;

/* ncol columns; hold rows kept before the first write (0: write at once). */
sd_table *sd_table_new(size_t ncol, size_t hold);
/* Adds a row of ncol cells (copied). numeric[c] right-aligns column c from
 * then on (numbers line up); NULL for a header or all-text row. Appends to
 * out whatever can be written now. */
void sd_table_row(sd_table *t, sd_buf *out, const char *const *cells, const bool *numeric);
/* Writes the held rows now (a live run's first lines, the end of input). */
void sd_table_release(sd_table *t, sd_buf *out);
void sd_table_free(sd_table *t);

#endif
