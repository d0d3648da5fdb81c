#include "sd_tcphist.h"

enum { SEEN_SYN = 1, SEEN_FIN = 2, SEEN_RST = 4, SEEN_DATA = SD_TCPHIST_SEEN_DATA,
       SEEN_ACK = SD_TCPHIST_SEEN_ACK, SEEN_MULTI = 32, SEEN_FINRST = 64 };

/* Zeek's CheckHistory: the letter the first time its slot is used;
 * returns whether the slot was used before. */
static bool once(sd_conn *c, sd_tcphist *h, uint8_t slot, char letter, int dir)
{
    if (h->seen & slot)
        return true;
    h->seen |= slot;
    sd_conn_history_force(c, letter, dir);
    return false;
}

/* A SYN, FIN or RST: its letter once, and again whenever it comes at
 * another sequence number than the last of its kind. */
static void at_seq(sd_conn *c, sd_tcphist *h, uint8_t slot, char letter, int dir, uint32_t *last, uint32_t seq)
{
    if (once(c, h, slot, letter, dir) && seq != *last)
        sd_conn_history_force(c, letter, dir);
    *last = seq;
}

/* Zeek's init_endpoint: where this side's relative numbering starts. */
static uint32_t relative(sd_tcphist *h, const sd_pkt *p, uint8_t zstate, uint8_t zprev)
{
    bool syn = p->flags & SD_TH_SYN;
    if (!h->based) {
        h->based = true;
        h->base = syn ? p->seq : p->seq - 1;
    } else if (syn && zstate != SD_ZS_CLOSED && (zstate != SD_ZS_RESET || zprev == SD_ZS_INACTIVE)) {
        h->base = p->seq;
    }
    return p->seq - h->base;
}

void sd_tcphist_flags(sd_conn *c, sd_tcphist *h, const sd_pkt *p, int dir, uint8_t zstate, uint8_t zprev)
{
    uint8_t fl = p->flags;
    bool syn = fl & SD_TH_SYN, fin = fl & SD_TH_FIN, rst = fl & SD_TH_RST;
    uint32_t rel = relative(h, p, zstate, zprev);
    if (syn + fin + rst > 1) {
        if (fin && rst)
            once(c, h, SEEN_FINRST, 'I', dir);
        else
            once(c, h, SEEN_MULTI, 'Q', dir);
    } else if (syn) {
        at_seq(c, h, SEEN_SYN, (fl & SD_TH_ACK) ? 'H' : 'S', dir, &h->last_syn, rel);
    } else if (fin) {
        /* a FIN's place is the end of the data it carries */
        at_seq(c, h, SEEN_FIN, 'F', dir, &h->last_fin, rel + p->payload_wire);
    } else if (rst) {
        at_seq(c, h, SEEN_RST, 'R', dir, &h->last_rst, rel);
    } else if (p->payload_wire || (fl & SD_TH_ACK)) {
        /* data on a SYN, FIN or RST adds no D (Zeek): the bytes still count
         * in orig_bytes and payload_bytes */
        sd_tcphist_plain(c, h, p->payload_wire != 0, dir);
    }
}

void sd_tcphist_plain(sd_conn *c, sd_tcphist *h, bool data, int dir)
{
    if (data)
        once(c, h, SEEN_DATA, 'D', dir);
    else
        once(c, h, SEEN_ACK, 'A', dir);
}

/* Zeek's ScaledHistoryEntry: the nth occurrence shows when n is a power of 10. */
static bool scaled_due(uint64_t n)
{
    uint64_t p10 = 1;
    while (p10 < n && p10 <= UINT64_MAX / 10)
        p10 *= 10;
    return n == p10;
}

void sd_tcphist_scaled(sd_conn *c, sd_tcphist *h, int which, int dir)
{
    if (scaled_due(++h->count[which]))
        sd_conn_history_force(c, "TWG"[which], dir);
}

void sd_tcphist_bad_csum(sd_conn *c, int dir)
{
    if (scaled_due(++c->d[dir].bad_csum))
        sd_conn_history_force(c, 'C', dir);
}
