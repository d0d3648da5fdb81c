/* sd_decode: decoder lifecycle, rate-limited diagnostics and the link
 * layers (Ethernet, Linux cooked v1/v2, raw IP, BSD loopback). VLAN tags
 * and tunnels are in sd_encap.c, the IP and transport layers in sd_ip.c
 * and sd_l4.c. */
#include "sd_decode_int.h"

#include <assert.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_vec.h"

/* Link-layer type values. Numeric, because DLT_RAW and DLT_LOOP differ
 * between systems (pcap/dlt.h): 12 is raw IP on most systems and loopback on
 * OpenBSD, 14 is raw IP on BSD/OS; 101 is LINKTYPE_RAW as stored in files,
 * which libpcap maps to DLT_RAW but other readers may pass through. */
enum {
    LT_NULL = 0,
    LT_EN10MB = 1,
    LT_RAW12 = 12,
    LT_RAW14 = 14,
    LT_RAW101 = 101,
    LT_PPP = 9,
    LT_PPP_HDLC = 50, /* PPP in HDLC-like framing (RFC 1662) */
    LT_C_HDLC = 104,  /* Cisco HDLC */
    LT_LOOP = 108,
    LT_LINUX_SLL = 113,
    LT_IPV4 = 228,
    LT_IPV6 = 229,
    LT_NFLOG = 239,   /* Linux netfilter log (tcpdump -i nflog) */
    LT_LINUX_SLL2 = 276,
};

/* Address-family values in DLT_NULL/DLT_LOOP headers: 2 is AF_INET on every
 * BSD; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS). */
#define BSD_AF_INET 2
#define BSD_AF_INET6_BSD 24
#define BSD_AF_INET6_FREEBSD 28
#define BSD_AF_INET6_DARWIN 30

#define CHDLC_HDR_LEN 4 /* address, control, protocol (an ethertype) */
#define NFLOG_HDR_LEN 4 /* family, version, resource id */
#define NFLOG_TLV_LEN 4 /* length (with this header), type: the writer's byte order */
#define NFULA_PAYLOAD 9 /* the TLV holding the packet, from its IP header */
#define SLL_HDR_LEN 16  /* packet type, ARPHRD, addr len, addr[8], protocol */
#define SLL2_HDR_LEN 20 /* protocol, reserved, ifindex, ARPHRD, type, addr len, addr[8] */

sd_decoder *sd_decoder_new(const sd_decode_opts *opts)
{
    sd_decoder *d = sd_calloc(1, sizeof *d);
    if (opts)
        d->opts = *opts;
    if (d->opts.frag_memcap == 0)
        d->opts.frag_memcap = (size_t)64 << 20;
    if (d->opts.frag_timeout <= 0)
        d->opts.frag_timeout = SD_DEC_FRAG_TIMEOUT_DEFAULT;
    d->frags = sd_frag_table_new(d->opts.frag_memcap, d->opts.frag_timeout);
    return d;
}

void sd_decoder_free(sd_decoder *d)
{
    if (!d)
        return;
    sd_frag_table_free(d->frags);
    free(d->diag_count);
    free(d);
}

uint64_t sd_decoder_frags_reassembled(const sd_decoder *d)
{
    return d ? sd_frag_get_stats(d->frags)->reassembled : 0;
}

uint64_t sd_decoder_unshown(const sd_decoder *d, char *what, size_t len)
{
    static const char *const NAME[SD_DK_COUNT] = {
        [SD_DK_LINK_TRUNC] = "truncated link headers", [SD_DK_IP_TRUNC] = "truncated IP headers",
        [SD_DK_IP_BADLEN] = "bad IP lengths", [SD_DK_IP_VERSION] = "bad IP versions",
        [SD_DK_IP6_EXT] = "bad IPv6 extension headers", [SD_DK_FRAG_BAD] = "inconsistent fragments",
        [SD_DK_FRAG_OVERLAP] = "overlapping fragments", [SD_DK_FRAG_MEMCAP] = "fragment memcap drops",
        [SD_DK_FRAG_TIMEOUT] = "fragment timeouts", [SD_DK_L4_TRUNC] = "truncated TCP/UDP headers",
        [SD_DK_TCP_BADOFF] = "bad TCP data offsets", [SD_DK_TCP_BADOPT] = "bad TCP options",
        [SD_DK_UDP_BADLEN] = "bad UDP lengths", [SD_DK_ENCAP] = "tunnels not decoded",
        [SD_DK_ENCAP_DEPTH] = "encapsulation depth caps", [SD_DK_IP_CSUM] = "bad IPv4 header checksums",
        [SD_DK_L4_CSUM] = "bad TCP/UDP checksums",
        [SD_DK_IP_DISCARD] = "IP options receivers discard",
    };
    uint64_t all = 0;
    size_t at = 0;
    if (len)
        what[0] = '\0';
    for (int k = 0; d && k < SD_DK_COUNT; k++) {
        if (!d->diag_unshown[k])
            continue;
        all += d->diag_unshown[k];
        int n = at < len ? snprintf(what + at, len - at, "%s%s %llu", at ? ", " : "", NAME[k],
                                    (unsigned long long)d->diag_unshown[k])
                         : 0;
        at += n > 0 ? (size_t)n : 0;
    }
    return all;
}

void sd_decoder_frags_lost(const sd_decoder *d, uint64_t *memcap, uint64_t *timeout, uint64_t *incomplete)
{
    const sd_frag_stats *st = sd_frag_get_stats(d->frags);
    *memcap = st->evicted;
    *timeout = st->timed_out;
    *incomplete = sd_frag_pending(d->frags);
}

uint64_t sd_decoder_frag_copies(const sd_decoder *d)
{
    return sd_frag_get_stats(d->frags)->copies + sd_frag_copies_pending(d->frags);
}

void sd_decoder_frag_count(sd_decoder *d, bool count)
{
    sd_frag_count_new(d->frags, count);
}

bool sd_decoder_frag_done_counted(const sd_decoder *d)
{
    return sd_frag_done_counted(d->frags);
}

const char *sd_linktype_name(int linktype)
{
    switch (linktype) {
    case LT_NULL: return "NULL";
    case LT_EN10MB: return "EN10MB";
    case LT_RAW12:
    case LT_RAW14:
    case LT_RAW101: return "RAW";
    case LT_LOOP: return "LOOP";
    case LT_LINUX_SLL: return "LINUX_SLL";
    case LT_LINUX_SLL2: return "LINUX_SLL2";
    case LT_PPP: return "PPP";
    case LT_PPP_HDLC: return "PPP_HDLC";
    case LT_C_HDLC: return "C_HDLC";
    case LT_NFLOG: return "NFLOG";
    case LT_IPV4: return "IPV4";
    case LT_IPV6: return "IPV6";
    default: break;
    }
    const char *n = pcap_datalink_val_to_name(linktype);
    return n ? n : "unknown";
}

static const char *file_name(const sd_decoder *d, unsigned idx)
{
    const char *n = NULL;
    if (d->opts.file_name)
        n = d->opts.file_name(d->opts.file_name_ud, idx);
    return n ? n : "";
}

/* Per-file counter slot for a kind, growing the table for a new file. */
static uint16_t *diag_slot(sd_decoder *d, unsigned file_idx, sd_dk kind)
{
    unsigned slot = file_idx % SD_DIAG_MAX_FILES;
    if (slot >= d->diag_files) {
        size_t n = d->diag_files;
        d->diag_count = sd_vec_grow_(d->diag_count, &n, d->diag_files, slot + 1 - d->diag_files,
                                     sizeof *d->diag_count);
        memset(d->diag_count + d->diag_files, 0, (n - d->diag_files) * sizeof *d->diag_count);
        d->diag_files = (unsigned)n; /* at most 2 x SD_DIAG_MAX_FILES */
    }
    return &d->diag_count[slot][kind];
}

/* The reason a frame is counted under when the diagnostic of this kind
 * is the last one before it fails. */
static const sd_undec DK_REASON[SD_DK_COUNT] = {
    [SD_DK_LINK_TRUNC] = SD_UNDEC_TRUNC,     [SD_DK_IP_TRUNC] = SD_UNDEC_IP_TRUNC,
    [SD_DK_IP_BADLEN] = SD_UNDEC_IP_BAD,     [SD_DK_IP_VERSION] = SD_UNDEC_IP_VERSION,
    [SD_DK_IP6_EXT] = SD_UNDEC_IP_BAD,       [SD_DK_FRAG_BAD] = SD_UNDEC_FRAG,
    [SD_DK_FRAG_OVERLAP] = SD_UNDEC_FRAG,    [SD_DK_FRAG_MEMCAP] = SD_UNDEC_FRAG,
    [SD_DK_FRAG_TIMEOUT] = SD_UNDEC_FRAG,    [SD_DK_L4_TRUNC] = SD_UNDEC_L4_TRUNC,
    [SD_DK_TCP_BADOFF] = SD_UNDEC_L4_BAD,    [SD_DK_TCP_BADOPT] = SD_UNDEC_L4_BAD,
    [SD_DK_UDP_BADLEN] = SD_UNDEC_L4_BAD,    [SD_DK_ENCAP] = SD_UNDEC_ENCAP,
    [SD_DK_ENCAP_DEPTH] = SD_UNDEC_DEPTH,    [SD_DK_IP_CSUM] = SD_UNDEC_IP_CSUM,
    [SD_DK_L4_CSUM] = SD_UNDEC_L4_BAD,      [SD_DK_IP_DISCARD] = SD_UNDEC_IP_BAD,
};

const char *sd_undec_name(sd_undec r)
{
    static const char *const NAME[SD_UNDEC_COUNT] = {
        [SD_UNDEC_LINKTYPE] = "unsupported link type", [SD_UNDEC_ETHERTYPE] = "non-IP ethertype",
        [SD_UNDEC_TRUNC] = "truncated link/tunnel header", [SD_UNDEC_ENCAP] = "tunnel not decoded",
        [SD_UNDEC_DEPTH] = "encapsulation depth cap", [SD_UNDEC_IP_VERSION] = "bad IP version",
        [SD_UNDEC_IP_TRUNC] = "truncated IP header", [SD_UNDEC_IP_BAD] = "bad IP header",
        [SD_UNDEC_FRAG] = "rejected IP fragment", [SD_UNDEC_L4_TRUNC] = "truncated TCP/UDP header",
        [SD_UNDEC_L4_BAD] = "bad TCP/UDP header", [SD_UNDEC_IP_CSUM] = "bad IPv4 header checksum",
    };
    return (unsigned)r < SD_UNDEC_COUNT ? NAME[r] : "?";
}

void sd_decoder_undecoded(const sd_decoder *d, uint64_t *counts)
{
    for (int r = 0; r < SD_UNDEC_COUNT; r++)
        counts[r] = d ? d->undecoded[r] : 0;
}

void sd_dec_diag(sd_decoder *d, sd_dk kind, const char *fmt, ...)
{
    d->reason = DK_REASON[kind];
    if (!d->opts.diag || !d->cur)
        return;
    uint16_t *cnt = diag_slot(d, d->cur->file_idx, kind);
    if (*cnt >= SD_DIAG_PER_KIND) {
        d->diag_unshown[kind]++; /* said in all at the end (sd_decoder_unshown) */
        return;
    }
    (*cnt)++;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *fn = file_name(d, d->cur->file_idx);
    if (*cnt == SD_DIAG_PER_KIND)
        sd_diagf(d->opts.diag, fn, d->cur->num, "%s (further messages of this kind suppressed)",
                 msg);
    else
        sd_diagf(d->opts.diag, fn, d->cur->num, "%s", msg);
}

static sd_dec_res link_trunc(sd_decoder *d, sd_pkt *out, const char *what, size_t need)
{
    out->anomalies |= SD_ANOM_LINK_TRUNC;
    sd_dec_diag(d, SD_DK_LINK_TRUNC, "%s frame of %u bytes shorter than its %zu-byte header",
                what, d->cur->caplen, need);
    return SD_DEC_BAD;
}

static sd_dec_res unknown_link(sd_decoder *d, sd_pkt *out)
{
    int lt = d->cur->linktype;
    out->anomalies |= SD_ANOM_UNKNOWN_LINK;
    d->reason = SD_UNDEC_LINKTYPE;
    for (unsigned i = 0; i < d->n_unknown_links; i++)
        if (d->unknown_links[i] == lt)
            return SD_DEC_NOT_IP;
    if (d->n_unknown_links < SD_MAX_UNKNOWN_LINKS)
        d->unknown_links[d->n_unknown_links++] = lt;
    else
        return SD_DEC_NOT_IP; /* table full: stay quiet rather than repeat */
    if (d->opts.diag)
        sd_diagf(d->opts.diag, file_name(d, d->cur->file_idx), d->cur->num,
                 "unsupported link type %d (%s): its frames are skipped", lt,
                 sd_linktype_name(lt));
    return SD_DEC_NOT_IP;
}

/* Raw IP: the version nibble tells IPv4 from IPv6. */
static sd_dec_res decode_raw(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    if (sd_cur_left(&c) < 1)
        return link_trunc(d, out, "raw IP", 1);
    switch (c.p[0] >> 4) {
    case 4: return sd_decode_ipv4(d, c, out);
    case 6: return sd_decode_ipv6(d, c, out);
    default: break;
    }
    out->anomalies |= SD_ANOM_IP_BADLEN;
    sd_dec_diag(d, SD_DK_IP_VERSION, "raw IP frame with IP version %u", c.p[0] >> 4);
    return SD_DEC_BAD;
}

static sd_dec_res decode_sll(sd_decoder *d, sd_cur c, sd_pkt *out, bool v2)
{
    uint16_t et;
    if (v2) {
        et = sd_cur_be16(&c);
        sd_cur_skip(&c, SLL2_HDR_LEN - 2);
    } else {
        sd_cur_skip(&c, SLL_HDR_LEN - 2);
        et = sd_cur_be16(&c);
    }
    if (c.err)
        return link_trunc(d, out, v2 ? "Linux cooked v2" : "Linux cooked",
                          v2 ? SLL2_HDR_LEN : SLL_HDR_LEN);
    /* The kernel leaves VLAN tags in place when it did not strip them;
     * on a tunnel interface the protocol is the inner one's. */
    return sd_dec_ethertype(d, et, c, out);
}

/* Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control 0, then an
 * ethertype. */
static sd_dec_res decode_chdlc(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    sd_cur_skip(&c, 2);
    uint16_t et = sd_cur_be16(&c);
    if (c.err)
        return link_trunc(d, out, "Cisco HDLC", CHDLC_HDR_LEN);
    return sd_dec_ethertype(d, et, c, out);
}

/* NFLOG (tcpdump.org's LINKTYPE_NFLOG): a 4-byte header, then TLVs whose
 * 16-bit length and type are in the capturing host's byte order, each
 * padded to 4 bytes; the packet is the NFULA_PAYLOAD one. A length read
 * little-endian that does not fit is read big-endian. */
static sd_dec_res decode_nflog(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    if (!sd_cur_bytes(&c, NFLOG_HDR_LEN))
        return link_trunc(d, out, "NFLOG", NFLOG_HDR_LEN);
    while (sd_cur_left(&c) >= NFLOG_TLV_LEN) {
        const uint8_t *h = c.p;
        size_t left = sd_cur_left(&c);
        bool le = (size_t)(h[0] | h[1] << 8) >= NFLOG_TLV_LEN && (size_t)(h[0] | h[1] << 8) <= left;
        size_t len = le ? (size_t)(h[0] | h[1] << 8) : (size_t)(h[0] << 8 | h[1]);
        unsigned type = le ? (unsigned)(h[2] | h[3] << 8) : (unsigned)(h[2] << 8 | h[3]);
        if (len < NFLOG_TLV_LEN || len > left)
            break;
        if (type == NFULA_PAYLOAD) {
            sd_cur v = sd_cur_make(h + NFLOG_TLV_LEN, len - NFLOG_TLV_LEN);
            return decode_raw(d, v, out);
        }
        sd_cur_skip(&c, SD_MIN((len + 3) & ~(size_t)3, left));
    }
    d->reason = SD_UNDEC_ETHERTYPE; /* no packet in it (a log of its metadata only) */
    return SD_DEC_NOT_IP;
}

/* BSD loopback: a 4-byte address family in the writer's byte order (NULL)
 * or network order (LOOP). AF values are small, so whichever end holds the
 * non-zero byte gives the order; that also forgives LOOP files written
 * with the wrong order. */
static sd_dec_res decode_null(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    const uint8_t *h = sd_cur_bytes(&c, 4);
    if (!h)
        return link_trunc(d, out, "loopback", 4);
    uint32_t af;
    if (h[1] == 0 && h[2] == 0 && h[3] == 0)
        af = h[0];
    else if (h[0] == 0 && h[1] == 0 && h[2] == 0)
        af = h[3];
    else
        return SD_DEC_NOT_IP;
    switch (af) {
    case BSD_AF_INET: return sd_decode_ipv4(d, c, out);
    case BSD_AF_INET6_BSD:
    case BSD_AF_INET6_FREEBSD:
    case BSD_AF_INET6_DARWIN: return sd_decode_ipv6(d, c, out);
    default: return SD_DEC_NOT_IP;
    }
}

static sd_dec_res by_link(sd_decoder *d, const sd_frame *f, sd_pkt *out)
{
    sd_cur c = sd_cur_make(f->data, f->data ? f->caplen : 0);
    switch (f->linktype) {
    case LT_EN10MB: return sd_dec_ether(d, c, out);
    case LT_LINUX_SLL: return decode_sll(d, c, out, false);
    case LT_LINUX_SLL2: return decode_sll(d, c, out, true);
    case LT_RAW12:
    case LT_RAW14:
    case LT_RAW101: return decode_raw(d, c, out);
    case LT_IPV4: return sd_decode_ipv4(d, c, out);
    case LT_IPV6: return sd_decode_ipv6(d, c, out);
    case LT_NULL:
    case LT_LOOP: return decode_null(d, c, out);
    case LT_PPP:
    case LT_PPP_HDLC: return sd_dec_ppp(d, c, out);
    case LT_C_HDLC: return decode_chdlc(d, c, out);
    case LT_NFLOG: return decode_nflog(d, c, out);
    default: return unknown_link(d, out);
    }
}

#ifdef SD_DEBUG_INVARIANTS
/* A frame the fast path took, decoded again by the general path: the same
 * packet, byte for byte (both start from a zeroed sd_pkt, so the padding
 * is 0 in both), the same decoder state, and no failure reason set. */
static void check_fast(sd_decoder *d, const sd_frame *f, const sd_pkt *fast)
{
    sd_pkt slow;
    memset(&slow, 0, sizeof slow);
    slow.frame = f;
    slow.first_frame = f->num;
    assert(by_link(d, f, &slow) == SD_DEC_OK);
    assert(!memcmp(&slow, fast, sizeof slow));
    assert(d->depth == 0 && d->ip_residue == 0 && !d->ip_unsized && d->reason == SD_UNDEC_COUNT);
}
#endif

/* out zeroed, padding included (the fast path's packet is compared with
 * the general one's byte for byte): 16 bytes a store. GCC made the 208
 * bytes' memset a rep stos, 26 steps of 8 bytes and its setup, a tenth of
 * the decode of the usual packet (issue #11). */
static inline void zero_pkt(sd_pkt *out)
{
#if defined(__GNUC__) && defined(__SSE2__)
    typedef unsigned char v16 __attribute__((vector_size(16), aligned(1), may_alias));
    unsigned char *p = (unsigned char *)out;
    size_t i = 0;
    /* unrolled before GCC's loop distribution could make it a memset again */
#pragma GCC unroll 16
    for (; i + 16 <= sizeof *out; i += 16)
        *(v16 *)(void *)(p + i) = (v16){ 0 };
    if (i < sizeof *out)
        memset(p + i, 0, sizeof *out - i);
#else
    memset(out, 0, sizeof *out);
#endif
}

sd_dec_res sd_decode(sd_decoder *d, const sd_frame *f, sd_pkt *out)
{
    zero_pkt(out);
    out->frame = f;
    out->first_frame = f->num;
    d->cur = f;

    if (d->frags && sd_frag_mem_used(d->frags)) {
        uint64_t n = sd_frag_expire(d->frags, f->ts);
        if (n)
            sd_dec_diag(d, SD_DK_FRAG_TIMEOUT,
                        "%llu incomplete IP fragment set%s timed out", (unsigned long long)n,
                        n == 1 ? "" : "s");
    }
    d->depth = 0;
    d->ip_residue = 0;
    d->ip_unsized = false;
    d->reason = SD_UNDEC_COUNT;
    if (!d->opts.general_only && sd_dec_fast(d, f, out)) {
        SD_CHECK(check_fast(d, f, out));
        return SD_DEC_OK;
    }
    sd_dec_res r = by_link(d, f, out);
    if (r == SD_DEC_NOT_IP || r == SD_DEC_BAD) {
        /* a path that failed without saying why is a non-IP payload */
        d->undecoded[d->reason < SD_UNDEC_COUNT ? d->reason : SD_UNDEC_ETHERTYPE]++;
    }
    return r;
}
