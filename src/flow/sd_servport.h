/* sd_servport: which end of a connection joined mid-stream is the server.
 *
 * A capture that starts inside a connection shows whichever side spoke
 * first, often the server answering. Zeek's rule (likely_server_ports):
 * when the first packet comes from a likely server port and goes to a port
 * that is not one, the receiver is the originator. strider's list of likely
 * server ports is the well-known services it and Zeek recognise, plus every
 * port seen answering a SYN with a SYN-ACK earlier in the same capture
 * (a server actually listening there). */
#ifndef SD_SERVPORT_H
#define SD_SERVPORT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sd_servport {
    uint64_t listening[65536 / 64]; /* TCP ports seen sending a SYN-ACK */
} sd_servport;

void sd_servport_listen(sd_servport *s, uint16_t port);
bool sd_servport_likely(const sd_servport *s, uint16_t port);
/* Should a connection whose first packet goes sport -> dport, with no SYN,
 * take the receiver as its originator? */
bool sd_servport_flip(const sd_servport *s, uint16_t sport, uint16_t dport);

#endif
