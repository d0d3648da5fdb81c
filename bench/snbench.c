/* snbench: sd_streamno alone, driven as a brute force drives it, for a
 * cache simulation of the stream-number memory (bench/README.md, stop 36):
 * 100,000 connections on distinct address/port pairs, each begun with a
 * SYN and ended, at the default cap (65,536), so that past the cap every
 * end also forgets the oldest pair.
 *   valgrind --tool=cachegrind --cache-sim=yes --LL=2097152,16,64 build/bench/snbench
 * Prints the sum of the stream numbers and the pairs forgotten. */
#include "flow/sd_flowtab.h"
#include "flow/sd_streamno.h"

#include <stdio.h>
#include <string.h>

#define CONNS 100000u
#define CAP 65536u
#define PORTS 60000u /* source ports per client address before the next */

int main(void)
{
    sd_streamno *t = sd_streamno_new(CAP);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < CONNS; i++) {
        sd_flowkey k;
        memset(&k, 0, sizeof k);
        k.proto = 6, k.a.fam = k.b.fam = 4;
        k.a.a[0] = 10, k.a.a[2] = (uint8_t)(i / PORTS), k.a.a[3] = 1;
        k.b.a[0] = 10, k.b.a[3] = 2;
        k.pa = (uint16_t)(1024 + i % PORTS), k.pb = 22;
        sd_pkt p;
        memset(&p, 0, sizeof p);
        p.l4 = SD_L4_TCP, p.flags = SD_TH_SYN, p.seq = i * 2654435761u;
        sd_wsconv w;
        sd_streamno_begin(t, &k, &p, 0, &w);
        sd_streamno_packet(&w, &p, 0);
        sum += w.stream;
        sd_streamno_end(t, &k, &w);
    }
    printf("%llu %llu\n", (unsigned long long)sum, (unsigned long long)sd_streamno_forgotten(t));
    sd_streamno_free(t);
    return 0;
}
