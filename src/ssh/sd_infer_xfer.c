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
/* The receiver's one-byte acknowledgement (from_client: the client's): its
 * record alone, or read by segment with a verbose sink's stderr line before
 * it (extended data of SCP_STDERR_MIN..SD_SSH_RFC_LINE bytes: lab scp_tree
 * seed 1000, chacha20, "Sink: C0644 ..." and the ack in one 104-byte
 * segment where the first run had 68 and 36). */
static bool scp_ack(const leg *L, const item *it, bool from_client)
{
    uint32_t w1 = sdi_lw(L, from_client, SD_SSH_P_KEYSTROKE);
    if (it->len == w1)
        return true;
    if (it->exact || it->len <= w1)
        return false;
    uint32_t rest = it->len - w1;
    return rest >= sdi_lw(L, from_client, P_EXTENDED_DATA(SCP_STDERR_MIN)) &&
           rest <= sdi_lw(L, from_client, P_EXTENDED_DATA(SD_SSH_RFC_LINE));
}

static bool scp_handshake(const ctx *x, const leg *L, size_t b, bool download)
{
    if (b < 3 || x->v[b - 1].c != download || !scp_ack(L, &x->v[b - 1], download))
        return false;
    size_t i = b - 1, line = 0;
    /* a verbose sink (scp -v runs the remote scp with -v) writes its
     * "Sink: C..." line to stderr before its acknowledgement: one more
     * record of the receiver's */
    if (i > x->req_to + 1 && x->v[i - 1].c == download && x->v[i - 2].c != download)
        i--;
    while (i > x->req_to && x->v[i - 1].c != download)
        i--, line++;
    if (!line || i <= x->req_to)
        return false;
    const item *a = &x->v[i - 1];
    return scp_ack(L, a, download) && x->v[b].t - a->t < SCP_HANDSHAKE_S;
}

/* The first record at or after i sent by the client (c) or the server. */
static size_t next_from(const ctx *x, size_t i, bool c)
{
    while (i < x->n && x->v[i].c != c)
        i++;
    return i;
}

/* Another session channel's setup met while a channel's SFTP start is
 * read (sd_infer_mux.c). scp up and down at once through a master with no
 * session of its own open two channels in a row (lab mux_n_xfer: the
 * second's open right after the first's VERSION; its +8400 run: between
 * the first's INIT and VERSION): a client record of CHANNEL_OPEN
 * "session"'s size answered by an OPEN_CONFIRMATION's (an SFTP request's
 * answer, ATTRS, NAME, HANDLE or STATUS, is larger) is that open; the
 * client's next record its subsystem request (REALPATH "."'s size under
 * chacha), the server's next the channel answers, and a client record of
 * INIT's size right after them its INIT. The walk skips those records.
 * The server may write the confirmation with this channel's answer of the
 * moment (lab fresh mux_xfer_s8200, chacha20: the first's VERSION, 356,
 * and the second's confirmation, 44, in one 400-byte segment; its
 * subsystem request then passed for REALPATH ".", both transfers sftp's):
 * in a segment of a suite whose lengths are hidden, a record at least a
 * confirmation and a channel answer long may hold it. That record stays
 * in the walk (it holds this channel's message), and the open counts as
 * one only with the INIT after the answers, the whole setup. */
typedef struct fxp_walk {
    size_t skip[MUX_SETUP_SKIP];
    unsigned n;
} fxp_walk;

static bool skipped(const fxp_walk *w, size_t i)
{
    for (unsigned k = 0; k < w->n; k++)
        if (w->skip[k] == i)
            return true;
    return false;
}

static void other_setup(const ctx *x, const leg *L, size_t i, fxp_walk *w)
{
    if (!x->v[i].mux || !x->v[i].c || x->v[i].len != sdi_lw(L, true, P_SESSION_OPEN) || w->n + 5 > MUX_SETUP_SKIP)
        return;
    size_t a = next_from(x, i + 1, false);
    if (a >= x->n)
        return;
    uint32_t conf = sdi_lw(L, false, P_OPEN_CONFIRM);
    bool shared = !x->v[a].exact && x->v[a].len >= conf + sdi_lw(L, false, P_CHANNEL_SUCCESS);
    if (x->v[a].len != conf && !shared)
        return;
    size_t r = next_from(x, a, true), ans = next_from(x, r, false);
    if (ans >= x->n || !sdi_channel_answers(x->v[ans].len, x->ss))
        return;
    size_t init = next_from(x, ans, true);
    bool has_init = init < x->n && x->v[init].len == sdi_lw(L, true, P_SFTP_INIT);
    if (shared && !has_init)
        return;
    w->skip[w->n++] = i;
    if (!shared)
        w->skip[w->n++] = a;
    w->skip[w->n++] = r, w->skip[w->n++] = ans;
    if (has_init)
        w->skip[w->n++] = init;
}

/* The first record at or after i sent by the client (c) or the server
 * that is no other channel's setup. */
static size_t walk_next(const ctx *x, const leg *L, fxp_walk *w, size_t i, bool c)
{
    for (; i < x->n; i++) {
        if (!skipped(w, i))
            other_setup(x, L, i, w);
        if (!skipped(w, i) && x->v[i].c == c)
            return i;
    }
    return x->n;
}

/* (declared in sd_infer_int.h) */
int sdi_fxp_first_tool(const ctx *x, size_t req, size_t ans, uint32_t dot, uint32_t attrs)
{
    if (x->v[req].len != dot)
        return 0;
    if (ans >= x->n)
        return -1;
    return x->v[ans].len != attrs ? 1 : -1;
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
    z = sdi_mux_sftp_client(x, b);
    if (z >= 0)
        return z;
    fxp_walk w = { .n = 0 };
    size_t i = next_from(x, x->req_to, true); /* SSH_FXP_INIT */
    i = walk_next(x, L, &w, walk_next(x, L, &w, i + 1, false) + 1, true);
    if (i < x->n && x->v[i].len == sdi_lw(L, true, P_FXP_LIMITS))
        i = walk_next(x, L, &w, walk_next(x, L, &w, i + 1, false) + 1, true);
    size_t a = walk_next(x, L, &w, i + 1, false);
    if (a >= b)
        return -1;
    int tool = sdi_fxp_first_tool(x, i, a, sdi_lw(L, true, P_FXP_PATH_DOT), sdi_lw(L, false, P_FXP_ATTRS));
    if (tool >= 0)
        return tool;
    int requests = 0;
    for (size_t j = a + 1; j < b; j++)
        requests += x->v[j].c && !x->v[j - 1].c;
    return requests >= 2;
}

/* git's shape before the transfer's first bulk record b (GIT_ADV_MIN):
 * the server's reference advertisement after the requests, then one or
 * two client turns, the last of which may run into an upload's pack. */
static bool git_shape(const ctx *x, const leg *L, size_t b)
{
    uint32_t adv = sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA(GIT_ADV_MIN));
    size_t i = x->req_to;
    while (i < b && (x->v[i].c || x->v[i].len < adv))
        i++;
    unsigned turns = 0;
    for (size_t j = i + 1; j <= b && j < x->n; j++)
        turns += x->v[j].c && !x->v[j - 1].c;
    return i < b && turns >= 1 && turns <= GIT_MAX_TURNS;
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
    if (x->exec && b < x->n && git_shape(x, L, b)) {
        *proto = "git";
        return "git";
    }
    return "unknown";
}

/* A run of bulk records one way. */
typedef struct bulk_run {
    double t0, t1;
    sd_ts ts0;
    uint64_t f0, f1, bytes;
    size_t n, i0, i1;
} bulk_run;

/* A recursive download lists each directory before its files
 * (sftp-client.c download_dir: SSH_FXP_READDIR until EOF, then a READ per
 * chunk of each file): the NAME answers, each entry's name, ls -l line and
 * attributes (about 100 bytes a file), come between two READDIRs, a file's
 * data after a READ. A listing is not a file's bytes, and a large `ls` is
 * no transfer. Where a READDIR and a READ have one wire size (16-byte
 * blocks with encrypt-and-MAC: 48 bytes both) the listing cannot be told
 * and stays. A walk in increasing i carries the current burst's end. */
typedef struct listing {
    uint32_t readdir; /* its wire size; 0: no listing can be told */
    size_t end;
} listing;

static listing listing_walk(const ctx *x, const leg *L)
{
    listing w = { 0, 0 };
    uint32_t rd = sdi_lw(L, true, P_FXP_HANDLE_REQ);
    if (x->sftp && rd != sdi_lw(L, true, P_FXP_READ))
        w.readdir = rd;
    return w;
}

/* Record i is in a directory listing: at a server burst's first record
 * (after a client one) the burst is one when a READDIR-sized client record
 * comes before and after it. */
static bool in_listing(const ctx *x, listing *w, size_t i)
{
    if (w->readdir && !x->v[i].c && i > x->req_to && x->v[i - 1].c) {
        w->end = i;
        if (x->v[i - 1].len == w->readdir) {
            size_t k = i;
            while (k < x->n && !x->v[k].c)
                k++;
            if (k < x->n && x->v[k].len == w->readdir)
                w->end = k;
        }
    }
    return i < w->end;
}

/* A record of the run b in direction d counted as bulk: at least
 * XFER_RECORD bytes, or a write's short last segment (it follows a bulk
 * one directly), and not a directory's listing. */
static bool run_bulk(const ctx *x, const bulk_run *b, size_t i, int d, listing *lst)
{
    const item *it = &x->v[i];
    if (in_listing(x, lst, i))
        return false;
    bool tail = !it->exact && i > b->i0 && x->v[i - 1].c == it->c && x->v[i - 1].len >= XFER_RECORD;
    return it->c == (d == 0) && (it->len >= XFER_RECORD || tail);
}

/* The run's full segment size: the largest of the largest segment divided
 * by 1..XFER_GRO_MAX that at least half the segments are multiples of (a
 * capture taken with receive offload holds segments of 2, 3, 4 times the
 * MSS); 0 when none is (every segment ends a write: files smaller than a
 * segment). */
static uint32_t run_full_segment(const ctx *x, const leg *L, const bulk_run *b, int d)
{
    uint32_t top = 0;
    size_t n = 0;
    listing lst = listing_walk(x, L);
    for (size_t i = b->i0; i <= b->i1; i++)
        if (run_bulk(x, b, i, d, &lst) && !x->v[i].exact) {
            n++;
            if (x->v[i].len > top)
                top = x->v[i].len;
        }
    for (uint32_t k = 1; k <= XFER_GRO_MAX && top / k >= XFER_RECORD; k++) {
        if (top % k)
            continue;
        size_t m = 0;
        lst.end = 0;
        for (size_t i = b->i0; i <= b->i1; i++)
            m += run_bulk(x, b, i, d, &lst) && !x->v[i].exact && x->v[i].len % (top / k) == 0;
        if (2 * m >= n)
            return top / k;
    }
    return 0;
}

/* The SSH packets a run of bulk records carries, at least: a packet ends
 * each write, and a segment that is not a whole number of full segments
 * ends one (the sender's buffer ran dry: the packet is complete); an exact
 * record is a packet. A directory of small files is one write per file,
 * fewer bytes than a chunk each (sftp's WRITE or DATA per file, legacy
 * scp's data and '\0'), so counting chunks alone left their framing in
 * the bytes. */
static uint64_t run_writes(const ctx *x, const leg *L, const bulk_run *b, int d, bool *chunk_write)
{
    uint32_t full = run_full_segment(x, L, b, d);
    uint64_t w = 0, size = 0;
    listing lst = listing_walk(x, L);
    *chunk_write = false;
    for (size_t i = b->i0; i <= b->i1; i++) {
        const item *it = &x->v[i];
        if (!run_bulk(x, b, i, d, &lst) || (it->exact && it->len < XFER_RECORD))
            continue;
        size += it->len - (it->kex_bytes < it->len ? it->kex_bytes : it->len);
        if (it->exact || !full || it->len % full != 0) {
            w++;
            *chunk_write |= size >= XFER_CHUNK;
            size = 0;
        }
    }
    *chunk_write |= size >= XFER_CHUNK;
    return w;
}

/* The framing of a packet carrying a file smaller than a chunk (d 0 from
 * the client): the mean over XFER_PAD_SPAN lengths, rounded. */
static uint64_t file_framing(const leg *L, int d)
{
    uint64_t sum = 0;
    for (uint32_t k = 0; k < XFER_PAD_SPAN; k++)
        sum += sdi_lw(L, d == 0, SD_SSH_P_CHANNEL_DATA(k)) - k;
    return (sum + XFER_PAD_SPAN / 2) / XFER_PAD_SPAN;
}

/* A client that moves data in packets smaller than OpenSSH's 32 KiB chunk
 * (PuTTY's pscp and psftp: 4096-byte SFTP WRITEs or scp blocks, each a
 * packet; a 16 KiB maximum packet for what the server sends it): the run's
 * writes are mostly of one wire size, its full packet. Its payload is the
 * roundest one that pads to that size (a program's buffer is a power of
 * two; the padding of 16 consecutive lengths differs), so each packet's
 * framing is known exactly instead of one chunk's every 32 KiB. Returns
 * false (the chunk model applies) when no size repeats below a chunk's. */
static bool small_packets(const ctx *x, const leg *L, const bulk_run *b, int d, bool sftp, bool scp, uint64_t *by)
{
    uint32_t full = run_full_segment(x, L, b, d), size_of[XFER_SIZES] = { 0 }, count[XFER_SIZES] = { 0 };
    uint64_t size = 0;
    listing lst = listing_walk(x, L);
    unsigned ns = 0;
    for (size_t i = b->i0; i <= b->i1; i++) {
        const item *it = &x->v[i];
        if (!run_bulk(x, b, i, d, &lst) || (it->exact && it->len < XFER_RECORD))
            continue;
        size += it->len - (it->kex_bytes < it->len ? it->kex_bytes : it->len);
        if (!(it->exact || !full || it->len % full != 0))
            continue;
        unsigned k = 0;
        while (k < ns && size_of[k] != size)
            k++;
        if (k == ns && ns < XFER_SIZES)
            size_of[ns++] = (uint32_t)size;
        if (k < ns)
            count[k]++;
        size = 0;
    }
    unsigned m = 0;
    for (unsigned k = 1; k < ns; k++)
        if (count[k] > count[m])
            m = k;
    uint32_t top = ns ? size_of[m] : 0;
    if (!ns || count[m] < XFER_PKT_REPEAT || top >= sdi_lw(L, d == 0, SD_SSH_P_CHANNEL_DATA(XFER_CHUNK)))
        return false;
    /* an upload's packet is one request (SFTP's WRITE header, then the
     * data); a download's packets cut the server's stream of answers
     * anywhere: its payload is the data */
    uint32_t hdr = d == 0 && sftp ? FXP_WRITE_HEADER : 0, data = 0;
    for (uint32_t k = hdr + 1; k < top; k++)
        if (sdi_lw(L, d == 0, SD_SSH_P_CHANNEL_DATA(k)) == top && ((k - hdr) & -(k - hdr)) > (data & -data))
            data = k - hdr;
    if (!data || data % XFER_PKT_ROUND)
        return false;
    /* every write is a whole number of packets, its last one maybe short */
    uint64_t n = 0, bytes = 0;
    lst = listing_walk(x, L);
    size = 0;
    for (size_t i = b->i0; i <= b->i1; i++) {
        const item *it = &x->v[i];
        if (!run_bulk(x, b, i, d, &lst) || (it->exact && it->len < XFER_RECORD))
            continue;
        size += it->len - (it->kex_bytes < it->len ? it->kex_bytes : it->len);
        if (it->exact || !full || it->len % full != 0 || i == b->i1) {
            /* less than a packet answered by the other side's bulk: a
             * burst of requests (psftp's 32 READs of a get right after a
             * put), not data */
            size_t a = next_from(x, i + 1, !it->c);
            if (size >= top || a >= x->n || x->v[a].len < XFER_RECORD) {
                n += (size + top - 1) / top;
                bytes += size;
            }
            size = 0;
        }
    }
    uint64_t cut = n * (top - data);
    bytes = bytes > cut ? bytes - cut : 0;
    /* a download's SFTP DATA headers, one a chunk, and the EOF STATUS
     * answering each READ sent past the file's end (PuTTY keeps 1 MiB of
     * READs outstanding: 32 for a 96 KiB file), in the server's packets
     * with the data; legacy scp's end byte */
    uint64_t nd = (bytes + XFER_CHUNK + FXP_DATA_HEADER - 1) / (XFER_CHUNK + FXP_DATA_HEADER), reads = 0;
    if (d == 1 && sftp) {
        uint32_t rw = sdi_lw(L, true, P_FXP_READ);
        size_t i = b->i0;
        while (i > x->req_to && x->v[i - 1].c)
            i--;
        /* the READs' packets share segments, and PuTTY's burst of READs
         * can leave in segments between the server's DATA (lab
         * putty_psftp_batch_chacha: 480, 480 and 1284 bytes, 33 READs of
         * 68): a burst's sum (the client's records between two of the
         * server's) is whole, or those of the bursts that are not whole
         * together. A burst of more than FXP_READS_MAX READs' bytes is a
         * put's WRITEs: psftp -b's get right after its put (lab
         * putty_psftp_batch at seed +3000) starts its run at the put's
         * STATUS answers, and the walk back from there took in the whole
         * put, whose sum with the READs was whole by chance: 1708 READs,
         * 55 % of the get's bytes cut as their EOF answers. */
        uint64_t burst = 0, split = 0;
        for (; i <= b->i1 + 1; i++) {
            if (i <= b->i1 && x->v[i].c) {
                burst += x->v[i].len;
                continue;
            }
            if (burst <= (uint64_t)FXP_READS_MAX * rw) {
                reads += burst % rw ? 0 : burst / rw;
                split += burst % rw ? burst : 0;
            }
            burst = 0;
        }
        reads += split % rw ? 0 : split / rw;
    }
    uint64_t tail = d == 1 && sftp ? nd * FXP_DATA_HEADER + (reads > nd ? reads - nd : 0) * FXP_STATUS_EOF
                    : d == 1 && scp ? SCP_FILE_END
                                    : 0;
    *by = bytes > tail ? bytes - tail : 0;
    return true;
}

/* The transfer event of the run b in direction d (0 upload). */
static void transfer_event(ctx *x, const leg *L, const bulk_run *b, int d)
{
    /* per chunk: one packet's framing and CHANNEL_DATA header (of each
     * layer, for a nested leg), SFTP's length */
    bool chunk_write;
    uint64_t w = run_writes(x, L, b, d, &chunk_write);
    uint64_t pk = (b->bytes + XFER_CHUNK - 1) / XFER_CHUNK;
    uint64_t fr = sdi_lw(L, d == 0, SD_SSH_P_CHANNEL_DATA(0)) + SFTP_CHUNK_FRAMING + sdi_z_chunk_framing(x);
    item a = { .ts = b->ts0, .frame = b->f0 }, z = { .frame = b->f1 };
    sd_event *e = sdi_ev(x, "transfer", &a, &z, L->id);
    e->dir = d;
    e->confidence = CONF_TRANSFER;
    sd_ev_str(e, "direction", d == 0 ? "upload" : "download");
    const char *proto, *tool = transfer_tool(x, L, b->i0, d, &proto);
    sd_ev_str(e, "tool", tool);
    if (proto)
        sd_ev_str(e, "protocol", proto);
    /* writes beyond the chunks are files smaller than a chunk, each in a
     * packet of its own; when no write is a chunk long (a tree of small
     * files) every write is one. A file's packet holds, beside its
     * CHANNEL_DATA framing and padding (XFER_PAD_SPAN), its SFTP WRITE
     * request's header (upload) or DATA answer's (download), or legacy
     * scp's end byte (other programs': one chunk's framing). */
    uint64_t over = w > pk ? w - pk : 0, files = chunk_write ? over : w;
    uint64_t file_fr = fr;
    bool sftp = proto && !strcmp(proto, "sftp"), scp = proto && !strcmp(proto, "scp");
    if (sftp || scp)
        file_fr += file_framing(L, d) - sdi_lw(L, d == 0, SD_SSH_P_CHANNEL_DATA(0)) - SFTP_CHUNK_FRAMING +
                   (scp ? SCP_FILE_END : d == 0 ? FXP_WRITE_HEADER : FXP_DATA_HEADER);
    uint64_t cut = (pk + over - files) * fr + files * file_fr;
    uint64_t by = b->bytes > cut ? b->bytes - cut : 0;
    if (!L->compressed)
        (void)small_packets(x, L, b, d, sftp, scp, &by);
    sd_ev_int(e, "bytes", (int64_t)by);
    sd_ev_num(e, "start", b->t0);
    sd_ev_num(e, "end", b->t1);
    snprintf(e->note, sizeof e->note, "%s of about %llu bytes in %.2f s", d == 0 ? "upload" : "download",
             (unsigned long long)by, b->t1 - b->t0);
}

/* The transfer event of a run in a second session channel
 * (sd_infer_mux.c) reads that channel's kind and requests, not the
 * shell's; legacy scp there makes no scp session of the shell. */
static void run_event(ctx *x, const leg *L, const bulk_run *b, int d)
{
    uint8_t m = x->v[b->i0].mux;
    if (!m || m > x->nmux) {
        transfer_event(x, L, b, d);
        return;
    }
    const mux_chan *ch = &x->mux[m - 1];
    bool sftp = x->sftp, exec = x->exec, scp = x->scp;
    size_t req_to = x->req_to;
    x->sftp = ch->sftp;
    x->exec = !ch->sftp;
    x->req_to = ch->req_to;
    transfer_event(x, L, b, d);
    x->sftp = sftp, x->exec = exec, x->scp = scp, x->req_to = req_to;
}

/* Runs of at least XFER_RECORD-byte records one way (and the short last
 * segment of a write) with gaps under XFER_GAP_S; those of XFER_MIN_BYTES
 * or more are transfers. */
void sdi_transfers(ctx *x, const leg *L, size_t from)
{
    bulk_run b[2];
    memset(b, 0, sizeof b);
    /* the other direction's bulk since run d's last record: a transfer of
     * the other way between two of its records (psftp -b: ls, put, get)
     * means a later command; what came before (a listing) is no part of
     * this one */
    uint64_t other[2] = { 0, 0 };
    listing lst = listing_walk(x, L);
    for (size_t i = from; i <= x->n; i++) {
        item *it = i < x->n ? &x->v[i] : NULL;
        bool in_list = it && in_listing(x, &lst, i);
        for (int d = 0; d < 2; d++) {
            /* the last segment of a write may be short: it follows a bulk
             * record of the same direction directly; a whole packet is the
             * rest of a message only after one of the channel's largest
             * (a 64 KiB SFTP WRITE: 32768 + 32768 + 29 bytes), not after
             * a file's data (legacy scp -v's stderr line after each file) */
            bool tail = it && b[d].n && x->v[i - 1].c == it->c && x->v[i - 1].len >= XFER_RECORD &&
                        (!it->exact || x->v[i - 1].len >= sdi_lw(L, it->c, SD_SSH_P_CHANNEL_DATA(XFER_CHUNK)));
            /* in a shell with a terminal the server's bulk is what a
             * command prints (its command_output), not a file sent,
             * unless a second session channel carries it (ControlMaster's
             * scp, sftp); so is a tunnelled shell's (a reverse session's
             * from the outer client); a master with no session of its own
             * (mux_only) carries files only in those channels, the rest is
             * forwarded */
            bool not_file = it && !it->mux && ((d == 1 && x->pty_shell) || x->mux_only);
            bool ext = it && it->c == (d == 0) && (it->len >= XFER_RECORD || tail) && !not_file && !it->shell_out &&
                       !in_list;
            bool close = !it || (ext && b[d].n && (it->t - b[d].t1 > XFER_GAP_S || other[d] >= XFER_MIN_BYTES));
            if (close && b[d].bytes >= XFER_MIN_BYTES)
                run_event(x, L, &b[d], d);
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
            b[d].i1 = i;
            b[d].bytes += it->len - (it->kex_bytes < it->len ? it->kex_bytes : it->len);
            b[d].n++;
            other[d] = 0;
            /* not a second session channel's: the master runs channels at
             * once (scp up and down: under aes128-gcm a 32 KiB WRITE
             * between two DATA packets, lab mux_n_xfer_aes128gcm's +8400
             * run), each moving its own file */
            if (!it->mux)
                other[!d] += it->len;
        }
    }
}
