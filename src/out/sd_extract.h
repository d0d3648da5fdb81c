/* sd_extract: pieces shared by 'strider follow' and 'strider extract':
 * tcpflow-compatible per-direction file names, the JSON form of one
 * reassembled chunk, the safe printable rendering of payload bytes, and
 * parsing of the memory-cap and overlap-policy options. */
#ifndef SD_EXTRACT_H
#define SD_EXTRACT_H

#include "../flow/sd_conn.h"
#include "../flow/sd_reasm.h"

/* tcpflow 1.6.1's default file name for the bytes sent from (sa, sp) to
 * (da, dp): "AAA.AAA.AAA.AAA.PPPPP-BBB.BBB.BBB.BBB.PPPPP", IPv4 octets and
 * ports zero-padded, IPv6 in inet_ntop form with the port padded, and
 * "--VLAN" appended when the packets had a VLAN tag. Built from addresses
 * and ports only, never from payload bytes, so it contains no '/'.
 * Returns buf. */
#define SD_FLOWNAME_LEN 128
char *sd_flowname(char *buf, size_t len, const sd_addr *sa, uint16_t sp, const sd_addr *da, uint16_t dp,
                  uint16_t vlan);

/* Name of one SD_CHUNKF_* bit: "inconsistent", "after-fin", "after-rst",
 * "truncated". */
const char *sd_chunk_flag_name(unsigned bit);

/* Appends one transcript chunk as a JSON object (no newline): dir ("orig" or
 * "resp"), first_frame, last_frame, ts, offset, len, gap, flags, and for data
 * the payload as hex and as printable ASCII. At most payload_max payload
 * bytes are rendered (0 = all); "payload_cut" says when fewer were. */
/* payload_max: payload bytes shown per chunk (SIZE_MAX = all, 0 = none). */
void sd_chunk_json(sd_buf *b, int dir, const sd_chunk *ch, size_t payload_max);
/* The same; with file_off (and payload_max > 0) a data chunk's payload is
 * not rendered but referenced: "file_offset":N says its len bytes are at
 * offset N of the direction's file (strider extract; N is the stream offset
 * except after bytes the reassembler skipped without a gap, e.g. a FIN's
 * sequence number before after-fin data). */
void sd_chunk_json_ex(sd_buf *b, int dir, const sd_chunk *ch, size_t payload_max, const uint64_t *file_off);

/* Printable rendering: bytes 0x20..0x7e as themselves, everything else
 * (controls, escape sequences, high bytes) as '.'; with keep_lines, '\n'
 * and '\t' are kept and a '\r' right before '\n' is dropped. */
void sd_ascii_render(sd_buf *b, const uint8_t *p, size_t len, bool keep_lines);

/* "64M", "1G", "4096", "512k": bytes; 0 on success. */
int sd_parse_size(const char *s, size_t *out);
/* "first", "last", "linux", "windows", "bsd"; 0 on success. */
int sd_parse_overlap(const char *s, sd_overlap_policy *out);

#endif
