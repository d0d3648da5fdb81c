/* sd_reasm: TCP stream reassembly for one direction of one connection.
 *
 * Segments go in in capture order; in-order bytes come out through a
 * callback, each chunk tagged with the 64-bit stream offset (0 = first byte
 * after the ISN), the frames that carried it and the time of the segment
 * that completed it. Sequence numbers are compared only modulo 2^32
 * (SEQ_LT/SEQ_GT); offsets are 64-bit so streams past 4 GiB are fine.
 *
 * Holes are never silently joined: when data beyond a hole must be delivered
 * (the peer ACKed past it, the per-stream cap was hit, or the stream ended),
 * a GAP chunk of the hole's size is delivered first.
 *
 * Memory: out-of-order bytes are held up to a per-stream cap and a global
 * budget shared by all streams (sd_reasm_budget). Hitting either marks the
 * stream truncated; it never fails the run. */
#ifndef SD_REASM_H
#define SD_REASM_H

#include "../common/sd_common.h"

typedef enum sd_overlap_policy {
    SD_OVERLAP_FIRST = 0, /* default: bytes already received win (tshark, libnids, Zeek) */
    SD_OVERLAP_LAST,      /* newest bytes win (tcpflow) */
    SD_OVERLAP_LINUX,     /* Suricata's target policies */
    SD_OVERLAP_WINDOWS,
    SD_OVERLAP_BSD,
} sd_overlap_policy;

enum {
    SD_CHUNK_DATA = 0,
    SD_CHUNK_GAP = 1,          /* len bytes missing from the capture; data == NULL */
};

enum { /* sd_chunk.flags */
    SD_CHUNKF_RETRANS_INCONSISTENT = 1u << 0, /* an overlap carried different bytes */
    SD_CHUNKF_AFTER_FIN = 1u << 1,            /* data beyond the FIN's sequence */
    SD_CHUNKF_AFTER_RST = 1u << 2,
    SD_CHUNKF_TRUNCATED = 1u << 3,            /* stream hit a memory cap at or before this */
};

typedef struct sd_chunk {
    int kind;              /* SD_CHUNK_DATA or SD_CHUNK_GAP */
    uint64_t offset;       /* stream offset of the first byte */
    const uint8_t *data;   /* len bytes; valid only during the callback */
    uint32_t len;
    uint64_t first_frame;  /* frame of the first byte's segment */
    uint64_t last_frame;   /* frame of the segment that completed the chunk */
    sd_ts ts;              /* time of last_frame */
    uint32_t flags;
} sd_chunk;

/* Bytes of each copy an inconsistency carries (the first ones of the
 * differing range): enough to read a planted word or command; the writers
 * say when the range was longer. */
#define SD_REASM_INCONS_SHOW 256u

/* Reported when two copies of the same stream bytes differ (an evasion
 * indicator): both frames, the offset and length of the differing range,
 * the first `shown` bytes of both copies (valid only during the callback),
 * and which copy the stream holds. */
typedef struct sd_reasm_inconsistency {
    uint64_t offset;
    uint32_t len;
    uint64_t old_frame, new_frame;
    sd_ts ts;
    const uint8_t *old_bytes, *new_bytes;
    uint32_t shown;        /* min(len, SD_REASM_INCONS_SHOW) */
    bool new_kept;         /* the newer copy replaced the older (held, not yet delivered) */
    bool delivered;        /* the older copy was delivered already: it stays, whatever the policy */
    bool policy_unapplied; /* delivered, and --overlap would have taken the newer copy */
} sd_reasm_inconsistency;

/* An urgent byte reached the delivery point: the last byte an urgent
 * pointer covers (seq + urp - 1, as Linux and the BSDs read RFC 9293
 * 3.8.5), which a Linux receiver without SO_OOBINLINE takes out of the
 * stream (suricata-verify tcp-urgp-01-oob: the server read "/malicious"
 * where the wire said "/malicXious"). */
typedef struct sd_reasm_urgent {
    uint64_t offset; /* its stream offset */
    uint8_t byte;
    uint64_t frame;  /* the segment that delivered it */
    bool oob;        /* taken out of the stream (sd_reasm_opts.urgent_oob) */
} sd_reasm_urgent;

typedef struct sd_reasm_cb {
    void (*chunk)(void *ud, const sd_chunk *c);
    void (*inconsistency)(void *ud, const sd_reasm_inconsistency *i); /* may be NULL */
    void *ud;
    void (*urgent)(void *ud, const sd_reasm_urgent *u);               /* may be NULL */
} sd_reasm_cb;

/* Global memory budget shared by many streams. */
typedef struct sd_reasm_budget {
    size_t cap;   /* bytes of out-of-order data held at most, all streams */
    size_t used;
    uint64_t streams_truncated;
} sd_reasm_budget;

typedef struct sd_reasm_opts {
    sd_overlap_policy policy;
    size_t stream_cap;          /* out-of-order bytes held per stream; 0 = 4 MiB */
    sd_reasm_budget *budget;    /* may be NULL (no global cap) */
    size_t hist_cap;            /* bytes of memory for the overlap history of delivered
                                   bytes and their frames; 0 = SD_REASM_HIST_CAP_DEFAULT */
    bool urgent_oob;            /* urgent bytes out of the stream (Linux without
                                   SO_OOBINLINE); false: left inline, as tshark and
                                   Windows deliver them, still reported */
} sd_reasm_opts;

/* A conflicting copy can come long after the bytes it overwrites (1,100
 * one-byte segments or 70 KB later): the history of delivered bytes is
 * bounded by memory, not by segment count. Half of it keeps bytes (128 KiB
 * by default: twice the largest unscaled TCP window, so a retransmission of
 * anything one window back is compared), half the frames that carried them
 * (8,192 segments by default, 16 bytes each). Retransmitted bytes older than
 * that are counted (overlap_unchecked_bytes), never silently accepted. */
#define SD_REASM_HIST_CAP_DEFAULT ((size_t)256 << 10)

typedef struct sd_reasm_stats {
    uint64_t bytes_delivered;
    uint64_t gap_bytes;
    uint64_t retrans_segments, retrans_bytes;       /* exact duplicates dropped */
    uint64_t inconsistent_segments, inconsistent_bytes;
    uint64_t ooo_segments;                          /* arrived ahead of a hole */
    uint64_t unchecked_bytes;   /* retransmitted bytes older than the history (its cap, or
                                   before a gap): not compared */
    uint64_t policy_unapplied_bytes; /* differing bytes delivered already that --overlap
                                        would have replaced */
    uint64_t urgent_bytes;      /* urgent bytes reached (out of the stream when urgent_oob) */
    bool truncated;                                 /* hit a memory cap */
} sd_reasm_stats;

typedef struct sd_reasm sd_reasm;

sd_reasm *sd_reasm_new(const sd_reasm_opts *opts, const sd_reasm_cb *cb);

/* Sets the initial sequence number: isn is the SYN's sequence, so the first
 * data byte is isn+1. Without a SYN (mid-stream pickup), the first segment
 * seen sets the base and this is not called. */
void sd_reasm_set_isn(sd_reasm *r, uint32_t isn);

/* One TCP segment of this direction. flags are SD_TH_* of the packet (SYN
 * data and FIN/RST positions matter). Bytes are copied when they must be
 * held. */
void sd_reasm_segment(sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data, uint32_t len,
                      uint64_t frame, sd_ts ts);
/* The same; doubtful: a copy its receiver may have dropped (an IP datagram
 * whose fragments overlapped with other bytes), held like a SYN's data
 * until the peer ACKs past it (or the end): a re-send of its bytes before
 * that replaces it, and the sender going on past it does not confirm it. */
void sd_reasm_segment_ex(sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data, uint32_t len,
                         uint64_t frame, sd_ts ts, bool doubtful);

/* The other direction acknowledged up to ack: anything still held below ack
 * whose earlier bytes never arrived is now known lost, so the hole is
 * delivered as a GAP and the data after it flows. */
void sd_reasm_ack(sd_reasm *r, uint32_t ack, uint64_t frame, sd_ts ts);

/* The segment about to be given (sd_reasm_segment) has an urgent pointer
 * naming the byte at seq: it is reported when delivered, and taken out of
 * the stream with urgent_oob. Before the first data (no offset yet) or
 * below the delivery point it is ignored; past a byte still pending it
 * replaces it (one mark, as a socket holds), at or before it it is ignored. */
void sd_reasm_mark_urgent(sd_reasm *r, uint32_t seq);

/* The len bytes at seq were cut from the end of a segment by the
 * capture's snaplen (given after the segment). When the capture holds the
 * peer's ACKs of this stream they are a hole like any other: the sender
 * re-sends a segment its peer did not ACK, and that whole copy fills the
 * hole; an ACK past them says none will come. When it holds none (one
 * direction captured), nothing would settle the hole before the end:
 * if the stream's bytes before them were all delivered and nothing is
 * held, they go out as a GAP at once, with the segment's frame and time. */
void sd_reasm_snapcut(sd_reasm *r, uint32_t seq, uint32_t len, uint64_t frame, sd_ts ts);

/* End of stream (connection closed, expired or end of capture): deliver all
 * held data, with GAP chunks for holes. */
void sd_reasm_flush(sd_reasm *r);

const sd_reasm_stats *sd_reasm_get_stats(const sd_reasm *r);
void sd_reasm_free(sd_reasm *r); /* frees held data, returns budget; NULL ok */
/* For a caller that keeps ended reassemblers for its next streams (issue
 * #11: the struct and its two rings were five allocations a direction):
 * retire frees r's held data (returns budget) when its stream ends;
 * recycle (retiring first if need be) makes r what sd_reasm_new(opts, cb)
 * gives, keeping its buffers. */
void sd_reasm_retire(sd_reasm *r);
void sd_reasm_shrink(sd_reasm *r);
void sd_reasm_recycle(sd_reasm *r, const sd_reasm_opts *opts, const sd_reasm_cb *cb);

#endif
