#include "sd_svcsum_out.h"

#include "sd_json.h"
#include "sd_text.h"

typedef unsigned long long ull;

static void text_names(sd_buf *b, const char *title, const sd_svcstats_name *v, size_t n)
{
    if (n)
        sd_buf_printf(b, "  %s:\n", title);
    for (size_t i = 0; i < n; i++) {
        sd_buf_printf(b, "    %8llu  ", (ull)v[i].conns);
        sd_text_puts_made(b, v[i].name); /* as conns shows it */
        sd_buf_printf(b, "\n");
    }
}

void sd_svcsum_text(sd_buf *b, const sd_svcstats_result *r)
{
    sd_buf_printf(b, "\nServices (by content, any port)\n ");
    bool any = false;
    for (int i = 0; i < SD_SVC_N; i++)
        if (r->conns[i]) {
            sd_buf_printf(b, " %s=%llu", sd_svcstats_name_of(i), (ull)r->conns[i]);
            any = true;
        }
    sd_buf_printf(b, "%s\n", any ? "" : " none");
    text_names(b, "HTTP hosts (first request's Host, by connections)", r->http, r->nhttp);
    text_names(b, "TLS server names (ClientHello SNI, by connections)", r->tls, r->ntls);
    if (r->offport)
        sd_buf_printf(b, "  on another port than their service's usual ones: %llu connection(s)\n",
                      (ull)r->offport);
    for (size_t i = 0; i < r->noff; i++) {
        const sd_svcstats_offport *o = &r->off[i];
        sd_buf_printf(b, "    %s on %s/%u  stream %llu, frame %llu  ", o->service, o->ipproto == 6 ? "tcp" : "udp",
                      o->port, (ull)o->stream, (ull)o->frame);
        sd_text_puts_made(b, o->name);
        sd_buf_printf(b, "\n");
    }
    if (r->names_refused)
        sd_buf_printf(b, "  names not tracked (past the cap of %u): %llu connection(s)\n", SD_SVCSTATS_MAX_NAMES,
                      (ull)r->names_refused);
}

void sd_svcsum_json(sd_buf *b, const sd_svcstats_result *r)
{
    sd_json j;
    sd_json_begin(&j, b);
    sd_json_str(&j, "type", "services");
    for (int i = 0; i < SD_SVC_N; i++)
        sd_json_u64(&j, sd_svcstats_name_of(i), r->conns[i]);
    sd_json_u64(&j, "http_with_host", r->http_named);
    sd_json_u64(&j, "tls_with_sni", r->tls_named);
    sd_json_u64(&j, "tls_with_ja4", r->ja4s);
    sd_json_u64(&j, "off_port", r->offport);
    if (r->names_refused)
        sd_json_u64(&j, "names_untracked", r->names_refused);
    sd_json_end(&j);
    for (int t = 0; t < 2; t++)
        for (size_t i = 0; i < (t ? r->ntls : r->nhttp); i++) {
            const sd_svcstats_name *e = t ? &r->tls[i] : &r->http[i];
            sd_json_begin(&j, b);
            sd_json_str(&j, "type", "server_name");
            sd_json_str(&j, "proto", t ? "tls" : "http");
            sd_json_str(&j, "name", e->name);
            sd_json_u64(&j, "conns", e->conns);
            sd_json_end(&j);
        }
    for (size_t i = 0; i < r->noff; i++) {
        const sd_svcstats_offport *o = &r->off[i];
        sd_json_begin(&j, b);
        sd_json_str(&j, "type", "off_port");
        sd_json_str(&j, "uid", o->uid);
        sd_json_u64(&j, "stream", o->stream);
        sd_json_u64(&j, "frame", o->frame);
        sd_json_str(&j, "service", o->service);
        sd_json_str(&j, "proto", o->ipproto == 6 ? "tcp" : "udp");
        sd_json_u64(&j, "port", o->port);
        if (o->name[0])
            sd_json_str(&j, "name", o->name);
        sd_json_end(&j);
    }
}
