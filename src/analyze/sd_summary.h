/* sd_summary: the analyses behind `strider summary`, fed as one (the
 * engine has one packet_seen and one conn_done hook): sd_hoststats (the
 * capture's numbers), sd_clientpat (source ports and ISNs per client),
 * the files sd_filesig finds, DNS (sd_dnsan's transactions into
 * sd_dnsind's indicators), services by content (sd_service named,
 * sd_svcstats counted), and with a host of interest sd_hostsum.
 * Each part is its own module; this one routes the feeds and collects the
 * results. A new part (DNS, issue #17) is added the same way: a member
 * here, its feeds in sd_summary_packet/_conn (or an analyzer in
 * sd_summary_attach), its result in sd_summary_result, its section in
 * src/out/sd_summary_out; with a host of interest (opts.host_set) a part
 * keeps what matches sd_prefix_match(&opts.host, addr) for the Host
 * report. Never prints. */
#ifndef SD_SUMMARY_H
#define SD_SUMMARY_H

#include "sd_clientpat.h"
#include "sd_dnsan.h"
#include "sd_dnsind.h"
#include "sd_hoststats.h"
#include "sd_hostdns.h"
#include "sd_hostsum.h"
#include "sd_svcstats.h"

/* Files listed at most (~170 bytes each); past it they are counted. */
#define SD_SUMMARY_MAX_FILES 10000u

typedef struct sd_summary_opts {
    size_t max_hosts;     /* sd_hoststats and sd_clientpat caps; 0 = their default */
    bool all_hosts;       /* sd_hoststats_opts.all_hosts (the JSON listing) */
    bool files;           /* look for files in TCP payload (reassembles TCP) */
    bool host_set;        /* a host of interest: */
    sd_hostsum_opts host; /* its prefix, window and cap */
    /* With --own: each DNS transaction is handed on (not counted), with
     * the record handled when it was made (at) and its place among them
     * (seq), for the merge to count those of the connections it keeps in
     * one run's order. */
    void (*own_txn)(void *ud, const sd_dns_txn *t, uint64_t at, uint64_t seq);
    void *own_ud;
} sd_summary_opts;

/* A file signature seen (an sd_filesig "file_sig" event and its connection). */
typedef struct sd_summary_file {
    char uid[20];
    uint64_t stream;
    sd_ts ts;
    uint64_t frame, frame_last;
    int dir;              /* 0: sent by the originator */
    char sig[24];
    uint64_t offset;
    sd_addr orig_h, resp_h;
    uint16_t orig_p, resp_p;
} sd_summary_file;

typedef struct sd_summary_files {
    const sd_summary_file *v;  /* by time, then frame */
    size_t n;
    uint64_t total;            /* signatures seen, listed or not */
    uint64_t conns;            /* connections with one */
    size_t max;                /* SD_SUMMARY_MAX_FILES */
} sd_summary_files;

typedef struct sd_summary_result {
    const sd_hoststats_result *hosts;
    const sd_clientpat_result *clients;
    const sd_summary_files *files;  /* NULL unless opts.files */
    const sd_hostsum_result *host;  /* NULL unless opts.host_set */
    const sd_hostdns_result *host_dns; /* its DNS; NULL unless opts.host_set */
    const sd_dnsind_result *dns;    /* the DNS section: indicators, names... */
    const sd_dnsan_stats *dns_stats; /* ... and the decoder's counts */
    const sd_svcstats_result *services;
} sd_summary_result;

/* A run that owns a chunk of a file list (--own, sd_engine_own): the
 * connection facts the summary counts, one per owned connection in the
 * order they ended, for the merge to count those it keeps
 * (src/out/sd_merge_sum); the packet facts are the chunk files' only. */
typedef struct sd_summary_conn {
    char uid[20];
    uint8_t ipproto, orig_by;
    bool midstream, syn;          /* syn: counted by sd_clientpat (its first packet, a SYN) */
    int8_t rst_dir;               /* first_rst_dir */
    uint32_t isn;
    sd_ts start;
    sd_addr orig_h, resp_h;
    uint16_t orig_p, resp_p;
    char conn_state[8];
    char service[12];
    char app_kind;
    bool ja4;
    char app_name[96];
    bool scanned;                 /* sd_filesig looked at it */
    uint64_t files;               /* signatures in it */
} sd_summary_cpart;

typedef struct sd_summary_chunk {
    const sd_summary_cpart *conns;
    size_t nconns;
    const sd_summary_file *files; /* as they were found, with the chunk's uids */
    size_t nfiles;
    const sd_engine_stats *st;    /* the engine's counts over the chunk's files */
} sd_summary_chunk;

typedef struct sd_summary sd_summary;

sd_summary *sd_summary_new(const sd_summary_opts *o);
/* Sets the engine's hooks (packet_seen, conn_done, ud; reassembly, for
 * DNS over TCP and the files). Before sd_engine_new. */
void sd_summary_prepare(sd_summary *s, sd_engine_opts *eo);
/* Registers the analyzers with the engine: sd_dnsan, sd_service (the
 * service column, as conns has it), sd_filesig (files). */
void sd_summary_attach(sd_summary *s, sd_engine *e);
void sd_summary_packet(void *s, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
void sd_summary_conn(void *s, const sd_conn *c);
/* Ends the feeding; the result lives until sd_summary_free. */
const sd_summary_result *sd_summary_finish(sd_summary *s);
void sd_summary_free(sd_summary *s);
/* With --own, after the run: what the chunk writes (NULL without --own);
 * st: the engine's counts at the end. */
const sd_summary_chunk *sd_summary_chunk_get(sd_summary *s, const sd_engine_stats *st);
/* Files in the order the report lists them: by time, then frame. */
void sd_summary_sort_files(sd_summary_file *v, size_t n);
/* The hosts' packet facts (sd_hoststats) of the chunk's files. */
const sd_hoststats *sd_summary_hoststats(const sd_summary *s);

#endif
