#include "sd_conn.h"

#include <stdio.h>
#include <string.h>

/* Zeek's conn_state derivation (base/protocols/conn/main.zeek, conn_state
 * docs), from the facts the TCP tracker kept. UDP follows Zeek too: S0
 * without a reply, SF with one, SHR with only the responder seen. */
static const char *tcp_state(const sd_conn *c)
{
    bool syn = c->saw_syn, synack = c->saw_synack;
    bool orst = c->rst_seen[0], rrst = c->rst_seen[1];
    bool ofin = c->fin_seen[0], rfin = c->fin_seen[1];
    if (syn && !synack) {
        if (rrst)
            return "REJ";
        if (orst)
            return "RSTOS0";
        if (ofin)
            return "SH";
        return c->d[1].pkts ? "OTH" : "S0";
    }
    if (!syn && synack) {
        if (rrst)
            return "RSTRH";
        if (rfin)
            return "SHR";
        return "OTH";
    }
    if (!syn && !synack)
        return "OTH";
    if (orst || rrst)
        return c->first_rst_dir == 0 ? "RSTO" : "RSTR";
    if (ofin && rfin)
        return "SF";
    if (ofin)
        return "S2";
    if (rfin)
        return "S3";
    return "S1";
}

void sd_conn_finish_state(sd_conn *c)
{
    const char *s;
    if (c->ipproto == 6)
        s = tcp_state(c);
    else if (c->d[0].pkts && c->d[1].pkts)
        s = "SF";
    else
        s = c->d[0].pkts ? "S0" : "SHR";
    snprintf(c->conn_state, sizeof c->conn_state, "%s", s);
}

static uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
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
    uint64_t h2 = fnv64(h ^ 0x9e3779b97f4a7c15ull, &c->id, sizeof c->id);
    c->uid[0] = 'C';
    for (int i = 1; i < 18; i++) {
        uint64_t *v = i < 11 ? &h : &h2;
        c->uid[i] = b62[*v % 62];
        *v /= 62;
    }
    c->uid[18] = '\0';
}
