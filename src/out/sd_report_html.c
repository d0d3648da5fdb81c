/* sd_report_html: the self-contained HTML report
 * (see sd_report.h); the SVG plots in them are sd_report_plot.c's. */
#include "sd_report_int.h"

#include "../common/sd_minheap.h"
#include "sd_outfile.h"
#include "sd_svg.h"

#include <stdlib.h>
#include <string.h>

/* Detail sections open (rendered) when the page loads; the others render
 * when opened. */
#define HTML_OPEN_SECTIONS 5u
/* Detail sections kept at most, the connections that matter most (see
 * sec_rank): a person opens a few dozen, and at ~55 KB each (a 40-finding
 * session) this keeps the
 * page a few MB whatever the capture; every connection still has its row
 * in the table, and the rest are counted on the page. */
#define HTML_DETAIL_CAP 50u

typedef struct html_sec {
    uint64_t rank;     /* sec_rank: the heap keeps the highest */
    uint64_t key;      /* first frame: sections in connection order */
    char *html;        /* everything after "<details" */
} html_sec;

struct sd_report_html {
    sd_report_opts o;
    char title[256];
    html_sec *sec;     /* a min-heap by rank of at most HTML_DETAIL_CAP */
    size_t n;
    size_t dropped;    /* connections past the cap: in the table only */
    uint64_t events;
    sdrp_over *over;   /* the overview: rows, capture timeline, campaigns */
};

static const char CSS[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fafafa}"
    "h1{font-size:20px;margin:0 0 8px}code,pre,.mono{font-family:ui-monospace,monospace;font-size:12px}"
    "details.conn{background:#fff;border:1px solid #ccc;border-radius:4px;margin:8px 0;padding:4px 10px}"
    "summary{cursor:pointer;font-weight:600}table{border-collapse:collapse}"
    "td,th{padding:1px 8px;text-align:left;vertical-align:top}th{background:#eee}"
    "table.kv td:first-child{color:#666}table.ev td{border-top:1px solid #eee;font-size:12px}"
    "table.ev td.n{text-align:right;font-family:ui-monospace,monospace}table.ev code{white-space:nowrap}"
    "h3{font-size:14px;margin:12px 0 2px}svg{display:block;background:#fff}"
    "svg text{font-size:11px;fill:#333}.ax path{stroke:#666;fill:none}.ax .gr{stroke:#eee}"
    ".ln{fill:none;stroke:#f0f0f0}.ln.fwd{fill:#f3f8ff}.ln.rev{fill:#fff3f8}.ln.nst{fill:#f8f3ff}"
    "text.rev{fill:#a02060}text.nst{fill:#6030a0}text.fwd{fill:#205090}"
    ".mk{stroke-width:1.5}.mk:hover{stroke:#000;stroke-width:3}"
    ".g0{fill:#2a9d4a;stroke:#2a9d4a}.g1{fill:#1a8aa0;stroke:#1a8aa0}.g2{fill:#b0307a;stroke:#b0307a}"
    ".g3{fill:#e05aa0;stroke:#e05aa0}.g4{fill:#d08a10;stroke:#d08a10}.g5{fill:#3050c0;stroke:#3050c0}"
    ".g6{fill:#777;stroke:#777}.d0{fill:#3a78c8}.d1{fill:#e07b2a}.ov{fill:#999}"
    ".sw.g0{background:#2a9d4a}.sw.g1{background:#1a8aa0}.sw.g2{background:#b0307a}.sw.g3{background:#e05aa0}"
    ".sw.g4{background:#d08a10}.sw.g5{background:#3050c0}.sw.g6{background:#777}"
    ".l0{stroke:#3a78c8;fill:none;stroke-width:1.5}.l1{stroke:#e07b2a;fill:none;stroke-width:1.5}"
    ".l2{stroke:#2a9d4a;fill:none;stroke-width:1.5}.l3{stroke:#888;fill:none;stroke-width:1;stroke-dasharray:3 2}"
    ".rt{stroke:#d00;fill:none;stroke-width:2}.ex{fill:#d00;stroke:#d00}.in{fill:#70d;stroke:#70d}"
    ".vl{stroke:#444;stroke-dasharray:4 3}text.vl{fill:#444;stroke:none}.lb{fill:#555}"
    ".tl-t{display:none}body.bytime .tl-t{display:inline}body.bytime .tl-f{display:none}"
    ".key{font-size:12px;color:#555}.sw{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px}"
    ".warn{color:#b00}.win{stroke:none}.win.ex{fill:#d00;opacity:.13}.win.in{fill:#70d;opacity:.13}"
    ".win.cp{fill:#d08a10;opacity:.15}.sw.win.ex{background:#f4c4c4;opacity:1}.sw.win.in{background:#dcc4f4;opacity:1}"
    ".sw.win.cp{background:#f2dcb8;opacity:1}.nt,.sw.nt{fill:#b0307a;background:#b0307a}.sw.d0{background:#3a78c8}"
    "svg.tl{cursor:col-resize}svg.zoomed .ax text{display:none}text.zr{fill:#a02060}table.ct td{white-space:nowrap}table.ct td.f{white-space:normal;min-width:16em;max-width:32em}.sw.d1{background:#e07b2a}.bin{stroke:none}table.ct th{cursor:pointer}.go{color:#1a5fb4;cursor:pointer;"
    "text-decoration:underline}h2{font-size:16px;margin:14px 0 4px}";

/* Renders a section when it is opened (lazy: its HTML waits as the text of
 * a <script type=text/html>, which the browser does not parse); the
 * connections' table from the rows' JSON (sort, filter, pages; first the
 * connections that matter most, as the detail sections are chosen); the x-axis
 * switch; and, with #test in the URL, opens everything and writes the mark
 * counts and any script errors into <pre id=result> for the headless-browser
 * test. */
static const char JS[] =
    "var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message))});"
    "function rd(d){if(d.dataset.r)return;var t=d.querySelector('script[type=\"text/html\"]');"
    "if(t)d.insertAdjacentHTML('beforeend',t.textContent);d.dataset.r='1';"
    "if(document.body.classList.contains('bytime'))mv(d)}"
    "document.querySelectorAll('details.conn').forEach(function(d){if(d.open)rd(d);"
    "d.addEventListener('toggle',function(){if(d.open)rd(d)})});"
    "function mv(root){var bt=document.body.classList.contains('bytime');"
    "root.querySelectorAll('svg.tl g.mk').forEach(function(g){var s=g.ownerSVGElement,x=zx(s,+(bt?g.dataset.t:g.dataset.f));"
    "g.setAttribute('transform','translate('+x+' 0)');g.style.display=vis(s,x,0)?'':'none'});"
    "root.querySelectorAll('svg.tl').forEach(zlab)}"
    "function zx(s,x){var z=s.zm;return z?+s.dataset.l+(x-z[0])*s.dataset.w/(z[1]-z[0]):x}"
    "function vis(s,x,w){var L=+s.dataset.l;return x+w>=L-4&&x<=L+ +s.dataset.w+4}"
    "function zlab(s){var t=s.querySelector('text.zr'),z=s.zm,bt=document.body.classList.contains('bytime');"
    "if(!z){if(t)t.remove();s.classList.remove('zoomed');return}s.classList.add('zoomed');"
    "if(!t){t=document.createElementNS(s.namespaceURI,'text');t.setAttribute('class','zr');"
    "t.setAttribute('x',s.dataset.l);t.setAttribute('y',s.getAttribute('height')-6);s.appendChild(t)}"
    "var a=bt?+s.dataset.t0:+s.dataset.f0,b=bt?+s.dataset.t1:+s.dataset.f1,L=+s.dataset.l,W=+s.dataset.w;"
    "function v(p){var x=a+(p-L)/W*(b-a);return bt?x.toFixed(3)+' s':Math.round(x)}"
    "t.textContent='zoomed: '+(bt?'time ':'frames ')+v(z[0])+' to '+v(z[1])+' (double-click: all)'}"
    "function zoom(s,a,b){s.zm=b-a>3?[a,b]:null;s.querySelectorAll('rect.bin').forEach(function(r){"
    "if(!r.dataset.x){r.dataset.x=r.getAttribute('x');r.dataset.w=r.getAttribute('width')}"
    "var x=zx(s,+r.dataset.x),w=s.zm?r.dataset.w*s.dataset.w/(s.zm[1]-s.zm[0]):+r.dataset.w;"
    "var L=+s.dataset.l,R=L+ +s.dataset.w,a=Math.max(x,L),b=Math.min(x+w,R);"
    "r.setAttribute('x',a);r.setAttribute('width',Math.max(b-a,0));r.style.display=b>a?'':'none'});mv(s.parentNode)}"
    "function sx(s,e){var r=s.getBoundingClientRect();return(e.clientX-r.left)*s.viewBox.baseVal.width/r.width}"
    "document.addEventListener('mousedown',function(e){var s=e.target.closest&&e.target.closest('svg.tl');if(s){s.z0=sx(s,e);e.preventDefault()}});"
    "document.addEventListener('mouseup',function(e){var s=e.target.closest&&e.target.closest('svg.tl');if(!s||s.z0==null)return;"
    "var a=Math.min(s.z0,sx(s,e)),b=Math.max(s.z0,sx(s,e)),z=s.zm;s.z0=null;if(b-a<4)return;"
    "if(z){a=z[0]+(a-s.dataset.l)*(z[1]-z[0])/s.dataset.w;b=z[0]+(b-s.dataset.l)*(z[1]-z[0])/s.dataset.w}zoom(s,a,b)});"
    "document.addEventListener('dblclick',function(e){var s=e.target.closest&&e.target.closest('svg.tl');if(s)zoom(s,0,0)});"
    "var xt=document.getElementById('xt');if(xt)xt.addEventListener('change',function(){"
    "document.body.classList.toggle('bytime',xt.checked);mv(document)});"
    "var T=null,rj=document.getElementById('rows');"
    "if(rj){T=JSON.parse(rj.textContent);T.key=5;T.dir=1;T.page=0;T.flt='';T.view=T.rows;T.b0=Date.parse(T.base);T.det={};"
    "document.querySelectorAll('details.conn').forEach(function(d){T.det[d.id.slice(1)]=1})}"
    "function S(x){return typeof x==='number'?T.strs[x]:x}"
    "function E(s){return String(s).replace(/[&<>\"]/g,function(c){return{'&':'&amp;','<':'&lt;','>':'&gt;','\"':'&quot;'}[c]})}"
    "var COLS=[['stream',function(r){return r[0]}],['start (UTC)',function(r){return r[1]}],"
    "['client',function(r){return S(r[2])+':'+r[3]}],['server',function(r){return S(r[4])+':'+r[5]}],"
    "['outcome',function(r){return S(r[6])}],['findings',function(r){return r[10]*1e12+r[7]*2+(T.det[r[0]]?1:0)}],"
    "['frames',function(r){return r[8]}],['detail',function(r){return T.det[r[0]]?0:1}]];"
    "var PAGE=200;"
    "function fnd(r){var s=r[7]+'';r[11].forEach(function(n,g){if(n)s+=' &middot; '+E(T.groups[g])+' '+n});return s}"
    "function row(r){var d=T.det[r[0]];"
    "return '<tr><td class=n>'+r[0]+'</td><td class=n>'+new Date(T.b0+r[1]).toISOString().replace('T',' ').slice(0,23)+"
    "'</td><td>'+E(S(r[2]))+':'+r[3]+'</td><td>'+E(S(r[4]))+':'+r[5]+'</td><td class=f>'+E(S(r[6])||'-')+'</td><td class=f>'+fnd(r)+"
    "'</td><td class=n>'+r[8]+'-'+r[9]+'</td><td>'+(d?'<span class=go data-s=\"'+r[0]+'\">open</span>':'')+'</td></tr>'}"
    "function draw(){var t=document.getElementById('ct');if(!T||!t)return;"
    "var h='<tr>'+COLS.map(function(c,i){return '<th data-c=\"'+i+'\">'+c[0]+(i===T.key?(T.dir>0?' &#9650;':' &#9660;'):'')+'</th>'}).join('')+'</tr>';"
    "var a=T.page*PAGE,v=T.view.slice(a,a+PAGE);t.innerHTML=h+v.map(row).join('');"
    "document.getElementById('tpage').innerHTML=(T.view.length?(a+1)+'-'+(a+v.length):'0')+' of '+T.view.length+"
    "' <button id=pp>&lsaquo;</button><button id=pn>&rsaquo;</button>'}"
    "function sortby(k){T.dir=T.key===k?-T.dir:1;T.key=k;var f=COLS[k][1],d=T.dir;"
    "T.view=T.view.slice().sort(function(x,y){var a=f(x),b=f(y);return a<b?-d:a>b?d:x[0]-y[0]});T.page=0;draw()}"
    "function filt(s){T.flt=s.toLowerCase();T.view=T.rows.filter(function(r){return !T.flt||"
    "(S(r[2])+':'+r[3]+' '+S(r[4])+':'+r[5]+' '+S(r[6])+' '+r[0]).toLowerCase().indexOf(T.flt)>=0});"
    "T.dir=-T.dir;sortby(T.key)}"
    "if(T){sortby(5);document.getElementById('ct').addEventListener('click',function(e){"
    "var c=e.target.closest('th');if(c){sortby(+c.dataset.c);return}"
    "var g=e.target.closest('.go');if(g){var d=document.getElementById('s'+g.dataset.s);d.open=true;rd(d);d.scrollIntoView()}});"
    "document.getElementById('tpage').addEventListener('click',function(e){var n=Math.ceil(T.view.length/PAGE);"
    "if(e.target.id==='pp'&&T.page>0)T.page--;else if(e.target.id==='pn'&&T.page<n-1)T.page++;else return;draw()});"
    "document.getElementById('tf').addEventListener('input',function(e){filt(e.target.value)})}"
    "function vm(s){var n=0;s.querySelectorAll('.mk').forEach(function(m){if(!m.closest('.tl-t')&&m.style.display!=='none')n++});return n}"
    "function cnt(){var r={errors:errs,sections:0,plots:{}};document.querySelectorAll('details.conn').forEach(function(d){"
    "d.open=true;rd(d);r.sections++});document.querySelectorAll('svg[data-plot]').forEach(function(s){"
    "var n=0,k=0;s.querySelectorAll('.mk').forEach(function(m){if(m.closest('.tl-t'))return;k++;var t=m.querySelector('title');"
    "var x=t&&/^(\\d+) /.exec(t.textContent);n+=x?+x[1]:1});"
    "r.plots[s.id]={marks:k,weight:n,rt:s.querySelectorAll('.rt').length,win:s.querySelectorAll('.win').length}});"
    "if(T){r.rows=T.rows.length;r.table=document.querySelectorAll('#ct tr').length-1;sortby(1);var a=T.view[0][1];sortby(1);"
    "r.sorted=T.view[0][1]>=a}"
    "var z=document.querySelector('svg.tl');if(z){var L=+z.dataset.l,W=+z.dataset.w,n0=vm(z);zoom(z,L,L+W/2);"
    "var n1=vm(z);zoom(z,0,0);r.zoom=[n0,n1,vm(z)]}"
    "var g=document.querySelector('svg.tl g.mk');if(g&&xt){var a=g.getAttribute('transform');xt.checked=true;"
    "xt.dispatchEvent(new Event('change'));var b=g.getAttribute('transform');xt.checked=false;"
    "xt.dispatchEvent(new Event('change'));r.xswitch=(a!==b||g.dataset.f===g.dataset.t)&&g.getAttribute('transform')===a}"
    "else if(xt)r.xswitch=!document.querySelector('svg.tl')||!!document.querySelector('svg.tl .tl-t');"
    "r.script_ms=performance.now();document.getElementById('result').textContent=JSON.stringify(r)}"
    "if(location.hash==='#bytime'&&xt){xt.checked=true;xt.dispatchEvent(new Event('change'))}"
    "if(location.hash==='#test')cnt();"
    "if(location.hash==='#time')document.getElementById('result').textContent=JSON.stringify({script_ms:performance.now(),errors:errs});";

sd_report_html *sd_report_html_new(const sd_report_opts *o)
{
    sd_report_html *h = sd_calloc(1, sizeof *h);
    if (o)
        h->o = *o;
    snprintf(h->title, sizeof h->title, "%s", o && o->title ? o->title : "strider report");
    h->sec = sd_calloc(HTML_DETAIL_CAP, sizeof *h->sec);
    h->over = sdrp_over_new();
    return h;
}

void sd_report_html_free(sd_report_html *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->sec[i].html);
    free(h->sec);
    sdrp_over_free(h->over);
    free(h);
}

static void esc(sd_buf *b, const char *s)
{
    sd_svg_escape(b, s);
}

static void kv_row(sd_buf *b, const char *k, const char *v, bool mono)
{
    sd_buf_printf(b, "<tr><td>%s</td><td%s>", k, mono ? " class=mono" : "");
    esc(b, v);
    sd_buf_printf(b, "</td></tr>");
}

static void html_header(sd_buf *b, const sd_report_conn *rc)
{
    const sd_conn *c = rc->conn;
    char line[512], ts[40];
    sd_buf_printf(b, "<table class=kv>");
    snprintf(line, sizeof line, "%s, duration %.3f s, frames %llu-%llu", sd_ts_iso(c->start, ts, sizeof ts),
             sd_ts_sec(c->end - c->start), (unsigned long long)c->first_frame, (unsigned long long)c->last_frame);
    kv_row(b, "first", line, false);
    snprintf(line, sizeof line, "%llu (orig %llu, resp %llu); bytes orig %llu, resp %llu",
             (unsigned long long)(c->d[0].pkts + c->d[1].pkts), (unsigned long long)c->d[0].pkts,
             (unsigned long long)c->d[1].pkts, (unsigned long long)c->d[0].bytes, (unsigned long long)c->d[1].bytes);
    kv_row(b, "packets", line, false);
    for (size_t i = 0; i < rc->nrow; i++)
        if (rc->row[i].fl & SD_RROW_PAGE)
            kv_row(b, rc->row[i].key, rc->row[i].val, rc->row[i].fl & SD_RROW_MONO);
    snprintf(line, sizeof line, "%s.stream eq %llu", c->ipproto == 17 ? "udp" : "tcp", (unsigned long long)c->id);
    kv_row(b, "Wireshark", line, true);
    sd_buf_printf(b, "</table>");
}

/* Rows of the event table at most; beyond, the timeline still shows all. */
#define HTML_MAX_ROWS 3000u

static void html_table(sd_buf *b, const sd_report_conn *rc, const sd_event *const *v, size_t n)
{
    sd_buf_printf(b, "<h3>Events (%zu)</h3><table class=ev><tr><th>frames</th><th>time</th><th>delta</th>"
                     "<th>leg</th><th>dir</th><th>kind</th><th>bytes</th><th>note</th><th>Wireshark filter</th></tr>",
                  n);
    sd_ts prev = 0;
    for (size_t i = 0; i < n && i < HTML_MAX_ROWS; i++) {
        const sd_event *e = v[i];
        char fr[48], note[256], filt[160];
        sdrp_frames_str(e, fr, sizeof fr);
        sdrp_ev_note(e, note, sizeof note);
        sdrp_ws_filter(rc->conn, e, filt, sizeof filt);
        int64_t by = sdrp_ev_bytes(e);
        sd_buf_printf(b, "<tr><td class=n>%s</td><td class=n>%.3f</td><td class=n>", fr,
                      sd_ts_sec(e->ts - rc->conn->start));
        if (i)
            sd_buf_printf(b, "+%.3f", sd_ts_sec(e->ts - prev));
        prev = e->ts;
        sd_buf_printf(b, "</td><td>%s</td><td>%s</td><td><span class=\"sw g%d\"></span>", sd_leg_name(e->leg),
                      e->dir == 0 ? "&rarr;" : e->dir == 1 ? "&larr;" : "", sdrp_group_of(e));
        esc(b, e->kind ? e->kind : "?");
        sd_buf_printf(b, "</td><td class=n>");
        if (by >= 0)
            sd_buf_printf(b, "%lld", (long long)by);
        sd_buf_printf(b, "</td><td>");
        esc(b, note);
        sd_buf_printf(b, "</td><td><code>");
        esc(b, filt);
        sd_buf_printf(b, "</code></td></tr>");
    }
    sd_buf_printf(b, "</table>");
    if (n > HTML_MAX_ROWS)
        sd_buf_printf(b, "<p class=warn>%zu more events: see `strider ssh --json`.</p>", n - HTML_MAX_ROWS);
}

/* What makes a connection worth a detail section, most first: a reverse or
 * nested leg, forwards and transfers, keystrokes, anything past login (a
 * session); then the number of findings. Login attempts alone (a brute
 * force, a scan) rank lowest. */
static uint64_t sec_rank(const size_t gc[G_N], size_t n)
{
    uint64_t r = (gc[G_RLOGIN] || gc[G_RKEYS]) * 8u + (gc[G_FWD] || gc[G_XFER]) * 4u + (gc[G_FKEYS] > 0) * 2u +
                 (gc[G_OTHER] > 0);
    return r << 32 | (n < UINT32_MAX ? n : UINT32_MAX);
}

/* Heap order: lower rank first; at equal rank the later connection goes
 * first (the earlier one is kept). */
static bool sec_less(const void *pa, const void *pb, const void *ud)
{
    const html_sec *a = pa, *b = pb;
    (void)ud;
    return a->rank != b->rank ? a->rank < b->rank : a->key > b->key;
}

/* Keeps x if it ranks among the HTML_DETAIL_CAP best; frees what loses. */
static void sec_keep(sd_report_html *h, html_sec x)
{
    sd_minheap mh = { h->sec, sizeof *h->sec, sec_less, NULL };
    if (h->n < HTML_DETAIL_CAP) {
        h->sec[h->n] = x;
        sd_minheap_up(&mh, h->n++);
        return;
    }
    h->dropped++;
    free(h->sec[0].html);
    h->sec[0] = x;
    sd_minheap_down(&mh, h->n, 0);
}

/* The detail section: summary line, header, and the plots and the table
 * as the text of a script block the page renders when it is opened. */
static char *sec_html(const sd_report_html *h, const sd_report_conn *rc, const sd_event *const *v, size_t n,
                      const size_t gc[G_N])
{
    const sd_report_opts *o = &h->o;
    const sd_conn *c = rc->conn;
    sd_buf b = { 0 };
    char ep[2 * SD_ADDR_STRLEN + 32];
    sdrp_endpoints(c, rc->client_dir, ep, sizeof ep);
    sd_buf_printf(&b, " class=conn id=\"s%llu\"><summary>%s ", (unsigned long long)c->id,
                  rc->proto ? rc->proto : "TCP");
    esc(&b, ep);
    sd_buf_printf(&b, " &mdash; tcp.stream %llu &mdash; %zu finding%s", (unsigned long long)c->id, n, n == 1 ? "" : "s");
    for (int g = 0; g < G_N; g++)
        if (gc[g])
            sd_buf_printf(&b, "<span class=\"sw g%d\"></span>%s %zu", g, sdrp_group_name[g], gc[g]);
    sd_buf_printf(&b, "</summary>");
    html_header(&b, rc);
    sd_buf_printf(&b, "<script type=\"text/html\">");
    uint64_t f0 = o->zoom_first ? o->zoom_first : c->first_frame;
    uint64_t f1 = o->zoom_last && o->zoom_last < c->last_frame ? o->zoom_last : c->last_frame;
    if (n)
        sdrp_html_timeline(&b, rc, v, n, o, f0, f1);
    sdrp_html_datamove(&b, rc, o);
    if (rc->nrec) {
        sd_buf_printf(&b, "<h3>Encrypted record sizes</h3>");
        sdrp_html_hist(&b, rc, true);
        sdrp_html_hist(&b, rc, false);
    }
    if (n)
        html_table(&b, rc, v, n);
    sd_buf_printf(&b, "</script></details>\n");
    sd_buf_append(&b, "", 1);
    return (char *)b.p;
}

void sd_report_html_add(sd_report_html *h, const sd_report_conn *rc)
{
    size_t n;
    const sd_event **v = sdrp_sorted_events(rc, &h->o, &n);
    size_t gc[G_N] = { 0 };
    for (size_t i = 0; i < n; i++)
        gc[sdrp_group_of(v[i])]++;
    html_sec x = { sec_rank(gc, n), rc->conn->first_frame, NULL };
    sdrp_over_add(h->over, rc, gc, n, x.rank >> 32 != 0);
    h->events += n;
    if (h->n == HTML_DETAIL_CAP && !sec_less(&h->sec[0], &x, NULL))
        h->dropped++; /* ranks below every kept section: its row is all */
    else {
        x.html = sec_html(h, rc, v, n, gc);
        sec_keep(h, x);
    }
    free(v);
}

void sd_report_html_across(sd_report_html *h, const sd_event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sdrp_over_across(h->over, &ev[i]);
    h->events += n;
}

static int cmp_sec(const void *a, const void *b)
{
    const html_sec *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static void page_begin(sd_buf *b, const char *title)
{
    sd_buf_printf(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
                     "<title>");
    esc(b, title);
    sd_buf_printf(b, "</title><style>%s</style></head><body>\n", CSS);
}

void sd_report_html_render(sd_report_html *h, sd_buf *b)
{
    if (h->n > 1) /* qsort(NULL, 0) is undefined; the heap is no longer needed */
        qsort(h->sec, h->n, sizeof *h->sec, cmp_sec);
    page_begin(b, h->title);
    sd_buf_printf(b, "<h1>");
    esc(b, h->title);
    size_t nc = sdrp_over_count(h->over);
    sd_buf_printf(b, "</h1><p>%zu connection%s, %llu finding%s. ", nc, nc == 1 ? "" : "s",
                  (unsigned long long)h->events, h->events == 1 ? "" : "s");
    if (h->o.zoom_first || h->o.zoom_last)
        sd_buf_printf(b, "Zoom: frames %llu-%llu. ", (unsigned long long)h->o.zoom_first,
                      (unsigned long long)h->o.zoom_last);
    sd_buf_printf(b, "<label><input type=checkbox id=xt> timeline x axis = time</label></p>");
    if (h->dropped)
        sd_buf_printf(b, "<p class=\"warn\" id=capped>Detail sections: %zu of %zu connections, those that matter "
                         "most (reverse or nested legs, forwards, transfers, keystrokes, sessions, then the most "
                         "findings); %zu more are rows of the table only (cap %u). Every finding is in "
                         "events.jsonl and <code>strider ssh --json</code>.</p>",
                      h->n, nc, h->dropped, HTML_DETAIL_CAP);
    sdrp_over_render(h->over, b);
    sd_buf_printf(b, "<h2>Connections in detail (%zu)</h2><p class=key>Legend:", h->n);
    for (int g = 0; g < G_N; g++)
        sd_buf_printf(b, "<span class=\"sw g%d\"></span>%s", g, sdrp_group_name[g]);
    sd_buf_printf(b, " &nbsp; circles = forward leg, diamonds = reverse/nested; a lane whose marks would overlap is "
                     "a density strip (taller = more). Hover a mark for its frames and Wireshark filter; sections "
                     "below the first %u render when opened.</p>\n",
                  HTML_OPEN_SECTIONS);
    for (size_t i = 0; i < h->n; i++) {
        sd_buf_printf(b, "<details%s", i < HTML_OPEN_SECTIONS ? " open" : "");
        sd_buf_append(b, h->sec[i].html, strlen(h->sec[i].html));
    }
    sd_buf_printf(b, "<pre id=result></pre><script>%s</script></body></html>\n", JS);
}

int sd_report_html_write(sd_report_html *h, const char *path)
{
    sd_buf b = { 0 };
    sd_report_html_render(h, &b);
    int rc = sd_outfile_write(path, &b);
    sd_buf_free(&b);
    return rc;
}
