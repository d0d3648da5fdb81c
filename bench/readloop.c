/* readloop: the floor for every benchmark. Opens a capture with libpcap,
 * reads every record with pcap_next_ex and sums the captured lengths, doing
 * nothing else. Any tool that reads the same file cannot beat this by much,
 * so bench/run reports every tool's time as a ratio to it.
 *
 * Usage: readloop FILE...   prints "records N bytes N" (totals over files). */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

typedef struct totals {
    uint64_t records;
    uint64_t caplen_bytes;
} totals;

/* Adds one file's records to t; returns 0, or -1 if it cannot be read. */
static int read_file(const char *path, totals *t)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, errbuf);
    if (!p) {
        fprintf(stderr, "readloop: %s: %s\n", path, errbuf);
        return -1;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        t->records++;
        t->caplen_bytes += h->caplen;
    }
    /* -2 is the normal end of a savefile; -1 is a read error (truncated
     * record and the like): report it but keep what was counted. */
    if (rc == -1)
        fprintf(stderr, "readloop: %s: %s\n", path, pcap_geterr(p));
    pcap_close(p);
    return rc == -1 ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: readloop FILE...\n");
        return 2;
    }
    totals t = {0, 0};
    int status = 0;
    for (int i = 1; i < argc; i++)
        if (read_file(argv[i], &t) != 0)
            status = 1;
    printf("records %llu bytes %llu\n", (unsigned long long)t.records,
           (unsigned long long)t.caplen_bytes);
    return status;
}
