/* gencap: writes a deterministic synthetic capture (classic pcap, Ethernet,
 * IPv4) of a given size for bench/run. Not part of the main build: bench/run
 * compiles it with `cc -O2`.
 *
 * Traffic mix (each class keeps a fixed number of sessions alive; a session
 * that ends is replaced after a random pause, so thousands of connections
 * overlap in time):
 *   web   TCP port 80: handshake, HTTP request, response of 0.5 kB-300 kB in
 *         1448-byte segments, FIN or RST close; a few unanswered (S0) or
 *         rejected (REJ) SYNs; occasional retransmitted and swapped
 *         (out-of-order) segments.
 *   bulk  TCP port 8888 (no Wireshark dissector, so tshark measures TCP
 *         only): 1-30 MB one way, ACK every second segment.
 *   ssh   TCP port 22: banners, cleartext KEXINIT (real name-lists, so
 *         tshark computes a HASSH), ECDH and NEWKEYS, then encrypted-looking
 *         records whose sizes follow OpenSSH's packet format for the
 *         negotiated suite (see /work/shared/reference/ssh_inference.md
 *         §3.1-3.2: a 1-char keystroke is 36 bytes with chacha20-poly1305 or
 *         AES-GCM, 28 with AES-CTR + umac-64-etm, 64 with hmac-sha2-256),
 *         keystroke/echo pairs with think times, command output bursts.
 *   dns   UDP port 53: one query, one answer (real DNS format).
 * Sizes and timings are plausible, not measured; the point is a capture that
 * stresses a connection tracker the way real traffic does.
 *
 * Two other captures measure how the cost grows with what a capture holds
 * rather than with its bytes (bench/run's scan and brute rows):
 *   --scan N   N SYNs, each from its own source address, to one port of
 *              one host: N connections and N hosts, all open at the end.
 *   --brute N  N short SSH connections of a password-guessing tool
 *              (libssh 0.9.6 client against OpenSSH 9.2p1, 200 in flight,
 *              from ~4,000 client addresses): handshake, banners, KEXINITs
 *              (so HASSH and hasshServer are computed), ECDH, NEWKEYS, the
 *              encrypted records of a "none" probe and one or two failed
 *              passwords, DISCONNECT, FIN/FIN.
 *
 * Every frame has correct lengths and correct IPv4, TCP and UDP checksums.
 * The output is a pure function of (mode, size or N, seed).
 *
 * Usage: gencap [-s SIZE | --scan N | --brute N] [-S SEED] -o FILE
 *        SIZE and N like 50M, 1.1G, 123456, 100k */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SNAPLEN 262144u
#define MSS 1448u             /* 1500 - 20 (IP) - 32 (TCP with timestamps) */
#define RANDBUF_SIZE (1u << 20)
#define OUTBUF_SIZE (8u << 20)
#define START_SEC 1700000000u /* 2023-11-14, an arbitrary fixed origin */
/* The receiver's ACK follows the data closely: the sender does not wait
 * for it (window open), so it costs the sender no time. */
#define ACK_GAP_US 40u
#define SD_MIN64(a, b) ((a) < (b) ? (a) : (b))

/* ---- deterministic random numbers (splitmix64) ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnd(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint32_t rnd_range(rng *r, uint32_t lo, uint32_t hi)
{
    return lo + (uint32_t)(rnd(r) % ((uint64_t)hi - lo + 1));
}

/* True with probability per_mille / 1000. */
static int rnd_chance(rng *r, uint32_t per_mille)
{
    return rnd(r) % 1000 < per_mille;
}

/* Roughly log-uniform in [lo, hi]: many small values, a few large. */
static uint32_t rnd_log(rng *r, uint32_t lo, uint32_t hi)
{
    double u = (double)(rnd(r) >> 11) / 9007199254740992.0;
    double v = (double)lo * pow((double)hi / lo, u);
    return (uint32_t)v;
}

/* Exponential with the given mean (microseconds). */
static uint64_t rnd_exp(rng *r, double mean)
{
    double u = ((double)(rnd(r) >> 11) + 1.0) / 9007199254740993.0;
    return (uint64_t)(-log(u) * mean);
}

/* ---- session scripts ---- */

enum { F_FIN = 0x01, F_SYN = 0x02, F_RST = 0x04, F_PSH = 0x08, F_ACK = 0x10 };
enum { CL_WEB, CL_BULK, CL_SSH, CL_DNS, CL_BRUTE, CL_COUNT };

/* One packet of a session, decided when the session is created. Sequence
 * numbers are relative to the sender's ISN (the SYN has rel_seq 0), so the
 * builder can place retransmissions and swapped segments exactly. */
typedef struct item {
    uint8_t dir;      /* 0 client->server, 1 back */
    uint8_t flags;    /* F_*, 0 for UDP */
    uint32_t len;     /* payload bytes */
    uint32_t gap_us;  /* delay after the session's previous packet */
    uint32_t rel_seq; /* also the payload's offset in the direction's stream */
    uint32_t rel_ack;
} item;

typedef struct session {
    int cls;
    int udp;
    uint32_t cli_ip, srv_ip;
    uint16_t cli_port, srv_port;
    uint32_t isn[2];
    uint16_t ipid[2];
    uint32_t tsval[2];
    uint8_t ttl[2];
    uint32_t salt;             /* where this session's random payload starts */
    uint8_t *prefix[2];        /* cleartext head of each direction's stream */
    uint32_t prefix_len[2];
    item *items;
    size_t n_items, cap_items, next;
    uint32_t snd[2];           /* builder: next relative seq per direction */
    uint64_t when;             /* time of the next packet, us since start */
} session;

typedef struct gen {
    rng r;
    uint8_t *randbuf;
    uint8_t *out;
    size_t out_len;
    FILE *fp;
    uint64_t written, target, frames;
    session *sess;
    size_t n_sess;
    size_t *heap;              /* session indices, min-heap on .when */
    size_t heap_len;
    uint16_t next_port[4096];  /* per client host, ephemeral port counter */
    uint64_t conns[CL_COUNT];
} gen;

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "gencap: out of memory\n");
        exit(1);
    }
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fprintf(stderr, "gencap: out of memory\n");
        exit(1);
    }
    return p;
}

static void push_raw(session *s, int dir, int flags, uint32_t len, uint32_t gap,
                     uint32_t rel_seq)
{
    if (s->n_items == s->cap_items) {
        s->cap_items = s->cap_items ? s->cap_items * 2 : 64;
        s->items = xrealloc(s->items, s->cap_items * sizeof *s->items);
    }
    item *it = &s->items[s->n_items++];
    it->dir = (uint8_t)dir;
    it->flags = (uint8_t)flags;
    it->len = len;
    it->gap_us = gap;
    it->rel_seq = rel_seq;
    it->rel_ack = s->snd[!dir];
}

/* An in-order packet: takes the next sequence numbers of its direction. */
static void push(session *s, int dir, int flags, uint32_t len, uint32_t gap)
{
    push_raw(s, dir, flags, len, gap, s->snd[dir]);
    s->snd[dir] += len + ((flags & (F_SYN | F_FIN)) ? 1 : 0);
}

/* Sends n bytes in MSS segments from dir, the peer ACKing every second one.
 * Now and then a segment is sent again later (retransmission) or two
 * segments leave swapped (out of order). */
static void push_data(gen *g, session *s, int dir, uint64_t n, uint32_t gap_lo,
                      uint32_t gap_hi, uint32_t rtt)
{
    unsigned k = 0;
    while (n > 0) {
        uint32_t len = n > MSS ? MSS : (uint32_t)n;
        uint32_t gap = rnd_range(&g->r, gap_lo, gap_hi);
        if (n > 2 * MSS && rnd_chance(&g->r, 4)) {
            /* out of order: the second segment overtakes the first */
            uint32_t seq = s->snd[dir];
            push_raw(s, dir, F_ACK, MSS, gap, seq + MSS);
            push_raw(s, dir, F_ACK, MSS, gap / 4 + 1, seq);
            s->snd[dir] += 2 * MSS;
            n -= 2 * MSS;
            push(s, !dir, F_ACK, 0, ACK_GAP_US);
            continue;
        }
        push(s, dir, F_ACK | (n == len ? F_PSH : 0), len, gap);
        n -= len;
        if (rnd_chance(&g->r, 3)) /* spurious retransmission after an RTO */
            push_raw(s, dir, F_ACK, len, 200000 + rtt, s->snd[dir] - len);
        if (++k % 2 == 0 || n == 0)
            push(s, !dir, F_ACK, 0, ACK_GAP_US);
    }
}

static void set_prefix(session *s, int dir, const void *p, size_t n)
{
    s->prefix[dir] = xrealloc(s->prefix[dir], s->prefix_len[dir] + n);
    memcpy(s->prefix[dir] + s->prefix_len[dir], p, n);
    s->prefix_len[dir] += (uint32_t)n;
}

/* Handshake; returns 0 if the connection goes on, -1 if it stops at the SYN. */
static int push_handshake(gen *g, session *s, uint32_t rtt)
{
    push(s, 0, F_SYN, 0, 0);
    if (rnd_chance(&g->r, 10)) { /* nobody answers: S0, two SYN retries */
        push_raw(s, 0, F_SYN, 0, 1000000, 0);
        push_raw(s, 0, F_SYN, 0, 2000000, 0);
        return -1;
    }
    if (rnd_chance(&g->r, 10)) { /* port closed: REJ */
        push(s, 1, F_RST | F_ACK, 0, rtt);
        return -1;
    }
    push(s, 1, F_SYN | F_ACK, 0, rtt);
    push(s, 0, F_ACK, 0, 60);
    return 0;
}

static void push_close(gen *g, session *s, uint32_t rtt, int closer)
{
    uint32_t c = rnd_range(&g->r, 0, 99);
    if (c < 8) {
        push(s, closer, F_RST | F_ACK, 0, rnd_range(&g->r, 100, 5000));
        return;
    }
    push(s, closer, F_FIN | F_ACK, 0, rnd_range(&g->r, 100, 20000));
    push(s, !closer, F_FIN | F_ACK, 0, rtt);
    push(s, closer, F_ACK, 0, rtt);
}

static void build_web(gen *g, session *s)
{
    uint32_t rtt = rnd_range(&g->r, 2000, 80000);
    if (push_handshake(g, s, rtt) < 0)
        return;
    char req[512];
    int rl = snprintf(req, sizeof req,
                      "GET /static/obj%08" PRIx64 ".bin HTTP/1.1\r\nHost: "
                      "web%u.example.net\r\nUser-Agent: bench-gencap/1\r\n"
                      "Accept: */*\r\n\r\n",
                      rnd(&g->r) >> 32, (unsigned)(s->srv_ip & 0xff));
    set_prefix(s, 0, req, (size_t)rl);
    push(s, 0, F_PSH | F_ACK, (uint32_t)rl, 200);
    uint32_t body = rnd_log(&g->r, 500, 300000);
    char hdr[256];
    int hl = snprintf(hdr, sizeof hdr,
                      "HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Type: "
                      "application/octet-stream\r\nContent-Length: %u\r\n\r\n",
                      body);
    set_prefix(s, 1, hdr, (size_t)hl);
    push(s, 1, F_ACK, 0, rtt / 2 + 1); /* ACK of the request */
    push_data(g, s, 1, (uint64_t)body + (uint64_t)hl, 100, 2000, rtt);
    push_close(g, s, rtt, rnd_chance(&g->r, 300) ? 1 : 0);
}

static void build_bulk(gen *g, session *s)
{
    uint32_t rtt = rnd_range(&g->r, 1000, 40000);
    s->srv_port = 8888;
    if (push_handshake(g, s, rtt) < 0)
        return;
    push(s, 0, F_PSH | F_ACK, 64, 300); /* a small request */
    uint64_t n = (uint64_t)rnd_log(&g->r, 1000000, 30000000);
    push_data(g, s, 1, n, 300, 2500, rtt);
    push_close(g, s, rtt, 1);
}

/* ---- SSH ---- */

typedef struct ssh_suite {
    const char *cipher, *mac;
    uint32_t block, aad, tag; /* B, A, T of ssh_inference.md §3.1 */
} ssh_suite;

static const ssh_suite suites[] = {
    {"chacha20-poly1305@openssh.com", "umac-64-etm@openssh.com", 8, 4, 16},
    {"aes256-gcm@openssh.com", "umac-64-etm@openssh.com", 16, 4, 16},
    {"aes128-ctr", "umac-64-etm@openssh.com", 16, 4, 8},
    {"aes256-ctr", "hmac-sha2-256", 16, 0, 32},
};

static const char *const client_banners[] = {
    "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
    "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n",
    "SSH-2.0-PuTTY_Release_0.79\r\n",
};

/* Bytes on the wire of an SSH packet with payload p (RFC 4253 §6). */
static uint32_t ssh_wire(uint32_t p, uint32_t b, uint32_t a, uint32_t t)
{
    uint32_t pad = b - ((5 + p - a) % b);
    if (pad < 4)
        pad += b;
    return 5 + p + pad + t;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static size_t kexinit_pack(gen *g, uint8_t *buf, size_t cap, const char *const lists[10]);

/* A cleartext SSH_MSG_KEXINIT packet (RFC 4253 §7.1) into buf; returns its
 * length. The chosen cipher and MAC lead their lists. */
static size_t ssh_kexinit(gen *g, uint8_t *buf, size_t cap, int server, const ssh_suite *su)
{
    char ciphers[256], macs[256];
    snprintf(ciphers, sizeof ciphers,
             "%s,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
             "aes128-gcm@openssh.com,aes256-gcm@openssh.com", su->cipher);
    snprintf(macs, sizeof macs,
             "%s,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
             "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,"
             "umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,"
             "hmac-sha1", su->mac);
    const char *lists[10] = {
        server ? "sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
                 "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
                 "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
                 "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,"
                 "diffie-hellman-group14-sha256"
               : "curve25519-sha256,curve25519-sha256@libssh.org,"
                 "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
                 "sntrup761x25519-sha512@openssh.com,"
                 "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
                 "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,ext-info-c",
        server ? "rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519"
               : "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
                 "rsa-sha2-512-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,"
                 "rsa-sha2-512,rsa-sha2-256",
        ciphers, ciphers, macs, macs,
        "none,zlib@openssh.com", "none,zlib@openssh.com", "", ""};
    return kexinit_pack(g, buf, cap, lists);
}

/* Packs the ten name-lists of a KEXINIT (kex, host key, ciphers c2s/s2c,
 * MACs, compression, languages) into a cleartext packet. */
static size_t kexinit_pack(gen *g, uint8_t *buf, size_t cap, const char *const lists[10])
{
    size_t p = 5;
    buf[p++] = 20; /* SSH_MSG_KEXINIT */
    for (int i = 0; i < 16; i++)
        buf[p++] = (uint8_t)rnd(&g->r); /* cookie */
    for (int i = 0; i < 10; i++) {
        size_t n = strlen(lists[i]);
        if (p + 4 + n + 32 > cap)
            break;
        put32(buf + p, (uint32_t)n);
        memcpy(buf + p + 4, lists[i], n);
        p += 4 + n;
    }
    buf[p++] = 0;          /* first_kex_packet_follows */
    put32(buf + p, 0);     /* reserved */
    p += 4;
    uint32_t payload = (uint32_t)(p - 5);
    uint32_t total = ssh_wire(payload, 8, 0, 0);
    uint32_t pad = total - 5 - payload;
    memset(buf + p, 0, pad);
    put32(buf, total - 4);
    buf[4] = (uint8_t)pad;
    return total;
}

/* A cleartext packet of one message type with random-looking body. */
static size_t ssh_plain(gen *g, uint8_t *buf, uint8_t type, uint32_t payload)
{
    uint32_t total = ssh_wire(payload, 8, 0, 0);
    put32(buf, total - 4);
    buf[4] = (uint8_t)(total - 5 - payload);
    buf[5] = type;
    for (uint32_t i = 6; i < total; i++)
        buf[i] = (uint8_t)rnd(&g->r);
    return total;
}

/* Appends an SSH string of n random bytes (or of text if given). */
static size_t put_str(gen *g, uint8_t *p, const char *text, uint32_t n)
{
    put32(p, n);
    for (uint32_t i = 0; i < n; i++)
        p[4 + i] = text ? (uint8_t)text[i] : (uint8_t)rnd(&g->r);
    return 4 + (size_t)n;
}

/* Wraps payload bytes buf[5..5+payload) into a cleartext packet. */
static size_t ssh_frame(uint8_t *buf, size_t payload)
{
    uint32_t total = ssh_wire((uint32_t)payload, 8, 0, 0);
    put32(buf, total - 4);
    buf[4] = (uint8_t)(total - 5 - payload);
    memset(buf + 5 + payload, 0, total - 5 - payload);
    return total;
}

/* SSH_MSG_KEX_ECDH_INIT for curve25519-sha256 (RFC 8731 §3): Q_C, 32 bytes. */
static size_t ssh_ecdh_init(gen *g, uint8_t *buf)
{
    size_t p = 5;
    buf[p++] = 30;
    p += put_str(g, buf + p, NULL, 32);
    return ssh_frame(buf, p - 5);
}

/* SSH_MSG_KEX_ECDH_REPLY (RFC 5656 §4): ed25519 host key blob, Q_S and an
 * ed25519 signature blob (RFC 8709 §4, §6). The host key is the server's
 * own, the same on each of its connections (derived from its address), as
 * a real server's is: a brute force against one server shows one key. The
 * random bytes are still drawn so the rest of the capture does not move. */
static size_t ssh_ecdh_reply(gen *g, uint8_t *buf, uint32_t srv_ip)
{
    size_t p = 5;
    buf[p++] = 31;
    put32(buf + p, 4 + 11 + 4 + 32);
    p += 4;
    p += put_str(g, buf + p, "ssh-ed25519", 11);
    put_str(g, buf + p, NULL, 32);
    rng key = {srv_ip};
    for (int i = 0; i < 32; i += 8) {
        uint64_t v = rnd(&key);
        memcpy(buf + p + 4 + i, &v, 8);
    }
    p += 4 + 32;
    p += put_str(g, buf + p, NULL, 32);
    put32(buf + p, 4 + 11 + 4 + 64);
    p += 4;
    p += put_str(g, buf + p, "ssh-ed25519", 11);
    p += put_str(g, buf + p, NULL, 64);
    return ssh_frame(buf, p - 5);
}

/* Appends one encrypted SSH packet of payload size p to dir's stream and
 * returns its size on the wire. */
static uint32_t rec(gen *g, session *s, int dir, const ssh_suite *su, uint32_t p)
{
    uint32_t n = ssh_wire(p, su->block, su->aad, su->tag);
    uint8_t tmp[MSS];
    int clear_len = su->aad == 4 && su->cipher[0] != 'c'; /* not chacha20 */
    for (uint32_t done = 0; done < n;) {
        uint32_t k = n - done > MSS ? MSS : n - done;
        memcpy(tmp, g->randbuf + rnd(&g->r) % (RANDBUF_SIZE - MSS), k);
        if (done == 0 && clear_len)
            put32(tmp, n - 4 - su->tag);
        set_prefix(s, dir, tmp, k);
        done += k;
    }
    return n;
}

/* Sends one SSH record of size n (bytes on the wire) from dir, split into
 * MSS segments when large. */
static void push_record(session *s, int dir, uint32_t n, uint32_t gap)
{
    while (n > 0) {
        uint32_t len = n > MSS ? MSS : n;
        push(s, dir, F_PSH | F_ACK, len, gap);
        n -= len;
        gap = 40;
    }
}

/* The cleartext part, OpenSSH 9.2p1 serving: banners, KEXINITs (the
 * client's from its own lists if given, else OpenSSH's), ECDH (curve25519:
 * Q_C 32 bytes), the server's ECDH reply + NEWKEYS, the client's NEWKEYS. */
static void ssh_kex(gen *g, session *s, uint32_t rtt, const char *cb,
                    const char *const *client_lists, const ssh_suite *su)
{
    const char *sb = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
    uint8_t buf[4096];
    size_t n;
    set_prefix(s, 1, sb, strlen(sb));
    push(s, 1, F_PSH | F_ACK, (uint32_t)strlen(sb), rtt / 2 + 500);
    set_prefix(s, 0, cb, strlen(cb));
    push(s, 0, F_PSH | F_ACK, (uint32_t)strlen(cb), 300);
    n = client_lists ? kexinit_pack(g, buf, sizeof buf, client_lists)
                     : ssh_kexinit(g, buf, sizeof buf, 0, su);
    set_prefix(s, 0, buf, n);
    push_record(s, 0, (uint32_t)n, 200);
    n = ssh_kexinit(g, buf, sizeof buf, 1, su);
    set_prefix(s, 1, buf, n);
    push_record(s, 1, (uint32_t)n, rtt / 2 + 300);
    n = ssh_ecdh_init(g, buf);
    set_prefix(s, 0, buf, n);
    push(s, 0, F_PSH | F_ACK, (uint32_t)n, 300);
    n = ssh_ecdh_reply(g, buf, s->srv_ip);
    n += ssh_plain(g, buf + n, 21, 1); /* NEWKEYS */
    set_prefix(s, 1, buf, n);
    push(s, 1, F_PSH | F_ACK, (uint32_t)n, rtt + 1500);
    n = ssh_plain(g, buf, 21, 1);
    set_prefix(s, 0, buf, n);
    push(s, 0, F_PSH | F_ACK, (uint32_t)n, 200);
}

static void build_ssh(gen *g, session *s)
{
    uint32_t rtt = rnd_range(&g->r, 300, 60000);
    s->srv_port = 22;
    if (push_handshake(g, s, rtt) < 0)
        return;
    const ssh_suite *su = &suites[rnd(&g->r) % (sizeof suites / sizeof suites[0])];
    ssh_kex(g, s, rtt, client_banners[rnd(&g->r) % 4], NULL, su);

    /* encrypted: records of the right sizes, random bytes except the
     * packet_length field, which ETM and GCM suites leave in clear */
    const ssh_suite *u = su;
    push_record(s, 0, rec(g, s, 0, u, 17), 100);                    /* SERVICE_REQUEST */
    push_record(s, 1, rec(g, s, 1, u, 17) + rec(g, s, 1, u, 60), rtt); /* ACCEPT, EXT_INFO */
    push_record(s, 0, rec(g, s, 0, u, rnd_range(&g->r, 400, 560)), 3000); /* publickey+sig */
    push_record(s, 1, rec(g, s, 1, u, 1), rtt + 2000);              /* USERAUTH_SUCCESS */
    push_record(s, 0, rec(g, s, 0, u, 24), 400);                    /* CHANNEL_OPEN */
    push_record(s, 1, rec(g, s, 1, u, 500), rtt + 300);             /* confirm, hostkeys */
    push_record(s, 0, rec(g, s, 0, u, 90) + rec(g, s, 0, u, 30), 200); /* pty-req, shell */
    push_record(s, 1, rec(g, s, 1, u, rnd_range(&g->r, 200, 900)), rtt + 20000); /* motd */
    push(s, 0, F_ACK, 0, 40000);

    /* interactive: keystroke -> echo (same size), a delayed ACK, commands
     * ended by Enter produce output bursts */
    uint32_t keys = rnd_log(&g->r, 20, 400);
    for (uint32_t k = 0; k < keys; k++) {
        uint32_t think = rnd_range(&g->r, 70000, 350000);
        if (rnd_chance(&g->r, 20))
            think += rnd_range(&g->r, 1000000, 8000000);
        push(s, 0, F_PSH | F_ACK, rec(g, s, 0, u, 10), think);
        if (k % 7 == 6) { /* Enter: command output */
            uint32_t out = rnd_log(&g->r, 20, 20000);
            push_record(s, 1, rec(g, s, 1, u, 9 + out), rtt + 2000);
        } else {
            push(s, 1, F_PSH | F_ACK, rec(g, s, 1, u, 10), rtt + 150);
        }
        if (rnd_chance(&g->r, 700))
            push(s, 0, F_ACK, 0, 40000);
    }
    /* "exit": EOF, CLOSE, then the server closes the TCP connection */
    push_record(s, 1, rec(g, s, 1, u, 5) + rec(g, s, 1, u, 40) + rec(g, s, 1, u, 5),
                rtt + 3000);
    push_record(s, 0, rec(g, s, 0, u, 5), 300);
    push_close(g, s, rtt, 1);
}

/* ---- SSH password guessing (--brute) ---- */

/* libssh 0.9's client: its default lists (so its HASSH is not OpenSSH's);
 * against OpenSSH's server they negotiate aes256-ctr with
 * hmac-sha2-256-etm, whose packet_length stays in clear. */
static const char *const libssh_lists[10] = {
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group18-sha512,diffie-hellman-group16-sha512,"
    "diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256,"
    "diffie-hellman-group1-sha1,ext-info-c",
    "ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,ecdsa-sha2-nistp256,rsa-sha2-512,"
    "rsa-sha2-256,ssh-rsa",
    "aes256-ctr,aes192-ctr,aes128-ctr,aes256-cbc,aes192-cbc,aes128-cbc,3des-cbc",
    "aes256-ctr,aes192-ctr,aes128-ctr,aes256-cbc,aes192-cbc,aes128-cbc,3des-cbc",
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,"
    "hmac-sha2-256,hmac-sha2-512,hmac-sha1",
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,"
    "hmac-sha2-256,hmac-sha2-512,hmac-sha1",
    "none", "none", "", ""};
static const ssh_suite brute_suite = {"aes256-ctr", "hmac-sha2-256-etm@openssh.com", 16, 4, 32};

/* One short connection of a password-guessing run: key exchange, the
 * "none" probe, one or two wrong passwords (OpenSSH answers a failure
 * after its ~2 s delay), DISCONNECT, FIN/FIN. Payload sizes follow the
 * messages (RFC 4252 §5, §8): user "root"/"admin", 6-14 byte passwords. */
static void build_brute(gen *g, session *s)
{
    uint32_t rtt = rnd_range(&g->r, 5000, 120000);
    s->srv_port = 22;
    s->srv_ip = 0x0ac80000u + rnd_range(&g->r, 1, 4); /* a few targets */
    push(s, 0, F_SYN, 0, 0);
    push(s, 1, F_SYN | F_ACK, 0, rtt);
    push(s, 0, F_ACK, 0, 60);
    ssh_kex(g, s, rtt, "SSH-2.0-libssh_0.9.6\r\n", libssh_lists, &brute_suite);
    const ssh_suite *u = &brute_suite;
    uint32_t user = rnd_chance(&g->r, 700) ? 4 : 5;
    push_record(s, 0, rec(g, s, 0, u, 17), 100);                       /* SERVICE_REQUEST */
    push_record(s, 1, rec(g, s, 1, u, 17) + rec(g, s, 1, u, 60), rtt); /* ACCEPT, EXT_INFO */
    push_record(s, 0, rec(g, s, 0, u, 1 + 4 + user + 4 + 14 + 4 + 4), 200); /* "none" */
    push_record(s, 1, rec(g, s, 1, u, 1 + 4 + 18 + 1), rtt + 300);    /* FAILURE */
    uint32_t tries = rnd_chance(&g->r, 300) ? 2 : 1;
    for (uint32_t t = 0; t < tries; t++) {
        uint32_t pw = rnd_range(&g->r, 6, 14);
        push_record(s, 0, rec(g, s, 0, u, 1 + 4 + user + 4 + 14 + 4 + 8 + 1 + 4 + pw), 300);
        push_record(s, 1, rec(g, s, 1, u, 1 + 4 + 18 + 1),
                    rnd_range(&g->r, 1800000, 2600000));               /* FAILURE, delayed */
    }
    push_record(s, 0, rec(g, s, 0, u, 1 + 4 + 4 + 16 + 4), 500);      /* DISCONNECT */
    push(s, 0, F_FIN | F_ACK, 0, 100);
    push(s, 1, F_FIN | F_ACK, 0, rtt);
    push(s, 0, F_ACK, 0, rtt / 2 + 1);
}

/* A DNS A query and its answer (RFC 1035 §4.1). */
static void build_dns(gen *g, session *s)
{
    s->udp = 1;
    s->srv_port = 53;
    uint8_t q[300], a[300];
    size_t n = 0;
    uint16_t id = (uint16_t)rnd(&g->r);
    uint8_t h[12] = {(uint8_t)(id >> 8), (uint8_t)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    memcpy(q, h, 12);
    n = 12;
    char label[32];
    int ll = snprintf(label, sizeof label, "host%05u", (unsigned)rnd_range(&g->r, 0, 99999));
    q[n++] = (uint8_t)ll;
    memcpy(q + n, label, (size_t)ll);
    n += (size_t)ll;
    memcpy(q + n, "\x07" "example" "\x03" "com" "\x00", 13);
    n += 13;
    memcpy(q + n, "\x00\x01\x00\x01", 4); /* A, IN */
    n += 4;
    memcpy(a, q, n);
    a[2] = 0x81;
    a[3] = 0x80;
    a[7] = 1; /* ANCOUNT */
    size_t m = n;
    uint8_t ans[16] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4,
                       93, 184, (uint8_t)rnd(&g->r), (uint8_t)rnd(&g->r)};
    memcpy(a + m, ans, 16);
    m += 16;
    set_prefix(s, 0, q, n);
    set_prefix(s, 1, a, m);
    push_raw(s, 0, 0, (uint32_t)n, 0, 0);
    push_raw(s, 1, 0, (uint32_t)m, rnd_range(&g->r, 300, 30000), 0);
}

/* ---- frame writer ---- */

static void flush_out(gen *g)
{
    if (g->out_len && fwrite(g->out, 1, g->out_len, g->fp) != g->out_len) {
        fprintf(stderr, "gencap: write: %s\n", strerror(errno));
        exit(1);
    }
    g->out_len = 0;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void putle32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        sum += (uint32_t)p[i] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void mac_of(uint8_t *m, uint32_t ip)
{
    m[0] = 0x02; /* locally administered */
    m[1] = 0x42;
    put32(m + 2, ip);
}

/* Copies payload bytes [off, off+len) of direction dir: the cleartext
 * prefix, then pseudo-random bytes that depend only on the offset, so a
 * retransmission carries the same bytes as the original. */
static void fill_payload(const gen *g, const session *s, int dir, uint32_t off,
                         uint32_t len, uint8_t *dst)
{
    while (len > 0) {
        if (off < s->prefix_len[dir]) {
            uint32_t k = s->prefix_len[dir] - off;
            if (k > len)
                k = len;
            memcpy(dst, s->prefix[dir] + off, k);
            dst += k, off += k, len -= k;
            continue;
        }
        uint32_t pos = (off + s->salt + (uint32_t)dir * 7919u) % RANDBUF_SIZE;
        uint32_t k = RANDBUF_SIZE - pos;
        if (k > len)
            k = len;
        memcpy(dst, g->randbuf + pos, k);
        dst += k, off += k, len -= k;
    }
}

static void emit(gen *g, session *s, const item *it, uint64_t t_us)
{
    int d = it->dir;
    int syn = (it->flags & F_SYN) != 0;
    uint32_t l4h = s->udp ? 8 : (syn ? 40 : 32);
    uint32_t iplen = 20 + l4h + it->len;
    uint32_t frame = 14 + iplen;
    if (g->out_len + 16 + frame > OUTBUF_SIZE)
        flush_out(g);
    uint8_t *rec = g->out + g->out_len;
    uint64_t sec = START_SEC + t_us / 1000000;
    putle32(rec, (uint32_t)sec);
    putle32(rec + 4, (uint32_t)(t_us % 1000000));
    putle32(rec + 8, frame);
    putle32(rec + 12, frame);
    uint8_t *e = rec + 16;
    uint32_t src = d ? s->srv_ip : s->cli_ip, dst = d ? s->cli_ip : s->srv_ip;
    uint16_t sport = d ? s->srv_port : s->cli_port, dport = d ? s->cli_port : s->srv_port;
    mac_of(e, dst);
    mac_of(e + 6, src);
    put16(e + 12, 0x0800);
    uint8_t *ip = e + 14;
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, (uint16_t)iplen);
    put16(ip + 4, s->ipid[d]++);
    put16(ip + 6, 0x4000); /* DF */
    ip[8] = s->ttl[d];
    ip[9] = s->udp ? 17 : 6;
    put16(ip + 10, 0);
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
    uint8_t *l4 = ip + 20;
    fill_payload(g, s, d, s->udp ? it->rel_seq : it->rel_seq - 1, it->len, l4 + l4h);
    put16(l4, sport);
    put16(l4 + 2, dport);
    if (s->udp) {
        put16(l4 + 4, (uint16_t)(8 + it->len));
        put16(l4 + 6, 0);
    } else {
        put32(l4 + 4, s->isn[d] + it->rel_seq);
        put32(l4 + 8, (it->flags & F_ACK) ? s->isn[!d] + it->rel_ack : 0);
        l4[12] = (uint8_t)((l4h / 4) << 4);
        l4[13] = it->flags;
        put16(l4 + 14, syn ? 64240 : 502); /* scaled by 2^7 after the SYN */
        put16(l4 + 16, 0);
        put16(l4 + 18, 0);
        uint8_t *o = l4 + 20;
        s->tsval[d] += 1 + (uint32_t)(it->gap_us / 1000);
        if (syn) { /* Linux order: MSS, SACK_PERM, TS, NOP, WS */
            o[0] = 2, o[1] = 4, put16(o + 2, 1460);
            o[4] = 4, o[5] = 2;
            o[6] = 8, o[7] = 10, put32(o + 8, s->tsval[d]);
            put32(o + 12, (it->flags & F_ACK) ? s->tsval[!d] : 0);
            o[16] = 1, o[17] = 3, o[18] = 3, o[19] = 7;
        } else {
            o[0] = 1, o[1] = 1, o[2] = 8, o[3] = 10;
            put32(o + 4, s->tsval[d]);
            put32(o + 8, s->tsval[!d]);
        }
    }
    /* L4 checksum over the pseudo-header (RFC 793 §3.1, RFC 768) */
    uint8_t ph[12];
    put32(ph, src);
    put32(ph + 4, dst);
    ph[8] = 0;
    ph[9] = ip[9];
    put16(ph + 10, (uint16_t)(l4h + it->len));
    uint16_t c = csum_fold(csum_add(csum_add(0, ph, 12), l4, l4h + it->len));
    if (s->udp && c == 0)
        c = 0xffff;
    put16(l4 + (s->udp ? 6 : 16), c);
    g->out_len += 16 + frame;
    g->written += 16 + frame;
    g->frames++;
}

/* ---- scheduler ---- */

static int heap_less(const gen *g, size_t a, size_t b)
{
    const session *x = &g->sess[g->heap[a]], *y = &g->sess[g->heap[b]];
    if (x->when != y->when)
        return x->when < y->when;
    return g->heap[a] < g->heap[b];
}

static void heap_swap(gen *g, size_t a, size_t b)
{
    size_t t = g->heap[a];
    g->heap[a] = g->heap[b];
    g->heap[b] = t;
}

static void heap_down(gen *g, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < g->heap_len && heap_less(g, l, m))
            m = l;
        if (r < g->heap_len && heap_less(g, r, m))
            m = r;
        if (m == i)
            return;
        heap_swap(g, i, m);
        i = m;
    }
}

static void heap_up(gen *g, size_t i)
{
    while (i > 0 && heap_less(g, i, (i - 1) / 2)) {
        heap_swap(g, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

/* How many sessions of each class stay alive, and the mean pause (us)
 * before a finished one is replaced. */
static const uint32_t class_live[CL_COUNT] = {40, 3, 30, 10, 0};
static const double class_pause[CL_COUNT] = {500000, 2000000, 5000000, 400000, 20000};
/* --brute: this many guessing connections in flight (a fast tool's
 * parallelism), nothing else */
#define BRUTE_LIVE 200u

/* (Re)initialises slot s as a new session of class cls starting at t. */
static void session_start(gen *g, session *s, int cls, uint64_t t)
{
    item *items = s->items;
    size_t cap = s->cap_items;
    uint8_t *p0 = s->prefix[0], *p1 = s->prefix[1];
    memset(s, 0, sizeof *s);
    s->items = items;
    s->cap_items = cap;
    s->prefix[0] = p0;
    s->prefix[1] = p1;
    s->cls = cls;
    /* 10.1.0.0/20 clients, 10.200.0.0/24 servers, 10.53.0.x resolvers */
    uint32_t host = rnd_range(&g->r, 1, 4000);
    s->cli_ip = 0x0a010000u + host;
    s->srv_ip = cls == CL_DNS ? 0x0a350000u + rnd_range(&g->r, 1, 3)
                              : 0x0ac80000u + rnd_range(&g->r, 1, 250);
    uint16_t *np = &g->next_port[host];
    if (*np < 32768)
        *np = (uint16_t)rnd_range(&g->r, 32768, 50000);
    s->cli_port = (*np)++;
    if (*np > 60999)
        *np = 32768;
    s->srv_port = 80;
    s->isn[0] = (uint32_t)rnd(&g->r);
    s->isn[1] = (uint32_t)rnd(&g->r);
    s->ipid[0] = (uint16_t)rnd(&g->r);
    s->ipid[1] = (uint16_t)rnd(&g->r);
    s->tsval[0] = (uint32_t)rnd(&g->r);
    s->tsval[1] = (uint32_t)rnd(&g->r);
    s->ttl[0] = 64;
    s->ttl[1] = (uint8_t)(64 - rnd_range(&g->r, 1, 12));
    s->salt = (uint32_t)rnd(&g->r);
    switch (cls) {
    case CL_WEB: build_web(g, s); break;
    case CL_BULK: build_bulk(g, s); break;
    case CL_SSH: build_ssh(g, s); break;
    case CL_BRUTE: build_brute(g, s); break;
    default: build_dns(g, s); break;
    }
    g->conns[cls]++;
    s->when = t;
}

static uint64_t parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    switch (*end) {
    case 'k': case 'K': v *= 1e3; break;
    case 'm': case 'M': v *= 1e6; break;
    case 'g': case 'G': v *= 1e9; break;
    case '\0': break;
    default: return 0;
    }
    return v > 0 ? (uint64_t)v : 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: gencap [-s SIZE (default 1.1G) | --scan N | --brute N] [-S SEED] "
                    "-o FILE\n");
    exit(2);
}

/* --scan: n SYNs to one port of one host, each from its own source address
 * (11.0.0.1 on, so at most 2^24 - 2) and random source port, 100 k packets
 * per second: every one opens a connection still open at the end (S0 times
 * out after minutes), from a host never seen before. */
static void scan(gen *g, uint64_t n)
{
    session s;
    memset(&s, 0, sizeof s);
    s.srv_ip = 0x0ac80000u + 1;
    s.srv_port = 22;
    s.ttl[0] = 52;
    item it = {.dir = 0, .flags = F_SYN};
    for (uint64_t i = 0; i < n; i++) {
        s.cli_ip = 0x0b000000u + (uint32_t)(i % 0xfffffeu) + 1;
        s.cli_port = (uint16_t)rnd_range(&g->r, 1024, 65535);
        s.isn[0] = (uint32_t)rnd(&g->r);
        s.ipid[0] = (uint16_t)rnd(&g->r);
        s.tsval[0] = (uint32_t)rnd(&g->r);
        emit(g, &s, &it, i * 10);
    }
}

/* The scheduler: emits the earliest session's next packet until the size
 * is reached or, with brute > 0, until that many --brute sessions are done
 * (a finished session is then not replaced but parked at the end). */
static void run_sessions(gen *g, uint64_t brute)
{
    while (brute ? g->sess[g->heap[0]].when != UINT64_MAX : g->written < g->target) {
        size_t si = g->heap[0];
        session *s = &g->sess[si];
        uint64_t now = s->when;
        if (s->next < s->n_items) {
            emit(g, s, &s->items[s->next], now);
            s->next++;
        }
        if (s->next < s->n_items)
            s->when = now + s->items[s->next].gap_us;
        else if (brute && g->conns[CL_BRUTE] >= brute)
            s->when = UINT64_MAX;
        else
            session_start(g, s, s->cls, now + 1 + rnd_exp(&g->r, class_pause[s->cls]));
        heap_down(g, 0);
    }
}

int main(int argc, char **argv)
{
    uint64_t target = 1100000000ull, seed = 20261123;
    uint64_t nscan = 0, nbrute = 0;
    const char *path = NULL;
    static const struct option lopts[] = {
        {"scan", required_argument, NULL, 'x'},
        {"brute", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "s:S:o:", lopts, NULL)) != -1) {
        switch (opt) {
        case 's': target = parse_size(optarg); if (!target) usage(); break;
        case 'S': seed = strtoull(optarg, NULL, 0); break;
        case 'o': path = optarg; break;
        case 'x': nscan = parse_size(optarg); if (!nscan) usage(); break;
        case 'b': nbrute = parse_size(optarg); if (!nbrute) usage(); break;
        default: usage();
        }
    }
    if (!path)
        usage();
    gen g;
    memset(&g, 0, sizeof g);
    g.r.s = seed;
    g.target = target;
    g.fp = fopen(path, "wb");
    if (!g.fp) {
        fprintf(stderr, "gencap: %s: %s\n", path, strerror(errno));
        return 1;
    }
    g.randbuf = xmalloc(RANDBUF_SIZE);
    for (size_t i = 0; i < RANDBUF_SIZE; i += 8) {
        uint64_t v = rnd(&g.r);
        memcpy(g.randbuf + i, &v, 8);
    }
    g.out = xmalloc(OUTBUF_SIZE);
    /* pcap file header (little endian, microseconds, Ethernet) */
    uint8_t fh[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0};
    putle32(fh + 16, SNAPLEN);
    putle32(fh + 20, 1);
    memcpy(g.out, fh, 24);
    g.out_len = g.written = 24;

    uint32_t live[CL_COUNT];
    for (int c = 0; c < CL_COUNT; c++) {
        live[c] = nbrute ? (c == CL_BRUTE ? (uint32_t)SD_MIN64(BRUTE_LIVE, nbrute) : 0)
                         : nscan ? 0 : class_live[c];
        g.n_sess += live[c];
    }
    g.sess = calloc(g.n_sess, sizeof *g.sess);
    g.heap = xmalloc(g.n_sess * sizeof *g.heap);
    if (!g.sess && g.n_sess) {
        fprintf(stderr, "gencap: out of memory\n");
        return 1;
    }
    size_t k = 0;
    for (int c = 0; c < CL_COUNT; c++)
        for (uint32_t i = 0; i < live[c]; i++, k++) {
            session_start(&g, &g.sess[k], c, rnd_exp(&g.r, 1000000));
            g.heap[g.heap_len++] = k;
            heap_up(&g, g.heap_len - 1);
        }

    if (nscan)
        scan(&g, nscan);
    else
        run_sessions(&g, nbrute);
    flush_out(&g);
    if (fclose(g.fp) != 0) {
        fprintf(stderr, "gencap: %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(stderr, "gencap: %s: %" PRIu64 " bytes, %" PRIu64 " frames; sessions "
            "started: web %" PRIu64 " bulk %" PRIu64 " ssh %" PRIu64 " dns %" PRIu64
            " brute %" PRIu64 "; scan SYNs %" PRIu64 "\n",
            path, g.written, g.frames, g.conns[CL_WEB], g.conns[CL_BULK],
            g.conns[CL_SSH], g.conns[CL_DNS], g.conns[CL_BRUTE], nscan);
    for (size_t i = 0; i < g.n_sess; i++) {
        free(g.sess[i].items);
        free(g.sess[i].prefix[0]);
        free(g.sess[i].prefix[1]);
    }
    free(g.sess);
    free(g.heap);
    free(g.out);
    free(g.randbuf);
    return 0;
}
