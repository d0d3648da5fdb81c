/* sd_merge_fmt: `strider merge` and --jobs in the output format one run
 * was asked for (CSV, the text table, JSON lines with --fields), not only
 * whole JSON lines.
 *
 * A chunk run (--own) asked for such a format still writes whole JSON
 * lines, which the merge renumbers (sd_merge.h), and declares the format
 * in one record: {"_own":"fmt","of":"conn","fmt":"csv","cols":"a,b,c"}
 * (the record type, the format, the columns one run would write, as its
 * writer chose them). The merge writes its JSON lines through the FILE this
 * module gives, which parses each line back into its column values and
 * writes them with the writer one run uses (sd_recout_values): the same
 * cells, quoting, header and table widths, so the formats cannot drift. */
#ifndef SD_MERGE_FMT_H
#define SD_MERGE_FMT_H

#include "sd_merge.h"
#include "sd_recout.h"

#include <stdio.h>

/* The chunk's record declaring the format of n columns sel, of records
 * whose JSON "type" is of, and the text rows held to size the table. */
void sd_merge_fmt_record(sd_buf *b, const char *of, sd_rec_fmt fmt, const sd_field *const *sel, size_t n,
                         size_t hold);

typedef struct sd_merge_fmt sd_merge_fmt;

/* The way of the merged lines to out, once the chunks read so far are in:
 * the declared format, or the lines as they are when none is declared.
 * NULL after a message on err (a bad record, chunks that declare different
 * formats). */
sd_merge_fmt *sd_merge_fmt_open(const sd_merge *m, FILE *out, FILE *err);
/* Where the merge writes its JSON lines (out itself when none declared). */
FILE *sd_merge_fmt_file(const sd_merge_fmt *f);
/* Ends the output (what the text table held) unless rc is not 0 (the
 * merge failed: nothing more is written); frees f. Returns rc, or 1 when a
 * line could not be rendered (message on err) or a write failed. */
int sd_merge_fmt_close(sd_merge_fmt *f, int rc);

#endif
