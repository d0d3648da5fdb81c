/* sd_tcphist: Zeek's conn.log history letters for TCP, per Zeek's
 * update_history (TCPSessionAdapter) and ScaledHistoryEntry (Connection):
 * S/H (SYN, SYN-ACK: one letter slot per side), F, R, D, A once each per
 * side; a later SYN, FIN or RST at another sequence number adds its letter
 * again; Q for a packet with two of SYN, FIN, RST, I for FIN with RST
 * (once each); T, W, G again at their 10th, 100th, ... occurrence. Upper
 * case for the originator, lower for the responder. */
#ifndef SD_TCPHIST_H
#define SD_TCPHIST_H

#include <stdbool.h>
#include <stdint.h>

#include "sd_conn.h"

/* Letter slots (sd_tcphist.seen) of a plain data segment and a pure ACK:
 * sd_tcp.c's fast path adds the one it uses when it is not yet used. */
enum { SD_TCPHIST_SEEN_DATA = 8, SD_TCPHIST_SEEN_ACK = 16 };

/* The letters counted for Zeek's scaled repeats. */
enum { SD_HIST_T = 0, SD_HIST_W, SD_HIST_G, SD_HIST_NSCALED };

typedef struct sd_tcphist {
    uint8_t seen;                   /* letter slots used once (Zeek's hist_seen bits) */
    bool based;
    uint32_t base;                  /* Zeek's start sequence number for this side */
    uint32_t last_syn, last_fin, last_rst; /* where the last SYN, FIN (its end), RST sat, relative */
    uint32_t count[SD_HIST_NSCALED];
} sd_tcphist;

/* The flag letters of packet p from side dir, whose Zeek endpoint state
 * before p is zstate (and the one before that zprev): Zeek compares
 * sequence numbers relative to the side's start, which its first packet
 * sets (a SYN's number, else one below) and which a SYN moves to its own
 * number unless the side closed or reset after being active
 * (init_endpoint); so a SYN retry with a new ISN adds no second S, while
 * a RST from an injector that set the start, and the real RST one past
 * the real ISN, sit at the same relative number 1. */
void sd_tcphist_flags(sd_conn *c, sd_tcphist *h, const sd_pkt *p, int dir, uint8_t zstate, uint8_t zprev);

/* What sd_tcphist_flags adds for a segment without SYN, FIN or RST that
 * carries data or an ACK (the fast path's, sd_tcp.c): D or A, once. */
void sd_tcphist_plain(sd_conn *c, sd_tcphist *h, bool data, int dir);

/* One more T, W or G from side dir: the letter at the 1st, 10th, 100th... */
void sd_tcphist_scaled(sd_conn *c, sd_tcphist *h, int which, int dir);

/* A packet from side dir with a wrong checksum (TCP or UDP): counted in
 * d[dir].bad_csum, Zeek's C (c for the responder) at the 1st, 10th, 100th... */
void sd_tcphist_bad_csum(sd_conn *c, int dir);

#endif
