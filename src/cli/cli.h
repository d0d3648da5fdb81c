/* Shared command-line plumbing: inputs (files, directories, "-", live),
 * diagnostics on stderr, the progress line, output format selection. */
#ifndef CLI_H
#define CLI_H

#include "../capture/sd_capture.h"
#include "../flow/sd_engine.h"

#include <stdio.h>

typedef enum { CLI_TEXT = 0, CLI_JSON, CLI_CSV } cli_format;

typedef struct cli_input {
    char **files;
    size_t nfiles;
    const char *bpf;
    const char *iface;
    bool quiet;      /* no diagnostics on stderr */
    bool no_progress;
    sd_diag diag;
    uint64_t diag_max; /* stop printing after this many (count goes on) */
    uint64_t max_flows;    /* --max-flows; 0 = the engine's default */
    uint64_t threads;      /* --threads; 0 = 2 when more than one CPU is online */
    double stats_interval; /* --stats-interval seconds; 0 = none */
    bool live;             /* set by cli_open: -i */
    bool no_vlan_key;      /* --no-vlan-key */
    sd_csum_mode csum;     /* --checksum */
    bool list_chunk;       /* the files are a chunk of a longer list (--own) */
    /* --own: the files it owns (the first own_files of the list; 0: all),
     * and whether an earlier chunk's come before them. A file's message is
     * said once, by its owner, as one run says it once */
    size_t own_files;
    bool own_later;
    uint64_t frame_base;   /* --own-frame-base: the records of the earlier files */
    /* the owned files' names as messages give them (cli_open), and the
     * last name looked up: a chunk reading ahead into a later chunk's
     * files leaves their messages to that chunk */
    char **own_names;
    const char *diag_file;
    bool diag_file_owned;
    /* directory entries a walk passed over (links, FIFOs, too deep,
     * unreadable): the first lines, said by cli_open, and all */
    sd_buf skipped;
    uint64_t nskipped;
    /* Set by a command whose records a thread of their own writes: waits
     * until they are written, called before anything goes to stderr, so
     * that stdout and stderr interleave as with one thread. */
    void (*quiesce)(void *ud);
    void *quiesce_ud;
    /* Set by a command run as a chunk (--own) whose lines are not what one
     * run prints (JSON lines the merge writes as CSV or a table), and the
     * output a command holds before cli_flush: with --jobs, the first
     * chunk's early lines go straight to the final output (cli_own). */
    bool own_rewrites;
    sd_buf *own_pending;
} cli_input;

/* Set by SIGINT/SIGTERM during cli_run: the engine stops reading and ends
 * every live connection, so the command's outputs are complete. */
extern volatile sig_atomic_t cli_stop;

/* Common options, for getopt_long tables: each command adds its own. */
#define CLI_COMMON_OPTS                                                                            \
    { "bpf", required_argument, 0, 'f' }, { "filter", required_argument, 0, 'f' },               \
    { "read", required_argument, 0, 'r' }, { "interface", required_argument, 0, 'i' },            \
    { "quiet", no_argument, 0, 'q' }, { "no-progress", no_argument, 0, 'P' },                     \
    { "max-flows", required_argument, 0, CLI_OPT_MAX_FLOWS },                                    \
    { "stats-interval", required_argument, 0, CLI_OPT_STATS }, { "help", no_argument, 0, 'h' },       \
    { "local-nets", required_argument, 0, CLI_OPT_LOCAL_NETS },                                  \
    { "no-vlan-key", no_argument, 0, CLI_OPT_NO_VLAN_KEY },                                     \
    { "checksum", required_argument, 0, CLI_OPT_CHECKSUM },                                     \
    { "threads", required_argument, 0, CLI_OPT_THREADS }
enum { CLI_OPT_MAX_FLOWS = 0x1001, CLI_OPT_STATS, CLI_OPT_LOCAL_NETS, CLI_OPT_NO_VLAN_KEY, CLI_OPT_CHECKSUM,
       CLI_OPT_THREADS };
#define CLI_COMMON_SHORT "f:r:i:qh"
#define CLI_COMMON_HELP                                                                            \
    "  -r, --read FILE      input capture (also as plain arguments; '-' = stdin;\n"                \
    "                       a directory is read recursively); several files are\n"                 \
    "                       merged in timestamp order\n"                                           \
    "  -f, --bpf EXPR       BPF filter (frame, stream and uid stay the whole capture's)\n"                \
    "  -i, --interface IF   capture live from IF instead of files\n"                               \
    "  -q, --quiet          no warnings about malformed input\n"                                   \
    "      --no-progress    no progress line on a terminal\n"                                     \
    "      --max-flows N    most connections tracked at once (default 65536); at the\n"           \
    "                       cap the oldest idle one ends early, is written marked\n"              \
    "                       evicted, and the count is shown on stderr\n"                          \
    "      --stats-interval S  a statistics line on stderr every S seconds (packets,\n"          \
    "                       drops, live connections, evictions, memory)\n"                      \
    "      --local-nets LIST  your networks, e.g. 10.0.0.0/8,fd00::/8 (Zeek's\n"                \
    "                       Site::local_nets): conns local_orig/local_resp, ssh\n"            \
    "                       direction (INBOUND/OUTBOUND); unset without it\n"                  \
    "      --no-vlan-key    VLAN ids out of the connection key (as Zeek and Wireshark):\n"         \
    "                       one side tagged and the other not is one connection\n" \
    "      --checksum M     auto (default), verify or off: a packet whose IPv4, TCP\n"     \
    "                       or UDP checksum is wrong never reached the receiver and\n"     \
    "                       is kept out (history C); auto takes a checksum left\n"         \
    "                       unfinished by offload (0, the pseudo-header sum) as not\n"    \
    "                       computed, verify as wrong; off checks none\n"                  \
    "      --threads N      1: one thread; 2 (the default when more than one CPU is\n"    \
    "                       online): files are read and decoded in a thread of their\n"  \
    "                       own, ahead of the analysis (and conns writes its records\n" \
    "                       in another); same output either way (more than 2 is\n"     \
    "                       taken as 2; live capture reads in one)\n"                  \
    "  -h, --help           this text\n"

void cli_input_init(cli_input *in);
/* Handles a common option; returns 1 if it was one, 0 if not, -1 on error. */
int cli_common_opt(cli_input *in, int opt, const char *arg);
void cli_add_file(cli_input *in, const char *path);
void cli_input_free(cli_input *in);
/* Opens the capture; prints an error and returns NULL when nothing at all
 * can be read. */
sd_capture *cli_open(cli_input *in);
/* The engine with the common options applied (max flows, the stop flag;
 * live: prompt expiry). eo holds the command's own settings. */
sd_engine *cli_engine(cli_input *in, sd_engine_opts *eo);
/* Threads the run may use (--threads; default 2 when more than one CPU is
 * online, else 1): 2 or more puts the reading and decoding (sd_pipe) and a
 * command's record writing (sd_outq) in threads of their own. */
unsigned cli_threads(const cli_input *in);
/* A command's writer thread (sd_outq) wired to the run: its publish
 * interval 0 (the default), or with STRIDER_PIPE_RING set (a test knob) the
 * ring's size, the most lag; and waited for before anything goes to stderr
 * (in->quiesce). NULL when it cannot start: the command writes itself. */
struct sd_outq *cli_outq_start(cli_input *in, size_t item_size, void (*fn)(void *ud, void *item), void *ud);
/* Ends *q (NULL: nothing), every item put written, and clears it; in (may
 * be NULL) waits for it no longer. */
void cli_outq_end(cli_input *in, struct sd_outq **q);
/* Runs the engine over cap with a progress line on a terminal, ending
 * cleanly on SIGINT/SIGTERM; then reports on stderr, once, every cap that
 * dropped or cut something (evicted connections). */
void cli_run(cli_input *in, sd_engine *e, sd_capture *cap);
/* A whole decimal number or seconds in [min, max] for option opt (cli_opt.c);
 * on error a one-line message and -1 (the caller exits 2). */
int cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out);
int cli_parse_secs(const char *cmd, const char *opt, const char *s, double min, double max, double *out);
/* Columns for text on stdout: on a terminal COLUMNS, else its width
 * (TIOCGWINSZ), else 100; piped 0 (no wrapping: one event per line, for
 * grep). */
unsigned cli_text_width(void);

/* Exit status after a run: 0 if anything was read, 1 if nothing could be. */
int cli_status(const cli_input *in, const sd_capture *cap);
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message on stderr that quotes an argument given: its control bytes as
 * \xHH (cli_usage_error's rule, without its "see --help" line). */
void cli_errf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes b to stdout and empties it; exits 1 with a message when stdout
 * cannot be written (a full disk must not pass as a short result). */
void cli_flush(sd_buf *b);
/* cli_flush, then fflush(stdout): for live output read line by line. */
void cli_flush_now(sd_buf *b);

#endif
