/* Whole-pipeline fuzz target: the input is a capture file (pcap or pcapng),
 * run through capture, decode, flow, TCP analysis and reassembly, the SSH
 * parser, the inference and the terminal report writer, the DNS analyzer
 * (UDP and TCP framing) and its indicators, and the time-sequence graph of
 * tcp.stream 0 (`packets --plot`). Seeds: any capture (tests/crafted, lab fixtures). */
#include "analyze/sd_dnsind.h"
#include "analyze/sd_service.h"
#include "fzcheck.h"
#include "capture/sd_capture.h"
#include "flow/sd_engine.h"
#include "out/sd_report_tcp.h"
#include "ssh/sd_ssh_report.h"
#include "ssh/sd_infer.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void *claim(void *ctx, sd_conn *c)
{
    return c; /* any non-NULL state: ask for reassembled bytes of every conn */
}

static void chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    volatile uint8_t sink = 0;
    for (uint32_t i = 0; ch->data && i < ch->len; i++)
        sink ^= ch->data[i];
    (void)sink;
}

/* Every SSH connection: infer, then render the terminal report. */
static void ssh_done(void *ud, const sd_sshconn_result *r)
{
    sd_infer_opts io = { .keystrokes = true, .window_s = 2, .stride_s = 1 };
    sd_infer_summary su;
    sd_evlist l = { 0 };
    sd_infer_ssh(&io, r, &l, &su);
    sd_ssh_window(&io, r, &l);
    sd_ssh_done d = { .r = r, .summary = &su, .events = &l };
    sd_report_opts ro = { .window_s = 2 };
    sd_ssh_report sr;
    sd_ssh_report_fill(&sr, &d, l.v, l.n, &ro, true); /* the HTML report's model too */
    sd_buf b = { 0 };
    sd_report_text(&b, &sr.rc, &ro);
    sd_buf_free(&b);
    sd_ssh_report_clear(&sr);
    sd_evlist_free(&l);
}

/* tcp.stream 0's packets, for its graph (`packets -n 0 --plot`). */
static void packet_seen(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    if (c && c->ipproto == 6 && c->id == 0)
        sd_report_tcp_add(ud, c, p, dir, ta);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_diag diag = { 0 };
    sd_capture *cap = fz_capture(data, size, &diag);
    if (!cap)
        return 0;
    sd_report_tcp *tsg = sd_report_tcp_new(0, 0);
    sd_engine_opts eo = { .diag = &diag, .reassemble = true, .max_flows = 64, /* eviction too */
                          .packet_seen = packet_seen, .ud = tsg };
    eo.reasm.stream_cap = 1 << 16;
    sd_engine *e = sd_engine_new(&eo);
    sd_analyzer a = { .name = "fuzz", .conn_new = claim, .chunk = chunk };
    sd_engine_add(e, &a);
    sd_sshconn_opts so = { .done = ssh_done };
    sd_sshconn *x = sd_sshconn_new(&so);
    sd_sshconn_attach(x, e);
    sd_service *svc = sd_service_new(); /* content rules of conns' service field */
    sd_service_attach(svc, e);
    sd_dnsind *ind = sd_dnsind_new();
    sd_dnsan_opts dno = { .txn = sd_dnsind_txn, .ud = ind };
    sd_dnsan *dns = sd_dnsan_new(&dno);
    sd_dnsan_attach(dns, e);
    sd_engine_run(e, cap, NULL, NULL);
    sd_engine_free(e);
    sd_buf g = { 0 };
    sd_report_tcp_render(tsg, &g, SD_TSG_BOTH, true);
    sd_buf_free(&g);
    sd_report_tcp_free(tsg);
    (void)sd_dnsind_finish(ind);
    sd_dnsind_free(ind);
    sd_dnsan_free(dns);
    sd_sshconn_free(x);
    sd_service_free(svc);
    sd_capture_close(cap);
    return 0;
}
