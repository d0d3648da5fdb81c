/* sd_infer_xfer: the bulk data of a leg's session: transfers
 * (upload / download, scp or sftp; docs/events.md transfer). The records
 * of -L/-D channels (sd_infer_fwd.c) are not in the view it reads. */
#include "sd_infer_zlib.h"

#include <stdio.h>
#include <string.h>

/* Legacy scp (scp -O, scp.c): each file is announced by a "C<mode> <size>
 * <name>" line between one-byte acknowledgements: the receiver's '\0', the
 * sender's line, the receiver's '\0', then the bytes. b is the first bulk
 * record; the receiver is the client for a download. */
static bool scp_handshake(const ctx *x, const leg *L, size_t b, bool download)
{
    uint32_t w1 = sdi_lw(L, download, SD_SSH_P_KEYSTROKE);
    if (b < 3 || x->v[b - 1].c != download || x->v[b - 1].len != w1)
        return false;
    size_t i = b - 1, line = 0;
    while (i > x->req_to && x->v[i - 1].c != download)
        i--, line++;
    if (!line || i <= x->req_to)
        return false;
    const item *a = &x->v[i - 1];
    return a->len == w1 && x->v[b].t - a->t < SCP_HANDSHAKE_S;
}

/* The first record at or after i sent by the client (c) or the server. */
static size_t next_from(const ctx *x, size_t i, bool c)
{
    while (i < x->n && x->v[i].c != c)
        i++;
    return i;
}

/* Which OpenSSH client drives an sftp session nobody types in, from its
 * first file-system request (before b, the transfer's first record): sftp
 * (REALPATH "." first, answered by a NAME) 1, scp (a STAT of the path it
 * was given) 0. A STAT "." (scp to an empty path) has REALPATH "."'s size;
 * when the answers' sizes agree too, scp goes on with the OPEN alone and
 * sftp with at least a STAT and the OPEN. */
static int sftp_client(const ctx *x, const leg *L, size_t b)
{
    int z = sdi_z_sftp_client(x, b);
    if (z >= 0)
        return z;
    size_t i = next_from(x, x->req_to, true); /* SSH_FXP_INIT */
    i = next_from(x, next_from(x, i, false), true);
    if (i < x->n && x->v[i].len == sdi_lw(L, true, P_FXP_LIMITS))
        i = next_from(x, next_from(x, i, false), true);
    size_t a = next_from(x, i, false);
    if (a >= b)
        return -1;
    if (x->v[i].len != sdi_lw(L, true, P_FXP_PATH_DOT))
        return 0;
    if (x->v[a].len != sdi_lw(L, false, P_FXP_ATTRS))
        return 1;
    int requests = 0;
    for (size_t j = a + 1; j < b; j++)
        requests += x->v[j].c && !x->v[j - 1].c;
    return requests >= 2;
}

/* Which program moved the bytes whose first record is b. In an sftp
 * session a person at sftp's prompt pauses before commands; without one,
 * the first request tells sftp -b / sftp host:file from OpenSSH's scp
 * (SFTP protocol since 9.0). */
static const char *transfer_tool(ctx *x, const leg *L, size_t b, int d, const char **proto)
{
    *proto = NULL;
    /* the first bulk record after the requests (the run may start with the
     * server's hostkeys-00 announcement) */
    while (b < x->n && (b < x->req_to || x->v[b].c != (d == 0) || x->v[b].len < XFER_RECORD))
        b++;
    if (x->sftp) {
        *proto = "sftp";
        for (size_t j = x->req_to + 1; j <= b && j < x->n; j++)
            if (x->v[j].c && !x->v[j - 1].c && x->v[j].t - x->v[j - 1].t > HUMAN_THINK_S)
                return "sftp";
        return sftp_client(x, L, b) == 1 ? "sftp" : "scp";
    }
    if (x->exec && b < x->n && scp_handshake(x, L, b, d == 1)) {
        x->scp = true;
        *proto = "scp";
        return "scp";
    }
    return "unknown";
}

/* A run of bulk records one way. */
typedef struct bulk_run {
    double t0, t1;
    sd_ts ts0;
    uint64_t f0, f1, bytes;
    size_t n, i0;
} bulk_run;

/* The transfer event of the run b in direction d (0 upload). */
static void transfer_event(ctx *x, const leg *L, const bulk_run *b, int d)
{
    uint64_t pk = (b->bytes + XFER_CHUNK - 1) / XFER_CHUNK;
    /* per chunk: one packet's framing and CHANNEL_DATA header (of each
     * layer, for a nested leg), SFTP's length */
    uint64_t fr = sdi_lw(L, d == 0, SD_SSH_P_CHANNEL_DATA(0)) + SFTP_CHUNK_FRAMING + sdi_z_chunk_framing(x);
    uint64_t by = b->bytes > pk * fr ? b->bytes - pk * fr : 0;
    item a = { .ts = b->ts0, .frame = b->f0 }, z = { .frame = b->f1 };
    sd_event *e = sdi_ev(x, "transfer", &a, &z, L->id);
    e->dir = d;
    e->confidence = CONF_TRANSFER;
    sd_ev_str(e, "direction", d == 0 ? "upload" : "download");
    const char *proto, *tool = transfer_tool(x, L, b->i0, d, &proto);
    sd_ev_str(e, "tool", tool);
    if (proto)
        sd_ev_str(e, "protocol", proto);
    sd_ev_int(e, "bytes", (int64_t)by);
    sd_ev_num(e, "start", b->t0);
    sd_ev_num(e, "end", b->t1);
    snprintf(e->note, sizeof e->note, "%s of about %llu bytes in %.2f s", d == 0 ? "upload" : "download",
             (unsigned long long)by, b->t1 - b->t0);
}

/* Runs of at least XFER_RECORD-byte records one way (and the short last
 * segment of a write) with gaps under XFER_GAP_S; those of XFER_MIN_BYTES
 * or more are transfers. */
void sdi_transfers(ctx *x, const leg *L, size_t from)
{
    bulk_run b[2];
    memset(b, 0, sizeof b);
    for (size_t i = from; i <= x->n; i++) {
        item *it = i < x->n ? &x->v[i] : NULL;
        for (int d = 0; d < 2; d++) {
            /* the last segment of a write may be short: it follows a bulk
             * record of the same direction directly */
            bool tail = it && b[d].n && x->v[i - 1].c == it->c && x->v[i - 1].len >= XFER_RECORD;
            /* in a shell with a terminal the server's bulk is what a
             * command prints (its command_output), not a file sent */
            bool ext = it && it->c == (d == 0) && (it->len >= XFER_RECORD || tail) && !(d == 1 && x->pty_shell);
            bool close = !it || (ext && b[d].n && it->t - b[d].t1 > XFER_GAP_S);
            if (close && b[d].bytes >= XFER_MIN_BYTES)
                transfer_event(x, L, &b[d], d);
            if (close)
                b[d].n = 0, b[d].bytes = 0;
            if (!ext)
                continue;
            if (!b[d].n) {
                b[d].t0 = it->t;
                b[d].ts0 = it->ts;
                b[d].f0 = it->frame;
                b[d].i0 = i;
            }
            b[d].t1 = it->t;
            b[d].f1 = it->frame;
            b[d].bytes += it->len - (it->kex_bytes < it->len ? it->kex_bytes : it->len);
            b[d].n++;
        }
    }
}
