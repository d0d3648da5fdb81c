/* sd_reasmcount: an analyzer that wants every TCP stream's bytes and does
 * nothing with them, so that the engine reassembles each stream and the
 * reassembly's counts (stream, gap and inconsistent bytes, truncation,
 * out-of-window data) land in the connection's facts (conns -R). */
#ifndef SD_REASMCOUNT_H
#define SD_REASMCOUNT_H

#include "../flow/sd_engine.h"

/* Registers it with e (which must reassemble). */
void sd_reasmcount_attach(sd_engine *e);

#endif
