/* sd_ip: IPv4 (RFC 791) and IPv6 (RFC 8200) headers, IPv6 extension
 * headers, and the hand-off of fragments to sd_frag.c. */
#include "sd_decode_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define IPV4_MIN_HDR 20
#define IPV6_HDR 40
#define IPV4_MF 0x2000
#define IPV4_DF 0x4000
#define IPV4_OFFMASK 0x1fff

/* IPv6 next-header values walked as extension headers (IANA registry). */
enum {
    NH_HOPOPTS = 0,
    NH_ROUTING = 43,
    NH_FRAGMENT = 44,
    NH_AH = 51,
    NH_NONE = 59,
    NH_DSTOPTS = 60,
};
/* IPv4 option types (RFC 791 3.1) the discard test below names. */
enum { IPOPT_EOL = 0, IPOPT_NOP = 1, IPOPT_LSRR = 131, IPOPT_SSRR = 137 };
/* IPv6 option types (RFC 8200 4.2) and routing types (4.4) it names. */
enum {
    IP6OPT_PAD1 = 0,
    IP6OPT_PADN = 1,
    IP6OPT_JUMBO = 0xc2, /* RFC 2675 */
    IP6OPT_HOME = 0xc9,  /* RFC 6275 Home Address */
    RH_TYPE0 = 0,        /* deprecated, RFC 5095 */
    RH_TYPE2 = 2,        /* Mobile IPv6, RFC 6275 */
    RH_RPL = 3,          /* RFC 6554 */
    RH_SRH = 4,          /* segment routing, RFC 8754 */
};
/* Bytes of an SRH before its segment list (RFC 8754 2): the list's first
 * entry is the last segment, the packet's final destination. */
#define SRH_FIXED 8

/* Extension headers walked before giving up: RFC 8200 §4.1 expects at most
 * one of each (two destination options), so 16 is generous. */
#define IPV6_MAX_EXT 16

/* Bytes the datagram still had on the wire after the captured ones: the
 * snaplen cut them, so a short datagram is "snapped", not truncated. */
static size_t snapped_bytes(const sd_decoder *d)
{
    const sd_frame *f = d->cur;
    return f->wirelen > f->caplen ? f->wirelen - f->caplen : 0;
}

/* Flags a datagram shorter than its header claims: snapped when the bytes
 * cut by the snaplen would have covered it, truncated otherwise. Returns
 * true when truncated (the caller reports it). */
static bool short_datagram(const sd_decoder *d, size_t avail, size_t claimed, sd_pkt *out)
{
    if (avail + snapped_bytes(d) >= claimed) {
        out->anomalies |= SD_ANOM_IP_SNAPPED;
        return false;
    }
    out->anomalies |= SD_ANOM_IP_TRUNC;
    return true;
}

/* The bytes of a datagram that were on the wire when its length field
 * claims more than the frame held (not a snaplen cut: short_datagram said
 * so): the captured ones plus any the snaplen dropped. A lying length must
 * not count bytes that never crossed the link (tshark does count them). */
static uint32_t on_wire(const sd_decoder *d, size_t avail, uint32_t claimed, sd_pkt *out)
{
    /* what the sender's TCP/UDP checksum covered is not known: a frame
     * cut short after it was summed (reassembly.pcap's 1500-byte datagrams
     * in 1492 bytes) must not read as a wrong checksum */
    out->csum = SD_CSUM_CANNOT;
    size_t real = avail + snapped_bytes(d);
    return real < claimed ? (uint32_t)real : claimed;
}

static sd_dec_res header_short(sd_decoder *d, sd_pkt *out, const char *what, size_t avail,
                               size_t need)
{
    short_datagram(d, avail, need, out);
    sd_dec_diag(d, SD_DK_IP_TRUNC, "%s header truncated: %zu of %zu bytes captured", what, avail,
                need);
    return SD_DEC_BAD;
}

/* An address from bytes the caller has checked are there (4 for IPv4,
 * 16 for IPv6). */
static void set_addr(sd_addr *a, const uint8_t *p, uint8_t fam)
{
    memset(a, 0, sizeof *a);
    a->fam = fam;
    memcpy(a->a, p, fam == 4 ? 4 : 16);
}

/* Reports and delivers the result of handing a fragment to the table. */
static sd_dec_res frag_result(sd_decoder *d, sd_frag_res r, uint32_t anom, uint64_t evicted,
                              const sd_frag_in *in, sd_pkt *out)
{
    out->anomalies |= anom;
    if (evicted)
        sd_dec_diag(d, SD_DK_FRAG_MEMCAP,
                    "IP reassembly memcap (%zu bytes) reached: dropped %llu oldest fragment "
                    "set%s",
                    d->opts.frag_memcap, (unsigned long long)evicted, evicted == 1 ? "" : "s");
    if (anom & SD_ANOM_FRAG_CONFLICT)
        sd_dec_diag(d, SD_DK_FRAG_OVERLAP,
                    "IPv%u fragment (id 0x%x, offset %u, %u bytes) overlaps data already "
                    "received with other bytes: a receiver may drop the datagram, so its "
                    "stream takes it only once ACKed, a re-send first replaces it",
                    in->ver, in->id, in->off, in->len_wire);
    else if (anom & SD_ANOM_FRAG_OVERLAP)
        sd_dec_diag(d, SD_DK_FRAG_OVERLAP,
                    "IPv%u fragment (id 0x%x, offset %u, %u bytes) overlaps data already "
                    "received; the earlier bytes are kept",
                    in->ver, in->id, in->off, in->len_wire);
    if (anom & SD_ANOM_FRAG_BAD)
        sd_dec_diag(d, SD_DK_FRAG_BAD,
                    "IPv%u fragment (id 0x%x, offset %u, %u bytes%s) inconsistent with its set",
                    in->ver, in->id, in->off, in->len_wire, in->more ? ", more" : ", last");
    if (r == SD_FRAG_DROPPED) {
        if (!(anom & SD_ANOM_FRAG_BAD))
            sd_dec_diag(d, SD_DK_FRAG_MEMCAP,
                        "IPv%u fragment dropped: reassembly memcap (%zu bytes) reached", in->ver,
                        d->opts.frag_memcap);
        return SD_DEC_BAD;
    }
    return SD_DEC_HELD;
}

static void fill_reassembled(const sd_frag_out *fo, sd_pkt *out)
{
    out->reassembled = true;
    out->first_frame = fo->first_frame;
    out->ttl = fo->ttl;
    out->df = fo->df;
    out->ip_len = fo->hdr_len + fo->len_wire;
    out->anomalies |= fo->anomalies;
    if (fo->len_present < fo->len_wire)
        out->anomalies |= SD_ANOM_IP_SNAPPED;
}

/* One fragment into the reassembler, IPv4 or IPv6. True when it completed
 * its datagram: fo holds it and out the whole datagram's fields. Else *res
 * is what the fragment decodes to. Overlaps are reported either way. */
static bool frag_feed(sd_decoder *d, const sd_frag_in *in, sd_pkt *out, sd_frag_out *fo, sd_dec_res *res)
{
    uint32_t anom;
    uint64_t evicted;
    sd_frag_res r = sd_frag_add(d->frags, in, fo, &anom, &evicted);
    *res = frag_result(d, r, anom, evicted, in, out);
    if (r != SD_FRAG_DONE)
        return false;
    fill_reassembled(fo, out);
    return true;
}

/* A reassembled datagram's transport header (at l4_off in its
 * fragmentable part), judged by how its fragments brought it. Fragments
 * that gave other bytes inside the TCP or UDP header (its ports, sequence
 * numbers: a "fragment header rewrite") leave unknown which connection the
 * datagram belongs to; its receiver drops it (RFC 5722, Linux's IPv4 since
 * 4.19), so no flow gets it: dropped, said (a flow made from the first
 * copy's ports would be one no endpoint had). A first fragment that ends
 * inside that header (RFC 8200 4.5 and RFC 7112: a receiver discards it,
 * Linux since 5.13; RFC 1858's tiny fragments in IPv4) comes from no
 * sender's stack: the datagram is held as a conflicting one is
 * (SD_ANOM_FRAG_CONFLICT: its stream takes it once ACKed, a re-send first
 * replaces it). False when the datagram is dropped. */
static bool frag_l4_check(sd_decoder *d, const sd_frag_out *fo, uint8_t ver, uint32_t id, uint8_t proto,
                          uint32_t l4_off, sd_pkt *out)
{
    uint32_t need = proto == 6 ? 20u : proto == 17 ? 8u : 0; /* TCP's and UDP's fixed headers */
    /* what places the bytes: TCP's whole header (ports, sequence number,
     * offset, flags); UDP's ports (its length and checksum are judged as
     * any overlap: zeek's ipv4/fragmented-1, first wins) */
    uint32_t keyed = proto == 6 ? 20u : 4u;
    const char *name = proto == 6 ? "TCP" : "UDP";
    if (!need)
        return true;
    if ((fo->anomalies & SD_ANOM_FRAG_CONFLICT) && fo->conflict_at < l4_off + keyed) {
        out->anomalies |= SD_ANOM_FRAG_BAD;
        sd_dec_diag(d, SD_DK_FRAG_OVERLAP,
                    "IPv%u datagram (id 0x%x) dropped: its fragments overlap with other bytes in its %s "
                    "header (byte %u): which connection it belongs to is not known, and receivers drop it",
                    ver, id, name, fo->conflict_at - l4_off);
        return false;
    }
    if (fo->first_len < l4_off + need) {
        out->anomalies |= SD_ANOM_FRAG_CONFLICT | SD_ANOM_FRAG_SPLITHDR;
        sd_dec_diag(d, SD_DK_FRAG_BAD,
                    "IPv%u datagram (id 0x%x): its first fragment (%u bytes) ends inside its %s header, "
                    "which receivers discard (RFC 8200 4.5, RFC 1858): its stream takes it only once "
                    "ACKed, a re-send first replaces it",
                    ver, id, fo->first_len, name);
    }
    return true;
}

/* Says a datagram its receiving host discards for its IP options, and
 * marks it so its TCP data waits for the receiver's ACK (sd_engine.c
 * untaken): an evader's insertion (Ptacek and Newsham 1998, 3.1: options
 * a receiver rejects and the capture point does not). */
static void ip_discarded(sd_decoder *d, sd_pkt *out, const char *why, unsigned type, unsigned at)
{
    out->anomalies |= SD_ANOM_IP_DISCARD;
    sd_dec_diag(d, SD_DK_IP_DISCARD,
                "IPv%u datagram with %s (type %u at byte %u of its header), which receivers discard: its TCP data "
                "is taken only once ACKed, a re-send first replaces it",
                out->ipver, why, type, at);
}

/* IPv4 options that make a receiving host discard the datagram: a length
 * under 2 or past the header (Linux's ip_options_compile, the BSDs'
 * ip_dooptions), and a loose or strict source route, which hosts drop
 * unless told to accept source routes (Linux accept_source_route 0,
 * FreeBSD accept_sourceroute 0, Windows DisableIPSourceRouting 2: each its
 * default). Other options, known or not, are skipped by receivers. */
static void ipv4_opts(sd_decoder *d, const uint8_t *o, unsigned len, sd_pkt *out)
{
    for (unsigned i = 0; i < len;) {
        unsigned type = o[i];
        if (type == IPOPT_EOL)
            return;
        if (type == IPOPT_NOP) {
            i++;
            continue;
        }
        if (len - i < 2 || o[i + 1] < 2 || o[i + 1] > len - i) {
            ip_discarded(d, out, "an option whose length is under 2 or past the header", type, IPV4_MIN_HDR + i);
            return;
        }
        if (type == IPOPT_LSRR || type == IPOPT_SSRR) {
            ip_discarded(d, out, "a source route", type, IPV4_MIN_HDR + i);
            return;
        }
        i += o[i + 1];
    }
}

/* A fragment: never decoded as L4 on its own (RFC 791 §3.2). */
static sd_dec_res ipv4_fragment(sd_decoder *d, uint8_t proto, unsigned ihl, uint32_t off, bool more,
                                const uint8_t *pl, uint32_t pl_present, uint32_t pl_wire,
                                sd_pkt *out)
{
    if (off + pl_wire + ihl > 65535u) {
        out->anomalies |= SD_ANOM_FRAG_BAD;
        sd_dec_diag(d, SD_DK_FRAG_BAD,
                    "IPv4 fragment (id 0x%x) at offset %u with %u bytes exceeds 65535",
                    out->ip_id, off, pl_wire);
        return SD_DEC_BAD;
    }
    sd_frag_in in = {
        .ver = 4, .proto = proto, .id = out->ip_id, .src = &out->src, .dst = &out->dst,
        .vlan = out->nvlan ? out->vlan[0] : 0, .tunnel = out->tunnel,
        .off = off, .data = pl, .len_present = pl_present, .len_wire = pl_wire, .more = more,
        .frame = d->cur->num, .ts = d->cur->ts, .ttl = out->ttl, .df = out->df, .hdr_len = ihl,
    };
    sd_frag_out fo;
    sd_dec_res res;
    if (!frag_feed(d, &in, out, &fo, &res))
        return res;
    if (!frag_l4_check(d, &fo, 4, in.id, proto, 0, out))
        return SD_DEC_BAD;
    return sd_decode_l4(d, proto, sd_cur_make(fo.data, fo.len_present), fo.len_wire, out);
}

sd_dec_res sd_decode_ipv4(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    size_t avail = sd_cur_left(&c);
    if (avail < IPV4_MIN_HDR)
        return header_short(d, out, "IPv4", avail, IPV4_MIN_HDR);
    const uint8_t *h = c.p;
    unsigned ver = h[0] >> 4, ihl = (h[0] & 0x0f) * 4u;
    if (ver != 4) {
        out->anomalies |= SD_ANOM_IP_BADLEN;
        sd_dec_diag(d, SD_DK_IP_VERSION, "IPv4 packet with version field %u", ver);
        return SD_DEC_BAD;
    }
    out->ipver = 4;
    /* the 20 fixed bytes are there (avail checked above); the checksum at
     * 10 is checked by sd_dec_csum_ip, below */
    uint32_t tot = sd_dec_be16(h + 2);
    out->ip_id = sd_dec_be16(h + 4);
    uint16_t fragw = sd_dec_be16(h + 6);
    out->ttl = h[8];
    uint8_t proto = h[9];
    set_addr(&out->src, h + 12, 4);
    set_addr(&out->dst, h + 16, 4);
    out->df = (fragw & IPV4_DF) != 0;
    out->ipproto = proto;
    if (ihl < IPV4_MIN_HDR) {
        out->anomalies |= SD_ANOM_IP_BADLEN;
        sd_dec_diag(d, SD_DK_IP_BADLEN, "IPv4 header length %u < 20", ihl);
        return SD_DEC_BAD;
    }
    if (avail < ihl)
        return header_short(d, out, "IPv4 (with options)", avail, ihl);
    /* Options (at most 40 bytes by the 4-bit IHL) are skipped but for the
     * ones receivers discard the datagram for */
    if (ihl > IPV4_MIN_HDR)
        ipv4_opts(d, h + IPV4_MIN_HDR, ihl - IPV4_MIN_HDR, out);
    bool ip_len_given = tot != 0;
    if (tot == 0 && avail > ihl) {
        /* Segmentation offload on the capturing host leaves total length 0
         * in outgoing super-packets; what was captured is the datagram. */
        out->anomalies |= SD_ANOM_IP_BADLEN;
        sd_dec_diag(d, SD_DK_IP_BADLEN,
                    "IPv4 total length 0 (segmentation offload?): using the %zu captured bytes",
                    avail);
        tot = (uint32_t)SD_MIN(avail, (size_t)UINT32_MAX);
    } else if (tot < ihl) {
        out->anomalies |= SD_ANOM_IP_BADLEN;
        sd_dec_diag(d, SD_DK_IP_BADLEN, "IPv4 total length %u < header length %u", tot, ihl);
        return SD_DEC_BAD;
    }
    bool ip_bad = sd_dec_csum_ip(d, h, ihl, ip_len_given);
    size_t present = avail;
    if (avail > tot) {
        out->anomalies |= SD_ANOM_TRAILER;
        present = tot;
    } else if (avail < tot && short_datagram(d, avail, tot, out)) {
        uint32_t real = on_wire(d, avail, tot, out);
        sd_dec_diag(d, SD_DK_IP_TRUNC,
                    "IPv4 total length %u but only %zu bytes in the frame: %u counted as on the wire", tot,
                    avail, real);
        tot = real;
    }
    out->ip_len = tot;
    const uint8_t *pl = h + ihl;
    uint32_t pl_present = (uint32_t)(present - ihl), pl_wire = tot - ihl;

    uint32_t off = (fragw & IPV4_OFFMASK) * 8u;
    bool more = (fragw & IPV4_MF) != 0;
    if (!more && off == 0)
        return sd_dec_csum_ip_verdict(d, h, ip_bad, sd_decode_l4(d, proto, sd_cur_make(pl, pl_present), pl_wire, out), out);
    if (ip_bad)
        return sd_dec_csum_ip_verdict(d, h, ip_bad, SD_DEC_OK, out);
    return ipv4_fragment(d, proto, ihl, off, more, pl, pl_present, pl_wire, out);
}

/* State of an IPv6 extension-header walk. */
typedef struct v6walk {
    uint8_t nh;       /* next header to look at */
    sd_cur c;         /* present bytes from that header on */
    uint32_t wire;    /* bytes from that header on, per the payload length */
    uint32_t ext_len; /* extension bytes walked */
    /* fragment header, when the walk stopped at one */
    uint32_t frag_off, frag_id;
    bool frag_more;
} v6walk;

typedef enum { WALK_UPPER, WALK_FRAG, WALK_BAD } walk_res;

static walk_res ext_bad(sd_decoder *d, sd_pkt *out, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static walk_res ext_bad(sd_decoder *d, sd_pkt *out, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    out->anomalies |= SD_ANOM_IP6_BADEXT;
    sd_dec_diag(d, SD_DK_IP6_EXT, "%s", msg);
    return WALK_BAD;
}

/* RFC 8200 4.2: an option a node does not know is skipped only when the
 * two high bits of its type are 00; else the packet is discarded (with or
 * without an ICMP answer), as is one whose length runs past its header
 * (Linux's ip6_parse_tlv). Known here: padding, and the two options whose
 * bits say discard that a host implements (Jumbo Payload, Home Address). */
static void ip6_opts(sd_decoder *d, const uint8_t *h, uint32_t len, sd_pkt *out)
{
    for (uint32_t i = 2; i < len;) {
        unsigned type = h[i];
        if (type == IP6OPT_PAD1) {
            i++;
            continue;
        }
        if (len - i < 2 || h[i + 1] > len - i - 2) {
            ip_discarded(d, out, "an option past its header", type, i);
            return;
        }
        if (type != IP6OPT_PADN && type != IP6OPT_JUMBO && type != IP6OPT_HOME && (type >> 6) != 0) {
            ip_discarded(d, out, "an unknown option whose type says discard", type, i);
            return;
        }
        i += 2u + h[i + 1];
    }
}

/* A routing header with segments left (RFC 8200 4.4): type 0 is discarded
 * (RFC 5095 3), as is a type the node does not know; a segment-routing
 * header's packet goes on to the segments, its final destination the
 * connection's (and its TCP checksum's, RFC 8200 8.1), so the connection
 * is keyed on it as Zeek does. Mobile IPv6's and RPL's cannot be checked. */
static void ip6_routing(sd_decoder *d, const uint8_t *h, uint32_t len, sd_pkt *out)
{
    unsigned type = h[2];
    if (h[3] == 0)
        return;
    if (type == RH_SRH && len >= SRH_FIXED + 16)
        set_addr(&out->dst, h + SRH_FIXED, 6);
    else if (type == RH_TYPE2 || type == RH_RPL)
        out->csum = SD_CSUM_CANNOT;
    else
        ip_discarded(d, out, type == RH_TYPE0 ? "a type-0 routing header with segments left"
                                              : "a routing header of an unknown type with segments left",
                     type, 2);
}

/* Walks extension headers until an upper-layer protocol, a (non-atomic)
 * fragment header when stop_at_frag, or an error. */
static walk_res walk_ext(sd_decoder *d, v6walk *w, bool stop_at_frag, sd_pkt *out)
{
    for (unsigned n = 0;; n++) {
        uint32_t len;
        switch (w->nh) {
        case NH_HOPOPTS:
        case NH_ROUTING:
        case NH_DSTOPTS:
        case NH_AH:
        case NH_FRAGMENT:
            break;
        default:
            return WALK_UPPER;
        }
        if (n >= IPV6_MAX_EXT)
            return ext_bad(d, out, "IPv6 chain longer than %u extension headers (next %u)",
                           IPV6_MAX_EXT, w->nh);
        if (w->wire < 8)
            return ext_bad(d, out, "IPv6 extension header %u past the payload (%u bytes left)",
                           w->nh, w->wire);
        if (sd_cur_left(&w->c) < 8) {
            sd_dec_diag(d, SD_DK_L4_TRUNC, "IPv6 extension header %u cut short in the capture",
                        w->nh);
            out->anomalies |= SD_ANOM_L4_TRUNC;
            return WALK_BAD;
        }
        const uint8_t *p = w->c.p;
        if (w->nh == NH_FRAGMENT)
            len = 8;
        else if (w->nh == NH_AH)
            len = (p[1] + 2u) * 4u; /* RFC 4302 §2.2: 32-bit words minus 2 */
        else
            len = (p[1] + 1u) * 8u; /* RFC 8200 §4.3: 8-octet units, not counting the first */
        if (len > w->wire)
            return ext_bad(d, out, "IPv6 extension header %u of %u bytes past the payload",
                           w->nh, len);
        if (sd_cur_left(&w->c) < len) {
            sd_dec_diag(d, SD_DK_L4_TRUNC, "IPv6 extension header %u cut short in the capture",
                        w->nh);
            out->anomalies |= SD_ANOM_L4_TRUNC;
            return WALK_BAD;
        }
        if (w->nh == NH_ROUTING)
            ip6_routing(d, p, len, out);
        else if (w->nh == NH_HOPOPTS || w->nh == NH_DSTOPTS)
            ip6_opts(d, p, len, out);
        uint8_t this = w->nh;
        w->nh = p[0];
        sd_cur_skip(&w->c, len);
        w->wire -= len;
        w->ext_len += len;
        if (this == NH_FRAGMENT) {
            uint16_t offw = (uint16_t)((p[2] << 8) | p[3]);
            w->frag_off = offw & 0xfff8u;
            w->frag_more = (offw & 1u) != 0;
            w->frag_id = ((uint32_t)p[4] << 24) | ((uint32_t)p[5] << 16) |
                         ((uint32_t)p[6] << 8) | p[7];
            /* RFC 6946: an atomic fragment (offset 0, M=0) is processed
             * in isolation, as if unfragmented. */
            if (w->frag_off != 0 || w->frag_more) {
                if (!stop_at_frag)
                    return ext_bad(d, out, "IPv6 fragment header %u inside reassembled "
                                   "datagram (offset %u)", NH_FRAGMENT, w->frag_off);
                return WALK_FRAG;
            }
        }
    }
}

static sd_dec_res upper(sd_decoder *d, v6walk *w, sd_pkt *out)
{
    if (w->nh == NH_NONE) {
        out->ipproto = NH_NONE; /* RFC 8200 §4.7: nothing follows */
        out->l4 = SD_L4_NONE;
        return SD_DEC_OK;
    }
    return sd_decode_l4(d, w->nh, w->c, w->wire, out);
}

sd_dec_res sd_decode_ipv6(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    size_t avail = sd_cur_left(&c);
    if (avail < IPV6_HDR)
        return header_short(d, out, "IPv6", avail, IPV6_HDR);
    unsigned ver = c.p[0] >> 4;
    if (ver != 6) {
        out->anomalies |= SD_ANOM_IP_BADLEN;
        sd_dec_diag(d, SD_DK_IP_VERSION, "IPv6 packet with version field %u", ver);
        return SD_DEC_BAD;
    }
    out->ipver = 6;
    /* the 40 fixed bytes are there (avail checked above): version, traffic
     * class and flow label (0-3) are not kept */
    const uint8_t *h = c.p;
    uint32_t plen = sd_dec_be16(h + 4);
    uint8_t nh = h[6];
    out->ttl = h[7];
    set_addr(&out->src, h + 8, 6);
    set_addr(&out->dst, h + 24, 6);
    sd_cur_skip(&c, IPV6_HDR);
    out->ipproto = nh;
    size_t avail_pl = avail - IPV6_HDR;
    if (plen == 0 && avail_pl > 0 && nh != NH_NONE) {
        /* A jumbogram (RFC 2675) or a segmentation-offload super-packet;
         * either way the captured bytes are the payload. */
        out->anomalies |= SD_ANOM_IP_BADLEN;
        sd_dec_diag(d, SD_DK_IP_BADLEN,
                    "IPv6 payload length 0 (jumbogram or offload?): using the %zu captured bytes",
                    avail_pl);
        plen = (uint32_t)SD_MIN(avail_pl, (size_t)UINT32_MAX - IPV6_HDR);
        d->ip_unsized = true; /* its TCP/UDP checksum is the NIC's to finish (sd_csum.c) */
    }
    size_t present = avail_pl;
    if (avail_pl > plen) {
        out->anomalies |= SD_ANOM_TRAILER;
        present = plen;
    } else if (avail_pl < plen && short_datagram(d, avail_pl, plen, out)) {
        uint32_t real = on_wire(d, avail_pl, plen, out);
        sd_dec_diag(d, SD_DK_IP_TRUNC,
                    "IPv6 payload length %u but only %zu bytes in the frame: %u counted as on the wire",
                    plen, avail_pl, real);
        plen = real;
    }
    out->ip_len = IPV6_HDR + plen;

    v6walk w = { .nh = nh, .c = sd_cur_make(c.p, present), .wire = plen };
    walk_res wr = walk_ext(d, &w, true, out);
    if (wr == WALK_BAD)
        return SD_DEC_BAD;
    if (wr == WALK_UPPER)
        return upper(d, &w, out);

    /* A fragment: the rest of this datagram is fragmentable-part bytes. */
    out->ip_id = 0; /* the header's ip_id field is IPv4 only */
    if (w.frag_off + w.wire > 65535u) {
        out->anomalies |= SD_ANOM_FRAG_BAD;
        sd_dec_diag(d, SD_DK_FRAG_BAD,
                    "IPv6 fragment (id 0x%x) at offset %u with %u bytes exceeds 65535",
                    w.frag_id, w.frag_off, w.wire);
        return SD_DEC_BAD;
    }
    sd_frag_in in = {
        .ver = 6, .proto = w.nh, .id = w.frag_id, .src = &out->src, .dst = &out->dst,
        .vlan = out->nvlan ? out->vlan[0] : 0, .tunnel = out->tunnel,
        .off = w.frag_off, .data = w.c.p, .len_present = (uint32_t)sd_cur_left(&w.c),
        .len_wire = w.wire, .more = w.frag_more, .frame = d->cur->num, .ts = d->cur->ts,
        .ttl = out->ttl, .hdr_len = IPV6_HDR + w.ext_len - 8, /* without the fragment header */
    };
    out->ipproto = w.nh;
    sd_frag_out fo;
    sd_dec_res res;
    if (!frag_feed(d, &in, out, &fo, &res))
        return res;
    out->ipproto = fo.proto;
    v6walk w2 = { .nh = fo.proto, .c = sd_cur_make(fo.data, fo.len_present),
                  .wire = fo.len_wire };
    if (walk_ext(d, &w2, false, out) == WALK_BAD)
        return SD_DEC_BAD;
    if (!frag_l4_check(d, &fo, 6, in.id, w2.nh, w2.ext_len, out))
        return SD_DEC_BAD;
    return upper(d, &w2, out);
}
