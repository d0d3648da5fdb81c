#include "cli_cmd.h"
#include "cli_own.h"

#include "../common/sd_origin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct option COMMON[] = { CLI_COMMON_OPTS };

/* The common options and the command's own in one getopt table. */
static struct option *all_options(const cli_cmd *c)
{
    size_t n = 0;
    while (c->longopts && c->longopts[n].name)
        n++;
    size_t nc = SD_ARRAY_LEN(COMMON);
    struct option *v = sd_calloc(nc + n + 1, sizeof *v);
    memcpy(v, COMMON, sizeof COMMON);
    if (n)
        memcpy(v + nc, c->longopts, n * sizeof *v);
    return v;
}

/* getopt's '?' (unknown) or ':' (no value), said once, naming the option
 * as typed: the argument for a long one (getopt sets optopt to its code),
 * optopt for a short one (the argument may hold several). */
static int bad_option(const cli_cmd *c, int o, char **argv)
{
    char shortname[3] = { '-', (char)optopt, 0 };
    const char *arg = argv[optind - 1];
    const char *name = !strncmp(arg, "--", 2) || !optopt ? arg : shortname;
    if (o == ':')
        return cli_usage_error(c->name, "%s wants a value", name);
    return cli_usage_error(c->name, "unknown option %s", name);
}

/* Options: CLI_OK to go on, else the exit status. */
static int parse(const cli_cmd *c, void *ctx, cli_input *in, int argc, char **argv)
{
    struct option *lo = all_options(c);
    char shortopts[128];
    snprintf(shortopts, sizeof shortopts, ":%s%s", CLI_COMMON_SHORT, c->shortopts ? c->shortopts : "");
    int rc = CLI_OK, o;
    optind = 1;
    opterr = 0; /* bad_option says it, naming the command */
    while (rc == CLI_OK && (o = getopt_long(argc, argv, shortopts, lo, NULL)) != -1) {
        int common = cli_common_opt(in, o, optarg);
        if (common)
            rc = common < 0 ? 2 : CLI_OK;
        else if (o == 'h') {
            fputs(c->help, stdout);
            rc = CLI_DONE;
        } else if (o == '?' || o == ':')
            rc = bad_option(c, o, argv);
        else if (!c->opt)
            rc = cli_usage_error(c->name, "unknown option %s", argv[optind - 1]);
        else
            rc = c->opt(ctx, o, optarg);
    }
    free(lo);
    for (int i = optind; rc == CLI_OK && i < argc; i++)
        cli_add_file(in, argv[i]);
    return rc;
}

static bool origin(const void *cap, uint64_t frame, const char **path, uint64_t *file_frame)
{
    return sd_capture_origin(cap, frame, path, file_frame);
}

static int run(const cli_cmd *c, void *ctx, cli_input *in, cli_own *own)
{
    sd_engine_opts eo = { 0 };
    int rc = c->prepare ? c->prepare(ctx, in, &eo) : CLI_OK;
    if (rc == CLI_OK && own->own)
        rc = cli_own_begin(own, c->name, in, &eo);
    if (rc != CLI_OK)
        return rc;
    sd_capture *cap = cli_open(in);
    if (!cap)
        return 1;
    if (own->own)
        cli_own_files(own, cap);
    sd_origin_set(origin, cap); /* merged inputs: writers name each frame's file */
    sd_origin_set_first(in->frame_base + 1);
    sd_engine *e = cli_engine(in, &eo);
    rc = c->start ? c->start(ctx, in, e) : CLI_OK;
    if (rc == CLI_OK && own->own)
        cli_own_started(own, in);
    if (rc == CLI_OK) {
        cli_run(in, e, cap);
        /* a chunk that read nothing is not a run that read nothing: the
         * merge says so when no chunk read a record (its trailer's unread) */
        rc = own->own ? CLI_OK : cli_status(in, cap);
        if (c->finish)
            rc = c->finish(ctx, in, e, rc);
        if (own->own)
            cli_own_end(own);
    }
    sd_engine_free(e);
    sd_origin_set(NULL, NULL);
    sd_capture_close(cap);
    return rc;
}

int cli_cmd_run(const cli_cmd *c, int argc, char **argv)
{
    cli_input in;
    cli_input_init(&in);
    void *ctx = sd_calloc(1, c->ctx_size ? c->ctx_size : 1);
    if (c->init)
        c->init(ctx);
    cli_own own;
    int rc = cli_own_args(c, &argc, argv, &own); /* --own, --jobs: taken out first */
    if (rc == CLI_OK)
        rc = parse(c, ctx, &in, argc, argv);
    if (rc == CLI_OK)
        rc = own.jobs > 1 && in.nfiles > 1 ? cli_own_jobs(&own, c->name, &in) : run(c, ctx, &in, &own);
    else if (rc == CLI_DONE)
        rc = 0;
    if (c->free)
        c->free(ctx);
    free(ctx);
    cli_own_free(&own);
    cli_input_free(&in);
    if (fflush(stdout) != 0 || ferror(stdout)) { /* a full disk must not pass as a short result */
        fprintf(stderr, "strider %s: cannot write the output: %s\n", c->name, strerror(errno));
        rc = 1;
    }
    return rc;
}
