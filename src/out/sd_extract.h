/* sd_extract: the 'strider extract' analyzer (every TCP session's payload
 * to files through an sd_filesink, as each session ends), and pieces it
 * shares with 'strider follow': tcpflow-compatible per-direction file
 * names, the JSON form of one reassembled chunk, the safe printable
 * rendering of payload bytes. */
#ifndef SD_EXTRACT_H
#define SD_EXTRACT_H

#include "../flow/sd_conn.h"
#include "../flow/sd_engine.h"
#include "../flow/sd_reasm.h"
#include "sd_filesink.h"

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

/* ---- the extract analyzer ----
 *
 * Per TCP session with payload: one file per direction named as tcpflow
 * names it (sd_flowname, then "c1", "c2"... for the N-th reuse of a name),
 * missing bytes as NULs at their offset; unless flows_only, a JSON
 * transcript "<orig name>[cN].json" (every chunk, then a summary) and one
 * line in index.jsonl (the summary, with the payload signatures found).
 * Everything of a session is written when it ends, the index line after
 * its files (the sink keeps that order) and handed to the writer at once,
 * so the index is in the order the engine ends sessions (its idle sweeps,
 * then at end of input the rest in stream order) and an interrupted run
 * leaves an index line for every finished session. Nothing of an ended session is kept but its names'
 * use counts, in bounded memory (sd_names.h). */
typedef struct sd_extract sd_extract;

typedef struct sd_extract_opts {
    bool all;           /* index sessions without payload too */
    bool flows_only;    /* only tcpflow's per-direction files: no transcript,
                           no index, no signature scan */
    size_t payload_max; /* payload bytes rendered per chunk (SIZE_MAX = all) */
    size_t inline_max;  /* payload bytes rendered per direction; then by file offset */
    bool fresh_dir;     /* the directory held no files: names may be forgotten
                           and looked up there (bounded memory, sd_names.h) */
    uint64_t max_hole;  /* bytes of one hole (missing stream bytes) a file keeps as
                           NULs, and of all its holes past its data bytes; the rest is
                           not written and counted (0 = the default) */
    bool own;           /* a chunk's run (--own): each session's part of the
                           totals is kept for the merge (sd_extract_own_stats) */
} sd_extract_opts;

/* A hole no longer than this is kept whole: files keep stream offsets, as
 * tcpflow's do. Past it, a capture of a few KB with ACKed sequence jumps
 * would make a sparse file of 100+ GB that breaks cp, tar and hashing. */
#define SD_EXTRACT_MAX_HOLE_DEFAULT ((uint64_t)1 << 30)

typedef struct sd_extract_stats {
    uint64_t sessions, with_data, truncated, sig_sessions;
    uint64_t holes_cut, hole_bytes_cut; /* holes past max_hole, and the bytes not written */
    uint64_t overlaps;                  /* overlaps with different bytes (index: *_inconsistent) */
    uint64_t unchecked_bytes;           /* retransmitted bytes older than the overlap history */
} sd_extract_stats;

/* Writes into sink (which the caller frees after sd_extract_free). Creates
 * index.jsonl at once unless flows_only; NULL if it cannot (the sink counted
 * and described the error). */
sd_extract *sd_extract_new(const sd_extract_opts *o, sd_filesink *sink);
/* Registers with e (which must reassemble): the payload signature analyzer
 * (sd_filesig, whose findings go into the index) unless flows_only, then
 * the extract analyzer (claims TCP sessions). Returns extract's slot. */
int sd_extract_attach(sd_extract *x, sd_engine *e);
sd_extract_stats sd_extract_get_stats(const sd_extract *x);
/* With opts.own: one {"_own":"xst"} record per session, its uid and its
 * part of sd_extract_stats (with_data, truncated, sig_sessions, overlaps,
 * unchecked_bytes, holes_cut, hole_bytes_cut), so that the merge adds up
 * the sessions it keeps into the totals one run prints. */
void sd_extract_own_stats(const sd_extract *x, sd_buf *b);
/* Appends len bytes (whole lines) to index.jsonl: a chunk's records for
 * the merge (--own), after every session's line. */
void sd_extract_index_append(sd_extract *x, const void *p, size_t len);
/* Closes the index; call after the engine ended every session. */
void sd_extract_free(sd_extract *x);

#endif
