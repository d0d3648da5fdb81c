/* sd_l4: TCP (RFC 9293) with its options and UDP (RFC 768) headers; any
 * tunnel protocol goes to sd_encap.c; any
 * other protocol is passed up as SD_L4_OTHER with its bytes as payload. */
#include "sd_decode_int.h"

#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define TCP_MIN_HDR 20
#define UDP_HDR 8

/* TCP option kinds (IANA "TCP Option Kind Numbers"). */
enum {
    TCPOPT_EOL = 0,
    TCPOPT_NOP = 1,
    TCPOPT_MSS = 2,      /* RFC 9293 §3.2, length 4 */
    TCPOPT_WSCALE = 3,   /* RFC 7323 §2.2, length 3 */
    TCPOPT_SACK_OK = 4,  /* RFC 2018 §2, length 2 */
    TCPOPT_SACK = 5,     /* RFC 2018 §3, length 2 + 8n */
    TCPOPT_TS = 8,       /* RFC 7323 §3.2, length 10 */
};

/* Fills the payload fields for the bytes after an L4 header of hlen. */
static void set_payload(sd_cur c, size_t hlen, uint32_t wire_len, sd_pkt *out)
{
    size_t left = sd_cur_left(&c);
    out->payload_wire = wire_len > hlen ? (uint32_t)(wire_len - hlen) : 0;
    if (left > hlen) {
        out->payload = c.p + hlen;
        out->payload_len = (uint32_t)SD_MIN(left - hlen, (size_t)out->payload_wire);
    }
}

/* The SYN and SYN-ACK layout of Linux (and of most stacks since): MSS,
 * SACK-permitted, timestamps, NOP, window scale (kinds 2, 4, 8, 1, 3 with
 * lengths 4, 2, 10, -, 3), read at once with the result the loop below
 * gives for these 20 bytes: the loop took ~230 instructions for every
 * handshake segment, two in a brute force's ~20 a connection (issue #11).
 * False, o untouched: another layout. */
#define SYN_USUAL_OPTLEN 20
static inline bool syn_usual_tcpopts(const uint8_t *q, size_t len, sd_tcpopt *o)
{
    if (len != SYN_USUAL_OPTLEN || q[0] != TCPOPT_MSS || q[1] != 4 || q[4] != TCPOPT_SACK_OK ||
        q[5] != 2 || q[6] != TCPOPT_TS || q[7] != 10 || q[16] != TCPOPT_NOP ||
        q[17] != TCPOPT_WSCALE || q[18] != 3)
        return false;
    o->has_mss = true;
    o->mss = sd_dec_be16(q + 2);
    o->sack_ok = true;
    o->has_ts = true;
    o->tsval = sd_dec_be32(q + 8);
    o->tsecr = sd_dec_be32(q + 12);
    o->has_wscale = true;
    o->wscale = q[19];
    return true;
}

/* Parses the option bytes. A malformed option stops the parse; what was
 * read before it is kept. Returns false on a malformed option. */
bool sd_dec_tcp_options(sd_cur c, sd_tcpopt *o, uint8_t *bad_kind, uint8_t *bad_len)
{
    if (sd_dec_usual_tcpopts(c.p, sd_cur_left(&c), o) || syn_usual_tcpopts(c.p, sd_cur_left(&c), o))
        return true;
    while (sd_cur_left(&c) > 0) {
        uint8_t kind = sd_cur_u8(&c);
        if (kind == TCPOPT_EOL)
            return true;
        if (kind == TCPOPT_NOP)
            continue;
        *bad_kind = kind;
        *bad_len = 0;
        if (sd_cur_left(&c) < 1)
            return false;
        uint8_t len = sd_cur_u8(&c);
        *bad_len = len;
        if (len < 2 || (size_t)(len - 2) > sd_cur_left(&c))
            return false;
        sd_cur b = sd_cur_sub(&c, (size_t)len - 2);
        switch (kind) {
        case TCPOPT_MSS:
            if (len != 4)
                return false;
            o->has_mss = true;
            o->mss = sd_cur_be16(&b);
            break;
        case TCPOPT_WSCALE:
            if (len != 3)
                return false;
            o->has_wscale = true;
            o->wscale = sd_cur_u8(&b);
            break;
        case TCPOPT_SACK_OK:
            if (len != 2)
                return false;
            o->sack_ok = true;
            break;
        case TCPOPT_SACK:
            if (len < 10 || (len - 2) % 8 != 0)
                return false;
            o->nsack = 0;
            while (sd_cur_left(&b) >= 8 && o->nsack < SD_MAX_SACK) {
                o->sack[o->nsack][0] = sd_cur_be32(&b);
                o->sack[o->nsack][1] = sd_cur_be32(&b);
                o->nsack++;
            }
            break;
        case TCPOPT_TS:
            if (len != 10)
                return false;
            o->has_ts = true;
            o->tsval = sd_cur_be32(&b);
            o->tsecr = sd_cur_be32(&b);
            break;
        case SD_TCPOPT_MD5: /* Linux reads one only at its length (tcp_parse_md5sig_option) */
            if (len == SD_TCPOPT_MD5_LEN && !o->auth)
                o->auth = SD_TCPOPT_MD5;
            break;
        case SD_TCPOPT_AO:
            if (len >= SD_TCPOPT_AO_MIN && !o->auth)
                o->auth = SD_TCPOPT_AO;
            break;
        default:
            break; /* unknown kinds are skipped by their length */
        }
    }
    return true;
}

static sd_dec_res l4_short(sd_decoder *d, sd_cur c, sd_pkt *out, const char *what, size_t need,
                           uint32_t wire_len)
{
    size_t left = sd_cur_left(&c);
    if (left >= 4) { /* the ports are worth keeping for statistics */
        out->sport = sd_cur_be16(&c);
        out->dport = sd_cur_be16(&c);
    }
    out->anomalies |= SD_ANOM_L4_TRUNC;
    if (wire_len < need)
        sd_dec_diag(d, SD_DK_L4_TRUNC, "%s header needs %zu bytes, IP payload has %u", what,
                    need, wire_len);
    else
        sd_dec_diag(d, SD_DK_L4_TRUNC, "%s header cut short: %zu of %zu bytes captured", what,
                    left, need);
    return SD_DEC_BAD;
}

static sd_dec_res decode_tcp(sd_decoder *d, sd_cur c, uint32_t wire_len, sd_pkt *out)
{
    out->l4 = SD_L4_TCP;
    if (wire_len < TCP_MIN_HDR || sd_cur_left(&c) < TCP_MIN_HDR)
        return l4_short(d, c, out, "TCP", TCP_MIN_HDR, wire_len);
    /* the 20 fixed bytes are there (checked above); the checksum at 16 is
     * checked by sd_dec_csum_l4, below */
    unsigned doff = sd_dec_tcp_fixed(c.p, out);
    sd_cur h = c;
    sd_cur_skip(&h, TCP_MIN_HDR);
    if (doff < TCP_MIN_HDR || doff > wire_len) {
        out->anomalies |= SD_ANOM_TCP_BADOFF;
        if (doff < TCP_MIN_HDR)
            sd_dec_diag(d, SD_DK_TCP_BADOFF, "TCP data offset %u < 20", doff);
        else
            sd_dec_diag(d, SD_DK_TCP_BADOFF, "TCP data offset %u past the %u-byte segment", doff,
                        wire_len);
        return SD_DEC_BAD;
    }
    size_t optlen = doff - TCP_MIN_HDR;
    if (sd_cur_left(&h) < optlen) {
        /* Options cut by the snaplen: keep the fixed header and what is
         * there of the options; no payload is present. */
        out->anomalies |= SD_ANOM_L4_TRUNC;
        optlen = sd_cur_left(&h);
    }
    uint8_t bk = 0, bl = 0;
    if (!sd_dec_tcp_options(sd_cur_make(h.p, optlen), &out->opt, &bk, &bl)) {
        out->anomalies |= SD_ANOM_TCP_BADOPT;
        sd_dec_diag(d, SD_DK_TCP_BADOPT, "TCP option %u with bad length %u", bk, bl);
    }
    if (out->opt.has_wscale && out->opt.wscale > SD_TCP_WSCALE_MAX && (out->flags & SD_TH_SYN))
        sd_dec_diag(d, SD_DK_TCP_BADOPT, "TCP window scale %u > %d: %d used (RFC 7323 section 2.3)",
                    out->opt.wscale, SD_TCP_WSCALE_MAX, SD_TCP_WSCALE_MAX);
    set_payload(c, doff, wire_len, out);
    sd_dec_csum_l4(d, c.p, sd_cur_left(&c), wire_len, out);
    return SD_DEC_OK;
}

static sd_dec_res decode_udp(sd_decoder *d, sd_cur c, uint32_t wire_len, sd_pkt *out)
{
    out->l4 = SD_L4_UDP;
    if (wire_len < UDP_HDR || sd_cur_left(&c) < UDP_HDR)
        return l4_short(d, c, out, "UDP", UDP_HDR, wire_len);
    sd_cur h = c;
    out->sport = sd_cur_be16(&h);
    out->dport = sd_cur_be16(&h);
    uint32_t ulen = sd_cur_be16(&h);
    uint32_t len = wire_len;
    if (ulen < UDP_HDR || ulen > wire_len) {
        /* Believe the IP layer, which has already been checked. */
        out->anomalies |= SD_ANOM_UDP_BADLEN;
        sd_dec_diag(d, SD_DK_UDP_BADLEN, "UDP length %u inconsistent with the %u-byte datagram",
                    ulen, wire_len);
    } else {
        len = ulen; /* bytes past the UDP length are not payload */
    }
    set_payload(c, UDP_HDR, len, out);
    if (len == ulen) /* a wrong length leaves nothing the sender's sum can be checked on */
        sd_dec_csum_l4(d, c.p, sd_cur_left(&c), len, out);
    else if (d->opts.csum != SD_CSUM_OFF)
        out->csum = SD_CSUM_CANNOT;
    uint8_t outer = out->csum;
    sd_dec_res inner;
    if (out->payload && sd_dec_udp_tunnel(d, out->dport, sd_cur_make(out->payload, out->payload_len), out, &inner)) {
        if (outer == SD_CSUM_BAD) /* the tunnel's endpoint dropped it, inner packet and all */
            out->csum = SD_CSUM_BAD;
        return inner;
    }
    return SD_DEC_OK;
}

sd_dec_res sd_decode_l4(sd_decoder *d, uint8_t proto, sd_cur c, uint32_t wire_len, sd_pkt *out)
{
    out->ipproto = proto;
    if (sd_dec_is_ip_tunnel(proto))
        return sd_dec_ip_tunnel(d, proto, c, out);
    switch (proto) {
    case IPPROTO_TCP_: return decode_tcp(d, c, wire_len, out);
    case IPPROTO_UDP_: return decode_udp(d, c, wire_len, out);
    default: break;
    }
    out->l4 = SD_L4_OTHER;
    set_payload(c, 0, wire_len, out);
    return SD_DEC_OK;
}
