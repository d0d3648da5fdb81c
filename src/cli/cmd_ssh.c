/* strider ssh: every SSH connection, found by content on any port.
 * -m: the metadata an analyst reads first (banners, HASSH, negotiated suite,
 * host key, strict KEX / Terrapin, scan outcome), as text or as JSON lines
 * with Zeek ssh.log field names plus strider's own. */
#include "../out/sd_evfiles.h"
#include "../out/sd_evout.h"
#include "../ssh/sd_ssh_record.h"
#include "../out/sd_json.h"
#include "../ssh/sd_infer.h"
#include "../ssh/sd_ssh_report.h"
#include "../analyze/sd_campaign.h"
#include "cli_cmd.h"
#include "cli_opt.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: strider ssh [options] FILE...\n"
    "SSH connections found by content (any port, either side first).\n\n"
    "  -m, --meta           metadata only: banners, HASSH/hasshServer, negotiated\n"
    "                       algorithms, host key fingerprint, strict KEX/Terrapin,\n"
    "                       scan outcome\n"
    "  -k, --keystrokes     keystroke inference (packetStrider's -k): always on in\n"
    "                       strider, so accepted and changes nothing\n"
    "      --kinds LIST     only these event kinds, e.g. keystroke,command_output\n"
    "                       or auth_attempt (docs/events.md lists them)\n"
    "  -n, --stream N       only TCP stream N (Wireshark's tcp.stream)\n"
    "  -z, --zoom FROM-TO   only events whose first frame is in FROM..TO\n"
    "  -d, --leg L          forward, reverse (incl. nested) or both (default)\n"
    "  -w, --window S       windowed exfil/infil view: window length (s); the\n"
    "                       HTML data-movement plot uses the same windows\n"
    "  -s, --stride S       window stride (s; default = window)\n"
    "  -o, --outdir DIR     also write events.csv and events.jsonl into DIR\n"
    "  -p, --report         with -o: also DIR/report.html (self-contained, SVG plots:\n"
    "                       findings timeline, data movement, record sizes) and\n"
    "                       DIR/keystrokes.csv (inter-key latencies)\n"
    "      --no-color       no colours (also NO_COLOR=1; never when not a terminal)\n"
    "  -j, --json           JSON lines: \"type\":\"ssh\" per connection (Zeek ssh.log\n"
    "                       names) and \"type\":\"event\" per finding (docs/events.md)\n"
    "      --csv            events as CSV\n"
    "      --records        the encrypted-record stream (debugging the rules)\n"
    CLI_COMMON_HELP;

typedef struct ssh_run {
    bool json, csv, meta_only, records;
    char kinds[512];         /* --kinds: ",a,b," or "" for every kind */
    int64_t stream;         /* -1 = all */
    uint64_t zfrom, zto;    /* 0,0 = all */
    int legs;               /* bit 0 forward, bit 1 reverse/nested */
    double window, stride;
    const char *outdir;
    bool plots;             /* -p: report.html and keystrokes.csv into outdir */
    bool no_color;
    sd_report_opts ro;      /* terminal and HTML report options */
    sd_report_html *html;   /* -p with -o: holds what it draws until the end */
    sd_campaign *camp;       /* brute force and scans across connections */
    bool live;               /* flush each connection's output at once */
    sd_evfiles *files;       /* -o: events.jsonl, events.csv (keystrokes.csv), as connections end */
    sd_sshan *an;
    uint64_t shown;          /* SSH connections written */
} ssh_run;

static bool keep(const ssh_run *run, const sd_event *e)
{
    if (run->kinds[0]) {
        char k[72];
        snprintf(k, sizeof k, ",%s,", e->kind);
        if (!strstr(run->kinds, k))
            return false;
    }
    if (e->frame < run->zfrom || (run->zto && e->frame > run->zto))
        return false;
    int bit = e->leg == SD_LEG_FORWARD ? 1 : 2;
    return (run->legs & bit) != 0;
}

static bool keep_ev(void *ud, const sd_event *e) /* keep() as sd_evfiles takes it */
{
    return keep(ud, e);
}

/* The cross-connection findings (brute force, scans), after the last
 * connection's block, and live as soon as they are decided. */
static void campaign_out(ssh_run *run, const sd_evlist *l, const char *title)
{
    sd_buf o = { 0 };
    for (size_t i = 0; i < l->n; i++) {
        if (run->json)
            sd_evout_json(&o, &l->v[i]);
        else if (run->csv)
            sd_evout_csv(&o, &l->v[i]);
        else {
            sd_buf_printf(&o, "%s\n", title);
            sd_evout_text(&o, &l->v[i], 0, false);
        }
    }
    if (run->outdir)
        sd_evfiles_write(run->files, keep_ev, run, l);
    cli_flush_now(&o);
    sd_buf_free(&o);
}

static void infer_out(ssh_run *run, sd_buf *b, const sd_ssh_done *d)
{
    const sd_sshconn_result *r = d->r;
    if (run->json)
        sd_sshout_meta_json(b, r, d->summary);
    sd_evlist kept = { 0 };
    for (size_t i = 0; i < d->events->n; i++) {
        const sd_event *e = &d->events->v[i];
        if (!keep(run, e))
            continue;
        if (run->json)
            sd_evout_json(b, e);
        else if (run->csv)
            sd_evout_csv(b, e);
        if ((!run->json && !run->csv) || run->html) {
            sd_event *c = sd_ev_add(&kept, e->kind, e->uid, e->stream, e->ts, e->frame, e->frame_last, e->leg);
            uint64_t seq = c->seq;
            *c = *e;
            c->seq = seq;
        }
    }
    if (run->outdir)
        sd_evfiles_write(run->files, keep_ev, run, d->events);
    sd_ssh_report *sr = sd_calloc(1, sizeof *sr);
    sd_ssh_report_fill(sr, d, kept.v, kept.n, &run->ro, run->html != NULL);
    if (!run->json && !run->csv)
        sd_report_text(b, &sr->rc, &run->ro);
    if (run->html)
        sd_report_html_add(run->html, &sr->rc);
    sd_ssh_report_clear(sr);
    free(sr);
    sd_evlist_free(&kept);
}

/* Live: a finding decided while its connection goes on. */
static void on_early(void *ud, const sd_event *e)
{
    ssh_run *run = ud;
    if (!keep(run, e))
        return;
    sd_evlist l = { 0 };
    sd_event *c = sd_ev_add(&l, e->kind, e->uid, e->stream, e->ts, e->frame, e->frame_last, e->leg);
    uint64_t seq = c->seq;
    *c = *e;
    c->seq = seq;
    campaign_out(run, &l, "Live (the connection goes on)");
    sd_evlist_free(&l);
}

static void on_done(void *ud, const sd_ssh_done *d)
{
    ssh_run *run = ud;
    sd_buf b = { 0 };
    run->shown++;
    if (run->records)
        sd_sshout_records(&b, d->r);
    else if (!d->summary) {
        if (run->json)
            sd_sshout_meta_json(&b, d->r, NULL);
        else
            sd_sshout_meta_text(&b, d->r);
    } else
        infer_out(run, &b, d);
    if (run->live)
        cli_flush_now(&b);
    else
        cli_flush(&b);
    sd_buf_free(&b);
    if (run->camp && d->summary) {
        sd_evlist now = { 0 };
        sd_campaign_add(run->camp, d, &now);
        if (now.n)
            campaign_out(run, &now, "Across connections (live)");
        sd_evlist_free(&now);
    }
}

static void ssh_init(void *ctx)
{
    ssh_run *run = ctx;
    run->stream = -1;
    run->legs = 3;
}

static int ssh_opt_leg(ssh_run *run, const char *arg)
{
    static const char *const LEGS[] = { "forward", "reverse", "both" };
    for (int i = 0; i < 3; i++)
        if (!strcmp(arg, LEGS[i])) {
            run->legs = i + 1;
            return CLI_OK;
        }
    return cli_usage_error("ssh", "-d/--leg wants forward, reverse or both, not \"%s\"", arg);
}

static int ssh_opt_kinds(ssh_run *run, const char *arg)
{
    if (!*arg || strlen(arg) + 3 > sizeof run->kinds || strspn(arg, "abcdefghijklmnopqrstuvwxyz_,") != strlen(arg))
        return cli_usage_error("ssh", "--kinds wants event kinds separated by commas, not \"%s\"", arg);
    snprintf(run->kinds, sizeof run->kinds, ",%s,", arg);
    return CLI_OK;
}

static int ssh_opt(void *ctx, int o, const char *arg)
{
    ssh_run *run = ctx;
    uint64_t n;
    switch (o) {
    case 'm': run->meta_only = true; return CLI_OK;
    case 'C': run->csv = true; return CLI_OK;
    case 'k': return CLI_OK; /* packetStrider's -k: keystrokes are always inferred */
    case 'K': return ssh_opt_kinds(run, arg);
    case 'p': run->plots = true; return CLI_OK;
    case 'j': run->json = true; return CLI_OK;
    case 'R': run->records = true; return CLI_OK;
    case 'N': run->no_color = true; return CLI_OK;
    case 'o': run->outdir = arg; return CLI_OK;
    case 'n':
        if (cli_parse_u64("ssh", "-n/--stream", arg, 0, INT64_MAX, &n))
            return 2;
        run->stream = (int64_t)n;
        return CLI_OK;
    case 'z': return cli_opt_frames("ssh", "-z/--zoom", arg, &run->zfrom, &run->zto);
    case 'd': return ssh_opt_leg(run, arg);
    case 'w': return cli_parse_secs("ssh", "-w/--window", arg, 0.001, 1e9, &run->window) ? 2 : CLI_OK;
    case 's': return cli_parse_secs("ssh", "-s/--stride", arg, 0.001, 1e9, &run->stride) ? 2 : CLI_OK;
    default: return cli_usage_error("ssh", "bad option");
    }
}

static int ssh_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    ssh_run *run = ctx;
    if (run->plots && !run->outdir)
        return cli_usage_error("ssh", "-p/--report writes DIR/report.html: give -o DIR");
    if (run->csv && (run->meta_only || run->records))
        return cli_usage_error("ssh", "--csv writes events; -m and --records have none (use --json)");
    if (run->csv && run->json)
        return cli_usage_error("ssh", "--csv or --json, not both");
    run->ro.color = sd_report_color(stdout, run->no_color) ? SD_REPORT_COLOR_ALWAYS : SD_REPORT_COLOR_NEVER;
    run->ro.zoom_first = run->zfrom;
    run->ro.zoom_last = run->zto;
    run->ro.window_s = run->window; /* the plot's windows are the events' windows */
    run->ro.stride_s = run->stride;
    run->ro.title = in->nfiles ? in->files[0] : "live capture";
    if (run->plots)
        run->html = sd_report_html_new(&run->ro);
    eo->reassemble = true;
    return CLI_OK;
}

static int ssh_start(void *ctx, cli_input *in, sd_engine *e)
{
    ssh_run *run = ctx;
    run->live = in->live;
    if (run->outdir && !(run->files = sd_evfiles_open(run->outdir, run->plots, in->live, "strider ssh")))
        return 1;
    if (run->csv && !run->meta_only && !run->records) {
        sd_buf h = { 0 };
        sd_evout_csv_header(&h);
        cli_flush(&h);
        sd_buf_free(&h);
    }
    bool infer = !run->meta_only && !run->records;
    sd_sshan_opts so = { .infer = infer, .stream = run->stream, .done = on_done, .ud = run,
                         .early = in->live ? on_early : NULL,
                         .io = { .keystrokes = true, .window_s = run->window, .stride_s = run->stride } };
    run->an = sd_sshan_new(&so);
    sd_sshan_attach(run->an, e);
    if (infer && !run->kinds[0]) {
        sd_campaign_opts co = { .announce = in->live };
        run->camp = sd_campaign_new(&co);
    }
    return CLI_OK;
}

static void campaign_end(ssh_run *run)
{
    sd_evlist l = { 0 };
    sd_campaign_finish(run->camp, &l);
    campaign_out(run, &l, "Across connections");
    if (run->html)
        sd_report_html_across(run->html, l.v, l.n);
    sd_evlist_free(&l);
    uint64_t conns, servers;
    sd_campaign_untracked(run->camp, &conns, &servers);
    if (conns || servers)
        fprintf(stderr, "strider ssh: campaign caps reached: %llu connection(s) of clients past the client cap "
                        "not counted, %llu server(s) not counted as distinct\n",
                (unsigned long long)conns, (unsigned long long)servers);
}

static int ssh_finish(void *ctx, cli_input *in, sd_engine *e, int rc)
{
    ssh_run *run = ctx;
    if (run->camp)
        campaign_end(run);
    const sd_sshconn_stats *st = sd_sshan_stats(run->an);
    if (!run->shown && rc == 0) { /* an empty output must not read as "nothing happened" */
        if (run->stream >= 0) { /* as packets and follow do for a connection not there */
            fprintf(stderr, "strider ssh: no SSH connection with tcp.stream %lld (%llu SSH in the capture)\n",
                    (long long)run->stream, (unsigned long long)st->ssh);
            rc = 1;
        } else
            fprintf(stderr, "strider ssh: no SSH in %llu TCP connection(s)\n", (unsigned long long)st->claimed);
    }
    uint64_t cut = st->truncated;
    if (cut)
        fprintf(stderr, "strider ssh: %llu connection(s) had more than %u encrypted records: the inference "
                        "saw the first ones only (marked records_truncated)\n",
                (unsigned long long)cut, SD_SSHCONN_MAX_RECORDS);
    if (sd_evfiles_close(run->files))
        rc = 1;
    run->files = NULL;
    if (run->html) {
        char p[4096];
        snprintf(p, sizeof p, "%s/report.html", run->outdir);
        if (sd_report_html_write(run->html, p)) {
            fprintf(stderr, "strider ssh: cannot write %s: %s\n", p, strerror(errno));
            rc = 1;
        }
    }
    return rc;
}

static void ssh_free(void *ctx)
{
    ssh_run *run = ctx;
    sd_evfiles_close(run->files);
    sd_report_html_free(run->html);
    sd_campaign_free(run->camp);
    sd_sshan_free(run->an);
}

static const struct option SSH_OPTS[] = {
    { "meta", no_argument, 0, 'm' }, { "json", no_argument, 0, 'j' },
    { "records", no_argument, 0, 'R' }, { "csv", no_argument, 0, 'C' }, { "keystrokes", no_argument, 0, 'k' },
    { "stream", required_argument, 0, 'n' }, { "zoom", required_argument, 0, 'z' },
    { "leg", required_argument, 0, 'd' }, { "window", required_argument, 0, 'w' },
    { "stride", required_argument, 0, 's' }, { "outdir", required_argument, 0, 'o' },
    { "plots", no_argument, 0, 'p' }, { "report", no_argument, 0, 'p' },
    { "no-color", no_argument, 0, 'N' }, { "kinds", required_argument, 0, 'K' }, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_ssh = {
    .name = "ssh", .summary = "SSH connections: metadata (-m) and what the encrypted part reveals",
    .help = HELP, .shortopts = "mjkn:z:d:w:s:o:p", .longopts = SSH_OPTS, .ctx_size = sizeof(ssh_run),
    .init = ssh_init, .opt = ssh_opt, .prepare = ssh_prepare, .start = ssh_start, .finish = ssh_finish,
    .free = ssh_free,
};
