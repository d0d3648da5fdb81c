/* sd_ssh_analyzer: glue between sd_engine and sd_ssh (see the header). */
#include "sd_ssh_analyzer.h"

#include <stdlib.h>

struct sd_ssh_an {
    sd_ssh_an_opts opts;
    int slot;              /* -1 until set */
    sd_ssh_an_stats stats;
};

typedef struct an_conn {
    sd_ssh_an *an;
    sd_conn *c;
    sd_ssh *ssh;
} an_conn;

sd_ssh_an *sd_ssh_an_new(const sd_ssh_an_opts *opts)
{
    sd_ssh_an *an = sd_calloc(1, sizeof(*an));
    if (opts)
        an->opts = *opts;
    an->slot = -1;
    return an;
}

void sd_ssh_an_set_slot(sd_ssh_an *an, int slot)
{
    if (an)
        an->slot = slot;
}

const sd_ssh_an_stats *sd_ssh_an_get_stats(const sd_ssh_an *an)
{
    return an ? &an->stats : NULL;
}

void sd_ssh_an_free(sd_ssh_an *an)
{
    free(an);
}

static void on_record(void *ud, const sd_ssh_record *r)
{
    an_conn *ac = ud;
    if (ac->an->opts.record)
        ac->an->opts.record(ac->an->opts.ud, ac->c, r);
}

static void *an_conn_new(void *ctx, sd_conn *c)
{
    sd_ssh_an *an = ctx;
    if (c->ipproto != 6)
        return NULL;
    an_conn *ac = sd_calloc(1, sizeof(*ac));
    ac->an = an;
    ac->c = c;
    /* Direction 0 is the SYN sender (or first sender when the handshake was
     * missed): the likely client; sd_ssh corrects it from the content. */
    sd_ssh_opts o = { .client_hint = SD_DIR_ORIG, .record = on_record, .ud = ac };
    ac->ssh = sd_ssh_new(&o);
    an->stats.claimed++;
    return ac;
}

static void an_conn_free(an_conn *ac)
{
    sd_ssh_free(ac->ssh);
    free(ac);
}

/* Not SSH: what sd_ssh rules out, plus text lines from the SYN sender
 * before any banner (a client must start with its identification line)
 * answered by text lines from the other side (so an SSH server that opened
 * the connection, as in reverse setups, and greets with text is kept until
 * its peer shows no banner either). */
static bool rule_out(const an_conn *ac)
{
    if (sd_ssh_is_ssh(ac->ssh))
        return false;
    if (sd_ssh_ruled_out(ac->ssh))
        return true;
    const sd_ssh_meta *m = sd_ssh_meta_get(ac->ssh);
    return ac->c->saw_syn && m->side[SD_DIR_ORIG].prebanner_lines > 0 &&
           m->side[SD_DIR_RESP].prebanner_lines > 0;
}

static void an_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    sd_ssh_an *an = ctx;
    an_conn *ac = st;
    if (ch->kind == SD_CHUNK_GAP) {
        sd_ssh_gap(ac->ssh, dir, ch->len, ch->last_frame);
    } else if (ch->data && ch->len) {
        uint64_t off = sd_ssh_offset(ac->ssh, dir);
        sd_ssh_feed(ac->ssh, dir, ch->data, ch->len, ch->last_frame, ch->ts);
        /* segment-level records for suites whose length is encrypted */
        sd_ssh_segment(ac->ssh, dir, off, ch->len, ch->last_frame, ch->ts);
    }
    if (an->slot >= 0 && rule_out(ac)) {
        an->stats.released++;
        an_conn_free(ac);
        c->slot[an->slot] = NULL;
    }
}

static void an_conn_end(void *ctx, sd_conn *c, void *st)
{
    sd_ssh_an *an = ctx;
    an_conn *ac = st;
    if (!ac)
        return;
    if (sd_ssh_is_ssh(ac->ssh)) {
        an->stats.ssh++;
        if (an->opts.conn_done)
            an->opts.conn_done(an->opts.ud, c, sd_ssh_meta_get(ac->ssh));
    }
    an_conn_free(ac);
}

sd_analyzer sd_ssh_an_analyzer(sd_ssh_an *an)
{
    sd_analyzer a = {
        .name = "ssh",
        .conn_new = an_conn_new,
        .packet = NULL,
        .chunk = an_chunk,
        .inconsistency = NULL,
        .conn_end = an_conn_end,
        .ctx = an,
    };
    return a;
}
