/* sd_own: the chunk a run owns (see sd_own.h). */
#include "sd_own.h"

#include "../decode/sd_decode.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct sd_own {
    unsigned first, nown;   /* the chunk: files first .. first + nown - 1 */
    sd_ts read_ahead;
    uint64_t *frames;       /* records per owned file */
    sd_ts chunk_start, chunk_end; /* the earliest and latest time of an owned file's record */
    bool any, ahead_seen, overlap;     /* a later file's record came before an owned one */
    sd_ts ahead_first;      /* the time of the first record past the chunk (ahead_seen) */
    bool frags_settled;     /* a record past ahead_first + 2 fragment timeouts was read */
    bool in_chunk;          /* the record being handled is in an owned file */
    bool pkt_counts;        /* its packet counts in the chunk's (sd_own_datagram) */
    bool cut_now;           /* stopped at the read-ahead limit */
    bool no_open_counts;    /* sd_own_no_open_counts */
    bool fb_set;            /* sd_own_frame_base */
    uint64_t fb;
    uint64_t cut;
    uint64_t ahead, ahead_bytes; /* records (and their bytes) read past the chunk */
    sd_buf recs;            /* the connection records, in the order they ended */
    uint64_t nrecs;
    void (*past_fn)(void *ud); /* sd_own_on_past's, called once */
    void *past_ud;
    bool past;
    uint64_t direct;        /* records whose lines were written before past_fn */
    unsigned *owned_in;     /* per capture input: its file in the chunk (0 .. nown - 1), or nown past it */
    unsigned ninputs, unread; /* inputs; the chunk's files that opened nothing */
    const sd_capture *cap;  /* sd_own_set_files's, asked which owned input still reads */
    unsigned scan;          /* inputs before it are past the chunk or at their end (owned_more) */
};

sd_own *sd_own_new(unsigned first, unsigned last, sd_ts read_ahead)
{
    sd_own *o = sd_calloc(1, sizeof *o);
    o->first = first;
    o->nown = last - first + 1;
    o->read_ahead = read_ahead;
    o->frames = sd_calloc(o->nown, sizeof *o->frames);
    o->in_chunk = true;
    return o;
}

void sd_own_free(sd_own *o)
{
    if (!o)
        return;
    free(o->frames);
    free(o->owned_in);
    sd_buf_free(&o->recs);
    free(o);
}

void sd_own_set_files(sd_own *o, const sd_capture *cap)
{
    unsigned n = 0, opened = 0;
    while (sd_capture_file_arg(cap, n) != UINT_MAX)
        n++;
    free(o->owned_in);
    o->owned_in = sd_calloc(n ? n : 1, sizeof *o->owned_in);
    o->ninputs = n;
    for (unsigned i = 0; i < n; i++) {
        unsigned arg = sd_capture_file_arg(cap, i);
        o->owned_in[i] = arg < o->nown ? arg : o->nown;
        opened += arg < o->nown;
    }
    o->unread = o->nown - opened;
    o->cap = cap;
    o->scan = 0;
}

void sd_own_datagram(sd_own *o, bool counted)
{
    o->pkt_counts = counted;
}

bool sd_own_pkt_counts(const sd_own *o)
{
    return o->pkt_counts;
}

/* Capture times are hostile: a sum saturates. */
static sd_ts ts_add(sd_ts a, sd_ts b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* Whether an owned input may still give records. Files that overlap in
 * time are read interleaved: a later file's record can come before the
 * chunk's own (hostile round 20: a chunk whose first record came after
 * another chunk's stopped there and read nothing, silently). An input at
 * its end stays there, so the scan only moves on. */
static bool owned_more(sd_own *o)
{
    if (!o->cap)
        return false;
    while (o->scan < o->ninputs &&
           (o->owned_in[o->scan] >= o->nown || !sd_capture_file_more(o->cap, o->scan)))
        o->scan++;
    return o->scan < o->ninputs;
}

/* The chunk's file (0 .. nown - 1) a record came from, or nown past it. */
static unsigned own_file(const sd_own *o, unsigned file_idx)
{
    if (o->owned_in) /* sd_own_set_files: by the list's indexes */
        return file_idx < o->ninputs ? o->owned_in[file_idx] : o->nown;
    return file_idx < o->nown ? file_idx : o->nown;
}

int sd_own_frame(sd_own *o, const sd_frame *fr, uint64_t live)
{
    unsigned f = own_file(o, fr->file_idx);
    o->in_chunk = f < o->nown;
    o->pkt_counts = o->in_chunk;
    if (o->in_chunk) {
        o->chunk_start = !o->any || fr->ts < o->chunk_start ? fr->ts : o->chunk_start;
        o->any = true;
        o->frames[f]++;
        o->chunk_end = fr->ts > o->chunk_end ? fr->ts : o->chunk_end;
        o->overlap |= o->ahead_seen;
        return SD_OWN_GO;
    }
    if (!o->ahead_seen)
        o->ahead_first = fr->ts;
    o->ahead_seen = true;
    sd_own_past(o);
    bool more = owned_more(o);
    /* the fragment sets the chunk counts (sd_own_frag_counts) are decided
     * by the first record two timeouts past its files: it is read too */
    bool settled = o->frags_settled;
    o->frags_settled |= fr->ts > ts_add(o->ahead_first, 2 * SD_DEC_FRAG_TIMEOUT_DEFAULT);
    if (!live && !more && settled) /* nothing owned is alive or to come: nothing later can change the output */
        return SD_OWN_STOP;
    o->ahead++;
    o->ahead_bytes += fr->caplen;
    if (!more && fr->ts - o->chunk_end > o->read_ahead) {
        o->cut_now = true;
        return SD_OWN_LAST;
    }
    return SD_OWN_GO;
}

bool sd_own_may_create(const sd_own *o)
{
    return o->in_chunk;
}

/* A fragment set started in a chunk's first fragment timeout may be the
 * rest of a datagram of the chunk before, or a copy of one it reassembled
 * (what decides a copy: the datagrams reassembled within a timeout before,
 * sd_frag.c's done_find); the chunk before, reading on past its files, has
 * both. So the sets are owned by time, as connections are by file: a
 * chunk counts those started from one timeout after its first record (any
 * time for the first chunk) to one timeout after its first record past
 * its files, and reads on until they are decided. */
bool sd_own_frag_counts(const sd_own *o, sd_ts ts)
{
    sd_ts w = SD_DEC_FRAG_TIMEOUT_DEFAULT;
    if (o->first > 0 && (!o->any || ts < ts_add(o->chunk_start, w)))
        return false;
    return !o->ahead_seen || ts < ts_add(o->ahead_first, w);
}

/* The record is written per connection without printf (it was a fifth
 * of a chunk's run): a key with its separators, then its value. */
static void key_u(sd_buf *b, const char *key, uint64_t v)
{
    sd_buf_append(b, key, strlen(key));
    sd_buf_put_u64(b, v);
}

static void key_i(sd_buf *b, const char *key, int64_t v)
{
    sd_buf_append(b, key, strlen(key));
    sd_buf_put_i64(b, v);
}

static void hex_addr(sd_buf *b, const char *key, const sd_addr *a)
{
    sd_buf_append(b, key, strlen(key));
    sd_buf_put_hex(b, a->a, sizeof a->a);
    sd_buf_append(b, "\"", 1);
}

void sd_own_end(sd_own *o, const sd_flow *f, uint64_t frame, int at, uint8_t idle_class)
{
    const sd_conn *c = &f->c;
    /* every connection of a later chunk may continue one already open
     * there, even one that starts with a SYN (a retransmitted SYN, same
     * ISN): the merge decides, from the earlier chunks' connections */
    bool prov = o->first > 0;
    bool cut = at == SD_OWN_AT_DRAIN && o->cut_now;
    o->cut += cut;
    sd_buf *b = &o->recs;
    o->nrecs++;
    static const char HEAD[] = "{\"_own\":\"conn\",\"uid\":\"";
    sd_buf_append(b, HEAD, sizeof HEAD - 1);
    sd_buf_append(b, c->uid, strlen(c->uid));
    key_i(b, "\",\"sel\":", f->selected);
    key_u(b, ",\"proto\":", c->ipproto);
    hex_addr(b, ",\"oh\":\"", &c->orig_h);
    hex_addr(b, ",\"rh\":\"", &c->resp_h);
    key_u(b, ",\"op\":", c->orig_p);
    key_u(b, ",\"rp\":", c->resp_p);
    key_i(b, ",\"start\":", c->start);
    key_u(b, ",\"ff\":", c->first_frame);
    key_u(b, ",\"lf\":", c->last_frame);
    key_u(b, ",\"idx\":", c->conn_index);
    key_u(b, ",\"stream\":", c->id);
    key_i(b, ",\"prov\":", prov);
    key_u(b, ",\"end\":", frame);
    key_i(b, ",\"ep\":", at);
    key_u(b, ",\"cls\":", idle_class);
    key_u(b, ",\"cl\":", f->close_at);
    key_u(b, ",\"cp\":", f->close_how);
    key_i(b, ",\"cut\":", cut);
    /* its Wireshark conversation's first sequence numbers, and its first
     * packet: does a later chunk's connection on its ports go on with it? */
    sd_flowkey k;
    sd_flowkey_of(f, &k);
    key_u(b, ",\"wb\":[", f->ws.base[0]);
    key_u(b, ",", f->ws.base[1]);
    key_i(b, "],\"wbs\":", f->ws.base_set[0] | f->ws.base_set[1] << 1);
    key_u(b, ",\"fsyn\":", f->first_syn);
    key_u(b, ",\"fseq\":", f->first_seq);
    key_u(b, ",\"fside\":", f->first_side);
    key_u(b, ",\"vlan\":", k.vlan);
    sd_buf_append(b, "}\n", 2);
}

void sd_own_on_past(sd_own *o, void (*fn)(void *ud), void *ud)
{
    o->past_fn = fn;
    o->past_ud = ud;
}

void sd_own_past(sd_own *o)
{
    if (o->past)
        return;
    o->past = true;
    o->direct = o->nrecs;
    if (o->past_fn)
        o->past_fn(o->past_ud);
}

void sd_own_frame_base(sd_own *o, uint64_t base)
{
    o->fb_set = true, o->fb = base;
}

void sd_own_no_open_counts(sd_own *o)
{
    o->no_open_counts = true;
}

void sd_own_write(const sd_own *o, sd_buf *b)
{
    sd_buf_append(b, o->recs.p, o->recs.len);
    sd_buf_printf(b,
                  "{\"_own\":\"chunk\",\"first\":%u,\"last\":%u,\"cut\":%llu,\"tmin\":%lld,\"tmax\":%lld,"
                  "\"overlap\":%d,\"unread\":%u,\"oc\":%d,\"ahead\":%llu,\"ahead_bytes\":%llu,\"frames\":[",
                  o->first, o->first + o->nown - 1, (unsigned long long)o->cut, (long long)o->chunk_start,
                  (long long)o->chunk_end, o->overlap, o->unread, !o->no_open_counts, (unsigned long long)o->ahead,
                  (unsigned long long)o->ahead_bytes);
    for (unsigned i = 0; i < o->nown; i++)
        sd_buf_printf(b, "%s%llu", i ? "," : "", (unsigned long long)o->frames[i]);
    sd_buf_printf(b, "]");
    if (o->past_fn) /* only then: a chunk for a merge of its own keeps the trailer it had */
        sd_buf_printf(b, ",\"direct\":%llu", (unsigned long long)o->direct);
    if (o->fb_set) /* its frames are one run's: the merge shifts them by the records before them less fb */
        sd_buf_printf(b, ",\"fb\":%llu", (unsigned long long)o->fb);
    sd_buf_printf(b, "}\n");
}

uint64_t sd_own_cut(const sd_own *o)
{
    return o->cut;
}
