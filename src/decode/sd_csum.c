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

/* 64-bit words with end-around carry (RFC 1071 2(C): the sum is the same
 * in any word size and either byte order, and 2^16 = 1 modulo 0xffff, so a
 * 16-bit word counts the same wherever it sits in the 64-bit sum, as long
 * as its bytes keep their order). */
#define ADDC(s, c, v) ((s) += (v), (c) += (s) < (v))

static inline uint64_t word(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

#if defined(__x86_64__) && defined(__GNUC__)
/* The words of n bytes (n a multiple of 8) added to sum with x86-64's add
 * with carry: the carry flag goes from one add to the next (dec and lea
 * leave it alone), one instruction a word where the portable loop takes
 * three (issue #11). Written out because GCC 12 keeps _addcarry_u64's sum
 * in memory. */
static inline uint64_t sum_words(uint64_t sum, const uint8_t *p, size_t n)
{
    /* 64 bytes a round, then 32 more when n & 32: the loop's control
     * (lea, dec, jnz) is 3 instructions to 8 adds, not to 4 (issue #11) */
    size_t rounds = n / 64;
    if (rounds)
        __asm__("clc\n"
                "1:\n\t"
                "adcq (%[p]), %[s]\n\t"
                "adcq 8(%[p]), %[s]\n\t"
                "adcq 16(%[p]), %[s]\n\t"
                "adcq 24(%[p]), %[s]\n\t"
                "adcq 32(%[p]), %[s]\n\t"
                "adcq 40(%[p]), %[s]\n\t"
                "adcq 48(%[p]), %[s]\n\t"
                "adcq 56(%[p]), %[s]\n\t"
                "leaq 64(%[p]), %[p]\n\t"
                "decq %[r]\n\t"
                "jnz 1b\n\t"
                /* the last carry, which cannot carry again: s = 2^64 - 1
                 * with a carry out needs a carry in, and clc began without */
                "adcq $0, %[s]"
                : [s] "+r"(sum), [p] "+r"(p), [r] "+r"(rounds)
                :
                : "cc", "memory");
    if (n & 32) {
        __asm__("addq (%[p]), %[s]\n\t"
                "adcq 8(%[p]), %[s]\n\t"
                "adcq 16(%[p]), %[s]\n\t"
                "adcq 24(%[p]), %[s]\n\t"
                "adcq $0, %[s]" /* as above: cannot carry again */
                : [s] "+r"(sum)
                : [p] "r"(p)
                : "cc", "memory");
        p += 32;
    }
    /* the last 0 to 3 words straight, not by a loop (issue #11: the
     * loop's control was twice the adds) */
    if (n & 16) {
        __asm__("addq (%[p]), %[s]\n\t"
                "adcq 8(%[p]), %[s]\n\t"
                "adcq $0, %[s]" /* as above */
                : [s] "+r"(sum)
                : [p] "r"(p)
                : "cc", "memory");
        p += 16;
    }
    if (n & 8) {
        uint64_t v = word(p);
        sum += v;
        sum += sum < v;
    }
    return sum;
}
#else
/* The portable form: the carries are counted apart and added at the end,
 * so the adds of a 32-byte round do not wait on each other. */
static inline uint64_t sum_words(uint64_t sum, const uint8_t *p, size_t n)
{
    uint64_t s1 = 0, c0 = 0, c1 = 0;
    for (; n >= 32; p += 32, n -= 32) {
        ADDC(sum, c0, word(p));
        ADDC(s1, c1, word(p + 8));
        ADDC(sum, c0, word(p + 16));
        ADDC(s1, c1, word(p + 24));
    }
    for (; n >= 8; p += 8, n -= 8)
        ADDC(sum, c0, word(p));
    ADDC(sum, c0, s1);
    c0 += c1; /* at most n / 8 + 1: no overflow */
    sum += c0;
    return sum + (sum < c0);
}
#endif

static inline uint64_t sum_bytes(uint64_t sum, const uint8_t *p, size_t n)
{
    sum = sum_words(sum, p, n & ~(size_t)7);
    p += n & ~(size_t)7;
    uint64_t c0 = 0;
    /* the tail: 4, 2 and 1 bytes, each starting on a 16-bit word's first byte */
    if (n & 4) {
        uint32_t x;
        memcpy(&x, p, 4), p += 4;
        ADDC(sum, c0, (uint64_t)x);
    }
    if (n & 2) {
        uint16_t x;
        memcpy(&x, p, 2), p += 2;
        ADDC(sum, c0, (uint64_t)x);
    }
    if (n & 1) { /* a word's first byte, the second taken as 0 */
        uint8_t b[2] = { p[0], 0 };
        uint16_t x;
        memcpy(&x, b, 2);
        ADDC(sum, c0, (uint64_t)x);
    }
    sum += c0; /* c0 <= 3 */
    return sum + (sum < c0);
}

uint64_t sd_csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
    return sum_bytes(sum, p, n);
}

/* To 16 bits in two steps, no loop: the halves of the 64-bit sum added
 * with their end-around carry, then the 32-bit one added to itself rotated
 * by 16, whose top half is then its two halves' sum with the carry out of
 * the bottom half added back (Linux's csum_fold without the complement).
 * The same value as folding 16 bits at a time, in half the instructions,
 * twice for each TCP segment: a nonzero sum stays nonzero (0xffff, not 0,
 * for a sum of 0xffff's multiples) and 0 stays 0. */
static inline uint16_t fold(uint64_t sum)
{
    uint32_t lo = (uint32_t)sum, hi = (uint32_t)(sum >> 32);
    uint32_t s = lo + hi;
    s += s < hi; /* the carry out, back in: s cannot overflow again */
    uint32_t rot = (s >> 16) | (s << 16);
    return (uint16_t)((s + rot) >> 16);
}

uint16_t sd_csum_fold(uint64_t sum)
{
    return fold(sum);
}

uint16_t sd_csum_field(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* An IPv4 header without options, the usual one: three adds. */
static inline uint64_t hdr20_sum(const uint8_t *h)
{
    uint64_t s = word(h), c = 0;
    uint32_t x;
    memcpy(&x, h + 16, 4);
    ADDC(s, c, word(h + 8));
    ADDC(s, c, (uint64_t)x);
    s += c;
    return s + (s < c);
}

sd_csum_res sd_csum_ipv4(const uint8_t *h, size_t hlen, sd_csum_mode mode, uint16_t *residue)
{
    *residue = CSUM_OK;
    if (mode == SD_CSUM_OFF)
        return SD_CSUM_NONE;
    *residue = sd_csum_fold(hlen == 20 ? hdr20_sum(h) : sum_bytes(0, h, hlen));
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
    return field == 0 || field == sd_csum_fold(sum_bytes(addrs, ph, 8)) || field == sd_csum_fold(sum_bytes(addrs, ph + 4, 4));
}

/* Both addresses, summed to below 2^34 (2^32 = 1 modulo 0xffff), so what
 * is added to it takes at most one carry. */
static inline uint64_t addr_sum(const sd_csum_l4 *s)
{
    if (s->alen != 4) {
        uint64_t x = sum_bytes(sum_bytes(0, s->src, s->alen), s->dst, s->alen);
        return (x & 0xffffffffu) + (x >> 32);
    }
    uint32_t a, b;
    memcpy(&a, s->src, 4);
    memcpy(&b, s->dst, 4);
    return (uint64_t)a + b;
}

/* The pseudo-header's words in IPv6's layout (a 32-bit length, then the
 * protocol); for IPv4 (16-bit length, zero byte, protocol) the sum is the
 * same as the high length word is 0. */
static inline void pseudo_words(uint8_t ph[8], uint32_t len, uint8_t proto)
{
    const uint8_t w[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                           (uint8_t)len, 0, 0, 0, proto };
    memcpy(ph, w, 8);
}

/* The folded sum of a segment with its pseudo-header (0xffff when right);
 * addrs is addr_sum's, below 2^34. */
static inline uint16_t l4_residue(uint64_t addrs, const uint8_t ph[8], const uint8_t *seg, uint32_t len)
{
    uint64_t c = 0, pseudo = addrs;
    ADDC(pseudo, c, word(ph));
    pseudo += c; /* addrs < 2^34: this add cannot carry again */
    return fold(sum_bytes(pseudo, seg, len));
}

sd_csum_res sd_csum_l4_check(const sd_csum_l4 *s, sd_csum_mode mode)
{
    if (mode == SD_CSUM_OFF)
        return SD_CSUM_NONE;
    uint16_t field = sd_csum_field(s->seg + s->field);
    if (s->proto == PROTO_UDP && s->alen == 4 && field == 0)
        return SD_CSUM_NONE; /* RFC 768: the sender computed none (IPv6 must, RFC 8200 8.1) */
    uint8_t ph[8];
    pseudo_words(ph, s->len, s->proto);
    uint64_t addrs = addr_sum(s);
    uint16_t residue = l4_residue(addrs, ph, s->seg, s->len);
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

/* The n >= 8 bytes at p added to sum, the last n % 8 as one word: the 8
 * bytes that end the run loaded and shifted so that only the tail's stay,
 * each at the place it had (a shift by whole bytes keeps a byte's parity
 * inside its 16-bit word, as the tail starts on a word's first byte), in
 * place of sum_bytes' three tests and loads of 4, 2 and 1 bytes. Byte
 * order decides the direction: without a known one, sum_bytes. */
static inline uint64_t sum_run8(uint64_t sum, const uint8_t *p, size_t n)
{
#if defined(__BYTE_ORDER__) && (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ || __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
    size_t k = n & 7;
    sum = sum_words(sum, p, n - k);
    if (!k)
        return sum;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t t = word(p + n - 8) >> (64 - 8 * k); /* the low bytes are the run's earlier ones */
#else
    uint64_t t = word(p + n - 8) << (64 - 8 * k);
#endif
    sum += t;
    return sum + (sum < t);
#else
    return sum_bytes(sum, p, n);
#endif
}

bool sd_csum_tcp4_good(const uint8_t *h, const uint8_t *seg, uint32_t len)
{
    if (fold(hdr20_sum(h)) != CSUM_OK)
        return false;
    /* the pseudo-header's protocol and length words (len < 2^16: IPv4's
     * 16-bit total length carries it), in memory order as the data words */
    const uint8_t w[4] = { 0, PROTO_TCP, (uint8_t)(len >> 8), (uint8_t)len };
    uint32_t pw;
    memcpy(&pw, w, 4);
    /* the segment right after the header (the usual case): the addresses
     * at h + 12 and the segment are one run of len + 8 bytes, one sum */
    if (seg == h + 20)
        return fold(sum_run8(pw, h + 12, (size_t)len + 8)) == CSUM_OK;
    uint32_t a, b;
    memcpy(&a, h + 12, 4);
    memcpy(&b, h + 16, 4);
    return fold(sum_bytes((uint64_t)a + b + pw, seg, len)) == CSUM_OK;
}

/* ---- the decoder's hooks ---- */

bool sd_dec_csum_ip(sd_decoder *d, const uint8_t *h, size_t hlen, bool len_given)
{
    d->ip_unsized = !len_given;
    d->ip_residue = 0;
    if (!len_given)
        return false;
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
    if (d->ip_unsized && d->opts.csum == SD_CSUM_AUTO) {
        /* an offload super-packet (IP length 0): the NIC cuts it and sums
         * each piece (tcpflow bug7.pcap's 1546-byte datagram from Windows) */
        out->csum = SD_CSUM_OFFLOAD;
        return;
    }
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
