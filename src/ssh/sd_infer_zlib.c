/* sd_infer_zlib: what a message's size still says on a compressed
 * connection (sd_infer_zlib.h says why each bound holds). */
#include "sd_infer_zlib.h"

bool sdi_z_is(const ctx *x, const sd_ssh_suite *s, uint32_t len, uint32_t p)
{
    if (!x->zlib)
        return len == sd_ssh_wire_size(s, p);
    return len >= sd_ssh_wire_size(s, Z_PAYLOAD_MIN) && len <= sd_ssh_wire_size(s, Z_MAX(p));
}

uint32_t sdi_z_least(const ctx *x, const sd_ssh_suite *s, uint32_t p)
{
    return sd_ssh_wire_size(s, x->zlib ? Z_PAYLOAD_MIN : p);
}

bool sdi_z_ctl(const ctx *x, uint32_t len)
{
    uint32_t ctl = sd_ssh_wire_size(x->cs, P_CHANNEL_CTL);
    if (!x->zlib)
        return len == ctl || len == 2 * ctl;
    /* one packet, or two in one segment, each at most a control's */
    return sdi_z_is(x, x->cs, len, P_CHANNEL_CTL) || len <= 2 * sd_ssh_wire_size(x->cs, Z_MAX(P_CHANNEL_CTL));
}

double sdi_z_answer_s(const ctx *x, double plain)
{
    return x->zlib && REACT_MIN_S < plain ? REACT_MIN_S : plain;
}

size_t sdi_z_run_end(const ctx *x, size_t i)
{
    size_t e = i;
    while (x->zlib && e + 1 < x->n && e + 1 < i + Z_RUN_RECORDS && x->v[e + 1].c == x->v[i].c)
        e++;
    return e;
}

uint32_t sdi_z_chunk_framing(const ctx *x)
{
    return x->zlib ? Z_STORED_FRAMING : 0;
}

int sdi_z_sftp_client(const ctx *x, size_t b)
{
    if (!x->zlib)
        return -1;
    unsigned requests = 0; /* client records after a server one, after SSH_FXP_INIT's answer */
    bool init = false;
    for (size_t j = x->req_to + 1; j < b && j < x->n; j++)
        if (x->v[j].c && !x->v[j - 1].c) {
            requests += init;
            init = true;
        }
    return requests > Z_SCP_REQUESTS;
}

uint32_t sdi_z_echo(const ctx *x, const leg *L, size_t from, size_t to, uint32_t wk, uint32_t we)
{
    enum { SIZES = 256 }; /* echo sizes counted: a short record's */
    uint32_t count[SIZES] = { 0 }, best = we;
    if (!L->compressed || we >= SIZES)
        return we;
    for (size_t i = from; i + 1 < to && i + 1 < x->n; i++) {
        const item *a = &x->v[i], *b = &x->v[i + 1];
        if (sdi_is_cl(L, a) && a->len == wk && !sdi_is_cl(L, b) && b->len <= we && b->t - a->t < PAIR_ECHO_S)
            count[b->len]++;
    }
    for (uint32_t n = 0; n <= we; n++)
        if (count[n] > (best == we ? count[we] : count[best]))
            best = n;
    return best;
}

/* Whether a record is within Z_TUNNEL_SHIFT_MAX of the plain size w. */
static bool near_plain(uint32_t len, uint32_t w)
{
    return len + Z_TUNNEL_SHIFT_MAX >= w && len <= w + Z_TUNNEL_SHIFT_MAX;
}

void sdi_z_tunnel_learn(const ctx *x, leg *L, size_t from, size_t to)
{
    enum { SPAN = 2 * Z_TUNNEL_SHIFT_MAX + 1 }; /* offsets counted per side */
    L->zshift[0] = L->zshift[1] = 0;
    if (!x->zlib || !L->inner)
        return;
    uint32_t wk = sdi_lw(L, true, SD_SSH_P_KEYSTROKE), we = sdi_lw(L, false, SD_SSH_P_KEYSTROKE);
    uint32_t count[SPAN][SPAN] = { { 0 } }; /* [key offset][echo offset]: 9.6 KB */
    uint32_t best = 0;
    int32_t bk = 0, be = 0;
    for (size_t i = from; i + 1 < to && i + 1 < x->n; i++) {
        const item *a = &x->v[i], *b = &x->v[i + 1];
        if (!sdi_is_cl(L, a) || sdi_is_cl(L, b) || b->t - a->t >= PAIR_ECHO_S || !near_plain(a->len, wk) ||
            !near_plain(b->len, we))
            continue;
        int32_t dk = (int32_t)a->len - (int32_t)wk, de = (int32_t)b->len - (int32_t)we;
        uint32_t n = ++count[dk + Z_TUNNEL_SHIFT_MAX][de + Z_TUNNEL_SHIFT_MAX];
        if (n > best)
            best = n, bk = dk, be = de;
    }
    if (best < Z_TUNNEL_PAIRS)
        return;
    L->zshift[1] = bk;
    L->zshift[0] = be;
}

uint32_t sdi_z_tunnel_least(const ctx *x, const leg *L, bool cl, uint32_t p)
{
    uint32_t w = sdi_lw(L, cl, p);
    if (!x->zlib || !L->inner || !w)
        return w;
    const sd_ssh_suite *o = cl == L->cl_is_outer_client ? L->oc : L->os;
    uint32_t b = o->block ? o->block : 1, save = (Z_TUNNEL_HDR_SAVE + b - 1) / b * b;
    return w > save ? w - save : w;
}

bool sdi_z_sftp_init(const ctx *x, const reqs *q)
{
    size_t i = q->to;
    while (i < x->n && !x->v[i].c)
        i++;
    if (!x->zlib || i + 1 >= x->n || x->v[i].len > sd_ssh_wire_size(x->cs, Z_MAX(P_SFTP_INIT)) ||
        x->v[i].t - x->v[q->from].t > SFTP_INIT_S)
        return false;
    if (x->v[i + 1].c || x->v[i + 1].len < sd_ssh_wire_size(x->ss, SD_SSH_P_CHANNEL_DATA(P_Z_SFTP_VERSION_MIN)))
        return false;
    /* legacy scp's download: the client's '\0', then the source's
     * "C<mode> <size> <name>" line with a verbose scp's stderr line in one
     * segment (chacha20: 76 + 76, the VERSION's size), the client's '\0'
     * and at once the file's bytes. After a VERSION no bulk answers the
     * client's next record: sftp's first requests (limits, REALPATH, STAT,
     * OPEN) get short answers, a DATA only follows a READ on an OPEN's
     * handle, two requests later. */
    size_t k = i + 2;
    while (k < x->n && !x->v[k].c)
        k++;
    return k + 1 >= x->n || x->v[k + 1].c || x->v[k + 1].len < XFER_RECORD;
}
