/* sd_encap: the layers between the link and the innermost IP packet:
 * Ethernet with VLAN tags, PPPoE sessions (RFC 2516) and PPP, MPLS label
 * stacks (RFC 3032), GRE (RFC 2784/2890, PPTP's enhanced GRE of RFC 2637)
 * with transparent Ethernet bridging and ERSPAN types I/II/III, VXLAN
 * (RFC 7348), GENEVE (RFC 8926) and IP in IP (RFC 2003, RFC 4213).
 *
 * Tunnels nest by recursion (IP -> GRE -> IP -> ...), so every layer is
 * counted against SD_MAX_ENCAP_DEPTH: a hostile GRE-in-GRE chain as long as
 * the frame allows stops there, counted and reported. The packet that comes
 * out has the innermost IP addresses and ports (the connection key) and
 * names the tunnels it came through in sd_pkt.encap, outermost first. */
#include "sd_decode_int.h"

#include <string.h>

/* Ethertypes (IEEE registry) and GRE/GENEVE protocol types (the same
 * numbers). */
enum {
    ET_IPV4 = 0x0800,
    ET_IPV6 = 0x86dd,
    ET_8021Q = 0x8100,
    ET_8021AD = 0x88a8,
    ET_QINQ_OLD = 0x9100,   /* pre-802.1ad QinQ outer tag */
    ET_PPPOE_SESS = 0x8864, /* RFC 2516 session stage; 0x8863 (discovery) carries no IP */
    ET_MPLS_UC = 0x8847,
    ET_MPLS_MC = 0x8848,
    ET_TEB = 0x6558,        /* transparent Ethernet bridging: an Ethernet frame follows */
    ET_ERSPAN2 = 0x88be,    /* ERSPAN type II (type I when GRE has no sequence number) */
    ET_ERSPAN3 = 0x22eb,
    ET_PPP = 0x880b,        /* PPP in PPTP's enhanced GRE */
};

/* PPP protocol numbers (RFC 1332, RFC 5072). */
#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057

/* IP protocol numbers that carry a tunnel. */
#define IPPROTO_IPIP_ 4
#define IPPROTO_IPV6_ 41
#define IPPROTO_GRE_ 47

/* Tags skipped before giving up on a frame; only SD_MAX_VLAN are kept.
 * Real QinQ has two; eight is room for the odd provider stack. */
#define MAX_VLAN_TAGS 8
/* MPLS labels walked before giving up: L3VPN uses two, TE with fast
 * reroute three, segment-routing stacks reach about ten (RFC 8491's
 * MSD is usually <= 10). */
#define MAX_MPLS_LABELS 16

#define ETH_HDR 14
#define PPPOE_HDR 6
#define VXLAN_HDR 8
#define VXLAN_FLAG_I 0x08   /* RFC 7348 §5: the VNI is valid; must be set */
#define GENEVE_HDR 8
#define ERSPAN2_HDR 8
#define ERSPAN3_HDR 12
#define ERSPAN3_SUBHDR 8    /* platform-specific subheader when the O bit is set */

/* GRE flag bits (first 16 bits of the header). */
#define GRE_C 0x8000
#define GRE_R 0x4000
#define GRE_K 0x2000
#define GRE_S 0x1000
#define GRE_A 0x0080        /* PPTP acknowledgment number present (version 1) */
#define GRE_VER 0x0007

/* UDP destination ports of the UDP tunnels (IANA). */
#define PORT_VXLAN 4789
#define PORT_GENEVE 6081

static const char *const ENCAP_NAME[SD_ENC_COUNT] = {
    [SD_ENC_NONE] = "none",      [SD_ENC_PPPOE] = "pppoe",     [SD_ENC_MPLS] = "mpls",
    [SD_ENC_GRE] = "gre",        [SD_ENC_ERSPAN1] = "erspan1", [SD_ENC_ERSPAN2] = "erspan2",
    [SD_ENC_ERSPAN3] = "erspan3", [SD_ENC_VXLAN] = "vxlan",    [SD_ENC_GENEVE] = "geneve",
    [SD_ENC_IP] = "ip",          [SD_ENC_PPTP] = "pptp",
};

const char *sd_encap_name(unsigned code)
{
    return code < SD_ENC_COUNT && ENCAP_NAME[code] ? ENCAP_NAME[code] : "?";
}

/* A frame that ends inside a link or tunnel header: have is what the
 * frame held from the header's start (a cursor that failed mid-header has
 * moved past the fields it read: its count would be short). */
static sd_dec_res hdr_trunc(sd_decoder *d, sd_pkt *out, const char *what, size_t have, size_t need)
{
    out->anomalies |= SD_ANOM_LINK_TRUNC;
    sd_dec_diag(d, SD_DK_LINK_TRUNC, "%s header cut short: %zu of %zu bytes", what, have, need);
    return SD_DEC_BAD;
}

/* A tunnel variant or payload strider does not decode. */
static sd_dec_res unsupported(sd_decoder *d, sd_pkt *out, const char *what, unsigned val)
{
    out->anomalies |= SD_ANOM_ENCAP;
    sd_dec_diag(d, SD_DK_ENCAP, "%s 0x%x not decoded: frame skipped", what, val);
    return SD_DEC_NOT_IP;
}

/* Enters one more layer of encapsulation, false (reported) past the cap. */
static bool enter(sd_decoder *d, sd_pkt *out, uint8_t code)
{
    if (d->depth >= SD_MAX_ENCAP_DEPTH) {
        out->anomalies |= SD_ANOM_ENCAP_DEPTH;
        sd_dec_diag(d, SD_DK_ENCAP_DEPTH,
                    "more than %u nested encapsulations (%s inside %s...): frame skipped",
                    SD_MAX_ENCAP_DEPTH, sd_encap_name(code), sd_encap_name(out->encap[0]));
        return false;
    }
    d->depth++;
    /* what the outer layers filled in for L4 is not the inner packet's */
    out->l4 = SD_L4_NONE;
    out->sport = out->dport = 0;
    out->seq = out->ack = 0;
    out->flags = 0;
    out->win = out->urp = 0;
    memset(&out->opt, 0, sizeof out->opt);
    out->payload = NULL;
    out->payload_len = out->payload_wire = 0;
    if (out->nencap < SD_MAX_ENCAP_DEPTH)
        out->encap[out->nencap++] = code;
    return true;
}

static bool is_vlan_tpid(uint16_t et)
{
    return et == ET_8021Q || et == ET_8021AD || et == ET_QINQ_OLD;
}

/* Walks VLAN tags (IEEE 802.1Q: 2-byte TCI then the next ethertype); keeps
 * the ids of the outer SD_MAX_VLAN. */
static sd_dec_res skip_vlans(sd_decoder *d, sd_cur *c, uint16_t *et, sd_pkt *out)
{
    for (unsigned n = 0; is_vlan_tpid(*et); n++) {
        if (n >= MAX_VLAN_TAGS) { /* a cap, counted with the other depth caps, not an unknown tunnel */
            out->anomalies |= SD_ANOM_ENCAP_DEPTH;
            sd_dec_diag(d, SD_DK_ENCAP_DEPTH, "VLAN tag stack deeper than %u tags (next ethertype 0x%x): frame skipped",
                        MAX_VLAN_TAGS, *et);
            return SD_DEC_BAD;
        }
        size_t have = sd_cur_left(c);
        uint16_t tci = sd_cur_be16(c);
        *et = sd_cur_be16(c);
        if (c->err)
            return hdr_trunc(d, out, "VLAN tag", have, 4);
        if (out->nvlan < SD_MAX_VLAN)
            out->vlan[out->nvlan++] = tci & 0x0fff;
    }
    return SD_DEC_OK;
}

/* PPP: the HDLC address and control bytes 0xff 0x03 unless compressed
 * (RFC 1662 §3.2; PPTP sends them, PPPoE never), then the protocol field:
 * one byte when compressed (RFC 1661 §6.5: odd first byte), else two. */
sd_dec_res sd_dec_ppp(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    if (sd_cur_left(&c) >= 2 && c.p[0] == 0xff && c.p[1] == 0x03)
        sd_cur_skip(&c, 2);
    if (sd_cur_left(&c) < 1)
        return hdr_trunc(d, out, "PPP", 0, 2);
    uint16_t proto = (c.p[0] & 1) ? sd_cur_u8(&c) : sd_cur_be16(&c);
    if (c.err)
        return hdr_trunc(d, out, "PPP", 1, 2);
    switch (proto) {
    case PPP_IPV4: return sd_decode_ipv4(d, c, out);
    case PPP_IPV6: return sd_decode_ipv6(d, c, out);
    default: break;
    }
    d->reason = SD_UNDEC_ETHERTYPE; /* LCP, IPCP, CHAP...: PPP's own control traffic */
    return SD_DEC_NOT_IP;
}

/* PPPoE session stage: version/type 0x11, code 0, session id, length. */
static sd_dec_res decode_pppoe(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    if (!enter(d, out, SD_ENC_PPPOE))
        return SD_DEC_BAD;
    size_t have = sd_cur_left(&c);
    uint8_t vt = sd_cur_u8(&c);
    uint8_t code = sd_cur_u8(&c);
    sd_cur_skip(&c, 2); /* session id */
    uint16_t len = sd_cur_be16(&c);
    if (c.err)
        return hdr_trunc(d, out, "PPPoE", have, PPPOE_HDR);
    if (vt != 0x11 || code != 0)
        return unsupported(d, out, "PPPoE session version/type, code", (unsigned)vt << 8 | code);
    if (len < sd_cur_left(&c)) /* Ethernet padding after the PPP frame */
        c.end = c.p + len;
    return sd_dec_ppp(d, c, out);
}

/* After the bottom label nothing says what follows (RFC 3032 §2.2): the
 * explicit-null labels do, otherwise the first nibble, as Wireshark and
 * Suricata guess it: 4 or 6 is IP, 0 a pseudowire control word (RFC 4385)
 * before an Ethernet frame. */
static sd_dec_res mpls_payload(sd_decoder *d, uint32_t last_label, sd_cur c, sd_pkt *out)
{
    if (last_label == 0) /* IPv4 explicit null */
        return sd_decode_ipv4(d, c, out);
    if (last_label == 2) /* IPv6 explicit null */
        return sd_decode_ipv6(d, c, out);
    if (sd_cur_left(&c) < 1)
        return hdr_trunc(d, out, "MPLS payload", 0, 1);
    switch (c.p[0] >> 4) {
    case 4: return sd_decode_ipv4(d, c, out);
    case 6: return sd_decode_ipv6(d, c, out);
    case 0:
        sd_cur_skip(&c, 4);
        if (c.err)
            return hdr_trunc(d, out, "MPLS pseudowire control word", sd_cur_left(&c), 4);
        return sd_dec_ether(d, c, out);
    default: return unsupported(d, out, "MPLS payload starting with", c.p[0]);
    }
}

static sd_dec_res decode_mpls(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    if (!enter(d, out, SD_ENC_MPLS))
        return SD_DEC_BAD;
    for (unsigned n = 0;; n++) {
        if (n >= MAX_MPLS_LABELS) {
            out->anomalies |= SD_ANOM_ENCAP_DEPTH;
            sd_dec_diag(d, SD_DK_ENCAP_DEPTH,
                        "MPLS stack of more than %u labels: frame skipped", MAX_MPLS_LABELS);
            return SD_DEC_BAD;
        }
        uint32_t e = sd_cur_be32(&c);
        if (c.err)
            return hdr_trunc(d, out, "MPLS label", sd_cur_left(&c), 4);
        if (e & 0x100) /* bottom of stack */
            return mpls_payload(d, e >> 12, c, out);
    }
}

sd_dec_res sd_dec_ethertype(sd_decoder *d, uint16_t et, sd_cur c, sd_pkt *out)
{
    sd_dec_res r = skip_vlans(d, &c, &et, out);
    if (r != SD_DEC_OK)
        return r;
    switch (et) {
    case ET_IPV4: return sd_decode_ipv4(d, c, out);
    case ET_IPV6: return sd_decode_ipv6(d, c, out);
    case ET_PPPOE_SESS: return decode_pppoe(d, c, out);
    case ET_MPLS_UC:
    case ET_MPLS_MC: return decode_mpls(d, c, out);
    case ET_TEB: return sd_dec_ether(d, c, out);
    default: break;
    }
    /* ARP, LLDP, PPPoE discovery, an 802.3 length (< 0x600)...: not IP */
    d->reason = SD_UNDEC_ETHERTYPE;
    return SD_DEC_NOT_IP;
}

sd_dec_res sd_dec_ether(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    size_t have = sd_cur_left(&c);
    sd_cur_skip(&c, 12); /* destination, source MAC */
    uint16_t et = sd_cur_be16(&c);
    if (c.err)
        return hdr_trunc(d, out, "Ethernet", have, ETH_HDR);
    return sd_dec_ethertype(d, et, c, out);
}

/* ERSPAN type II (8 bytes, version 1) or III (12 bytes, version 2, then an
 * optional 8-byte subheader), then the mirrored frame. Type III frame type
 * 0 is Ethernet; the others (IP, ...) are rare and not decoded. */
static sd_dec_res decode_erspan(sd_decoder *d, bool v3, sd_cur c, sd_pkt *out)
{
    if (!enter(d, out, v3 ? SD_ENC_ERSPAN3 : SD_ENC_ERSPAN2))
        return SD_DEC_BAD;
    size_t hlen = v3 ? ERSPAN3_HDR : ERSPAN2_HDR;
    const uint8_t *h = sd_cur_bytes(&c, hlen);
    if (!h)
        return hdr_trunc(d, out, v3 ? "ERSPAN III" : "ERSPAN II", sd_cur_left(&c), hlen);
    unsigned ver = h[0] >> 4;
    if (ver != (v3 ? 2u : 1u))
        return unsupported(d, out, "ERSPAN version", ver);
    if (v3) {
        unsigned ft = (h[10] >> 2) & 0x1f;
        if (ft != 0)
            return unsupported(d, out, "ERSPAN III frame type", ft);
        if (h[11] & 1) {
            sd_cur_skip(&c, ERSPAN3_SUBHDR);
            if (c.err)
                return hdr_trunc(d, out, "ERSPAN III subheader", sd_cur_left(&c), ERSPAN3_SUBHDR);
        }
    }
    return sd_dec_ether(d, c, out);
}

/* GRE: flags and version, protocol type, then the optional fields the
 * flags announce, in order: checksum+offset, key, sequence, (v1) ack. */
static sd_dec_res decode_gre(sd_decoder *d, sd_cur c, sd_pkt *out)
{
    size_t have = sd_cur_left(&c);
    uint16_t fl = sd_cur_be16(&c), proto = sd_cur_be16(&c);
    unsigned ver = fl & GRE_VER;
    if (!enter(d, out, ver == 1 ? SD_ENC_PPTP : SD_ENC_GRE))
        return SD_DEC_BAD;
    if (c.err)
        return hdr_trunc(d, out, "GRE", have, 4);
    if (ver > 1 || (ver == 1 && (proto != ET_PPP || !(fl & GRE_K))))
        return unsupported(d, out, "GRE version/protocol", ver << 16 | proto);
    if (fl & GRE_R) /* RFC 1701 source routing: deprecated by RFC 2784 */
        return unsupported(d, out, "GRE with routing, flags", fl);
    size_t opt = ((fl & GRE_C) ? 4u : 0u) + ((fl & GRE_K) ? 4u : 0u) + ((fl & GRE_S) ? 4u : 0u) +
                 ((ver == 1 && (fl & GRE_A)) ? 4u : 0u);
    sd_cur key = c;
    sd_cur_skip(&key, (fl & GRE_C) ? 4u : 0u);
    sd_cur_skip(&c, opt);
    if (c.err)
        return hdr_trunc(d, out, "GRE", have, 4 + opt);
    if ((fl & GRE_K) && ver == 0) /* PPTP's key field holds a call id and a length, not a segment */
        out->tunnel = SD_TUNNEL_GREKEY | sd_cur_be32(&key);
    switch (proto) {
    case ET_PPP: return sd_dec_ppp(d, c, out);
    case ET_ERSPAN2:
        if (!(fl & GRE_S)) { /* type I: no sequence number, no ERSPAN header */
            out->encap[out->nencap - 1] = SD_ENC_ERSPAN1;
            return sd_dec_ether(d, c, out);
        }
        return decode_erspan(d, false, c, out);
    case ET_ERSPAN3: return decode_erspan(d, true, c, out);
    default: return sd_dec_ethertype(d, proto, c, out);
    }
}

sd_dec_res sd_dec_ip_tunnel(sd_decoder *d, uint8_t proto, sd_cur c, sd_pkt *out)
{
    if (proto == IPPROTO_GRE_)
        return decode_gre(d, c, out);
    if (!enter(d, out, SD_ENC_IP))
        return SD_DEC_BAD;
    if (proto == IPPROTO_IPIP_)
        return sd_decode_ipv4(d, c, out);
    return sd_decode_ipv6(d, c, out);
}

bool sd_dec_is_ip_tunnel(uint8_t proto)
{
    return proto == IPPROTO_IPIP_ || proto == IPPROTO_IPV6_ || proto == IPPROTO_GRE_;
}

/* VXLAN: flags with I set, 24 reserved bits, VNI, 8 reserved bits. */
static bool vxlan_valid(sd_cur c)
{
    return sd_cur_left(&c) >= VXLAN_HDR && (c.p[0] & VXLAN_FLAG_I);
}

/* GENEVE: version 0 and options within the datagram. */
static bool geneve_valid(sd_cur c)
{
    return sd_cur_left(&c) >= GENEVE_HDR && (c.p[0] >> 6) == 0 &&
           GENEVE_HDR + (c.p[0] & 0x3fu) * 4u <= sd_cur_left(&c);
}

/* The tunnel segment of a VXLAN or GENEVE header (its length checked):
 * both carry the 24-bit VNI in bytes 4-6. */
static uint64_t vni_segment(sd_cur c)
{
    return SD_TUNNEL_VNI | (uint32_t)(c.p[4] << 16 | c.p[5] << 8 | c.p[6]);
}

bool sd_dec_udp_tunnel(sd_decoder *d, uint16_t dport, sd_cur c, sd_pkt *out, sd_dec_res *res)
{
    if (dport == PORT_VXLAN && vxlan_valid(c)) {
        if (!enter(d, out, SD_ENC_VXLAN)) {
            *res = SD_DEC_BAD;
            return true;
        }
        out->tunnel = vni_segment(c);
        sd_cur_skip(&c, VXLAN_HDR);
        *res = sd_dec_ether(d, c, out);
        return true;
    }
    if (dport == PORT_GENEVE && geneve_valid(c)) {
        if (!enter(d, out, SD_ENC_GENEVE)) {
            *res = SD_DEC_BAD;
            return true;
        }
        size_t opt = (c.p[0] & 0x3fu) * 4u;
        uint16_t proto = (uint16_t)(c.p[2] << 8 | c.p[3]);
        out->tunnel = vni_segment(c);
        sd_cur_skip(&c, GENEVE_HDR + opt);
        *res = sd_dec_ethertype(d, proto, c, out);
        return true;
    }
    return false; /* not a tunnel (or not a valid header): plain UDP */
}

