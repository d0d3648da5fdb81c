#include "sd_evfiles.h"

#include "sd_evout.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { F_JSON, F_CSV, F_KEYS, F_N };
static const char *const NAMES[F_N] = { "events.jsonl", "events.csv", "keystrokes.csv" };

struct sd_evfiles {
    FILE *f[F_N];
    char *dir;
    const char *prog;
    bool live;
};

static FILE *create(const sd_evfiles *x, const char *name)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", x->dir, name);
    FILE *f = sd_create(p);
    if (!f)
        fprintf(stderr, "%s: cannot write %s: %s\n", x->prog, p, strerror(errno));
    return f;
}

sd_evfiles *sd_evfiles_open(const char *dir, bool keystrokes, bool live, const char *prog)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) { /* made when missing */
        fprintf(stderr, "%s: cannot create %s: %s\n", prog, dir, strerror(errno));
        return NULL;
    }
    sd_evfiles *x = sd_calloc(1, sizeof *x);
    x->dir = sd_strdup(dir);
    x->prog = prog;
    x->live = live;
    bool ok = true;
    for (int k = 0; k < F_N && ok; k++)
        ok = (k == F_KEYS && !keystrokes) || (x->f[k] = create(x, NAMES[k])) != NULL;
    if (!ok) {
        sd_evfiles_close(x);
        return NULL;
    }
    sd_buf h = { 0 };
    sd_evout_csv_header(&h);
    fwrite(h.p, 1, h.len, x->f[F_CSV]);
    sd_buf_free(&h);
    if (x->f[F_KEYS])
        fputs("uid,leg,ts,frame,file,file_frame,key,latency_ms\n", x->f[F_KEYS]);
    return x;
}

static void keystroke_row(sd_buf *b, const sd_event *e)
{
    const sd_evfield *k = sd_ev_get(e, "key"), *lat = sd_ev_get(e, "latency_ms");
    sd_buf_printf(b, "%s,%s,%.6f,%llu,", e->uid, sd_leg_name(e->leg), sd_ts_sec(e->ts), (unsigned long long)e->frame);
    sd_csv_origin(b, e->frame);
    sd_buf_printf(b, ",%s,", k ? k->s : "");
    if (lat)
        sd_buf_printf(b, "%.3f", lat->f);
    sd_buf_printf(b, "\n");
}

void sd_evfiles_write(sd_evfiles *x, bool (*keep)(void *ud, const sd_event *e), void *ud, const sd_evlist *l)
{
    if (!x)
        return;
    sd_buf b[F_N] = { { 0 } };
    for (size_t i = 0; i < l->n; i++) {
        const sd_event *e = &l->v[i];
        if (keep && !keep(ud, e))
            continue;
        sd_evout_json(&b[F_JSON], e);
        sd_evout_csv(&b[F_CSV], e);
        if (x->f[F_KEYS] && strcmp(e->kind, "keystroke") == 0)
            keystroke_row(&b[F_KEYS], e);
    }
    for (int k = 0; k < F_N; k++) {
        if (x->f[k] && b[k].len)
            fwrite(b[k].p, 1, b[k].len, x->f[k]);
        if (x->f[k] && x->live)
            fflush(x->f[k]);
        sd_buf_free(&b[k]);
    }
}

int sd_evfiles_close(sd_evfiles *x)
{
    if (!x)
        return 0;
    int rc = 0;
    for (int k = 0; k < F_N; k++) {
        if (!x->f[k])
            continue;
        bool bad = ferror(x->f[k]) != 0;
        if (fclose(x->f[k]) != 0 || bad) {
            fprintf(stderr, "%s: cannot write %s/%s\n", x->prog, x->dir, NAMES[k]);
            rc = -1;
        }
    }
    free(x->dir);
    free(x);
    return rc;
}
