/* sd_ssh_report: one SSH connection in the reports' model (see
 * sd_ssh_report.h). The header rows say what the metadata says; the
 * data-movement windows' exfil/infil marks and the predicted sizes are
 * decided here, by the SSH layer, so the writers only draw. */
#include "sd_ssh_report.h"

#include "../common/sd_strb.h"

#include "sd_ssh_record.h"
#include "sd_ssh_size.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *nz(const char *s)
{
    return s && s[0] ? s : "-";
}

static bool in_zoom(const sd_report_opts *o, uint64_t frame)
{
    return !((o->zoom_first && frame < o->zoom_first) || (o->zoom_last && frame > o->zoom_last));
}

static void add_row(sd_ssh_report *s, const char *k, const char *v, unsigned fl)
{
    if (s->rc.nrow < SD_ARRAY_LEN(s->row))
        s->row[s->rc.nrow++] = (sd_report_row){ k, v, fl };
}

/* An AEAD cipher carries its own MAC: the terminal names none. */
static bool aead(const char *c)
{
    return strstr(c, "gcm") || strstr(c, "poly1305");
}

/* The metadata as header rows: the terminal's and the page's forms. */
static void head_rows(sd_ssh_report *s, const sd_ssh_meta *m, const char *summary)
{
    const unsigned both = SD_RROW_TERM | SD_RROW_PAGE;
    if (!m) {
        if (summary && summary[0])
            add_row(s, "outcome", summary, SD_RROW_PAGE);
        return;
    }
    const sd_ssh_side *cl = &m->side[m->client_dir & 1], *sv = &m->side[!(m->client_dir & 1)];
    add_row(s, "client", nz(cl->banner), both | SD_RROW_CUT | SD_RROW_MONO);
    add_row(s, "server", nz(sv->banner), both | SD_RROW_CUT | SD_RROW_MONO);
    /* the rows' strings without printf (once per connection, ~2,500
     * instructions a snprintf): "%s  hasshServer %s" */
    sd_strb t = sd_strb_at(s->hassh, sizeof s->hassh);
    sd_strb_cat(&t, nz(cl->hassh));
    sd_strb_cat(&t, "  hasshServer ");
    sd_strb_cat(&t, nz(sv->hassh));
    add_row(s, "hassh", s->hassh, SD_RROW_TERM);
    add_row(s, "hassh", nz(cl->hassh), SD_RROW_PAGE | SD_RROW_MONO);
    add_row(s, "hasshServer", nz(sv->hassh), SD_RROW_PAGE | SD_RROW_MONO);
    if (m->cipher[0]) {
        bool mac = m->mac[0] && !aead(m->cipher[0]);
        t = sd_strb_at(s->suite_term, sizeof s->suite_term); /* "%s%s%s  kex %s" */
        sd_strb_cat(&t, m->cipher[0]);
        if (mac) {
            sd_strb_cat(&t, " + ");
            sd_strb_cat(&t, m->mac[0]);
        }
        sd_strb_cat(&t, "  kex ");
        sd_strb_cat(&t, nz(m->kex_alg));
        add_row(s, "suite", s->suite_term, SD_RROW_TERM);
    }
    t = sd_strb_at(s->suite_page, sizeof s->suite_page); /* "%s / %s, kex %s" */
    sd_strb_cat(&t, nz(m->cipher[0]));
    sd_strb_cat(&t, " / ");
    sd_strb_cat(&t, nz(m->mac[0]));
    sd_strb_cat(&t, ", kex ");
    sd_strb_cat(&t, nz(m->kex_alg));
    add_row(s, "suite", s->suite_page, SD_RROW_PAGE | SD_RROW_MONO);
    if (m->hostkey_seen) {
        t = sd_strb_at(s->hostkey, sizeof s->hostkey); /* "%s %s (frame %llu)" */
        sd_strb_cat(&t, m->hostkey_type);
        sd_strb_cat(&t, " ");
        sd_strb_cat(&t, m->hostkey_sha256);
        sd_strb_cat(&t, " (frame ");
        sd_strb_u64(&t, m->kex_reply_frame);
        sd_strb_cat(&t, ")");
        add_row(s, "host key", s->hostkey, both | SD_RROW_MONO);
    }
    if (m->terrapin) {
        t = sd_strb_at(s->warning, sizeof s->warning);
        sd_strb_cat(&t, "Terrapin EXPOSED: ");
        sd_strb_cat(&t, m->terrapin_reason);
        add_row(s, "warning", s->warning, SD_RROW_TERM);
        add_row(s, "Terrapin", m->terrapin_reason, SD_RROW_PAGE);
    }
    if (m->midstream) { /* nothing of the handshake: say what the rows above lack, and why */
        add_row(s, "midstream", "session already open when the capture began: no banner or key exchange seen", both);
        add_row(s, "suite", m->suite_guessed ? m->suite_guess : "unknown", both | SD_RROW_MONO);
        if (m->suite_guessed)
            add_row(s, "suite is", "guessed from the keystroke's size, not negotiated", both);
    }
    if (summary && summary[0])
        add_row(s, "outcome", summary, both | SD_RROW_WRAP);
}

/* The sizes the suite model predicts (DESIGN.md "The SSH size model"),
 * marked on the histograms; none for a suite it does not know. */
static void predictions(sd_ssh_report *s, const sd_ssh_meta *m)
{
    const sd_ssh_suite *cs = &m->side[m->client_dir & 1].suite, *ss = &m->side[!(m->client_dir & 1)].suite;
    uint32_t key = 0;
    size_t n = 0;
    if (cs->mode != SD_SSH_MODE_UNKNOWN) {
        key = sd_ssh_wire_size(cs, SD_SSH_P_KEYSTROKE);
        s->pred[0][0] = (sd_report_size){ key, "keystroke" };
        s->rc.hist[0].nmark = key ? 1 : 0;
    }
    if (ss->mode != SD_SSH_MODE_UNKNOWN) {
        uint32_t echo = sd_ssh_wire_size(ss, SD_SSH_P_KEYSTROKE);
        uint32_t ok = sd_ssh_wire_size(ss, SD_SSH_P_USERAUTH_SUCCESS);
        uint32_t acc = sd_ssh_wire_size(ss, SD_SSH_P_SERVICE_ACCEPT);
        if (echo)
            s->pred[1][n++] = (sd_report_size){ echo, "echo" };
        if (ok && ok != echo)
            s->pred[1][n++] = (sd_report_size){ ok, "success" };
        if (acc && acc != echo && acc != ok)
            s->pred[1][n++] = (sd_report_size){ acc, "svc accept" };
    }
    s->rc.hist[0].mark = s->pred[0];
    s->rc.hist[1].mark = s->pred[1];
    s->rc.hist[1].nmark = n;
}

/* Seconds from the connection's start to the last record at or before
 * frame (the end of a marked window); t if there is none. */
static double rec_time(const sd_sshconn_result *r, uint64_t frame, double t)
{
    for (size_t i = 0; i < r->nrec && r->rec[i].frame <= frame; i++)
        t = sd_ts_sec(r->rec[i].ts - r->conn->start);
    return t;
}

/* A mark per data_window event shown (the inference's one exfil/infil
 * rule, -w/-s): upper band for client to server, shaded over the time its
 * frames span. */
static void dm_marks(sd_ssh_report *s, const sd_sshconn_result *r, const sd_event *ev, size_t nev)
{
    sd_report_series *d = &s->rc.dm;
    s->mark = sd_calloc(nev ? nev : 1, sizeof *s->mark);
    s->mark_title = sd_calloc(nev ? nev : 1, sizeof *s->mark_title);
    for (size_t i = 0; i < nev; i++) {
        const sd_event *e = &ev[i];
        if (!e->kind || strcmp(e->kind, "data_window"))
            continue;
        char *t = s->mark_title[d->nmark];
        snprintf(t, sizeof *s->mark_title, "%s, frames %llu-%llu", e->note, (unsigned long long)e->frame,
                 (unsigned long long)e->frame_last);
        double t0 = sd_ts_sec(e->ts - r->conn->start);
        s->mark[d->nmark++] = (sd_report_mark){ (double)e->frame, t0, rec_time(r, e->frame_last, t0),
                                                e->dir == 0 ? 1 : 2, t };
    }
    d->mark = s->mark;
    d->band_name[1] = "exfil";
    d->band_name[2] = "infil";
}

/* Each direction's record sizes and times in the zoom range, for the
 * histograms and the data-movement plot. */
static void sizes(sd_ssh_report *s, const sd_sshconn_result *r, const sd_report_opts *o)
{
    for (int c = 0; c < 2; c++) {
        s->size[c] = sd_calloc(r->nrec ? r->nrec : 1, sizeof *s->size[c]);
        s->time[c] = sd_calloc(r->nrec ? r->nrec : 1, sizeof *s->time[c]);
        size_t n = 0;
        for (size_t i = 0; i < r->nrec; i++)
            if (r->rec[i].from_client == (c == 0) && in_zoom(o, r->rec[i].frame)) {
                s->time[c][n] = sd_ts_sec(r->rec[i].ts - r->conn->start);
                s->size[c][n++] = r->rec[i].wire_len;
            }
        s->rc.hist[c].v = s->size[c];
        s->rc.hist[c].t = s->time[c];
        s->rc.hist[c].n = n;
    }
}

void sd_ssh_report_fill(sd_ssh_report *s, const sd_ssh_done *d, const sd_event *ev, size_t nev,
                        const sd_report_opts *o, bool plots)
{
    const sd_sshconn_result *r = d->r;
    const sd_ssh_meta *m = r->meta;
    memset(s, 0, sizeof *s);
    if (d->summary)
        sd_sshout_summary(s->summary, sizeof s->summary, d->summary);
    s->rc.conn = r->conn;
    s->rc.row = s->row;
    s->rc.ev = ev;
    s->rc.nev = nev;
    s->rc.nrec = r->nrec;
    s->rc.rec_unit = r->nrec && r->rec[0].exact ? "packets" : "segments";
    if (m) {
        s->rc.proto = "SSH";
        s->rc.client_dir = m->client_dir;
    }
    head_rows(s, m, s->summary);
    if (!plots)
        return;
    if (m)
        predictions(s, m);
    dm_marks(s, r, ev, nev);
    sizes(s, r, o);
}

void sd_ssh_report_clear(sd_ssh_report *s)
{
    free(s->mark);
    free(s->mark_title);
    free(s->size[0]);
    free(s->size[1]);
    free(s->time[0]);
    free(s->time[1]);
    memset(s, 0, sizeof *s);
}
