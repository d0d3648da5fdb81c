/* The record writers of conns, packets, follow and summary on a fuzzed
 * capture, in every format they have: every connection through the
 * conns writer (all fields, reassembly's too, as `conns -R --json`; CSV;
 * the text table), every packet through the packets rows (JSON, text,
 * CSV), the first TCP connection through follow (JSON lines and the
 * ASCII blocks), and the summary (JSON and text), whole (client patterns
 * and files seen) and for a host of interest (--host 0.0.0.0/1, a few
 * connections kept). Checks: every JSON line
 * is valid JSON with strict UTF-8 (fzcheck.c), and the text and CSV forms
 * hold no control byte but newlines (tabs in follow's blocks). */
#include "analyze/sd_summary.h"
#include "analyze/sd_service.h"
#include "capture/sd_capture.h"
#include "flow/sd_engine.h"
#include "fzcheck.h"
#include "out/sd_connfields.h"
#include "out/sd_follow.h"
#include "out/sd_pktout.h"
#include "out/sd_recout.h"
#include "out/sd_summary_out.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FIELDS 256

typedef struct run {
    sd_recout *w[3];         /* conns: JSON, CSV, text */
    sd_buf conns[3];
    sd_buf pj, pt;           /* packets: JSON, text and CSV */
    uint64_t npkt;
    sd_pktout_layout lay[2]; /* text rows, CSV rows (alternating packets) */
    bool following;          /* the first TCP connection is claimed */
    sd_follow_out fj, fa;    /* follow: JSON, ASCII */
    sd_buf follow_json, follow_text;
    sd_summary *sum[2];      /* whole, and --host */
} run;

static void conn_done(void *ud, const sd_conn *c)
{
    run *r = ud;
    for (int i = 0; i < 3; i++)
        sd_recout_record(r->w[i], &r->conns[i], c);
    for (int i = 0; i < 2; i++)
        sd_summary_conn(r->sum[i], c);
}

static void packet_seen(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    run *r = ud;
    for (int i = 0; i < 2; i++)
        sd_summary_packet(r->sum[i], c, p, dir, ta);
    if (!c)
        return;
    sd_pktout_json(&r->pj, c, p, dir, ta);
    sd_pktout_text(&r->pt, c, p, dir, ta, r->npkt & 1, &r->lay[r->npkt & 1]);
    r->npkt++;
}

/* Every TCP connection is claimed (conns -R: reassembly counts); the first
 * is also followed. */
static void *fw_new(void *ctx, sd_conn *c)
{
    run *r = ctx;
    if (c->ipproto != 6)
        return NULL;
    if (r->following)
        return r->conns; /* any non-NULL state: bytes wanted, not shown */
    r->following = true;
    sd_follow_begin(&r->fj, c);
    sd_follow_begin(&r->fa, c);
    return r;
}

static void fw_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    run *r = ctx;
    if (st != r)
        return;
    sd_follow_chunk(&r->fj, dir, ch);
    sd_follow_chunk(&r->fa, dir, ch);
}

static void fw_incons(void *ctx, sd_conn *c, void *st, int dir, const sd_reasm_inconsistency *i)
{
    run *r = ctx;
    if (st == r) {
        sd_follow_overlap(&r->fj, dir, i);
        sd_follow_overlap(&r->fa, dir, i);
    }
}

static void fw_end(void *ctx, sd_conn *c, void *st)
{
    run *r = ctx;
    if (st != r)
        return;
    sd_follow_end(&r->fj, c);
    sd_follow_end(&r->fa, c);
}

static void check(run *r, const sd_engine *e)
{
    sd_buf sj = { 0 }, st = { 0 };
    for (int i = 0; i < 2; i++) {
        const sd_summary_result *sr = sd_summary_finish(r->sum[i]);
        sd_summary_json(&sj, sr, sd_engine_get_stats(e), NULL);
        sd_summary_text(&st, sr, sd_engine_get_stats(e), NULL);
    }
    for (int i = 0; i < 3; i++)
        sd_recout_end(r->w[i], &r->conns[i]);
    fz_json_lines("conns --json", r->conns[0].p, r->conns[0].len);
    fz_terminal_safe("conns --csv", r->conns[1].p, r->conns[1].len, false, false);
    fz_terminal_safe("conns", r->conns[2].p, r->conns[2].len, false, false);
    fz_json_lines("packets --json", r->pj.p, r->pj.len);
    fz_terminal_safe("packets", r->pt.p, r->pt.len, false, false);
    fz_json_lines("follow --json", r->follow_json.p, r->follow_json.len);
    fz_terminal_safe("follow", r->follow_text.p, r->follow_text.len, true, false);
    fz_json_lines("summary --json", sj.p, sj.len);
    fz_terminal_safe("summary", st.p, st.len, false, false);
    sd_buf_free(&sj);
    sd_buf_free(&st);
}

static void run_free(run *r)
{
    for (int i = 0; i < 3; i++) {
        sd_recout_free(r->w[i]);
        sd_buf_free(&r->conns[i]);
    }
    sd_buf_free(&r->pj);
    sd_buf_free(&r->pt);
    sd_buf_free(&r->follow_json);
    sd_buf_free(&r->follow_text);
    for (int i = 0; i < 2; i++)
        sd_summary_free(r->sum[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_diag diag = { 0 };
    sd_capture *cap = fz_capture(data, size, &diag);
    if (!cap)
        return 0;
    static const sd_field *all[MAX_FIELDS];
    size_t nf = sd_conn_fields.n < MAX_FIELDS ? sd_conn_fields.n : MAX_FIELDS;
    for (size_t i = 0; i < nf; i++)
        all[i] = &sd_conn_fields.f[i];
    run r = { 0 };
    static const sd_rec_fmt FMT[3] = { SD_REC_JSON, SD_REC_CSV, SD_REC_TEXT };
    for (int i = 0; i < 3; i++) {
        r.w[i] = sd_recout_new(FMT[i], all, nf, "conn", i == 2 ? 4 : 0);
        sd_recout_begin(r.w[i], &r.conns[i]);
    }
    sd_follow_init(&r.fj, SD_FOLLOW_JSON, -1, &r.follow_json);
    sd_follow_init(&r.fa, SD_FOLLOW_ASCII, -1, &r.follow_text);
    sd_summary_opts so = { .max_hosts = 8, .all_hosts = true, .files = true }; /* the caps too */
    r.sum[0] = sd_summary_new(&so);
    so.host_set = true;
    so.host.max_conns = 4;
    char err[64];
    sd_prefix_parse("0.0.0.0/1", &so.host.host, err, sizeof err);
    r.sum[1] = sd_summary_new(&so);
    sd_engine_opts eo = { .diag = &diag, .reassemble = true, .max_flows = 32, .conn_done = conn_done,
                          .packet_seen = packet_seen, .ud = &r };
    eo.reasm.stream_cap = 1 << 16;
    sd_engine *e = sd_engine_new(&eo);
    sd_analyzer a = { .name = "fuzz", .conn_new = fw_new, .chunk = fw_chunk, .inconsistency = fw_incons,
                      .conn_end = fw_end, .ctx = &r };
    sd_engine_add(e, &a);
    for (int i = 0; i < 2; i++)
        sd_summary_attach(r.sum[i], e);
    sd_service *svc = sd_service_new(); /* conns' service field */
    sd_service_attach(svc, e);
    sd_engine_run(e, cap, NULL, NULL);
    check(&r, e);
    sd_engine_free(e);
    sd_service_free(svc);
    run_free(&r);
    sd_capture_close(cap);
    return 0;
}
