/* strider ssh: every SSH connection, found by content on any port.
 * -m: the metadata an analyst reads first (banners, HASSH, negotiated suite,
 * host key, strict KEX / Terrapin, scan outcome), as text or as JSON lines
 * with Zeek ssh.log field names plus strider's own. */
#include "../analyze/sd_campaign.h"
#include "../out/sd_evfields.h"
#include "../out/sd_evout.h"
#include "../out/sd_merge_fmt.h"
#include "../out/sd_outq.h"
#include "../ssh/sd_ssh_fields.h"
#include "../ssh/sd_ssh_out.h"
#include "cli_cmd.h"
#include "cli_opt.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>


static const char HELP[] =
    "usage: strider ssh [options] FILE...\n"
    "SSH connections found by content (any port, either side first).\n"
    "Over rotated files, --jobs N runs N processes, and a run with --own\n"
    "FIRST:LAST one chunk for `strider merge`, with --json or --csv (not -m\n"
    "--csv, the text report, -n, -z, -o, -p, --records; strider(1), SEVERAL\n"
    "PROCESSES).\n\n"
    "  -m, --meta           metadata only: banners, HASSH/hasshServer, negotiated\n"
    "                       algorithms, host key fingerprint, strict KEX/Terrapin,\n"
    "                       scan outcome\n"
    "  -k, --keystrokes     keystroke inference (packetStrider's -k): always on in\n"
    "                       strider, so accepted and changes nothing\n"
    "      --kinds LIST     only these event kinds, e.g. keystroke,command_output\n"
    "                       or auth_attempt (docs/events.md lists them)\n"
    "  -n, --stream N       only TCP stream N (Wireshark's tcp.stream; or tcp:N)\n"
    "  -Y, --where EXPR     only connections whose record (the JSON \"ssh\" line's\n"
    "                       names) EXPR holds for, e.g. 'auth_success && id.orig_h\n"
    "                       in 10.0.0.0/8' (language as conns --where; man strider)\n"
    "      --where-events EXPR  only events EXPR holds for (the JSON \"event\"\n"
    "                       line's names, the event's own fields too), e.g.\n"
    "                       'kind in {auth_attempt login} && confidence >= 0.8'\n"
    "  -z, --zoom A-B       only events whose first frame is in A..B\n"
    "  -d, --leg L          forward, reverse (incl. nested) or both (default)\n"
    "  -w, --window S       windowed exfil/infil view: window length (s); the\n"
    "                       HTML data-movement plot uses the same windows\n"
    "  -s, --stride S       window stride (s; default = window)\n"
    "  -o, --outdir DIR     also write events.csv and events.jsonl into DIR\n"
    "  -p, --report         with -o: also DIR/report.html (self-contained, SVG plots:\n"
    "                       findings timeline, data movement, record sizes) and\n"
    "                       DIR/keystrokes.csv (inter-key latencies)\n"
    "      --no-color       no colours (also NO_COLOR=1; never when not a terminal)\n"
    "      --width N        text wrapped to N columns (0: never, one line per\n"
    "                       event); default the terminal's (COLUMNS), none piped\n"
    "  -j, --json           JSON lines: \"type\":\"ssh\" per connection (Zeek ssh.log\n"
    "                       names) and \"type\":\"event\" per finding (docs/events.md)\n"
    "      --csv            events as CSV; with -m one row per connection (banners,\n"
    "                       suite, outcome, per direction records, bytes, most\n"
    "                       frequent record size, mean/median gap)\n"
    "      --records        the encrypted-record stream (debugging the rules)\n"
    "      --ssh-port LIST  ports (comma-separated, 1-65535) an SSH server listens\n"
    "                       on besides 22 and 2222: a connection there whose start\n"
    "                       the capture missed is read as a session already open\n"
    "                       when its bytes look encrypted (midstream)\n"
    CLI_COMMON_HELP;

typedef struct ssh_run {
    bool plots, no_color, live;
    int64_t width;           /* --width; -1 = the terminal's */
    int64_t stream;          /* -n: -1 = all */
    sd_filter *where, *where_ev; /* -Y, --where-events */
    double window, stride;   /* -w, -s */
    const char *outdir;
    sd_ssh_out out;          /* what is shown and where it goes */
    sd_campaign *camp;       /* brute force and scans across connections */
    sd_sshan *an;
    uint64_t shown;          /* SSH connections written */
    uint64_t left_out;       /* SSH connections --where left out */
    sd_buf line;             /* a connection's output, kept from one to the next */
    bool gather;             /* connections' output gathered in line up to GATHER_BYTES */
    uint64_t ssh_ports[65536 / 64]; /* --ssh-port, a bit each */
    bool any_ssh_port;
    bool chunk_csv;          /* a chunk (--own) asked for --csv: JSON lines, the merge writes the CSV */
    sd_outq *q;              /* --threads 2: each ended connection's inference, record and events
                                in a thread of their own (items: a sd_sshconn_result copy) */
    _Atomic size_t heap;     /* bytes of allocated copies put and not yet concluded */
} ssh_run;

/* Bytes of output buffer kept between connections; a bigger one (a long
 * text report) is given back. */
#define LINE_KEEP (1u << 20)
/* Output of connections gathered in the line buffer before it is written:
 * as large as cli_flush's direct writes (DIRECT_WRITE_MIN), so it goes out
 * in write(2) calls of its own, not copied again through stdout's buffer
 * (a connection's few KiB each: ~500 instructions a connection of
 * ssh --json on brute-10000, issue #11). Only where stdout is a file or a
 * pipe (fully buffered anyway) and nothing is live: a terminal still sees
 * each connection as it ends. */
#define GATHER_BYTES ((size_t)64 << 10)

/* Live: a finding decided while its connection goes on. */
static void on_early(void *ud, const sd_event *e)
{
    ssh_run *run = ud;
    sd_buf b = { 0 };
    sd_ssh_out_early(&run->out, &b, e);
    cli_flush_now(&b);
    sd_buf_free(&b);
}

static void on_done(void *ud, const sd_ssh_done *d)
{
    ssh_run *run = ud;
    sd_buf b = run->line; /* reused: a connection's output is written at once */
    if (sd_ssh_out_conn(&run->out, &b, d))
        run->shown++;
    else
        run->left_out++;
    if (run->live)
        cli_flush_now(&b);
    else if (!run->gather || b.len >= GATHER_BYTES)
        cli_flush(&b);
    if (run->camp && d->summary) {
        sd_evlist now = { 0 };
        sd_campaign_add(run->camp, d, &now);
        if (now.n) {
            sd_ssh_out_events(&run->out, &b, &now, "Across connections (live)");
            cli_flush_now(&b);
        }
        sd_evlist_free(&now);
    }
    if (b.cap > LINE_KEEP && !b.len) /* never what gather keeps */
        sd_buf_free(&b);
    run->line = b;
}

/* A queue item: a finished connection's taken result (its facts copied,
 * its parser and records moved), in the item itself (~3 kB, with room for
 * the statistics the writer counts), else pointed to. */
#define ITEM_BYTES 4096
typedef struct ssh_item {
    sd_sshconn_result *r;
    size_t heap;           /* bytes of records it holds on the heap (a long connection), else 0 */
    _Alignas(16) unsigned char room[ITEM_BYTES - 16];
} ssh_item;

/* Bytes of records on the heap (long sessions: ~48 bytes a record, up to
 * SD_SSHCONN_MAX_RECORDS each) the writer may have to take at most: past
 * it the analysis waits until it has, so memory stays bounded when many
 * long connections end at once (1024 items could hold 48 GiB). */
#define HEAP_IN_FLIGHT_MAX (64u << 20)

/* The analysis thread: a finished connection taken into the queue. */
static void on_handoff(void *ud, const sd_sshconn_result *r)
{
    ssh_run *run = ud;
    ssh_item *it = sd_outq_slot(run->q);
    it->r = sd_sshconn_result_take(r, it->room, sizeof it->room, &it->heap);
    bool over = it->heap && atomic_fetch_add(&run->heap, it->heap) + it->heap > HEAP_IN_FLIGHT_MAX;
    sd_outq_put(run->q);
    if (over)
        sd_outq_sync(run->q);
}

/* The writer thread, in the order the connections ended: the inference,
 * then on_done (record, events, campaign) as one thread would. */
static void conclude(void *ud, void *item)
{
    ssh_run *run = ud;
    ssh_item *it = item;
    sd_sshconn_result_settle(it->r);
    sd_sshan_conclude(run->an, it->r);
    sd_sshconn_result_release(it->r, it->room);
    if (it->heap)
        atomic_fetch_sub(&run->heap, it->heap);
}

static void ssh_init(void *ctx)
{
    ssh_run *run = ctx;
    run->stream = -1;
    run->width = -1;
    run->out.legs = 3;
}

static int ssh_where(sd_filter **own, const sd_filter **use, const sd_fieldset *fs, const char *opt,
                     const char *arg)
{
    char err[256];
    sd_filter_free(*own);
    *use = *own = sd_filter_parse(fs, arg, err, sizeof err);
    return *own ? CLI_OK : cli_usage_error("ssh", "bad %s: %s", opt, err);
}

enum { O_SSH_PORT = 256 }; /* long options without a letter (-P is the common --no-progress) */

/* --ssh-port 2022,8022: each a port number, added to the set. */
static int ssh_ports(ssh_run *run, const char *arg)
{
    char one[16];
    for (const char *p = arg;;) {
        size_t n = strcspn(p, ",");
        if (n == 0 || n >= sizeof one)
            return cli_usage_error("ssh", "--ssh-port wants port numbers separated by commas, not \"%s\"", arg);
        memcpy(one, p, n);
        one[n] = '\0';
        uint64_t v;
        if (cli_parse_u64("ssh", "--ssh-port", one, 1, 65535, &v))
            return 2;
        run->ssh_ports[v >> 6] |= 1ull << (v & 63);
        run->any_ssh_port = true;
        if (!p[n])
            return CLI_OK;
        p += n + 1;
    }
}

static int ssh_opt(void *ctx, int o, const char *arg)
{
    ssh_run *run = ctx;
    switch (o) {
    case 'm': run->out.meta_only = true; return CLI_OK;
    case 'C': run->out.csv = true; return CLI_OK;
    case 'k': return CLI_OK; /* packetStrider's -k: keystrokes are always inferred */
    case 'K':
        return sd_ssh_out_kinds(&run->out, arg) ? CLI_OK
               : cli_usage_error("ssh", "--kinds wants event kinds separated by commas, not \"%s\"", arg);
    case 'p': run->plots = true; return CLI_OK;
    case 'j': run->out.json = true; return CLI_OK;
    case 'R': run->out.records = true; return CLI_OK;
    case 'N': run->no_color = true; return CLI_OK;
    case 'o': run->outdir = arg; return CLI_OK;
    case 'n': {
        sd_connsel sel;
        if (cli_opt_conn("ssh", "-n/--stream", arg, &sel))
            return 2;
        if (sel.uid || sel.proto != 6 || sel.id > INT64_MAX)
            return cli_usage_error("ssh", "-n/--stream wants a TCP stream number, not \"%s\"", arg);
        run->stream = (int64_t)sel.id;
        return CLI_OK;
    }
    case 'Y': return ssh_where(&run->where, &run->out.where, &sd_ssh_fields, "--where", arg);
    case 'W': {
        uint64_t w;
        if (cli_parse_u64("ssh", "--width", arg, 0, 10000, &w))
            return 2;
        if (w && w < 40)
            return cli_usage_error("ssh", "--width wants 0 (never wrap) or 40 columns or more, not %s", arg);
        run->width = (int64_t)w;
        return CLI_OK;
    }
    case O_SSH_PORT: return ssh_ports(run, arg);
    case 'E': return ssh_where(&run->where_ev, &run->out.where_ev, &sd_ev_fields, "--where-events", arg);
    case 'z': return cli_opt_frames("ssh", "-z/--zoom", arg, &run->out.zfrom, &run->out.zto);
    case 'd':
        return sd_ssh_out_legs(&run->out, arg) ? CLI_OK
               : cli_usage_error("ssh", "-d/--leg wants forward, reverse or both, not \"%s\"", arg);
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
    if (run->out.csv && run->out.records)
        return cli_usage_error("ssh", "--csv writes events (or with -m the connections); --records has none");
    if (run->out.csv && run->out.json)
        return cli_usage_error("ssh", "--csv or --json, not both");
    run->out.ro.color = sd_report_color(stdout, run->no_color) ? SD_REPORT_COLOR_ALWAYS : SD_REPORT_COLOR_NEVER;
    unsigned w = run->width >= 0 ? (unsigned)run->width : cli_text_width();
    run->out.ro.width = w ? w : SD_REPORT_NOWRAP;
    run->out.ro.zoom_first = run->out.zfrom;
    run->out.ro.zoom_last = run->out.zto;
    run->out.ro.window_s = run->window; /* the plot's windows are the events' windows */
    run->out.ro.stride_s = run->stride;
    run->out.ro.title = in->nfiles ? in->files[0] : "live capture";
    eo->reassemble = true;
    /* the bytes the SSH peer reads: its socket (no SO_OOBINLINE, which
     * OpenSSH never sets, on Linux and the BSDs) reads the stream without
     * the urgent byte, which is said (urgent_data) */
    eo->reasm.urgent_oob = true;
    eo->no_open_counts = true; /* the SSH records, events and reports show no open_at_end */
    return CLI_OK;
}

static int ssh_start(void *ctx, cli_input *in, sd_engine *e)
{
    ssh_run *run = ctx;
    run->live = in->live;
    run->gather = !in->live && !isatty(STDOUT_FILENO);
    in->own_pending = &run->line; /* --jobs: written before stdout goes back to the chunk's file */
    if (sd_engine_own(e) && run->out.csv && !run->out.meta_only) {
        /* the events as JSON lines the merge renumbers and reads back into
         * events, their numbers with every digit (sd_merge_fmt.h) */
        run->chunk_csv = true;
        in->own_rewrites = true;
        run->out.csv = false, run->out.json = true;
        sd_evout_set_exact(true);
    }
    if (sd_ssh_out_open(&run->out, run->outdir, run->plots, in->live))
        return 1;
    sd_buf h = { 0 };
    sd_ssh_out_begin(&run->out, &h);
    cli_flush(&h);
    sd_buf_free(&h);
    bool infer = !run->out.meta_only && !run->out.records;
    /* each ended connection concluded and written in a thread of its own
     * when a second CPU is there for it and nothing needs it at once: not
     * live (findings said as decided, lines flushed as they come). A chunk
     * (--own) too: the first one of --jobs writes its lines to the final
     * output, a file whose writes cost as much system time as a third of
     * the analysis, and runs alone once the last chunk ended first */
    if (cli_threads(in) > 1 && !in->live)
        run->q = cli_outq_start(in, sizeof(ssh_item), conclude, run);
    /* then nothing of the analysis thread reads the uid (-n selects by
     * stream, the early findings are live's): the copy's settle makes it
     * in the writer's thread, as conns does (~470 instructions a connection);
     * but a chunk's record of each connection (sd_own_end) has it there */
    if (run->q && !sd_engine_own(e))
        sd_engine_uids_late(e);
    sd_sshan_opts so = { .infer = infer, .stream = run->stream, .done = on_done, .ud = run,
                         .early = in->live ? on_early : NULL, .handoff = run->q ? on_handoff : NULL,
                         .ssh_ports = run->any_ssh_port ? run->ssh_ports : NULL,
                         .io = { .keystrokes = true, .window_s = run->window, .stride_s = run->stride } };
    run->an = sd_sshan_new(&so);
    sd_sshan_attach(run->an, e);
    if (infer && !run->out.kinds[0]) {
        sd_campaign_opts co = { .announce = in->live, .dump = sd_engine_own(e) != NULL };
        run->camp = sd_campaign_new(&co);
    }
    return CLI_OK;
}

static int ssh_finish(void *ctx, cli_input *in, sd_engine *e, int rc)
{
    ssh_run *run = ctx;
    uint64_t untracked[2] = { 0, 0 };
    cli_outq_end(in, &run->q); /* every connection handed over is written */
    cli_flush(&run->line);     /* and what gather kept, before anything else */
    if (run->camp && sd_engine_own(e)) { /* a chunk: the merge adds the clients up */
        sd_buf b = { 0 };
        sd_campaign_dump(run->camp, &b);
        cli_flush_now(&b);
        sd_buf_free(&b);
    } else if (run->camp) {
        sd_evlist l = { 0 };
        sd_buf b = { 0 };
        sd_campaign_finish(run->camp, &l);
        sd_ssh_out_across(&run->out, &b, &l);
        cli_flush_now(&b);
        sd_buf_free(&b);
        sd_evlist_free(&l);
        sd_campaign_untracked(run->camp, &untracked[0], &untracked[1]);
    }
    if (run->chunk_csv) { /* after its lines: the merge reads the whole chunk first */
        sd_buf b = { 0 };
        sd_merge_fmt_record(&b, "event", SD_REC_CSV, NULL, 0, 0);
        cli_flush_now(&b);
        sd_buf_free(&b);
    }
    sd_buf err = { 0 };
    /* a chunk (--own) that shows nothing says nothing of the list: another
     * chunk may show some, and --jobs prints each chunk's stderr */
    bool chunk = sd_engine_own(e) != NULL;
    if (!run->shown && run->left_out && !chunk) /* SSH there, none kept: not "no SSH" */
        sd_buf_printf(&err, "strider ssh: none of %llu SSH connection(s) matched --where\n",
                      (unsigned long long)run->left_out);
    bool nothing = !run->shown && !run->left_out && rc == 0 && !chunk;
    if (sd_ssh_out_notes(&err, sd_sshan_stats(run->an), untracked, nothing, run->stream))
        rc = 1;
    if (err.len)
        fwrite(err.p, 1, err.len, stderr);
    sd_buf_free(&err);
    return sd_ssh_out_close(&run->out, run->outdir) ? 1 : rc;
}

static void ssh_free(void *ctx)
{
    ssh_run *run = ctx;
    cli_outq_end(NULL, &run->q);
    sd_ssh_out_free(&run->out);
    cli_flush(&run->line); /* a connection ended after ssh_finish: still written */
    sd_buf_free(&run->line);
    sd_campaign_free(run->camp);
    sd_sshan_free(run->an);
    sd_filter_free(run->where);
    sd_filter_free(run->where_ev);
}

static const struct option SSH_OPTS[] = {
    { "meta", no_argument, 0, 'm' }, { "json", no_argument, 0, 'j' },
    { "records", no_argument, 0, 'R' }, { "csv", no_argument, 0, 'C' }, { "keystrokes", no_argument, 0, 'k' },
    { "stream", required_argument, 0, 'n' }, { "zoom", required_argument, 0, 'z' },
    { "leg", required_argument, 0, 'd' }, { "window", required_argument, 0, 'w' },
    { "stride", required_argument, 0, 's' }, { "outdir", required_argument, 0, 'o' },
    { "plots", no_argument, 0, 'p' }, { "report", no_argument, 0, 'p' },
    { "no-color", no_argument, 0, 'N' }, { "kinds", required_argument, 0, 'K' },
    { "where", required_argument, 0, 'Y' }, { "where-events", required_argument, 0, 'E' },
    { "output", required_argument, 0, 'o' }, { "width", required_argument, 0, 'W' },
    { "ssh-port", required_argument, 0, O_SSH_PORT }, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_ssh = {
    .name = "ssh", .summary = "SSH connections: metadata (-m) and what the encrypted part reveals",
    .help = HELP, .shortopts = "mjkn:z:d:w:s:o:pY:", .longopts = SSH_OPTS, .ctx_size = sizeof(ssh_run),
    .init = ssh_init, .opt = ssh_opt, .prepare = ssh_prepare, .start = ssh_start, .finish = ssh_finish,
    .free = ssh_free,
};
