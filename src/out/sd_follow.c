/* sd_follow: the writer of `strider follow`: one connection's reassembled
 * chunks as text (blocks per direction, gaps as gaps), hexdump, raw bytes
 * or JSON lines, and the per-direction totals. It formats what reassembly
 * delivered; it decides nothing. */
#include "sd_follow.h"

#include "sd_extract.h"
#include "sd_markout.h"

#include <string.h>

void sd_follow_init(sd_follow_out *r, int mode, int only_dir, sd_buf *b)
{
    memset(r, 0, sizeof *r);
    r->mode = mode;
    r->only_dir = only_dir;
    r->b = b;
    r->last_dir = -1;
    r->at_bol = true;
}

void sd_follow_begin(sd_follow_out *r, const sd_conn *c)
{
    if (r->mode != SD_FOLLOW_ASCII && r->mode != SD_FOLLOW_HEX)
        return;
    char a[SD_ADDR_STRLEN], b[SD_ADDR_STRLEN];
    sd_buf_printf(r->b, "Follow TCP stream %llu (uid %s)\n", (unsigned long long)c->id, c->uid);
    sd_buf_printf(r->b, "Node 0: %s%s%s:%u (orig)\n", c->orig_h.fam == 6 ? "[" : "",
                  sd_addr_str(&c->orig_h, a, sizeof a), c->orig_h.fam == 6 ? "]" : "", c->orig_p);
    sd_buf_printf(r->b, "Node 1: %s%s%s:%u (resp)\n", c->resp_h.fam == 6 ? "[" : "",
                  sd_addr_str(&c->resp_h, b, sizeof b), c->resp_h.fam == 6 ? "]" : "", c->resp_p);
}

static void flags_text(sd_buf *b, uint32_t flags)
{
    for (unsigned bit = 1; bit <= SD_CHUNKF_TRUNCATED; bit <<= 1)
        if (flags & bit)
            sd_buf_printf(b, "  [%s]", sd_chunk_flag_name(bit));
}

static void header(sd_follow_out *r, int dir, const sd_chunk *ch, bool with_len)
{
    if (!r->at_bol)
        sd_buf_append(r->b, "\n", 1);
    sd_buf_printf(r->b, "%s %s  frame%s %llu", dir ? "<==" : "==>", dir ? "resp" : "orig",
                  ch->first_frame != ch->last_frame && with_len ? "s" : "",
                  (unsigned long long)ch->first_frame);
    if (with_len && ch->first_frame != ch->last_frame)
        sd_buf_printf(r->b, "-%llu", (unsigned long long)ch->last_frame);
    sd_buf_printf(r->b, "  offset %llu", (unsigned long long)ch->offset);
    if (with_len)
        sd_buf_printf(r->b, "  %u bytes", ch->len);
    flags_text(r->b, ch->flags);
    sd_buf_append(r->b, "\n", 1);
    r->at_bol = true;
}

static void show_gap(sd_follow_out *r, int dir, const sd_chunk *ch)
{
    if (!r->at_bol)
        sd_buf_append(r->b, "\n", 1);
    sd_buf_printf(r->b, "%s %s  [%u bytes missing in capture file]  offset %llu  before frame %llu",
                  dir ? "<==" : "==>", dir ? "resp" : "orig", ch->len, (unsigned long long)ch->offset,
                  (unsigned long long)ch->last_frame);
    flags_text(r->b, ch->flags);
    sd_buf_append(r->b, "\n", 1);
    r->at_bol = true;
    r->last_dir = -1; /* the data after a gap gets a fresh header */
}

void sd_follow_chunk(sd_follow_out *r, int dir, const sd_chunk *ch)
{
    bool gap = ch->kind == SD_CHUNK_GAP;
    r->chunks[dir]++;
    if (gap) {
        r->gaps[dir]++;
        r->gap_bytes[dir] += ch->len;
    } else {
        r->bytes[dir] += ch->len;
    }
    if (ch->flags & SD_CHUNKF_TRUNCATED)
        r->truncated[dir] = true;
    if (r->only_dir >= 0 && dir != r->only_dir)
        return;
    switch (r->mode) {
    case SD_FOLLOW_RAW:
        if (!gap && ch->len)
            sd_buf_append(r->b, ch->data, ch->len);
        break;
    case SD_FOLLOW_JSON:
        sd_chunk_json(r->b, dir, ch, SIZE_MAX);
        sd_buf_append(r->b, "\n", 1);
        break;
    case SD_FOLLOW_HEX:
        if (gap) {
            show_gap(r, dir, ch);
            break;
        }
        header(r, dir, ch, true);
        sd_hexdump(r->b, ch->offset, ch->data, ch->len);
        break;
    default:
        if (gap) {
            show_gap(r, dir, ch);
            break;
        }
        /* consecutive chunks of one direction read as one block */
        if (dir != r->last_dir || ch->flags != r->last_flags)
            header(r, dir, ch, false);
        sd_ascii_render(r->b, ch->data, ch->len, true);
        if (ch->len)
            r->at_bol = ch->data[ch->len - 1] == '\n';
        break;
    }
    r->last_dir = gap ? -1 : dir;
    r->last_flags = ch->flags;
}

/* Before a marker line: the text so far ends its line. */
static void marker_bol(sd_follow_out *r)
{
    if (!r->at_bol)
        sd_buf_append(r->b, "\n", 1);
    r->at_bol = true;
    r->last_dir = -1; /* the data after it gets a fresh header */
}

void sd_follow_overlap(sd_follow_out *r, int dir, const sd_reasm_inconsistency *i)
{
    r->incons[dir]++;
    if (r->only_dir >= 0 && dir != r->only_dir)
        return;
    switch (r->mode) {
    case SD_FOLLOW_RAW:
        if (r->nnotes++ < SD_FOLLOW_NOTES_KEPT) {
            sd_overlap_brief(&r->notes, dir, i);
            sd_buf_append(&r->notes, "\n", 1);
        }
        return;
    case SD_FOLLOW_JSON:
        sd_overlap_json(r->b, dir, i);
        return;
    default:
        marker_bol(r);
        sd_overlap_text(r->b, dir, i, r->mode == SD_FOLLOW_HEX);
        return;
    }
}

void sd_follow_urgent(sd_follow_out *r, int dir, const sd_reasm_urgent *u)
{
    r->urgent[dir]++;
    if (r->only_dir >= 0 && dir != r->only_dir)
        return;
    if (r->mode == SD_FOLLOW_RAW) {
        if (r->nnotes++ < SD_FOLLOW_NOTES_KEPT) {
            sd_urgent_brief(&r->notes, dir, u);
            sd_buf_append(&r->notes, "\n", 1);
        }
    } else if (r->mode == SD_FOLLOW_JSON) {
        sd_urgent_json(r->b, dir, u);
    } else {
        marker_bol(r);
        sd_urgent_text(r->b, dir, u);
    }
}

void sd_follow_free(sd_follow_out *r)
{
    sd_buf_free(&r->notes);
}

void sd_follow_end(sd_follow_out *r, const sd_conn *c)
{
    for (int d = 0; d < 2; d++) {
        r->unchecked[d] = c->d[d].unchecked_bytes;
        r->unapplied[d] = c->d[d].policy_unapplied_bytes;
    }
    if (r->mode != SD_FOLLOW_ASCII && r->mode != SD_FOLLOW_HEX)
        return;
    if (!r->at_bol)
        sd_buf_append(r->b, "\n", 1);
    for (int d = 0; d < 2; d++) {
        sd_buf_printf(r->b, "== %s: %llu bytes in %llu chunks", d ? "resp" : "orig",
                      (unsigned long long)r->bytes[d], (unsigned long long)(r->chunks[d] - r->gaps[d]));
        if (r->gaps[d])
            sd_buf_printf(r->b, ", %llu gaps (%llu bytes missing)", (unsigned long long)r->gaps[d],
                          (unsigned long long)r->gap_bytes[d]);
        if (r->incons[d])
            sd_buf_printf(r->b, ", %llu inconsistent", (unsigned long long)r->incons[d]);
        if (r->unapplied[d])
            sd_buf_printf(r->b, " (%llu bytes delivered before --overlap could apply)",
                          (unsigned long long)r->unapplied[d]);
        if (r->unchecked[d])
            sd_buf_printf(r->b, ", %llu retransmitted bytes older than the overlap history, not compared "
                          "(--overlap-memcap)", (unsigned long long)r->unchecked[d]);
        if (r->urgent[d])
            sd_buf_printf(r->b, ", %llu urgent", (unsigned long long)r->urgent[d]);
        if (r->truncated[d])
            sd_buf_printf(r->b, ", TRUNCATED (memory cap)");
        sd_buf_append(r->b, "\n", 1);
    }
    r->at_bol = true;
}

