/* ssh_dump: test driver for sd_ssh. Reads a vector file written by
 * ssh_vectors.py (per TCP stream: in-order bytes per direction with frame
 * numbers) and prints one JSON object per stream with what the parser
 * found. Built by tests/ssh/t_ssh.sh against libstrider.a.
 *
 *   ssh_dump [-b | -r SEED] FILE.vec
 *     -b       feed one byte at a time
 *     -r SEED  feed random-sized pieces (1..97 bytes)
 *   ssh_dump -e FILE.pcap
 *     run the capture through sd_engine + sd_sshconn instead (the glue
 *     the CLI uses); same JSON, one line per SSH connection
 * Records are summarised as counts plus an FNV-1a hash of (dir, len, frame,
 * offset) so that feeding modes can be compared exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/sd_capture.h"
#include "flow/sd_engine.h"
#include "ssh/sd_ssh.h"
#include "ssh/sd_sshconn.h"

typedef struct rec_log {
    uint64_t n[2], bytes[2], exact[2];
    uint64_t hash;
    uint32_t first[2][64]; /* first record sizes per dir */
    uint64_t hist_k[2];   /* records equal to the predicted keystroke size */
    uint32_t k[2];
} rec_log;

static void on_record(void *ud, const sd_ssh_record *r)
{
    rec_log *L = ud;
    int d = r->dir;
    if (L->n[d] < 64)
        L->first[d][L->n[d]] = r->wire_len;
    L->n[d]++;
    L->bytes[d] += r->wire_len;
    L->exact[d] += r->exact;
    if (L->k[d] && r->wire_len == L->k[d])
        L->hist_k[d]++;
    uint64_t v[4] = { (uint64_t)d, r->wire_len, r->frame, r->offset };
    const uint8_t *p = (const uint8_t *)v;
    for (size_t i = 0; i < sizeof(v); i++) {
        L->hash ^= p[i];
        L->hash *= 1099511628211ULL;
    }
}

static void jstr(const char *key, const char *v)
{
    printf("\"%s\":", key);
    if (!v) {
        printf("null,");
        return;
    }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    printf("\",");
}

static void jint(const char *key, long long v)
{
    printf("\"%s\":%lld,", key, v);
}

static void print_meta(int stream, const sd_ssh_meta *m, const rec_log *L)
{
    int c = m->client_dir, sv = 1 - c;
    const sd_ssh_side *cs = &m->side[c], *ss = &m->side[sv];
    printf("{");
    jint("stream", stream);
    jint("client_dir", c);
    jint("evidence", m->client_dir_evidence);
    jstr("banner0", m->side[0].banner);
    jstr("banner1", m->side[1].banner);
    jstr("client_banner", cs->banner);
    jstr("server_banner", ss->banner);
    jstr("client_software", cs->software);
    jstr("server_software", ss->software);
    jstr("server_proto", ss->proto);
    jstr("prebanner0", m->side[0].prebanner);
    jstr("prebanner1", m->side[1].prebanner);
    jstr("hassh", cs->kexinit_seen ? cs->hassh : NULL);
    jstr("hassh_algorithms", cs->hassh_algorithms);
    jstr("hasshServer", ss->kexinit_seen ? ss->hassh : NULL);
    jstr("hasshServer_algorithms", ss->hassh_algorithms);
    jstr("kex", m->kex_alg);
    jstr("hostkey_alg", m->hostkey_alg);
    jstr("cipher_c2s", m->cipher[0]);
    jstr("cipher_s2c", m->cipher[1]);
    jstr("mac_c2s", m->mac[0]);
    jstr("mac_s2c", m->mac[1]);
    jstr("comp_c2s", m->comp[0]);
    jstr("comp_s2c", m->comp[1]);
    jstr("hostkey_type", m->hostkey_seen ? m->hostkey_type : NULL);
    jstr("hostkey_sha256", m->hostkey_seen ? m->hostkey_sha256 : NULL);
    jstr("hostkey_md5", m->hostkey_seen ? m->hostkey_md5 : NULL);
    jint("kex_reply_frame", (long long)m->kex_reply_frame);
    jint("version", m->version);
    jint("client_strict", cs->strict_kex);
    jint("server_strict", ss->strict_kex);
    jint("client_ext_info", cs->ext_info);
    jint("strict_kex", m->strict_kex);
    jint("terrapin", m->terrapin);
    jstr("terrapin_reason", m->terrapin_reason);
    jstr("outcome", sd_ssh_outcome_name(m->outcome));
    jint("newkeys_frame0", (long long)m->side[0].newkeys_frame);
    jint("newkeys_frame1", (long long)m->side[1].newkeys_frame);
    jint("enc_offset0", (long long)m->side[0].enc_offset);
    jint("enc_offset1", (long long)m->side[1].enc_offset);
    jint("enc_bytes0", (long long)m->side[0].enc_bytes);
    jint("enc_bytes1", (long long)m->side[1].enc_bytes);
    jint("splitting0", m->side[0].splitting);
    jint("splitting1", m->side[1].splitting);
    jint("k_client", sd_ssh_wire_size(&cs->suite, SD_SSH_P_KEYSTROKE));
    jint("k_server", sd_ssh_wire_size(&ss->suite, SD_SSH_P_KEYSTROKE));
    jint("unexpected_client", cs->unexpected_msgs);
    jint("unexpected_server", ss->unexpected_msgs);
    jint("first_unexpected_type", cs->unexpected_msgs ? cs->first_unexpected_type
                                                      : ss->first_unexpected_type);
    jint("rec_client", (long long)L->n[c]);
    jint("rec_server", (long long)L->n[sv]);
    jint("rec_exact_client", (long long)L->exact[c]);
    jint("rec_bytes_client", (long long)L->bytes[c]);
    jint("rec_bytes_server", (long long)L->bytes[sv]);
    jint("rec_client_eq_k", (long long)L->hist_k[c]);
    jint("rec_server_eq_k", (long long)L->hist_k[sv]);
    printf("\"rec_first_client\":[");
    for (uint64_t i = 0; i < L->n[c] && i < 64; i++)
        printf("%s%u", i ? "," : "", L->first[c][i]);
    printf("],\"rec_first_server\":[");
    for (uint64_t i = 0; i < L->n[sv] && i < 64; i++)
        printf("%s%u", i ? "," : "", L->first[sv][i]);
    printf("],\"rec_hash\":\"%016llx\",", (unsigned long long)L->hash);
    printf("\"anomalies\":[");
    for (uint32_t i = 0; i < m->n_anomalies; i++) {
        const sd_ssh_anomaly *a = &m->anomalies[i];
        printf("%s[\"%s\",%d,%llu]", i ? "," : "", sd_ssh_anom_name(a->code), a->dir,
               (unsigned long long)a->frame);
    }
    printf("],\"anomalies_total\":%u}\n", m->anomalies_total);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

static uint32_t rng_state = 1;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* ---- engine mode: per-conn record logs indexed by conn id */
typedef struct eng_ctx {
    rec_log *logs;
    size_t n;
} eng_ctx;

static rec_log *eng_log(eng_ctx *e, uint64_t id)
{
    if (id >= e->n) {
        size_t nn = (size_t)id + 64;
        e->logs = realloc(e->logs, nn * sizeof(*e->logs));
        if (!e->logs)
            exit(2);
        for (size_t i = e->n; i < nn; i++) {
            memset(&e->logs[i], 0, sizeof(e->logs[i]));
            e->logs[i].hash = 1469598103934665603ULL;
        }
        e->n = nn;
    }
    return &e->logs[id];
}

static void eng_done(void *ud, const sd_sshconn_result *r)
{
    rec_log *L = eng_log(ud, r->conn->id);
    for (size_t i = 0; i < r->nrec; i++)
        on_record(L, &r->rec[i]);
    print_meta((int)r->conn->id, r->meta, L);
}

static int engine_mode(const char *path)
{
    char err[256];
    const char *paths[1] = { path };
    sd_capture_opts co = { 0 };
    sd_capture *cap = sd_capture_open(paths, 1, &co, err, sizeof(err));
    if (!cap) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    eng_ctx ec = { 0 };
    sd_sshconn_opts so = { .done = eng_done, .ud = &ec };
    sd_sshconn *x = sd_sshconn_new(&so);
    /* every packet, as the streams mode reads them: this compares the glue,
     * not checksum verification (tests/evasion/t_checksum.sh) */
    sd_engine_opts eo = { .reassemble = true, .csum = SD_CSUM_OFF };
    sd_engine *e = sd_engine_new(&eo);
    sd_sshconn_attach(x, e);
    sd_engine_run(e, cap, NULL, NULL);
    const sd_sshconn_stats *st = sd_sshconn_get_stats(x);
    fprintf(stderr, "claimed %llu ssh %llu released %llu\n", (unsigned long long)st->claimed,
            (unsigned long long)st->ssh, (unsigned long long)st->released);
    sd_engine_free(e);
    sd_sshconn_free(x);
    sd_capture_close(cap);
    free(ec.logs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-e") == 0)
        return engine_mode(argv[2]);
    int mode = 0; /* 0 whole segments, 1 bytes, 2 random */
    int ai = 1;
    if (ai < argc && strcmp(argv[ai], "-b") == 0) {
        mode = 1;
        ai++;
    } else if (ai + 1 < argc && strcmp(argv[ai], "-r") == 0) {
        mode = 2;
        rng_state = (uint32_t)strtoul(argv[ai + 1], NULL, 10) | 1u;
        ai += 2;
    }
    if (ai >= argc) {
        fprintf(stderr, "usage: ssh_dump [-b | -r SEED] FILE.vec\n");
        return 2;
    }
    FILE *f = fopen(argv[ai], "r");
    if (!f) {
        perror(argv[ai]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    sd_ssh *s = NULL;
    rec_log L;
    int stream = -1;
    uint8_t *buf = NULL;
    size_t bcap = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[0] == 'S') {
            char orig[80], resp[80];
            int firm = 0; /* "S stream orig resp firm": the handshake seen, as sd_sshconn's hint_firm */
            if (sscanf(line + 2, "%d %79s %79s %d", &stream, orig, resp, &firm) < 1)
                stream = -1;
            memset(&L, 0, sizeof(L));
            L.hash = 1469598103934665603ULL;
            sd_ssh_opts o = { .client_hint = 0, .hint_firm = firm == 1, .record = on_record, .ud = &L };
            s = sd_ssh_new(&o);
        } else if (line[0] == 'E' && s) {
            print_meta(stream, sd_ssh_meta_get(s), &L);
            sd_ssh_free(s);
            s = NULL;
        } else if (line[0] == 'G' && s) {
            int dir;
            unsigned long long fr, len;
            if (sscanf(line + 2, "%d %llu %llu", &dir, &fr, &len) == 3)
                sd_ssh_gap(s, dir, len, fr);
        } else if (line[0] == 'D' && s) {
            int dir, pos = 0;
            unsigned long long fr;
            long long ts;
            if (sscanf(line + 2, "%d %llu %lld %n", &dir, &fr, &ts, &pos) < 3)
                continue;
            const char *h = line + 2 + pos;
            size_t hl = strcspn(h, "\r\n") / 2;
            if (hl > bcap) {
                bcap = hl;
                buf = realloc(buf, bcap);
                if (!buf)
                    return 2;
            }
            for (size_t i = 0; i < hl; i++)
                buf[i] = (uint8_t)(hexval(h[2 * i]) << 4 | hexval(h[2 * i + 1]));
            /* the segment-level path sees where this segment starts */
            uint64_t off = sd_ssh_offset(s, dir);
            size_t i = 0;
            while (i < hl) {
                size_t step = hl - i;
                if (mode == 1)
                    step = 1;
                else if (mode == 2) {
                    size_t r = 1 + rnd() % 97; /* SD_MIN evaluates twice */
                    step = SD_MIN(step, r);
                }
                sd_ssh_feed(s, dir, buf + i, step, fr, (sd_ts)ts);
                i += step;
            }
            sd_ssh_segment(s, dir, off, (uint32_t)hl, fr, (sd_ts)ts);
            /* predicted keystroke sizes, once the suites are known */
            const sd_ssh_meta *m = sd_ssh_meta_get(s);
            for (int d = 0; d < 2; d++)
                if (!L.k[d])
                    L.k[d] = sd_ssh_wire_size(&m->side[d].suite, SD_SSH_P_KEYSTROKE);
        }
    }
    if (s) { /* file without E */
        print_meta(stream, sd_ssh_meta_get(s), &L);
        sd_ssh_free(s);
    }
    free(line);
    free(buf);
    fclose(f);
    return 0;
}
