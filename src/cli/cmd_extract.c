/* strider extract: every TCP session's payload to files, as tcpflow names
 * them (one file per direction), plus one JSON transcript per session and an
 * index (JSON lines) of all sessions with the payload signatures found; or,
 * with --flows-only, tcpflow's per-direction files and nothing else.
 *
 * The command only wires the pieces: options -> the output directory ->
 * sd_filesink (buffered files written by a second thread, bounded memory
 * and descriptors) -> the extract analyzer (src/out/sd_extract.c, which
 * writes each session's files and index line when the session ends) ->
 * the engine run -> the status. */
#include "../flow/sd_own.h"
#include "../out/sd_extract_job.h"
#include "../out/sd_runlog.h"
#include "cli_cmd.h"
#include "cli_opt.h"


#define DEFAULT_MAX_OPEN 64
#define DEFAULT_INLINE 4096 /* payload bytes per direction rendered in the transcript */
#define DEFAULT_BUFFER ((size_t)32 << 20)

static const char HELP[] =
    "usage: strider extract -o DIR [options] FILE|DIR...\n"
    "Writes every TCP session's reassembled payload under DIR:\n"
    "  A.A.A.A.PPPPP-B.B.B.B.PPPPP[cN]  the bytes one direction sent, named as\n"
    "                       tcpflow names them (zero-padded; cN for the N-th\n"
    "                       reuse of the same addresses and ports; --VLAN\n"
    "                       suffix); missing bytes are NULs at their offset\n"
    "  <orig name>[cN].json the session's ordered transcript: every chunk with\n"
    "                       direction, frames, time, stream offset, length,\n"
    "                       payload (hex and printable ASCII, or a reference\n"
    "                       to the direction's file past --json-inline), gap\n"
    "                       and inconsistency markers, then a summary\n"
    "  index.jsonl          one line per session: uid, stream, endpoints, bytes\n"
    "                       and gaps per direction, files, truncated flag and the\n"
    "                       payload signatures found (PE, ELF, ZIP, gzip, PDF,\n"
    "                       scripts, PowerShell...) with direction and offset\n"
    "A session's files and index line are written when it ends (closed and\n"
    "lingered, idle, or end of input), so index.jsonl is in the order sessions\n"
    "ended (those open at the end of input last, in stream order; sort by\n"
    "\"stream\" for first-packet order) and an interrupted run has a line for\n"
    "every ended session.\n"
    "File names come only from addresses and ports, never from payload; an\n"
    "existing symlink in DIR is never followed (that file is a write error).\n"
    "Over rotated files, --jobs N writes DIR from N processes, and a run with\n"
    "--own FIRST:LAST one chunk's DIR for `strider merge -o` (strider(1),\n"
    "SEVERAL PROCESSES); not with --flows-only.\n\n"
    "  -o, --output DIR     output directory (created; must not exist unless\n"
    "                       --force); also --outdir, as in ssh\n"
    "      --force          write into an existing DIR (files of the same name are\n"
    "                       replaced)\n"
    "      --max-hole N     bytes of one hole (bytes missing from the capture) a\n"
    "                       file keeps as NULs (default 1G), and of all its holes\n"
    "                       past the bytes it holds; the rest is not written,\n"
    "                       counted in the index (*_hole_bytes_cut,\n"
    "                       *_first_cut_offset) and on stderr\n"
    "      --flows-only     only the per-direction files, exactly the set tcpflow\n"
    "                       writes: no transcripts, no index.jsonl, no signature\n"
    "                       scan (the fastest mode)\n"
    "      --all            also list sessions without payload in index.jsonl\n"
    CLI_OVERLAP_HELP
    "      --stream-cap N   out-of-order bytes held per direction (default 4M)\n"
    "      --memcap N       out-of-order bytes held in all (default 1G); a stream\n"
    "                       that hits a cap is marked truncated everywhere\n"
    "      --max-open N     output files open at once, 4..65536 (default 64)\n"
    "      --buffer N       memory for output not yet written (default 32M);\n"
    "                       short sessions' files are written in one go\n"
    "      --json-inline N  payload bytes per direction rendered in the transcript\n"
    "                       (hex and ASCII; default 4k, \"all\" = every chunk);\n"
    "                       the chunks after that carry \"file_offset\":N: their\n"
    "                       bytes are at offset N of the direction's file\n"
    "      --json-payload-max N  payload bytes rendered per chunk (default all;\n"
    "                       0: no payload at all, only offsets, lengths, frames)\n" CLI_COMMON_HELP;

typedef struct xargs {
    const char *outdir;
    bool force;
    bool json_opt; /* a transcript or index option was given */
    size_t max_open, buffer;
    sd_extract_opts xo;
    cli_reasm rs;          /* --overlap, --stream-cap, --memcap */
    sd_extract_job job;
} xargs;

enum { O_FORCE = 256, O_ALL, O_MAXOPEN, O_PMAX, O_INLINE, O_BUFFER, O_FLOWS,
       O_MAXHOLE };

/* One option of extract's own; 0 = fine, else the exit status. */
static int extract_opt(void *ctx, int o, const char *arg)
{
    xargs *a = ctx;
    switch (o) {
    case 'o': a->outdir = arg; return 0;
    case O_FORCE: a->force = true; return 0;
    case O_FLOWS: a->xo.flows_only = true; return 0;
    case O_MAXHOLE: {
        size_t v;
        int rc = cli_opt_size("extract", "max-hole", arg, 1, SIZE_MAX, false, &v);
        a->xo.max_hole = v;
        return rc;
    }
    case O_ALL: a->xo.all = a->json_opt = true; return 0;
    case O_MAXOPEN: return cli_opt_size("extract", "max-open", arg, 4, 65536, false, &a->max_open);
    case O_BUFFER: return cli_opt_size("extract", "buffer", arg, 1, SIZE_MAX, false, &a->buffer);
    case O_PMAX:
        a->json_opt = true;
        return cli_opt_size("extract", "json-payload-max", arg, 0, SIZE_MAX, true, &a->xo.payload_max);
    case O_INLINE:
        a->json_opt = true;
        return cli_opt_size("extract", "json-inline", arg, 0, SIZE_MAX, true, &a->xo.inline_max);
    default: {
        int rc = cli_opt_reasm("extract", &a->rs, o, arg);
        return rc >= 0 ? rc : cli_usage_error("extract", "bad option");
    }
    }
}

static void x_init(void *ctx)
{
    xargs *a = ctx;
    a->max_open = DEFAULT_MAX_OPEN;
    a->buffer = DEFAULT_BUFFER;
    a->xo = (sd_extract_opts){ .payload_max = SIZE_MAX, .inline_max = DEFAULT_INLINE };
    cli_reasm_init(&a->rs);
    a->job.dirfd = -1;
}

static int x_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    xargs *a = ctx;
    if (!a->outdir)
        return cli_usage_error("extract", "-o DIR is required");
    if (a->xo.flows_only && a->json_opt)
        return cli_usage_error("extract", "--flows-only writes no transcript or index: "
                                          "--all, --json-inline and --json-payload-max do not apply");
    eo->reassemble = true;
    eo->reasm = a->rs.ro;
    return CLI_OK;
}

static int x_start(void *ctx, cli_input *in, sd_engine *e)
{
    xargs *a = ctx;
    sd_extract_job_opts jo = { .outdir = a->outdir, .force = a->force, .max_open = a->max_open,
                               .buffer = a->buffer, .quiet = in->quiet };
    a->xo.own = sd_engine_own(e) != NULL;
    return sd_extract_job_open(&a->job, &jo, &a->xo, e) ? 1 : CLI_OK;
}

static int x_finish(void *ctx, cli_input *in, sd_engine *e, int rc)
{
    xargs *a = ctx;
    sd_extract_stats st = sd_extract_get_stats(a->job.x);
    if (!sd_engine_own(e))
        sd_runlog_extract(stderr, &st, in->quiet);
    else { /* a chunk (--own): the merge's records end its index; the
            * totals are its sessions' parts, which the merge adds up */
        sd_buf b = { 0 };
        sd_extract_own_stats(a->job.x, &b);
        sd_own_write(sd_engine_own(e), &b);
        sd_extract_index_append(a->job.x, b.p, b.len);
        sd_buf_free(&b);
    }
    return sd_extract_job_close(&a->job, rc);
}

static void x_free(void *ctx)
{
    sd_extract_job_close(&((xargs *)ctx)->job, 0);
}

static const struct option X_OPTS[] = {
    { "output", required_argument, 0, 'o' },   { "outdir", required_argument, 0, 'o' },
    { "force", no_argument, 0, O_FORCE },
    { "all", no_argument, 0, O_ALL },          CLI_REASM_OPTS,
    { "max-open", required_argument, 0, O_MAXOPEN },
    { "json-payload-max", required_argument, 0, O_PMAX },
    { "json-inline", required_argument, 0, O_INLINE },
    { "buffer", required_argument, 0, O_BUFFER }, { "flows-only", no_argument, 0, O_FLOWS },
    { "max-hole", required_argument, 0, O_MAXHOLE },
    { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_extract = {
    .name = "extract", .summary = "every TCP session's payload to files (tcpflow names) + JSON", .help = HELP,
    .shortopts = "o:", .longopts = X_OPTS, .ctx_size = sizeof(xargs), .init = x_init, .opt = extract_opt,
    .prepare = x_prepare, .start = x_start, .finish = x_finish, .free = x_free,
};
