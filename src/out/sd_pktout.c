/* sd_pktout: one packet of `strider packets` as a text row, CSV or JSON,
 * with Wireshark-style analysis notes. */
#include "sd_pktout.h"

#include "../common/sd_origin.h"
#include "../flow/sd_tcp.h"
#include "sd_evout.h"
#include "sd_json.h"
#include "sd_text.h"

#include <stdio.h>
#include <string.h>

static const struct {
    unsigned bit;
    const char *name;
} NOTES[] = {
    { SD_TA_RETRANS, "retransmission" }, { SD_TA_OOO, "out-of-order" },
    { SD_TA_LOST_PREV, "previous-segment-lost" }, { SD_TA_DUPACK, "dup-ack" },
    { SD_TA_ZEROWIN, "zero-window" }, { SD_TA_KEEPALIVE, "keep-alive" },
    { SD_TA_WINPROBE, "window-probe" }, { SD_TA_WINUPDATE, "window-update" },
    { SD_TA_BAD_CSUM, "bad-checksum" }, { SD_TA_RST_INVALID, "rst-out-of-window" },
    { SD_TA_RST_CHALLENGE, "rst-challenged" }, { SD_TA_FRAG_CONFLICT, "frag-conflict" },
    { SD_TA_UNTAKEN, "untaken" }, { SD_TA_ZEROWIN_DATA, "into-zero-window" },
    { SD_TA_PAWS, "paws" }, { SD_TA_TTL_LOW, "ttl-low" }, { SD_TA_IP_DISCARD, "ip-discard" },
    { SD_TA_TCP_AUTH, "tcp-auth" },
};

static void flags_str(uint8_t f, char *out)
{
    static const char L[] = "FSRPAUEC";
    int n = 0;
    for (int i = 0; i < 8; i++)
        if (f & (1u << i))
            out[n++] = L[i];
    if (!n)
        out[n++] = '.';
    out[n] = '\0';
}

static void notes_str(unsigned ta, char *out, size_t len, char sep)
{
    out[0] = '\0';
    size_t n = 0;
    for (size_t i = 0; i < SD_ARRAY_LEN(NOTES); i++)
        if (ta & NOTES[i].bit)
            n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s", n ? (char[]){ sep, 0 } : "",
                                  NOTES[i].name);
}

void sd_pktout_json(sd_buf *b, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    sd_json j;
    char flags[9];
    sd_json_begin(&j, b);
    sd_json_str(&j, "uid", c->uid);
    sd_json_u64(&j, "frame", p->frame->num);
    const char *file;
    uint64_t ff;
    if (sd_origin(p->frame->num, &file, &ff)) { /* merged inputs: where to look */
        sd_json_str(&j, "file", file);
        sd_json_u64(&j, "file_frame", ff);
    }
    sd_json_f64(&j, "ts", sd_ts_sec(p->frame->ts), 6);
    sd_json_f64(&j, "rel_time", sd_ts_sec(p->frame->ts - c->start), 6);
    sd_json_str(&j, "dir", dir ? "resp" : "orig");
    if (p->l4 == SD_L4_TCP) {
        flags_str(p->flags, flags);
        sd_json_str(&j, "flags", flags);
        sd_json_u64(&j, "seq", sd_tcp_rel_seq(c, dir, p->seq));
        if (p->flags & SD_TH_ACK)
            sd_json_u64(&j, "ack", sd_tcp_rel_seq(c, !dir, p->ack));
        sd_json_u64(&j, "win", sd_tcp_scaled_win(c, p, dir));
    }
    sd_json_u64(&j, "len", p->payload_wire);
    sd_json_key(&j, "analysis");
    sd_buf_append(b, "[", 1);
    int n = 0;
    for (size_t i = 0; i < SD_ARRAY_LEN(NOTES); i++)
        if (ta & NOTES[i].bit) {
            if (n++)
                sd_buf_append(b, ",", 1);
            sd_json_escape(b, NOTES[i].name, strlen(NOTES[i].name));
        }
    sd_buf_append(b, "]", 1);
    sd_json_end(&j);
}

/* Text's file columns with merged inputs: file_frame after frame, the
 * file (of any length) last before the notes; "-" for a frame past the
 * merge map's cap. CSV has both after frame (sd_csv_origin). */
static void origin_text(sd_buf *b, const sd_pkt *p, bool file_part)
{
    const char *file = "-";
    uint64_t ff;
    bool known = sd_origin(p->frame->num, &file, &ff);
    if (file_part) {
        sd_text_puts(b, file); /* a path given by the user, still terminal-safe */
        sd_buf_append(b, "  ", 2);
    } else if (known)
        sd_buf_printf(b, "%10llu ", (unsigned long long)ff);
    else
        sd_buf_printf(b, "%10s ", "-");
}

static void header(sd_buf *b, bool csv, bool files)
{
    if (csv)
        sd_buf_printf(b, "frame,file,file_frame,rel_time,dir,flags,seq,ack,len,win,analysis\n");
    else
        sd_buf_printf(b, "%8s %s%11s  %s  %-6s %10s %10s %6s %8s  %sanalysis\n", "frame", files ? "file_frame " : "",
                      "rel_time", "dir", "flags", "seq", "ack", "len", "win", files ? "file  " : "");
}

void sd_pktout_text(sd_buf *b, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta, bool csv,
                    sd_pktout_layout *lay)
{
    char flags[9] = "", notes[160], ack[16] = "", seq[16] = "", win[24] = "";
    if (p->l4 == SD_L4_TCP) {
        flags_str(p->flags, flags);
        snprintf(seq, sizeof seq, "%u", sd_tcp_rel_seq(c, dir, p->seq));
        if (p->flags & SD_TH_ACK)
            snprintf(ack, sizeof ack, "%u", sd_tcp_rel_seq(c, !dir, p->ack));
        snprintf(win, sizeof win, "%llu", (unsigned long long)sd_tcp_scaled_win(c, p, dir));
    }
    notes_str(ta, notes, sizeof notes, csv ? ';' : ' ');
    if (!lay->started) {
        const char *file;
        uint64_t ff;
        lay->files = csv || sd_origin(p->frame->num, &file, &ff);
        lay->started = true;
        header(b, csv, lay->files);
    }
    unsigned long long fr = p->frame->num;
    double rel = sd_ts_sec(p->frame->ts - c->start);
    sd_buf_printf(b, csv ? "%llu," : "%8llu ", fr);
    if (csv) {
        sd_csv_origin(b, p->frame->num);
        sd_buf_printf(b, ",%.6f,%s,%s,%s,%s,%u,%s,%s\n", rel, dir ? "resp" : "orig", flags, seq, ack,
                      p->payload_wire, win, notes);
        return;
    }
    if (lay->files)
        origin_text(b, p, false);
    sd_buf_printf(b, "%11.6f  %s  %-6s %10s %10s %6u %8s  ", rel, dir ? "<-" : "->", flags, seq, ack,
                  p->payload_wire, win);
    if (lay->files)
        origin_text(b, p, true);
    sd_buf_printf(b, "%s\n", notes);
}
