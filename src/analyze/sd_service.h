/* sd_service: what a connection speaks, by content on any port, as Zeek's
 * conn.log `service` field names it ("ssh", "http", "ssl", "dns", "ftp",
 * "smtp"). It reads the first payload of each direction (no reassembly),
 * writes the name into sd_conn.service, and lets the connection go as soon
 * as it has decided or seen enough. It never prints.
 *
 * Written by following docs/architecture.md's recipe for an analyzer. */
#ifndef SD_SERVICE_H
#define SD_SERVICE_H

#include "../flow/sd_engine.h"

typedef struct sd_service sd_service;

sd_service *sd_service_new(void);
/* Registers the analyzer with e; returns its slot. */
int sd_service_attach(sd_service *s, sd_engine *e);
void sd_service_free(sd_service *s);

/* The rule itself, for tests and other analyzers: the service that the
 * first payload p (n bytes) of direction dir suggests, or NULL. proto 6 or
 * 17; dir SD_DIR_ORIG / SD_DIR_RESP. */
const char *sd_service_guess(uint8_t proto, int dir, const uint8_t *p, size_t n);

#endif
