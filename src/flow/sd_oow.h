/* sd_oow: TCP segments beyond the receiver's window, held until the
 * receiver ACKs them (then fed to reassembly) or the connection ends (then
 * dropped and counted). The engine's part of a flow's life, kept apart. */
#ifndef SD_OOW_H
#define SD_OOW_H

#include "sd_flowtab.h"

/* What every flow holds, together, and where drops are counted. */
typedef struct sd_oowpool {
    size_t held;        /* bytes held over every flow */
    uint64_t *dropped;  /* segments never ACKed or over a cap */
} sd_oowpool;

/* Is p (from dir) beyond the window the receiver could have opened? */
bool sd_oow_beyond(const sd_flow *f, const sd_pkt *p, int dir);
/* How many of p's payload bytes lie inside the window its receiver
 * offered (all where the window is not known); the rest are doubtful. */
uint32_t sd_oow_inside(const sd_flow *f, const sd_pkt *p, int dir);
/* Holds p (or drops it at a cap, counted). */
void sd_oow_hold(sd_oowpool *pl, sd_flow *f, const sd_pkt *p, int dir);
/* The receiver of dir ACKed up to ack: covered segments go to reassembly. */
void sd_oow_release(sd_oowpool *pl, sd_flow *f, int dir, uint32_t ack);
/* The connection ends: what was never ACKed is dropped and counted. */
void sd_oow_end(sd_oowpool *pl, sd_flow *f);

#endif
