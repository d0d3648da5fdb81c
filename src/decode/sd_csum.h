/* sd_csum: the Internet checksum (RFC 1071) of IPv4 headers and of TCP and
 * UDP segments with their IPv4 or IPv6 pseudo-header (RFC 9293 3.1, RFC 768,
 * RFC 8200 8.1), and what a mismatch means in a capture.
 *
 * A segment whose checksum is wrong never reached the receiving socket: its
 * stack dropped it. An analyzer that keeps it shows bytes the host never saw
 * (Ptacek & Newsham's insertion), so such segments are kept out (Zeek: 'C').
 * But a capture taken on the sending host, with checksum offload, holds
 * checksums the NIC had not filled in yet: Linux (CHECKSUM_PARTIAL) leaves
 * the folded pseudo-header sum in the field, other stacks 0. Those are "not
 * computed", not bad, unless every mismatch is asked to be bad (VERIFY). */
#ifndef SD_CSUM_H
#define SD_CSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --checksum: auto (default), verify, off. */
typedef enum sd_csum_mode { SD_CSUM_AUTO = 0, SD_CSUM_VERIFY, SD_CSUM_OFF } sd_csum_mode;

/* What a packet's checksum says (sd_pkt.csum). */
typedef enum sd_csum_res {
    SD_CSUM_NONE = 0,  /* not checked: --checksum off, not TCP/UDP, or an IPv4 UDP datagram
                          sent without one (0, RFC 768) */
    SD_CSUM_GOOD,      /* it matches */
    SD_CSUM_OFFLOAD,   /* not computed by the capturing host (0 or the pseudo-header sum) */
    SD_CSUM_CANNOT,    /* cannot be checked: bytes cut by the snaplen, or an IPv6 routing
                          header whose final destination is not the packet's */
    SD_CSUM_REWRITTEN, /* wrong by exactly the IPv4 header's error: the addresses were
                          rewritten after capture (anonymized), the packet was fine */
    SD_CSUM_BAD,       /* wrong: the receiver dropped it */
} sd_csum_res;

/* "auto" "verify" "off" to a mode; -1 for anything else. */
int sd_csum_mode_parse(const char *s);

/* Ones'-complement sum of n bytes added to sum, 64 bits at a time (RFC 1071
 * 4.1's idea with wider words); buffers must begin on a 16-bit word of the
 * checksummed data. The result is in the machine's byte order. */
uint64_t sd_csum_add(uint64_t sum, const uint8_t *p, size_t n);
/* The sum folded to 16 bits (not complemented), machine byte order. */
uint16_t sd_csum_fold(uint64_t sum);
/* The 16-bit field at p as sd_csum_fold gives it. */
uint16_t sd_csum_field(const uint8_t *p);

/* An IPv4 header (hlen bytes at h, checksum field included); *residue
 * gets its folded sum (0xffff when right). */
sd_csum_res sd_csum_ipv4(const uint8_t *h, size_t hlen, sd_csum_mode mode, uint16_t *residue);

/* A TCP or UDP segment: src and dst are 4 or 16 address bytes (alen), the
 * segment's len bytes at seg are all present (the caller says CANNOT when
 * not), field is the offset of the checksum in it (16 for TCP, 6 for UDP). */
typedef struct sd_csum_l4 {
    const uint8_t *src, *dst;
    size_t alen;
    uint8_t proto;
    const uint8_t *seg;
    uint32_t len;
    unsigned field;
    uint16_t ip_residue;   /* sd_csum_ipv4's residue when that was wrong, else 0 */
} sd_csum_l4;
sd_csum_res sd_csum_l4_check(const sd_csum_l4 *s, sd_csum_mode mode);

/* The decoder's fast path (sd_decfast.c): true when both the 20-byte IPv4
 * header at h and the TCP segment of len bytes at seg (all present) that
 * it carries have right checksums, which is what sd_csum_ipv4 and
 * sd_csum_l4_check say GOOD to; false for anything else, which the
 * general path then judges. */
bool sd_csum_tcp4_good(const uint8_t *h, const uint8_t *seg, uint32_t len);

#endif
