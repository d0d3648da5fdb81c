/* sd_text: capture bytes made safe for a terminal. Every string that comes
 * from a capture (banners, name-lists, host key types, anomaly details,
 * event fields) goes through here before a text output prints it: a
 * banner must not set the window title (OSC 0), clear the screen (CSI 2J),
 * write the clipboard (OSC 52) or start an 8-bit CSI (0x9b). JSON and HTML
 * have their own escaping (sd_json, the report's esc). */
#ifndef SD_TEXT_H
#define SD_TEXT_H

#include "../common/sd_common.h"

/* Length (2..4) of the valid UTF-8 sequence at p (at most n bytes), its
 * code point in *cp; 0 if the bytes are not one (RFC 3629: overlong forms,
 * surrogates and code points past U+10FFFF are not). Only for p[0] >= 0x80. */
size_t sd_utf8_len(const uint8_t *p, size_t n, uint32_t *cp);
/* A code point every output writes escaped, as a control: the C1
 * controls U+0080..U+009F, and the Unicode bidirectional controls (ALM,
 * LRM, RLM, the embeddings and overrides U+202A..U+202E, the isolates
 * U+2066..U+2069), which reorder the text shown after them (a banner
 * holding U+202E shows the rest of its line, or of a report's cell,
 * reversed: CVE-2021-42574's "Trojan Source"), and the line and
 * paragraph separators U+2028 and U+2029, at which Python's
 * str.splitlines(), editors and JavaScript before ES2019 end a line (a
 * banner holding one forged a line of a text report, or cut a JSON line
 * in two for such a reader), and the characters that show as nothing:
 * the soft hyphen U+00AD, the zero-width space, non-joiner and joiner
 * U+200B..U+200D, the word joiner and invisible operators U+2060..U+2064
 * and the byte order mark U+FEFF (a host key type "ssh-ed\u200b25519" or
 * a banner with one read as the real name on a terminal, in a spreadsheet
 * or a report, while a grep for the real name missed it). */
bool sd_cp_control(uint32_t cp);
/* Appends s (n bytes) with C0 controls, DEL, C1 controls and bidi
 * controls (sd_cp_control, UTF-8 encoded) and bytes that are not valid UTF-8 written as \xHH, and a
 * backslash as \\; printable ASCII and valid UTF-8 of printable code
 * points unchanged. */
void sd_text_put(sd_buf *b, const char *s, size_t n);
/* The same, looking at one byte at a time: the reference sd_text_put's
 * 16-byte run check must match byte for byte (the unit tests). */
void sd_text_put_bytewise(sd_buf *b, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL prints as "-". */
void sd_text_puts(sd_buf *b, const char *s);
/* The same for a string an analyzer made printable already (an HTTP
 * Host's or a TLS server name's \xHH): checked as any capture string, but
 * a backslash stays one, as conns and the JSON show it, not doubled. */
void sd_text_puts_made(sd_buf *b, const char *s);
/* Into a fixed buffer (cut at len - 1, whole escapes only): for a
 * formatter that wants a string. Returns out. */
char *sd_text_safe(const char *s, char *out, size_t len);
/* The same for a string an analyzer made printable already (a backslash
 * stays one, as sd_text_puts_made). */
char *sd_text_safe_made(const char *s, char *out, size_t len);
/* One CSV cell of a capture string: the string as JSON has it once
 * decoded, with the bytes sd_text_put escapes (C0, DEL, C1, invalid
 * UTF-8) written \xHH as the text outputs write them, quoted as CSV needs
 * (sd_csv_field). A backslash stays one: strings the analyzers made
 * printable already (an HTTP Host's \xHH) read as in JSON and the text
 * table, not escaped twice. A spreadsheet or a `cat` of the file sees no
 * raw control byte. */
void sd_csv_text(sd_buf *b, const char *s);

/* Appends the lines of s (n bytes) with every line longer than width
 * columns broken after a ',', ';' or ' ' (else at the width), the rest
 * indented by indent spaces: a long name-list read on a terminal. Text
 * already safe (the above); width 0 = unchanged. */
void sd_text_wrap(sd_buf *b, const char *s, size_t n, size_t width, size_t indent);

#endif
