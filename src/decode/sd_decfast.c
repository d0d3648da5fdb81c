/* sd_decfast: one straight pass over the frame nearly every capture is made
 * of (Ethernet, IPv4 without options, TCP), for the decoder's per-packet
 * cost (issue #11). The general path walks the same frame through five
 * layers of calls (link, ethertype with its VLAN loop, IPv4, L4 dispatch,
 * TCP), checks the lengths at each, and checks the checksums through a
 * description of the segment built for any IP version and protocol: ~715
 * instructions a packet, of which this path keeps the sums.
 *
 * Anything this path does not take as it is (another link type or
 * ethertype, IP options, a fragment, a cut or lying length, a malformed
 * TCP option, a checksum that is not right) goes to
 * the general path untouched, which then gives its diagnostics and
 * anomalies; so every frame taken here is one the general path decodes
 * without a word. SD_DEBUG_INVARIANTS builds decode every frame taken here
 * again by the general path (sd_decode.c) and assert the same packet. */
#include "sd_decode_int.h"

#define LT_EN10MB 1     /* LINKTYPE_ETHERNET */
#define ETH_HDR 14      /* destination, source, ethertype */
#define ET_IPV4 0x0800
#define IPV4_HDR 20     /* the version/IHL byte 0x45: no options */
#define TCP_HDR 20
#define IPV4_MF_OFF 0x3fff /* more-fragments flag and fragment offset */
#define IPV4_DF 0x4000
#define PROTO_TCP 6

static void fill_ipv4(const uint8_t *h, uint32_t tot, sd_pkt *out)
{
    out->ipver = 4;
    out->ip_id = sd_dec_be16(h + 4);
    out->ttl = h[8];
    out->df = (sd_dec_be16(h + 6) & IPV4_DF) != 0;
    out->ipproto = PROTO_TCP;
    out->ip_len = tot;
    out->src.fam = 4; /* out is zeroed: the other 12 address bytes are 0 */
    memcpy(out->src.a, h + 12, 4);
    out->dst.fam = 4;
    memcpy(out->dst.a, h + 16, 4);
}

/* Options other than the usual timestamps (a SYN's MSS, SACK-permitted,
 * window scale, ...), all captured (the caller checked the datagram is):
 * taken when the general path would read them without a word, neither a
 * malformed option nor a window scale past the maximum on a SYN. */
static bool other_tcpopts(const uint8_t *t, unsigned doff, sd_tcpopt *opt)
{
    sd_tcpopt o;
    memset(&o, 0, sizeof o);
    uint8_t bk, bl;
    if (!sd_dec_tcp_options(sd_cur_make(t + TCP_HDR, doff - TCP_HDR), &o, &bk, &bl) ||
        (o.has_wscale && o.wscale > SD_TCP_WSCALE_MAX && (t[13] & SD_TH_SYN)))
        return false;
    *opt = o;
    return true;
}

bool sd_dec_fast(sd_decoder *d, const sd_frame *f, sd_pkt *out)
{
    if (f->linktype != LT_EN10MB || !f->data || f->caplen < ETH_HDR + IPV4_HDR + TCP_HDR)
        return false;
    const uint8_t *h = f->data + ETH_HDR;
    size_t avail = f->caplen - ETH_HDR;
    if (sd_dec_be16(f->data + 12) != ET_IPV4 || h[0] != 0x45 || h[9] != PROTO_TCP)
        return false;
    uint32_t tot = sd_dec_be16(h + 2);
    if (tot < IPV4_HDR + TCP_HDR || tot > avail || (sd_dec_be16(h + 6) & IPV4_MF_OFF))
        return false;
    const uint8_t *t = h + IPV4_HDR;
    uint32_t wire = tot - IPV4_HDR;
    unsigned doff = (t[12] >> 4) * 4u;
    if (doff < TCP_HDR || doff > wire)
        return false;
    bool check = d->opts.csum != SD_CSUM_OFF;
    if (check && !sd_csum_tcp4_good(h, t, wire))
        return false;
    /* the options are read last: they are the only field written on a
     * refusal, and neither reading writes anything when it refuses */
    if (doff != TCP_HDR && !sd_dec_usual_tcpopts(t + TCP_HDR, doff - TCP_HDR, &out->opt) &&
        !other_tcpopts(t, doff, &out->opt))
        return false;
    fill_ipv4(h, tot, out);
    out->l4 = SD_L4_TCP;
    sd_dec_tcp_fixed(t, out);
    out->payload_wire = wire - doff;
    if (wire > doff) {
        out->payload = t + doff;
        out->payload_len = wire - doff;
    }
    if (avail > tot)
        out->anomalies |= SD_ANOM_TRAILER; /* Ethernet padding */
    out->csum = check ? SD_CSUM_GOOD : SD_CSUM_NONE;
    return true;
}
