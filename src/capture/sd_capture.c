/* sd_capture: sd_pcapfile reads classic pcap and pcapng files, libpcap
 * standard input and live capture, and compiles the filters; this module merges several inputs by timestamp, numbers frames
 * before filtering (as Wireshark does) and turns read errors into
 * diagnostics that name the file and the frame. */
#include "sd_capture.h"
#include "../common/sd_minheap.h"
#include "sd_framemap.h"

#include "sd_pcapfile.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>

/* Distinct link types of one pcapng file that get a compiled filter each;
 * real files mix two or three (Ethernet, Linux cooked, raw IP). */
#define MAX_FILTER_LINKTYPES 8

typedef struct lt_filter {
    int linktype;
    bool ok;                  /* compiled; else its frames are filtered out */
    struct bpf_program prog;
} lt_filter;

typedef struct cap_src {
    sd_pcapfile *pf;      /* classic pcap or pcapng read by us (see sd_pcapfile.h), or */
    pcap_t *pc;           /* libpcap (stdin, live) */
    /* pf with a filter: libpcap compiles it once per link type seen */
    char *expr;
    lt_filter filt[MAX_FILTER_LINKTYPES];
    unsigned nfilt;
    bool filt_full_told;
    int rec_linktype;     /* pf: the pending record's link type and interface */
    uint32_t rec_iface;
    struct pcap_pkthdr own_hdr;
    char *path;
    unsigned arg;         /* its index in the paths given to sd_capture_open */
    int linktype;
    bool nano;
    bool has_filter;
    struct bpf_program bpf;
    /* the record read ahead, waiting to be merged */
    bool pending, eof;
    struct pcap_pkthdr *hdr;
    const u_char *data;
    sd_ts ts;             /* of the pending record, within [0, SD_TS_MAX] */
    bool ts_sat;          /* ... which was out of that range and saturated */
    bool ts_sat_told;     /* a message has been given for this input */
    uint64_t ts_sat_n;    /* frames of this input saturated: the count is said at its end */
    uint64_t caplen_gt_n; /* records whose caplen was past their original length: read to it, counted */
    uint64_t frac_bad_n;  /* classic records whose fraction was a second or more: the first said, all counted */
    uint64_t records;
    FILE *fp; /* for progress: position in the file */
    bool stream; /* a pipe (stdin, a FIFO): see sd_capture_is_stream */
    uint64_t size;
} cap_src;

struct sd_capture {
    cap_src *src;
    unsigned nsrc;
    uint64_t frame_no;   /* the last record's number: frame_base + records read, all inputs */
    uint64_t frame_base;
    uint64_t passed;
    sd_diag *diag;
    bool live;
    bool timed_out;      /* the last read of a live source timed out */
    bool all_frames;     /* give filtered records too, marked */
    sd_framemap *origin; /* several files: each frame's file and number there */
    /* several inputs: a min-heap of the inputs with a pending record, by
     * (time, input order), so each record costs log(inputs), not a look at
     * every input (100 rotated files cost 1.5x one file that way) */
    unsigned *heap;
    unsigned nheap;
    bool heap_built;
};

static void src_close(cap_src *s)
{
    if (s->has_filter)
        pcap_freecode(&s->bpf);
    for (unsigned i = 0; i < s->nfilt; i++)
        if (s->filt[i].ok)
            pcap_freecode(&s->filt[i].prog);
    free(s->expr);
    if (s->pc)
        pcap_close(s->pc);
    sd_pcapfile_close(s->pf);
    free(s->path);
}

static int src_filter(cap_src *s, const char *expr, char *err, size_t errlen)
{
    if (!expr || !*expr)
        return 0;
    if (pcap_compile(s->pc, &s->bpf, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(err, errlen, "%s: bad filter \"%s\": %s", s->path, expr, pcap_geterr(s->pc));
        return -1;
    }
    s->has_filter = true;
    return 0;
}

static pcap_t *open_offline(const char *path, cap_src *s, char *ebuf)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        snprintf(ebuf, PCAP_ERRBUF_SIZE, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fp != stdin && fstat(fileno(fp), &st) == 0)
        s->size = (uint64_t)st.st_size;
    /* libpcap takes the FILE and closes it with pcap_close */
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
    if (!pc && fp != stdin)
        fclose(fp);
    if (pc)
        s->fp = fp;
    return pc;
}

/* A stream whose first bytes were read already, from its start again */
static pcap_t *open_rest(FILE *rest, cap_src *s, char *ebuf)
{
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(rest, PCAP_TSTAMP_PRECISION_NANO, ebuf);
    if (!pc)
        fclose(rest);
    else
        s->fp = rest;
    return pc;
}

/* The filter compiled for a link type (LINKTYPE_RAW is DLT_RAW for
 * libpcap), made at its first record; NULL when the table is full. */
static lt_filter *filter_for(cap_src *s, int linktype, char *err, size_t errlen)
{
    for (unsigned i = 0; i < s->nfilt; i++)
        if (s->filt[i].linktype == linktype)
            return &s->filt[i];
    if (s->nfilt >= MAX_FILTER_LINKTYPES)
        return NULL;
    lt_filter *f = &s->filt[s->nfilt++];
    f->linktype = linktype;
    pcap_t *dead = pcap_open_dead(linktype == 101 ? DLT_RAW : linktype, 262144);
    f->ok = dead && pcap_compile(dead, &f->prog, s->expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (!f->ok)
        snprintf(err, errlen, "bad filter \"%s\" for link type %d: %s", s->expr, linktype,
                 dead ? pcap_geterr(dead) : "no libpcap handle");
    if (dead)
        pcap_close(dead);
    return f;
}

/* Whether the pending record of a pf source passes the filter. A link
 * type the filter cannot be compiled for (or past the table) has its
 * frames left out, said once. */
static bool pf_passes(sd_capture *cap, cap_src *s, uint64_t frame_no)
{
    char err[PCAP_ERRBUF_SIZE + 160] = "";
    unsigned before = s->nfilt;
    lt_filter *f = filter_for(s, s->rec_linktype, err, sizeof err);
    if (!f && !s->filt_full_told) {
        s->filt_full_told = true;
        sd_diagf(cap->diag, s->path, frame_no, "more than %d link types with a filter: frames of "
                 "link type %d and later ones are left out", MAX_FILTER_LINKTYPES, s->rec_linktype);
    } else if (f && !f->ok && s->nfilt > before) {
        sd_diagf(cap->diag, s->path, frame_no, "%s: its frames are left out", err);
    }
    return f && f->ok && pcap_offline_filter(&f->prog, s->hdr, s->data);
}

/* s reads a classic pcap or a pcapng through s->pf; libpcap only compiles
 * the filter: for a classic file now (a bad filter fails the open, as
 * libpcap's own reader would), for pcapng per link type as they come. */
static int src_use_pf(cap_src *s, const char *bpf, char *err, size_t errlen)
{
    s->linktype = sd_pcapfile_linktype(s->pf);
    s->fp = sd_pcapfile_fp(s->pf);
    if (!bpf || !*bpf)
        return 0;
    s->expr = sd_strdup(bpf);
    if (sd_pcapfile_is_pcapng(s->pf))
        return 0;
    char e[PCAP_ERRBUF_SIZE + 160] = "";
    lt_filter *f = filter_for(s, s->linktype, e, sizeof e);
    if (f && f->ok)
        return 0;
    snprintf(err, errlen, "%s: %s", s->path, e);
    return -1;
}

static int src_open_file(cap_src *s, const char *path, const char *name, const sd_capture_opts *o,
                         char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    s->path = sd_strdup(strcmp(path, "-") == 0 ? "(stdin)" : name);
    bool not_pcap = true;
    /* standard input and FIFOs through the same readers as files: a pipe
     * through libpcap lost the bytes past the header's snaplen and every
     * pcapng block after a bad one, and refused interfaces of two link
     * types; libpcap gets what neither reader knows, from its first byte */
    FILE *rest = NULL;
    struct stat st;
    s->stream = strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode);
    if (strcmp(path, "-") == 0)
        s->pf = sd_pcapfile_open_stream(stdin, &not_pcap, &rest, ebuf, sizeof ebuf);
    else
        s->pf = sd_pcapfile_open(path, &not_pcap, &s->size, &rest, ebuf, sizeof ebuf);
    if (s->pf)
        return src_use_pf(s, o->bpf, err, errlen);
    if (!not_pcap) {
        snprintf(err, errlen, "%s: not a readable capture: %s", s->path, ebuf);
        return -1;
    }
    s->pc = rest ? open_rest(rest, s, ebuf) : open_offline(path, s, ebuf);
    if (!s->pc) {
        snprintf(err, errlen, "%s: not a readable capture: %s", s->path, ebuf);
        return -1;
    }
    s->linktype = pcap_datalink(s->pc);
    return src_filter(s, o->bpf, err, errlen);
}

/* Live read timeout: how long a read waits before the engine gets a tick
 * (idle expiry, statistics, a stop request) with no packet to read. */
#define LIVE_TIMEOUT_MS 100

static int live_activate(pcap_t *pc, int snaplen)
{
    pcap_set_snaplen(pc, snaplen);
    pcap_set_promisc(pc, 1);
    pcap_set_timeout(pc, LIVE_TIMEOUT_MS);
    /* packets reach the analysis as they arrive, not a buffer block later:
     * a connection is reported within a second of its end */
    pcap_set_immediate_mode(pc, 1);
    /* src_set_ts() reads tv_usec as nanoseconds; ask for them, and accept
     * microseconds where the interface cannot (live_scale below) */
    pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO);
    return pcap_activate(pc);
}

static int src_open_live(cap_src *s, const sd_capture_opts *o, char *err, size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    s->path = sd_strdup(o->iface);
    s->pc = pcap_create(o->iface, ebuf);
    int rc = s->pc ? live_activate(s->pc, o->snaplen > 0 ? o->snaplen : 262144) : PCAP_ERROR;
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot capture: %s", o->iface, s->pc ? pcap_geterr(s->pc) : ebuf);
        return -1;
    }
    s->nano = pcap_get_tstamp_precision(s->pc) == PCAP_TSTAMP_PRECISION_NANO;
    /* reads never block: live_wait() waits, so a quiet interface still
     * gives ticks and a signal is seen within LIVE_TIMEOUT_MS (the read
     * timeout alone does not fire in immediate mode on Linux) */
    if (pcap_setnonblock(s->pc, 1, ebuf) != 0 || pcap_get_selectable_fd(s->pc) < 0) {
        snprintf(err, errlen, "%s: cannot capture without blocking: %s", o->iface, ebuf);
        return -1;
    }
    s->linktype = pcap_datalink(s->pc);
    return src_filter(s, o->bpf, err, errlen);
}

sd_capture *sd_capture_open(const char *const *paths, size_t npaths, const sd_capture_opts *opts,
                            char *err, size_t errlen)
{
    static const sd_capture_opts none = { 0 };
    if (!opts)
        opts = &none;
    sd_capture *cap = sd_calloc(1, sizeof *cap);
    cap->diag = opts->diag;
    cap->all_frames = opts->all_frames;
    cap->frame_no = cap->frame_base = opts->frame_base;
    size_t want = opts->iface ? 1 : npaths;
    cap->src = sd_calloc(want ? want : 1, sizeof *cap->src);
    char e1[512] = "";
    if (opts->iface) {
        cap->live = true;
        if (src_open_live(&cap->src[0], opts, e1, sizeof e1) == 0)
            cap->nsrc = 1;
        else
            src_close(&cap->src[0]);
    }
    for (size_t i = 0; !opts->iface && i < npaths; i++) {
        cap_src *s = &cap->src[cap->nsrc];
        if (src_open_file(s, paths[i], opts->names ? opts->names[i] : paths[i], opts, e1, sizeof e1) == 0) {
            s->arg = (unsigned)i;
            cap->nsrc++;
            continue;
        }
        if (!opts->report_files || i < opts->report_files)
            sd_diagf(cap->diag, NULL, 0, "%s", e1);
        src_close(s);
        memset(s, 0, sizeof *s);
    }
    if (cap->nsrc > 1 || (opts->map_files && cap->nsrc == 1))
        cap->origin = sd_framemap_new(SD_FRAMEMAP_MAX_RUNS);
    if (cap->nsrc == 0 && !(opts->none_ok && !opts->iface)) {
        /* each failed file was reported already; live errors were not */
        snprintf(err, errlen, "%s", opts->iface ? e1 : "nothing could be read");
        sd_capture_close(cap);
        return NULL;
    }
    return cap;
}

static void live_wait(const cap_src *s)
{
    struct pollfd p = { .fd = pcap_get_selectable_fd(s->pc), .events = POLLIN };
    (void)poll(&p, 1, LIVE_TIMEOUT_MS); /* EINTR (a signal) returns early, as wanted */
}

/* A record's time: seconds and a fraction in units of `unit` ns, saturated
 * to [0, SD_TS_MAX] (with *sat set) instead of overflowing: pcapng's 64-bit
 * counts reach past 2262, and libpcap hands some of them over as negative
 * seconds. */
static sd_ts ts_sat(int64_t sec, int64_t frac, int64_t unit, bool *sat)
{
    int64_t t, f;
    *sat = false;
    if (!__builtin_mul_overflow(sec, SD_NS_PER_SEC, &t) && !__builtin_mul_overflow(frac, unit, &f) &&
        !__builtin_add_overflow(t, f, &t) && t >= 0 && t <= SD_TS_MAX)
        return t;
    *sat = true;
    return sec < 0 ? 0 : SD_TS_MAX;
}

/* The pending record's time: opened with nanosecond precision, so tv_usec
 * holds nanoseconds, except from an interface that gives microseconds. */
static void src_set_ts(const sd_capture *cap, cap_src *s)
{
    bool micro = cap->live && !s->nano;
    s->ts = ts_sat((int64_t)s->hdr->ts.tv_sec, (int64_t)s->hdr->ts.tv_usec, micro ? 1000 : 1, &s->ts_sat);
}

/* At the end of a file: the pcapng blocks of unknown type passed over
 * (said once by type rather than one message each), the classic records
 * whose fraction was dropped, the pcapng simple packet blocks dated. */
static void say_unknown_blocks(sd_capture *cap, cap_src *s)
{
    char types[256];
    uint64_t n = sd_pcapfile_unknown_blocks(s->pf, types, sizeof types);
    if (n)
        sd_diagf(cap->diag, s->path, 0, "%llu pcapng block(s) of unknown type skipped, by type: %s",
                 (unsigned long long)n, types);
    if (s->caplen_gt_n)
        sd_diagf(cap->diag, s->path, 0,
                 "%llu record(s) with a captured length past their original length: read to the original length",
                 (unsigned long long)s->caplen_gt_n);
    if (s->frac_bad_n)
        sd_diagf(cap->diag, s->path, 0,
                 "%llu record(s) with a fraction of a second of one second or more: dated at their whole second",
                 (unsigned long long)s->frac_bad_n);
    uint64_t untimed, early, spb = sd_pcapfile_spb(s->pf, &untimed, &early);
    if (spb)
        sd_diagf(cap->diag, s->path, 0,
                 "%llu simple packet block(s) carry no time: each dated at the packet before it "
                 "(%llu before any timed packet: %llu dated at the first timed one after them, %llu at "
                 "1970-01-01)",
                 (unsigned long long)spb, (unsigned long long)(early + untimed), (unsigned long long)early,
                 (unsigned long long)untimed);
}

/* A record whose captured length is past its original length (a writer's
 * bug or a forged header) is read to its original length: no more bytes
 * crossed the wire, so the ones past it are no packet's (an attacker's
 * banner there was read as the server's, ahead of the real one re-sent).
 * A datagram whose length counts them is then cut, as by a snaplen. The
 * first said with its frame, all counted at the end of the file. */
static void wire_bound(sd_capture *cap, cap_src *s, sd_pcaprec *r)
{
    if (!s->caplen_gt_n++)
        sd_diagf(cap->diag, s->path, s->records + 1,
                 "captured length %u larger than the original length %u: the %u bytes past the wire's "
                 "not read (a count follows at the end)",
                 r->caplen, r->wire_said, r->caplen - r->wire_said);
    r->caplen = r->wire_said;
    r->wirelen = r->wire_said;
}

/* Reads ahead one record of s. Read errors (a truncated last record, a
 * record length libpcap refuses) end this input with a message; the others
 * go on. Frame numbers are given at merge time, so here "the record after
 * N" names the failing one. */
static void src_fill(sd_capture *cap, cap_src *s)
{
    while (!s->pending && !s->eof && s->pf) {
        char err[256];
        sd_pcaprec r;
        int rc = sd_pcapfile_next(s->pf, &r, err, sizeof err);
        if (rc == 1) {
            if (r.wire_said < r.caplen)
                wire_bound(cap, s, &r);
            s->own_hdr.ts.tv_sec = (time_t)r.sec;
            s->own_hdr.ts.tv_usec = (suseconds_t)r.nsec;
            s->own_hdr.caplen = r.caplen;
            s->own_hdr.len = r.wirelen;
            s->data = r.data;
            s->rec_linktype = r.linktype;
            s->rec_iface = r.iface;
            s->hdr = &s->own_hdr;
            s->pending = true;
            s->records++;
            s->ts = ts_sat(r.sec, r.nsec, 1, &s->ts_sat);
            if (r.frac_bad && !s->frac_bad_n++) /* the first said, all counted */
                sd_diagf(cap->diag, s->path, s->records,
                         "timestamp fraction of %llu ns is a second or more: dated at its whole second "
                         "(a count follows at the end)",
                         (unsigned long long)r.frac_bad);
        } else if (rc == SD_PCAP_SKIPPED) { /* one bad pcapng block: said, then read on */
            sd_diagf(cap->diag, s->path, s->records + 1, "%s", err);
        } else {
            if (rc < 0)
                sd_diagf(cap->diag, s->path, s->records + 1, "unreadable record (%s); rest of file skipped", err);
            say_unknown_blocks(cap, s);
            sd_pcapfile_ended(s->pf);
            s->eof = true;
        }
    }
    while (!s->pending && !s->eof) {
        int rc = pcap_next_ex(s->pc, &s->hdr, &s->data);
        if (rc == 1) {
            s->pending = true;
            s->records++;
            src_set_ts(cap, s);
        } else if (rc == 0) {
            live_wait(s); /* live: nothing to read now */
            cap->timed_out = true;
            return;
        } else {
            if (rc == PCAP_ERROR)
                sd_diagf(cap->diag, s->path, s->records + 1, "unreadable record (%s); rest of file skipped",
                         pcap_geterr(s->pc));
            s->eof = true;
        }
    }
}

/* At the end: how many frames of each input had their time saturated (the
 * first was said as it came), so that none goes uncounted. */
static void say_sat_counts(sd_capture *cap)
{
    for (unsigned i = 0; i < cap->nsrc; i++) {
        cap_src *s = &cap->src[i];
        if (s->ts_sat_n > 1)
            sd_diagf(cap->diag, s->path, 0,
                     "%llu frame(s) with a timestamp out of range, each read as 1970 or 2262",
                     (unsigned long long)s->ts_sat_n);
        s->ts_sat_n = 0; /* said once */
    }
}

/* Whether input a's pending record comes before b's: earlier time, ties
 * to the earlier file, which keeps a single file's own order (and matches
 * mergecap). */
static bool src_before(const sd_capture *cap, unsigned a, unsigned b)
{
    const cap_src *x = &cap->src[a], *y = &cap->src[b];
    return x->ts < y->ts || (x->ts == y->ts && a < b);
}

static bool src_less(const void *a, const void *b, const void *cap)
{
    return src_before(cap, *(const unsigned *)a, *(const unsigned *)b);
}

static void heap_down(sd_capture *cap, unsigned i)
{
    sd_minheap h = { cap->heap, sizeof *cap->heap, src_less, cap };
    sd_minheap_down(&h, cap->nheap, i);
}

/* The heap of every input with a record, each read ahead once. */
static void heap_build(sd_capture *cap)
{
    cap->heap = sd_calloc(cap->nsrc, sizeof *cap->heap);
    for (unsigned i = 0; i < cap->nsrc; i++) {
        src_fill(cap, &cap->src[i]);
        if (cap->src[i].pending)
            cap->heap[cap->nheap++] = i;
    }
    sd_minheap h = { cap->heap, sizeof *cap->heap, src_less, cap };
    sd_minheap_build(&h, cap->nheap);
    cap->heap_built = true;
}

/* The input whose pending record is earliest. Only the input at the top
 * gave a record since the last call: it reads its next one and sinks to
 * its place, or leaves the heap at its end. */
static cap_src *earliest(sd_capture *cap)
{
    if (!cap->heap_built) {
        heap_build(cap);
    } else if (cap->nheap) {
        cap_src *top = &cap->src[cap->heap[0]];
        src_fill(cap, top);
        if (!top->pending)
            cap->heap[0] = cap->heap[--cap->nheap];
        heap_down(cap, 0);
    }
    return cap->nheap ? &cap->src[cap->heap[0]] : NULL;
}

/* A memory input goes through the same readers as a file: classic pcap
 * through sd_pcapfile, anything else through libpcap. */
static int src_open_mem(cap_src *s, const uint8_t *buf, size_t len, const char *bpf, char *err,
                        size_t errlen)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    bool not_pcap = false;
    s->pf = sd_pcapfile_open_mem(buf, len, &not_pcap, ebuf, sizeof ebuf);
    if (s->pf)
        return src_use_pf(s, bpf, err, errlen);
    FILE *fp = not_pcap && len ? fmemopen((void *)(uintptr_t)buf, len, "rb") : NULL;
    if (fp) {
        s->pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
        if (!s->pc)
            fclose(fp);
    }
    if (!s->pc) {
        snprintf(err, errlen, "%s: %s%s", s->path, len ? "not a readable capture: " : "empty input",
                 len ? ebuf : "");
        return -1;
    }
    s->linktype = pcap_datalink(s->pc);
    return src_filter(s, bpf, err, errlen);
}

sd_capture *sd_capture_open_mem(const uint8_t *buf, size_t len, const char *name,
                                const sd_capture_opts *opts, char *err, size_t errlen)
{
    sd_capture *cap = sd_calloc(1, sizeof *cap);
    cap->diag = opts->diag;
    cap->all_frames = opts->all_frames;
    cap->src = sd_calloc(1, sizeof *cap->src);
    cap->nsrc = 1;
    cap_src *s = &cap->src[0];
    s->path = sd_strdup(name);
    if (src_open_mem(s, buf, len, opts->bpf, err, errlen) != 0) {
        sd_capture_close(cap);
        return NULL;
    }
    return cap;
}

/* The usual input, one classic pcap file read without a filter or a frame
 * map: its next plain record straight into out, as the loop below would
 * give it (issue #11: the read-ahead and the merge's bookkeeping cost ~230
 * instructions a record). A classic record's time cannot saturate: 2^32 s
 * and a fraction below a second are far inside SD_TS_MAX. False: nothing
 * read, for the loop. */
static bool next_plain(sd_capture *cap, sd_frame *out)
{
    cap_src *s = &cap->src[0];
    sd_pcaprec r;
    if (s->pending || !s->pf || s->expr || cap->origin || !sd_pcapfile_next_plain(s->pf, &r))
        return false;
    s->records++;
    cap->frame_no++;
    cap->passed++;
    *out = (sd_frame){ .num = cap->frame_no, .ts = r.sec * SD_NS_PER_SEC + r.nsec, .caplen = r.caplen,
                       .wirelen = r.wirelen, .linktype = r.linktype, .data = r.data,
                       .file_num = s->records };
    return true;
}

/* Any other record: the read-ahead of every input, the merge by time, the
 * filter, the saturated times, the frame map. Not inlined: its saved
 * registers and stack would cost the plain path as much again. */
static __attribute__((noinline)) int next_merged(sd_capture *cap, sd_frame *out)
{
    for (;;) {
        cap_src *s = cap->nsrc == 1 ? &cap->src[0] : earliest(cap);
        if (cap->nsrc == 1) {
            cap->timed_out = false;
            src_fill(cap, s);
            if (cap->timed_out)
                return SD_CAPTURE_TICK;
        }
        if (!s || !s->pending) {
            say_sat_counts(cap);
            return 0;
        }
        s->pending = false;
        cap->frame_no++;
        const struct pcap_pkthdr *h = s->hdr;
        if (s->pf)
            out->filtered = s->expr && !pf_passes(cap, s, cap->frame_no);
        else
            out->filtered = s->has_filter && !pcap_offline_filter(&s->bpf, h, s->data);
        if (out->filtered && !cap->all_frames)
            continue;
        s->ts_sat_n += s->ts_sat;
        if (s->ts_sat && !s->ts_sat_told) {
            s->ts_sat_told = true; /* once per input: such a file has many */
            sd_diagf(cap->diag, s->path, cap->frame_no,
                     "timestamp out of range (%lld s): %s", (long long)s->hdr->ts.tv_sec,
                     s->ts == 0 ? "read as 1970-01-01" : "read as the latest time kept (March 2262)");
        }
        cap->passed += !out->filtered;
        out->num = cap->frame_no;
        out->ts = s->ts;
        out->caplen = h->caplen;
        out->wirelen = h->len < h->caplen ? h->caplen : h->len;
        out->linktype = s->pf ? s->rec_linktype : s->linktype;
        out->iface = s->pf && sd_pcapfile_is_pcapng(s->pf) ? s->rec_iface + 1 : 0;
        out->data = s->data;
        out->file_idx = (unsigned)(s - cap->src);
        out->file_num = s->records; /* one record read ahead per input: this one */
        if (cap->origin && !sd_framemap_add(cap->origin, out->num, out->file_idx, out->file_num) &&
            sd_framemap_unmapped(cap->origin) == 1)
            sd_diagf(cap->diag, s->path, out->num, "the inputs interleave more than %zu times: file and "
                     "file_frame are given for the frames before this one only", SD_FRAMEMAP_MAX_RUNS);
        return 1;
    }
}

int sd_capture_next(sd_capture *cap, sd_frame *out)
{
    if (!cap->nsrc) /* none_ok: no file opened */
        return 0;
    if (cap->nsrc == 1 && next_plain(cap, out))
        return 1;
    return next_merged(cap, out);
}

unsigned sd_capture_file_arg(const sd_capture *cap, unsigned file_idx)
{
    return file_idx < cap->nsrc ? cap->src[file_idx].arg : UINT_MAX;
}

bool sd_capture_file_more(const sd_capture *cap, unsigned file_idx)
{
    return file_idx < cap->nsrc && !cap->src[file_idx].eof;
}

const char *sd_capture_path(const sd_capture *cap, unsigned file_idx)
{
    return file_idx < cap->nsrc ? cap->src[file_idx].path : "?";
}

uint64_t sd_capture_frames(const sd_capture *cap)
{
    return cap->frame_no - cap->frame_base;
}

void sd_capture_progress(const sd_capture *cap, uint64_t *done, uint64_t *total)
{
    *done = *total = 0;
    for (unsigned i = 0; i < cap->nsrc; i++) {
        const cap_src *s = &cap->src[i];
        if (!s->size || !s->fp) {
            *total = 0;
            *done = 0;
            return;
        }
        long pos = ftell(s->fp);
        *done += pos > 0 ? (uint64_t)pos : 0;
        *total += s->size;
    }
}

bool sd_capture_live_desc(const sd_capture *cap, char *buf, size_t len)
{
    if (!cap || !cap->live || cap->nsrc != 1 || !cap->src[0].pc || len == 0)
        return false;
    const cap_src *s = &cap->src[0];
    const char *name = pcap_datalink_val_to_name(s->linktype);
    const char *what = pcap_datalink_val_to_description(s->linktype);
    /* the interface name is the user's own argument: no capture byte here */
    snprintf(buf, len, "listening on %s, link-type %s (%s), snapshot length %d bytes", s->path,
             name ? name : "?", what ? what : "unknown", pcap_snapshot(s->pc));
    return true;
}

bool sd_capture_is_live(const sd_capture *cap)
{
    return cap->live;
}

bool sd_capture_is_stream(const sd_capture *cap)
{
    for (unsigned i = 0; i < cap->nsrc; i++)
        if (cap->src[i].stream)
            return true;
    return false;
}

sd_diag *sd_capture_set_diag(sd_capture *cap, sd_diag *diag)
{
    sd_diag *old = cap->diag;
    cap->diag = diag;
    return old;
}

bool sd_capture_hand_blocks(sd_capture *cap, uint8_t *(*get)(void *ud, size_t size),
                            void (*retire)(void *ud, uint8_t *blk, size_t size), void *ud)
{
    if (cap->nsrc != 1 || !cap->src[0].pf || cap->src[0].stream || cap->live)
        return false;
    return sd_pcapfile_hand_blocks(cap->src[0].pf, get, retire, ud);
}

bool sd_capture_maps_files(const sd_capture *cap)
{
    return cap->origin != NULL;
}

int sd_capture_drops(const sd_capture *cap, uint64_t *received, uint64_t *dropped, uint64_t *if_dropped)
{
    struct pcap_stat ps;
    if (!cap->live || !cap->src[0].pc || pcap_stats(cap->src[0].pc, &ps) != 0)
        return -1;
    *received = ps.ps_recv;
    *dropped = ps.ps_drop;
    *if_dropped = ps.ps_ifdrop;
    return 0;
}

unsigned sd_capture_files_ok(const sd_capture *cap)
{
    unsigned n = 0;
    for (unsigned i = 0; i < cap->nsrc; i++)
        n += cap->src[i].records > 0;
    return n;
}

void sd_capture_close(sd_capture *cap)
{
    if (!cap)
        return;
    say_sat_counts(cap); /* a reader that stopped early (--own's chunk done) still counts them */
    for (unsigned i = 0; i < cap->nsrc; i++)
        src_close(&cap->src[i]);
    free(cap->src);
    sd_framemap_free(cap->origin);
    free(cap->heap);
    free(cap);
}

bool sd_capture_origin_run(const sd_capture *cap, size_t i, uint64_t *global, uint64_t *n, const char **path,
                           uint64_t *file_frame)
{
    unsigned f;
    if (!cap->origin || !sd_framemap_run(cap->origin, i, global, n, &f, file_frame))
        return false;
    *path = cap->src[f].path;
    return true;
}

bool sd_capture_origin(const sd_capture *cap, uint64_t frame, const char **path, uint64_t *file_frame)
{
    unsigned f;
    if (!cap->origin || !sd_framemap_find(cap->origin, frame, &f, file_frame))
        return false;
    *path = cap->src[f].path;
    return true;
}
