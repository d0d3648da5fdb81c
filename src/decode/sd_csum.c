/* sd_csum: Internet checksums (see sd_csum.h), and the decoder's hooks that
 * judge a packet by them (sd_decode_int.h). */
#include "sd_csum.h"

#include "sd_decode_int.h"

#include <string.h>

#define PROTO_TCP 6
#define PROTO_UDP 17
#define IPV4_CSUM_AT 10   /* the header checksum's offset in an IPv4 header */
#define TCP_CSUM_AT 16
#define UDP_CSUM_AT 6
#define CSUM_OK 0xffffu   /* the folded sum of data that carries a right checksum */

int sd_csum_mode_parse(const char *s)
{
    static const char *const NAME[] = { [SD_CSUM_AUTO] = "auto", [SD_CSUM_VERIFY] = "verify",
                                        [SD_CSUM_OFF] = "off" };
    for (int i = 0; i < (int)(sizeof NAME / sizeof NAME[0]); i++)
        if (!strcmp(s, NAME[i]))
            return i;
    return -1;
}

/* Each 8-byte word goes in as its two 32-bit halves, so the 64-bit total
 * takes no carry until 2^32 words: the loop has no dependency between
 * iterations but the add, and the fold puts the carries back (RFC 1071 2(C):
 * the sum is the same in any word size and either byte order). */
uint64_t sd_csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
    uint64_t v;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&v, p, 8);
        sum += (v & 0xffffffffu) + (v >> 32);
    }
    if (n) { /* the odd tail, padded with zero bytes on the right */
        uint8_t tail[8] = { 0 };
        memcpy(tail, p, n);
        memcpy(&v, tail, 8);
        sum += (v & 0xffffffffu) + (v >> 32);
    }
    return sum;
}

uint16_t sd_csum_fold(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}

uint16_t sd_csum_field(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

sd_csum_res sd_csum_ipv4(const uint8_t *h, size_t hlen, sd_csum_mode mode, uint16_t *residue)
{
    *residue = CSUM_OK;
    if (mode == SD_CSUM_OFF)
        return SD_CSUM_NONE;
    *residue = sd_csum_fold(sd_csum_add(0, h, hlen));
    if (*residue == CSUM_OK)
        return SD_CSUM_GOOD;
    /* header checksum offload (some Windows and BSD drivers) leaves 0 */
    if (mode == SD_CSUM_AUTO && sd_csum_field(h + IPV4_CSUM_AT) == 0)
        return SD_CSUM_OFFLOAD;
    return SD_CSUM_BAD;
}

/* Unfinished by offload: Linux's CHECKSUM_PARTIAL leaves the folded
 * pseudo-header sum for the NIC to finish; large-send offload (Windows LSO,
 * TSO drivers) the same sum without the length, which differs per segment
 * cut from it; other stacks leave 0. */
static bool offload_field(uint16_t field, uint64_t addrs, const uint8_t ph[8])
{
    return field == 0 || field == sd_csum_fold(sd_csum_add(addrs, ph, 8)) || field == sd_csum_fold(sd_csum_add(addrs, ph + 4, 4));
}

sd_csum_res sd_csum_l4_check(const sd_csum_l4 *s, sd_csum_mode mode)
{
    if (mode == SD_CSUM_OFF)
        return SD_CSUM_NONE;
    uint16_t field = sd_csum_field(s->seg + s->field);
    if (s->proto == PROTO_UDP && s->alen == 4 && field == 0)
        return SD_CSUM_NONE; /* RFC 768: the sender computed none (IPv6 must, RFC 8200 8.1) */
    /* the pseudo-header's words in IPv6's layout (a 32-bit length, then the
     * protocol); for IPv4 (16-bit length, zero byte, protocol) the sum is
     * the same as the high length word is 0 */
    uint8_t ph[8] = { (uint8_t)(s->len >> 24), (uint8_t)(s->len >> 16), (uint8_t)(s->len >> 8),
                      (uint8_t)s->len, 0, 0, 0, s->proto };
    uint64_t addrs = sd_csum_add(sd_csum_add(0, s->src, s->alen), s->dst, s->alen);
    uint64_t pseudo = sd_csum_add(addrs, ph, 8);
    uint16_t residue = sd_csum_fold(sd_csum_add(pseudo, s->seg, s->len));
    if (residue == CSUM_OK)
        return SD_CSUM_GOOD;
    /* the addresses, in both sums, changed after the checksums were made:
     * both are off by the same amount (the IPv4 header is checked alone) */
    if (mode == SD_CSUM_AUTO && s->ip_residue && residue == s->ip_residue)
        return SD_CSUM_REWRITTEN;
    if (mode == SD_CSUM_AUTO && offload_field(field, addrs, ph))
        return SD_CSUM_OFFLOAD;
    return SD_CSUM_BAD;
}

/* ---- the decoder's hooks ---- */

bool sd_dec_csum_ip(sd_decoder *d, const uint8_t *h, size_t hlen)
{
    uint16_t residue;
    bool bad = sd_csum_ipv4(h, hlen, d->opts.csum, &residue) == SD_CSUM_BAD;
    d->ip_residue = bad ? residue : 0;
    return bad;
}

sd_dec_res sd_dec_csum_ip_verdict(sd_decoder *d, const uint8_t *h, bool bad, sd_dec_res res, sd_pkt *out)
{
    d->ip_residue = 0;
    if (!bad || (res == SD_DEC_OK && out->csum == SD_CSUM_REWRITTEN))
        return res;
    out->csum = SD_CSUM_BAD;
    out->anomalies |= SD_ANOM_IP_BADSUM;
    sd_dec_diag(d, SD_DK_IP_CSUM,
                "IPv4 header checksum 0x%04x is wrong: the datagram is dropped, as the receiver "
                "dropped it (--checksum off keeps it)",
                (unsigned)((h[IPV4_CSUM_AT] << 8) | h[IPV4_CSUM_AT + 1]));
    return SD_DEC_BAD;
}

void sd_dec_csum_l4(sd_decoder *d, const uint8_t *seg, size_t present, uint32_t len, sd_pkt *out)
{
    if (d->opts.csum == SD_CSUM_OFF || out->csum == SD_CSUM_CANNOT)
        return;
    bool tcp = out->l4 == SD_L4_TCP;
    if (present < len) { /* the snaplen cut it: what the sender summed is not all here */
        out->csum = SD_CSUM_CANNOT;
        return;
    }
    sd_csum_l4 s = { .src = out->src.a, .dst = out->dst.a, .alen = out->ipver == 4 ? 4 : 16,
                     .proto = tcp ? PROTO_TCP : PROTO_UDP, .seg = seg, .len = len,
                     .field = tcp ? TCP_CSUM_AT : UDP_CSUM_AT, .ip_residue = d->ip_residue };
    out->csum = (uint8_t)sd_csum_l4_check(&s, d->opts.csum);
    sd_undec why = d->reason; /* the packet still decodes: no reason to fail under */
    if (out->csum == SD_CSUM_BAD)
        sd_dec_diag(d, SD_DK_L4_CSUM,
                    "%s checksum 0x%04x is wrong: the %s is kept out of the analysis, as the "
                    "receiver dropped it (history C; --checksum off keeps it)",
                    tcp ? "TCP" : "UDP", (unsigned)((seg[s.field] << 8) | seg[s.field + 1]),
                    tcp ? "segment" : "datagram");
    d->reason = why;
}
