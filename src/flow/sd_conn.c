#include "sd_conn.h"

#include <stddef.h>
#include <string.h>

/* The letters seen as a bit set and the length kept: a strchr and a
 * strlen per call were ~7 calls a short connection (issue #11). A letter
 * outside 'A'..'z' (none today) is looked for in the string. */
static void history_put(sd_conn *c, char letter, int dir, bool force)
{
    char ch = dir == SD_DIR_ORIG ? letter : (char)(letter - 'A' + 'a');
    unsigned bit = (unsigned)(unsigned char)ch - 'A';
    bool seen = bit < 64 ? (c->history_seen >> bit) & 1 : memchr(c->history, ch, c->history_len) != NULL;
    if (!force && seen)
        return;
    size_t n = c->history_len;
    if (n < SD_HISTORY_MAX) {
        c->history[n] = ch;
        c->history[n + 1] = '\0';
        c->history_len = (uint8_t)(n + 1);
        if (bit < 64)
            c->history_seen |= (uint64_t)1 << bit;
    } else {
        c->history_dropped++; /* counted, shown as history_dropped and on stderr */
    }
}

void sd_conn_history_add(sd_conn *c, char letter, int dir)
{
    history_put(c, letter, dir, false);
}

void sd_conn_history_force(sd_conn *c, char letter, int dir)
{
    history_put(c, letter, dir, true);
}

/* Zeek's /^\^?S[^HAFGIQ]*R/: a SYN, then a reset before any handshake
 * completion, ack, FIN, gap or odd flags from the originator. */
static bool history_syn_then_rst(const char *h)
{
    if (*h == '^')
        h++;
    if (*h++ != 'S')
        return false;
    for (; *h; h++) {
        if (*h == 'R')
            return true;
        if (strchr("HAFGIQ", *h))
            return false;
    }
    return false;
}

static bool inactive(uint8_t s)
{
    return s == SD_ZS_INACTIVE || s == SD_ZS_PARTIAL;
}

/* Zeek's conn_state() (base/protocols/conn/main.zeek), applied to the
 * endpoint states the tracker kept. */
static const char *tcp_state(const sd_conn *c)
{
    uint8_t os = c->zstate[0], rs = c->zstate[1];
    if (rs == SD_ZS_RESET) {
        if (os == SD_ZS_SYN_SENT || os == SD_ZS_SYN_ACK_SENT ||
            (os == SD_ZS_RESET && c->d[0].bytes == 0 && c->d[1].bytes == 0))
            return "REJ";
        return inactive(os) ? "RSTRH" : "RSTR";
    }
    if (os == SD_ZS_RESET) {
        if (inactive(rs))
            return history_syn_then_rst(c->history) ? "RSTOS0" : "OTH";
        return "RSTO";
    }
    if (rs == SD_ZS_CLOSED && os == SD_ZS_CLOSED)
        return "SF";
    if (os == SD_ZS_CLOSED)
        return inactive(rs) ? "SH" : "S2";
    if (rs == SD_ZS_CLOSED)
        return inactive(os) ? "SHR" : "S3";
    if (os == SD_ZS_SYN_SENT && rs == SD_ZS_INACTIVE)
        return "S0";
    if (os == SD_ZS_ESTABLISHED && rs == SD_ZS_ESTABLISHED)
        return "S1";
    return "OTH";
}

void sd_conn_finish_state(sd_conn *c)
{
    const char *s;
    if (c->ipproto == 6)
        s = tcp_state(c);
    else if (c->d[0].pkts)
        s = c->d[1].pkts ? "SF" : "S0";
    else
        s = c->d[1].pkts ? "SHR" : "OTH";
    /* once per connection: a bounded copy, not snprintf's formatting */
    size_t n = strlen(s);
    if (n >= sizeof c->conn_state)
        n = sizeof c->conn_state - 1;
    memcpy(c->conn_state, s, n);
    c->conn_state[n] = '\0';
}

#define FNV_P 1099511628211ull /* FNV-1a's 64-bit prime */

/* Called with constant lengths (the fields of a uid): unrolled, the loop
 * control goes and each byte costs its xor and multiply. */
static inline uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
#pragma GCC unroll 16
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * FNV_P;
    return h;
}

#define FNV_P2 (FNV_P * FNV_P)
#define FNV_P4 (FNV_P2 * FNV_P2)
#define FNV_P12 (FNV_P4 * FNV_P4 * FNV_P4)

/* fnv64 of an address's 16 bytes. An IPv4 address's last 12 are zero, and
 * FNV-1a's step for a zero byte is a multiply by FNV_P alone ((h ^ 0) * P),
 * so those 12 are one multiply by FNV_P12 (mod 2^64, as the steps are): the
 * same hash in one instruction where the steps take 36 (issue #11). */
static inline uint64_t fnv64_addr(uint64_t h, const uint8_t a[16])
{
    uint32_t w4;
    uint64_t w8;
    memcpy(&w4, a + 4, 4);
    memcpy(&w8, a + 8, 8);
    if (w4 | w8)
        return fnv64(h, a, 16);
    return fnv64(h, a, 4) * FNV_P12;
}

/* The base62 digits of 0..3843 in pairs, the low digit first (a uid's
 * order): two digits a division by 62 * 62 where one a digit took twice
 * the divisions (issue #11). */
#define B62_ROW(c) "0" c "1" c "2" c "3" c "4" c "5" c "6" c "7" c "8" c "9" c "A" c "B" c \
     "C" c "D" c "E" c "F" c "G" c "H" c "I" c "J" c "K" c "L" c "M" c "N" c "O" c "P" c \
     "Q" c "R" c "S" c "T" c "U" c "V" c "W" c "X" c "Y" c "Z" c "a" c "b" c "c" c "d" c \
     "e" c "f" c "g" c "h" c "i" c "j" c "k" c "l" c "m" c "n" c "o" c "p" c "q" c "r" c \
     "s" c "t" c "u" c "v" c "w" c "x" c "y" c "z" c
static const char b62_pair[] = B62_ROW("0") B62_ROW("1") B62_ROW("2") B62_ROW("3")
    B62_ROW("4") B62_ROW("5") B62_ROW("6") B62_ROW("7") B62_ROW("8") B62_ROW("9")
    B62_ROW("A") B62_ROW("B") B62_ROW("C") B62_ROW("D") B62_ROW("E") B62_ROW("F")
    B62_ROW("G") B62_ROW("H") B62_ROW("I") B62_ROW("J") B62_ROW("K") B62_ROW("L")
    B62_ROW("M") B62_ROW("N") B62_ROW("O") B62_ROW("P") B62_ROW("Q") B62_ROW("R")
    B62_ROW("S") B62_ROW("T") B62_ROW("U") B62_ROW("V") B62_ROW("W") B62_ROW("X")
    B62_ROW("Y") B62_ROW("Z") B62_ROW("a") B62_ROW("b") B62_ROW("c") B62_ROW("d")
    B62_ROW("e") B62_ROW("f") B62_ROW("g") B62_ROW("h") B62_ROW("i") B62_ROW("j")
    B62_ROW("k") B62_ROW("l") B62_ROW("m") B62_ROW("n") B62_ROW("o") B62_ROW("p")
    B62_ROW("q") B62_ROW("r") B62_ROW("s") B62_ROW("t") B62_ROW("u") B62_ROW("v")
    B62_ROW("w") B62_ROW("x") B62_ROW("y") B62_ROW("z");

/* digits (even) base62 digits of h, low first, from b62_pair; returns h's rest */
static inline uint64_t b62_digits(char *o, uint64_t h, int digits)
{
    for (int i = 0; i < digits; i += 2, h /= 62 * 62)
        memcpy(o + i, b62_pair + 2 * (h % (62 * 62)), 2);
    return h;
}

_Static_assert(offsetof(sd_conn, app) + sizeof(sd_appinfo) + _Alignof(sd_conn) > sizeof(sd_conn),
               "the request or ClientHello is the record's last member");

/* Most connections have no request or ClientHello: sd_appinfo's strings are
 * 277 of the 1,144 bytes, and the flow copied from has gone cold since its
 * last packet (4.3 fewer last-level misses a connection on brute force,
 * callgrind's cache simulation, bench/README.md stop 37). */
void sd_conn_copy_facts(sd_conn *copy, const sd_conn *c)
{
    if (c->app.kind) {
        memcpy(copy, c, sizeof *copy);
    } else {
        memcpy(copy, c, offsetof(sd_conn, app));
        copy->app.kind = 0;
    }
    memset(copy->slot, 0, sizeof copy->slot);
}

/* A Zeek-looking uid ("C" + 17 base62 characters) that is a pure function
 * of the connection's identity, so the same capture gives the same uids. */
void sd_conn_make_uid(sd_conn *c)
{
    uint64_t h = 14695981039346656037ull;
    h = fnv64(h, &c->ipproto, 1);
    h = fnv64_addr(h, c->orig_h.a);
    h = fnv64_addr(h, c->resp_h.a);
    h = fnv64(h, &c->orig_p, 2);
    h = fnv64(h, &c->resp_p, 2);
    h = fnv64(h, &c->start, sizeof c->start);
    h = fnv64(h, &c->first_frame, sizeof c->first_frame);
    uint64_t h2 = fnv64(h ^ 0x9e3779b97f4a7c15ull, &c->conn_index, sizeof c->conn_index);
    c->uid[0] = 'C';
    /* h's 10 digits, then h2's 7: each on a local (a pointer to either hash
     * kept them in memory) */
    b62_digits(c->uid + 1, h, 10);
    h2 = b62_digits(c->uid + 11, h2, 6);
    c->uid[17] = b62_pair[2 * (h2 % 62)];
    c->uid[18] = '\0';
}

/* The per-direction counts of one packet (ports, TTLs, frames, bytes). */
void sd_conn_count_packet(sd_conn *c, const sd_pkt *p, int dir)
{
    sd_dirstats *d = &c->d[dir];
    d->pkts++;
    d->payload_bytes += p->payload_wire;
    d->ip_bytes += p->ip_len;
    d->wire_bytes += p->frame->wirelen;
    if (p->ttl < d->ttl_min)
        d->ttl_min = p->ttl;
    if (p->ttl > d->ttl_max)
        d->ttl_max = p->ttl;
    if (!d->first_frame)
        d->first_frame = p->frame->num;
    d->last_frame = p->frame->num;
    if (p->frame->ts > c->end)
        c->end = p->frame->ts;
    c->last_frame = p->frame->num;
    c->anomalies |= p->anomalies;
    /* last: the call below would make the compiler compute d again */
    if (p->l4 != SD_L4_TCP) {
        d->bytes += p->payload_wire;
        if (p->payload_wire)
            sd_conn_history_add(c, 'D', dir);
    }
}
