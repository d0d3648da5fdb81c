/* sd_markout: the markers follow writes in place in a stream, from the
 * reassembler's events: an overlap whose copies differ
 * (sd_reasm_inconsistency) and an urgent byte (sd_reasm_urgent), each as
 * a marker line (overlaps: both copies' bytes quoted, or hexdumped), a JSON
 * object, a one-line summary. The same words everywhere. */
#ifndef SD_MARKOUT_H
#define SD_MARKOUT_H

#include "../flow/sd_reasm.h"

/* The marker as text: "==> orig  [overlap: N bytes differ at offset O]
 * kept frame F: "..."  other frame G: "..."", then (hex) both copies as
 * hexdumps. Ends with '\n'. */
void sd_overlap_text(sd_buf *b, int dir, const sd_reasm_inconsistency *i, bool hex);
/* One JSON object and '\n': dir, overlap:true, ts, offset, len, old_frame,
 * new_frame, kept ("old"/"new"), delivered, policy_unapplied, old_hex,
 * new_hex, old_ascii, new_ascii, bytes_cut (fewer bytes than len shown). */
void sd_overlap_json(sd_buf *b, int dir, const sd_reasm_inconsistency *i);
/* A hexdump of n bytes at stream offset off: "%08x  " offset, 16 bytes in
 * hex, their printable rendering between '|'. */
void sd_hexdump(sd_buf *b, uint64_t off, const uint8_t *p, uint32_t n);
/* A short line without the bytes and without '\n' (stderr summaries). */
void sd_overlap_brief(sd_buf *b, int dir, const sd_reasm_inconsistency *i);

/* The urgent byte: "==> orig  [urgent byte "X" (0x58) at offset O, frame F:
 * taken out of band]" (or "left inline"), with '\n'. */
void sd_urgent_text(sd_buf *b, int dir, const sd_reasm_urgent *u);
/* One JSON object and '\n': dir, urgent:true, offset, frame, hex, oob. */
void sd_urgent_json(sd_buf *b, int dir, const sd_reasm_urgent *u);
/* Without '\n' (stderr summaries). */
void sd_urgent_brief(sd_buf *b, int dir, const sd_reasm_urgent *u);

#endif
