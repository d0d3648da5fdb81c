/* sd_svcinfo: what a connection's first client message says about it, read
 * by content on any port, bounds-checked, without reassembly: an HTTP
 * request's method, URI and Host (the first request), a TLS ClientHello's
 * SNI, the highest version it offers and its JA4 fingerprint (FoxIO's
 * JA4, TLS over TCP; computed only when the whole ClientHello is there).
 * Strings from the capture are kept printable: other bytes as \xHH,
 * cut at the field's size (cut marked by a trailing "..."). It never
 * prints. */
#ifndef SD_SVCINFO_H
#define SD_SVCINFO_H

#include "../common/sd_common.h"
#include "../flow/sd_conn.h"

/* Parses an HTTP request head (the first packet of one) into c->app:
 * method, URI, Host. Returns whether it was a request line. */
bool sd_svcinfo_http(sd_appinfo *app, const uint8_t *p, size_t n);

typedef enum sd_hello_res {
    SD_HELLO_NO = 0,      /* not a ClientHello */
    SD_HELLO_PARTIAL,     /* a ClientHello longer than p: what was there is filled, no JA4 */
    SD_HELLO_OK,          /* the whole ClientHello: everything, JA4 too */
} sd_hello_res;

/* Parses a TLS record carrying a ClientHello at p into app: SNI, version
 * ("TLSv1.3"...), JA4. */
sd_hello_res sd_svcinfo_tls(sd_appinfo *app, const uint8_t *p, size_t n);
/* The ClientHello's full length from its record header (5 + record
 * length), or 0 when p does not start one: how much to collect. */
size_t sd_svcinfo_tls_len(const uint8_t *p, size_t n);

#endif
