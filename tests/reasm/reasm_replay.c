/* Replays segdump.py output through sd_reasm the way the engine does (set
 * the ISN on a SYN, feed payload/FIN/RST segments, ACKs to the other
 * direction, flush at the end) and writes, per connection and direction,
 * the delivered stream to PREFIX.C.D ("PREFIX.0.0"), and one line per GAP,
 * inconsistency and final stats to stdout.
 * usage: reasm_replay [-p first|last|linux|bsd|windows] PREFIX < dump */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/sd_decode.h"
#include "flow/sd_reasm.h"

#define MAXC 64

typedef struct dirst {
    sd_reasm *z;
    FILE *f;
    int c, d;
} dirst;

static void on_chunk(void *ud, const sd_chunk *ch)
{
    dirst *s = ud;
    if (ch->kind == SD_CHUNK_GAP)
        printf("GAP %d.%d off=%llu len=%u flags=%u frame=%llu\n", s->c, s->d,
               (unsigned long long)ch->offset, ch->len, ch->flags, (unsigned long long)ch->last_frame);
    else
        fwrite(ch->data, 1, ch->len, s->f);
    if (ch->flags & ~(unsigned)SD_CHUNKF_RETRANS_INCONSISTENT && ch->kind == SD_CHUNK_DATA)
        printf("FLAGS %d.%d off=%llu len=%u flags=%u\n", s->c, s->d, (unsigned long long)ch->offset,
               ch->len, ch->flags);
}

static void on_inc(void *ud, const sd_reasm_inconsistency *i)
{
    dirst *s = ud;
    printf("INCONSISTENT %d.%d off=%llu len=%u old=%llu new=%llu\n", s->c, s->d,
           (unsigned long long)i->offset, i->len, (unsigned long long)i->old_frame,
           (unsigned long long)i->new_frame);
}

int main(int argc, char **argv)
{
    sd_reasm_opts o = {SD_OVERLAP_FIRST, 0, NULL, 0, false};
    int ai = 1;
    if (argc > 3 && strcmp(argv[1], "-p") == 0) {
        const char *p = argv[2];
        o.policy = !strcmp(p, "last") ? SD_OVERLAP_LAST
                   : !strcmp(p, "linux") ? SD_OVERLAP_LINUX
                   : !strcmp(p, "bsd") ? SD_OVERLAP_BSD
                   : !strcmp(p, "windows") ? SD_OVERLAP_WINDOWS
                                           : SD_OVERLAP_FIRST;
        ai = 3;
    }
    if (ai >= argc)
        return 2;
    static dirst st[MAXC][2];
    static bool seen[MAXC];
    static char line[1 << 18];
    static uint8_t buf[1 << 17];
    while (fgets(line, sizeof line, stdin)) {
        int c, d;
        unsigned long long frame;
        unsigned fl, seq, ack, len;
        char hex[1 << 18];
        if (sscanf(line, "%d %d %llu %u %u %u %u %s", &c, &d, &frame, &fl, &seq, &ack, &len, hex) != 8)
            continue;
        if (c < 0 || c >= MAXC || d < 0 || d > 1 || len > sizeof buf)
            continue;
        if (!seen[c]) {
            seen[c] = true;
            for (int k = 0; k < 2; k++) {
                char name[4096];
                snprintf(name, sizeof name, "%s.%d.%d", argv[ai], c, k);
                st[c][k] = (dirst){NULL, fopen(name, "wb"), c, k};
                if (!st[c][k].f)
                    return 1;
                sd_reasm_cb cb = {on_chunk, on_inc, &st[c][k], NULL};
                st[c][k].z = sd_reasm_new(&o, &cb);
            }
        }
        for (unsigned i = 0; i < len; i++)
            sscanf(hex + 2 * i, "%2hhx", &buf[i]);
        sd_ts ts = (sd_ts)frame;
        if (fl & SD_TH_SYN)
            sd_reasm_set_isn(st[c][d].z, seq);
        if (len || (fl & (SD_TH_FIN | SD_TH_RST)))
            sd_reasm_segment(st[c][d].z, seq, (uint8_t)fl, buf, len, frame, ts);
        if (fl & SD_TH_ACK)
            sd_reasm_ack(st[c][!d].z, ack, frame, ts);
    }
    for (int c = 0; c < MAXC; c++) {
        if (!seen[c])
            continue;
        for (int k = 0; k < 2; k++) {
            sd_reasm_flush(st[c][k].z);
            const sd_reasm_stats *s = sd_reasm_get_stats(st[c][k].z);
            printf("STATS %d.%d delivered=%llu gap=%llu retrans=%llu/%llu incons=%llu/%llu ooo=%llu trunc=%d\n",
                   c, k, (unsigned long long)s->bytes_delivered, (unsigned long long)s->gap_bytes,
                   (unsigned long long)s->retrans_segments, (unsigned long long)s->retrans_bytes,
                   (unsigned long long)s->inconsistent_segments,
                   (unsigned long long)s->inconsistent_bytes, (unsigned long long)s->ooo_segments,
                   s->truncated);
            sd_reasm_free(st[c][k].z);
            fclose(st[c][k].f);
        }
    }
    return 0;
}
