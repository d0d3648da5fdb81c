/* sd_overlapout: how an overlap whose copies differ (the reassembler's
 * sd_reasm_inconsistency) is written: a marker line (with both copies'
 * bytes quoted, or hexdumped), a JSON object, a one-line summary. follow
 * writes them in place in its stream; the same words everywhere. */
#ifndef SD_OVERLAPOUT_H
#define SD_OVERLAPOUT_H

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

#endif
