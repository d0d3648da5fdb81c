/* sd_dns: the DNS message decoder (RFC 1035 4.1), bounds-checked. Every
 * byte is hostile: names are read with the label and name length limits
 * (63, 255), compression pointers must point strictly backwards and are
 * followed at most SD_DNS_MAX_HOPS times, and every count in the header is
 * checked against the bytes left, never trusted. It decodes one message
 * (UDP payload, or one TCP message without its 2-byte length) into a
 * fixed-size sd_dns_msg: no allocation. It never prints. */
#ifndef SD_DNS_H
#define SD_DNS_H

#include "../common/sd_common.h"

/* Names as text: a wire name is at most 255 bytes; a byte outside
 * printable ASCII (and '.', '\\' inside a label) is written as \DDD
 * (RFC 4343 2.1), so the text form needs up to 4 times that. */
#define SD_DNS_TXT 1024
/* Compression pointers followed in one name. Each must point before the
 * previous one, so a loop is impossible anyway; a legitimate name needs
 * one or two (RFC 1035 4.1.4), this bounds the work on a hostile one. */
#define SD_DNS_MAX_HOPS 32
/* Answers kept per message; more are counted (ans_more), not decoded.
 * Ordinary answers hold a CNAME chain and a few addresses. */
#define SD_DNS_MAX_ANS 16

enum { SD_DNS_T_A = 1, SD_DNS_T_NS = 2, SD_DNS_T_CNAME = 5, SD_DNS_T_PTR = 12, SD_DNS_T_MX = 15,
       SD_DNS_T_TXT = 16, SD_DNS_T_AAAA = 28 };

typedef struct sd_dns_rr {
    uint16_t type, cls;
    uint32_t ttl;
    uint8_t addr_len;           /* 4 (A) or 16 (AAAA), else 0 */
    uint8_t addr[16];
    char data[SD_DNS_TXT];      /* A/AAAA address, a name (CNAME, NS, PTR, MX's host), TXT's first
                                   string; else "" */
} sd_dns_rr;

typedef enum sd_dns_res {
    SD_DNS_OK = 0,
    SD_DNS_SHORT,               /* fewer than 12 bytes: no header */
    SD_DNS_BAD_QUESTION,        /* the header claims a question that is not there or is malformed */
} sd_dns_res;

typedef struct sd_dns_msg {
    uint16_t id;
    bool qr, aa, tc, rd, ra;
    uint8_t opcode, rcode;
    uint16_t qdcount, ancount, nscount, arcount;
    bool has_q;                 /* the first question was decoded */
    char qname[SD_DNS_TXT];     /* "" for the root */
    uint8_t qname_wire_len;     /* its length on the wire (<= 255) */
    uint16_t qtype, qclass;
    uint8_t nans;               /* answers decoded into ans[] */
    uint16_t ans_more;          /* answers past SD_DNS_MAX_ANS, not decoded */
    bool ans_bad;               /* the answer section ended early or held a bad record: the
                                   header's count was not met */
    sd_dns_rr ans[SD_DNS_MAX_ANS];
} sd_dns_msg;

/* Decodes p[0..n). The header is always filled when n >= 12; a malformed
 * answer section stops decoding there (ans_bad) and keeps what came
 * before. */
sd_dns_res sd_dns_parse(const uint8_t *p, size_t n, sd_dns_msg *m);

/* Reads the name at p[off..] as text into out (len >= SD_DNS_TXT). Returns
 * the offset just past the name where it started (past the first pointer),
 * or 0 when it is malformed (truncated, a label over 63, a name over 255, a
 * reserved label type, a pointer not strictly backwards, too many hops).
 * *wire_len gets the name's uncompressed length. */
size_t sd_dns_name(const uint8_t *p, size_t n, size_t off, char *out, size_t len, size_t *wire_len);

/* Zeek's names: "A", "AAAA", ... or "TYPEnnn" written into buf; "C_INTERNET"...;
 * "NOERROR", "NXDOMAIN", ... (rcode names of Zeek's DNS analyzer). */
const char *sd_dns_qtype_name(uint16_t t, char *buf, size_t len);
const char *sd_dns_qclass_name(uint16_t c, char *buf, size_t len);
const char *sd_dns_rcode_name(uint8_t r, char *buf, size_t len);

#endif
