#include "sd_conn.h"

#include <string.h>

static void history_put(sd_conn *c, char letter, int dir, bool force)
{
    char ch = dir == SD_DIR_ORIG ? letter : (char)(letter - 'A' + 'a');
    if (!force && strchr(c->history, ch))
        return;
    size_t n = strlen(c->history);
    if (n < SD_HISTORY_MAX) {
        c->history[n] = ch;
        c->history[n + 1] = '\0';
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

/* Called with constant lengths (the fields of a uid): unrolled, the loop
 * control goes and each byte costs its xor and multiply. */
static inline uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
#pragma GCC unroll 16
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* A Zeek-looking uid ("C" + 17 base62 characters) that is a pure function
 * of the connection's identity, so the same capture gives the same uids. */
void sd_conn_make_uid(sd_conn *c)
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint64_t h = 14695981039346656037ull;
    h = fnv64(h, &c->ipproto, 1);
    h = fnv64(h, c->orig_h.a, 16);
    h = fnv64(h, c->resp_h.a, 16);
    h = fnv64(h, &c->orig_p, 2);
    h = fnv64(h, &c->resp_p, 2);
    h = fnv64(h, &c->start, sizeof c->start);
    h = fnv64(h, &c->first_frame, sizeof c->first_frame);
    uint64_t h2 = fnv64(h ^ 0x9e3779b97f4a7c15ull, &c->conn_index, sizeof c->conn_index);
    c->uid[0] = 'C';
    /* two loops, each on a local: a pointer to either hash kept them in
     * memory (~350 instructions a connection, ~140 now) */
    for (int i = 1; i < 11; i++, h /= 62)
        c->uid[i] = b62[h % 62];
    for (int i = 11; i < 18; i++, h2 /= 62)
        c->uid[i] = b62[h2 % 62];
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
