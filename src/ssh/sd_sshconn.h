/* sd_sshconn: the engine analyzer that finds SSH on any TCP connection by
 * content and runs the SSH parser (sd_ssh) on its reassembled bytes. For
 * each SSH connection it keeps the encrypted-record stream (exact packets
 * for ETM/GCM suites, segment-level records otherwise) and hands the whole
 * result to its caller when the connection ends. It never prints. */
#ifndef SD_SSHCONN_H
#define SD_SSHCONN_H

#include "../flow/sd_engine.h"
#include "sd_infer_stats.h"
#include "sd_ssh.h"

/* Records kept per connection at most: about 48 bytes each, so a single
 * connection costs at most ~48 MiB, whatever the capture's size. */
#define SD_SSHCONN_MAX_RECORDS (1u << 20)

typedef struct sd_sshconn_result {
    const sd_conn *conn;
    const sd_ssh_meta *meta;
    const sd_ssh_record *rec; /* in stream order per direction, interleaved by completion */
    size_t nrec;
    bool rec_truncated;       /* more than SD_SSHCONN_MAX_RECORDS */
    /* Per-direction record statistics over every record (also those past
     * the cap); NULL when no encrypted record was seen. */
    const sd_sshstats *stats;
    /* With opts.defer_stats: the last stats_pending kept records are not
     * counted in stats yet (stats may then be NULL), until a copy of the
     * result is settled (sd_sshconn_result_settle). 0 otherwise. */
    size_t stats_pending;
    uint64_t gap_bytes[2];    /* bytes missing from the capture, per direction */
    uint32_t inconsistencies; /* retransmissions that carried different bytes */
    /* The caller's own bits for this connection (what it already said
     * while the connection went on); zero at the start, kept until the end. */
    uint32_t *caller_bits;
    /* The analyzer's state of the connection, for sd_sshconn_result_take;
     * NULL in a taken result. */
    struct sd_sshconn_st *owner;
} sd_sshconn_result;

typedef struct sd_sshconn_opts {
    /* Called once per connection that showed an SSH banner, at its end.
     * Everything in r is valid only during the call. */
    void (*done)(void *ud, const sd_sshconn_result *r);
    void *ud;
    size_t max_records;       /* 0 = SD_SSHCONN_MAX_RECORDS */
    /* May be NULL. While an SSH connection goes on: called with what it has
     * so far, at most every progress_every of capture time and only when new
     * records came (live capture: findings before the connection ends). */
    void (*progress)(void *ud, const sd_sshconn_result *r);
    sd_ts progress_every;     /* 0 = 1 s */
    /* done only takes the result (sd_sshconn_result_take) for another
     * thread, which settles it before it reads the statistics or the
     * meta: the kept records are counted there, not per record in the
     * engine's thread (those past max_records still are, in order), and
     * the meta's last derivation is made there when it reads only the
     * parser (sd_ssh_meta_late). */
    bool defer_stats;
    /* May be NULL. TCP ports (a bit each, 65536 bits) an SSH server listens
     * on besides 22 and 2222: a connection joined mid-stream there may be
     * read as a session already open (sd_ssh_opts.midstream_ok). */
    const uint64_t *ssh_ports;
} sd_sshconn_opts;

typedef struct sd_sshconn_stats {
    uint64_t claimed;  /* TCP connections looked at */
    uint64_t ssh;      /* of those, SSH (a banner seen) */
    uint64_t released; /* ruled out early: reassembly stopped */
    uint64_t truncated; /* connections past the record cap (max_records) */
    uint64_t memo_refused; /* KEXINIT list sets the parsers' memo had no room for (sd_ssh_memo) */
    uint64_t cut_frames;   /* segments of SSH connections whose payload the capture's snaplen cut short */
    uint64_t cut_ssh;      /* SSH connections with such a segment (read from sizes there) */
} sd_sshconn_stats;

typedef struct sd_sshconn sd_sshconn;

/* Takes r, as done has it, for another thread: the parser (the meta and
 * the strings it points to), the records and the statistics move into the
 * result returned, nothing of them is copied, and the analyzer lets them
 * go (issue #11: a copy read the parser and the records after they had
 * gone cold, and wrote ~4 kB a connection into the writer's queue, on the
 * engine's thread); the connection's facts (its flow goes on) and the
 * caller bits are copied. The run's KEXINIT memo is shared (it outlives
 * every result: valid until the analyzer is freed). In dst (cap bytes,
 * 16-aligned) when it fits, else in one allocation. *heap_bytes: those of
 * records it holds on the heap (0 for a short connection). Release it with
 * sd_sshconn_result_release(r, dst), on any thread. */
sd_sshconn_result *sd_sshconn_result_take(const sd_sshconn_result *r, void *dst, size_t cap, size_t *heap_bytes);
void sd_sshconn_result_release(sd_sshconn_result *r, void *dst);
/* Counts a taken result's stats_pending records into its statistics (they
 * are then what one thread would have counted), finishes its meta (the
 * derivation sd_ssh_meta_late left), and makes its uid when the engine
 * left it (sd_engine_uids_late): what one thread would have had. */
void sd_sshconn_result_settle(sd_sshconn_result *r);

sd_sshconn *sd_sshconn_new(const sd_sshconn_opts *opts);
/* Registers the analyzer with e (which must have reassemble = true). */
int sd_sshconn_attach(sd_sshconn *x, sd_engine *e);
const sd_sshconn_stats *sd_sshconn_get_stats(const sd_sshconn *x);
void sd_sshconn_free(sd_sshconn *x);

#endif
