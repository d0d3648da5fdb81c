/* fzcheck: what the fuzz targets check in the writers' output, beyond "no
 * crash": every JSON line is one valid JSON value (RFC 8259: a writer that
 * let a capture byte break its quoting, or printed NaN, fails here), text
 * meant for a terminal holds no control byte but newline (and, where colour
 * was asked for, SGR sequences only), and a scratch directory for the
 * targets that write files. A failed check aborts, so libFuzzer keeps the
 * input. */
#ifndef FZCHECK_H
#define FZCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/sd_capture.h"

/* The fuzz input as a capture (pcap or pcapng), warnings counted in diag;
 * NULL if it is not one. */
sd_capture *fz_capture(const uint8_t *data, size_t size, sd_diag *diag);

/* Every '\n'-ended line of p[0..n) is one JSON value; the last line must
 * end with '\n' too. */
void fz_json_lines(const char *what, const void *buf, size_t n);
/* p[0..n) is one JSON value (a document over several lines). */
void fz_json_doc(const char *what, const void *buf, size_t n);
/* No byte below 0x20 but '\n' (and '\t' if tabs), no 0x7f; with sgr, an ESC
 * is allowed only as the start of "ESC [ digits/';' m". */
void fz_terminal_safe(const char *what, const void *buf, size_t n, bool tabs, bool sgr);
/* Occurrences of needle in p[0..n), case-insensitive. */
size_t fz_count(const void *buf, size_t n, const char *needle);

/* A directory of its own under /dev/shm (or TMPDIR, /tmp), made once and
 * removed at exit; fz_dir_clean empties it between inputs. */
const char *fz_dir(void);
void fz_dir_clean(void);

#endif
