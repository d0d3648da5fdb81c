/* libFuzzer target for the DNS decoder (src/analyze/sd_dns.c), the DNS
 * transaction record's writer, and the service-content readers
 * (src/analyze/sd_svcinfo.c: HTTP request head, TLS ClientHello and JA4):
 * the input is one DNS message, and the same bytes as a first client
 * payload. Every name is
 * also read from every offset of the first 64 bytes (pointers then start
 * anywhere). Checks beyond "no crash": the decoded strings are
 * NUL-terminated within their buffers, counts stay within their caps, and
 * the JSON record is valid JSON whatever bytes the names hold.
 * Seeds: fuzz/seeds/fuzz_dns (DNS payloads of the shared captures). */
#include "analyze/sd_dns_fields.h"
#include "analyze/sd_svcinfo.h"
#include "fzcheck.h"
#include "out/sd_recout.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t cap)
{
    if (!memchr(s, '\0', cap))
        abort();
}

static void write_record(const sd_dns_msg *m)
{
    static const sd_field *sel[64];
    size_t n = sd_fields_all(&sd_dns_fields, true, sel, 64);
    sd_conn c;
    memset(&c, 0, sizeof c);
    c.ipproto = 17;
    c.orig_h.fam = c.resp_h.fam = 4;
    c.orig_p = 40000, c.resp_p = 53;
    sd_dns_txn t = { .conn = &c, .id = m->id, .query_seen = true, .reply_seen = true, .frame_query = 1,
                     .frame_reply = 2, .rtt_ns = 1000, .query = m->qname, .qtype = m->qtype,
                     .qclass = m->qclass, .rd = m->rd, .reply = m };
    sd_buf b = { 0 };
    sd_recout *w = sd_recout_new(SD_REC_JSON, sel, n, "dns", 0);
    sd_recout_begin(w, &b);
    sd_recout_record(w, &b, &t);
    sd_recout_end(w, &b);
    fz_json_lines("dns record", b.p, b.len);
    sd_recout_free(w);
    sd_buf_free(&b);
}

/* Each field NUL-terminated in its buffer and printable. */
static void check_app(const sd_appinfo *a)
{
    const char *f[] = { a->verb, a->name, a->uri, a->ja4 };
    const size_t cap[] = { sizeof a->verb, sizeof a->name, sizeof a->uri, sizeof a->ja4 };
    for (int i = 0; i < 4; i++) {
        check_str(f[i], cap[i]);
        for (const char *s = f[i]; *s; s++)
            if (*s <= 0x20 || *s >= 0x7f)
                abort();
    }
}

static void content(const uint8_t *data, size_t size)
{
    sd_appinfo a;
    memset(&a, 0, sizeof a);
    sd_svcinfo_http(&a, data, size);
    check_app(&a);
    memset(&a, 0, sizeof a);
    sd_hello_res r = sd_svcinfo_tls(&a, data, size);
    check_app(&a);
    if (r == SD_HELLO_OK && strlen(a.ja4) != 36)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    content(data, size);
    static sd_dns_msg m;
    if (sd_dns_parse(data, size, &m) == SD_DNS_OK) {
        check_str(m.qname, sizeof m.qname);
        if (m.nans > SD_DNS_MAX_ANS || m.qname_wire_len > 255)
            abort();
        for (unsigned i = 0; i < m.nans; i++)
            check_str(m.ans[i].data, sizeof m.ans[i].data);
        if (m.has_q)
            write_record(&m);
    }
    char out[SD_DNS_TXT];
    for (size_t off = 0; off < size && off < 64; off++) {
        size_t wire = 0, end = sd_dns_name(data, size, off, out, sizeof out, &wire);
        if (end && (end > size || wire > 255 || !memchr(out, '\0', sizeof out)))
            abort();
    }
    return 0;
}
