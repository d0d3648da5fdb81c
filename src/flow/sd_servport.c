/* sd_servport: likely server ports (see the header). */
#include "sd_servport.h"

/* Well-known TCP services: those strider names (sd_service) and the ports
 * Zeek's analyzers register, the usual alternates included. */
static const uint16_t WELL_KNOWN[] = {
    20,   21,   22,   23,   25,   53,   80,   88,   110,  111,  119,  135,  139,  143,  179,  389,
    443,  445,  465,  502,  514,  587,  631,  636,  873,  989,  990,  992,  993,  995,  1080, 1433,
    1521, 1723, 1883, 2022, 2049, 2181, 2222, 2375, 2376, 3128, 3268, 3306, 3389, 4443, 5060, 5061,
    5222, 5269, 5432, 5672, 5900, 5985, 5986, 6379, 6443, 6667, 6668, 6669, 8000, 8008, 8080, 8081,
    8088, 8443, 8888, 9000, 9042, 9092, 9200, 9418, 11211, 27017,
};

void sd_servport_listen(sd_servport *s, uint16_t port)
{
    s->listening[port / 64] |= 1ull << (port % 64);
}

bool sd_servport_likely(const sd_servport *s, uint16_t port)
{
    if (s->listening[port / 64] & (1ull << (port % 64)))
        return true;
    for (unsigned i = 0; i < sizeof WELL_KNOWN / sizeof WELL_KNOWN[0]; i++)
        if (WELL_KNOWN[i] == port)
            return true;
    return false;
}

bool sd_servport_flip(const sd_servport *s, uint16_t sport, uint16_t dport)
{
    return sd_servport_likely(s, sport) && !sd_servport_likely(s, dport);
}
