/* Internal to src/decode: the decoder context shared by the link, IP, L4
 * and fragment modules. Not part of the library API. */
#ifndef SD_DECODE_INT_H
#define SD_DECODE_INT_H

#include "../common/sd_cursor.h"
#include "sd_decode.h"

/* Kinds of diagnostics, each rate-limited on its own per input file. */
typedef enum sd_dk {
    SD_DK_LINK_TRUNC,
    SD_DK_IP_TRUNC,
    SD_DK_IP_BADLEN,
    SD_DK_IP_VERSION,
    SD_DK_IP6_EXT,
    SD_DK_FRAG_BAD,
    SD_DK_FRAG_OVERLAP,
    SD_DK_FRAG_MEMCAP,
    SD_DK_FRAG_TIMEOUT,
    SD_DK_L4_TRUNC,
    SD_DK_TCP_BADOFF,
    SD_DK_TCP_BADOPT,
    SD_DK_UDP_BADLEN,
    SD_DK_ENCAP,
    SD_DK_ENCAP_DEPTH,
    SD_DK_IP_CSUM,
    SD_DK_L4_CSUM,
    SD_DK_IP_DISCARD,
    SD_DK_COUNT
} sd_dk;

/* Messages of one kind reported per file before that kind goes quiet. */
#define SD_DIAG_PER_KIND 20
/* Files whose counters are tracked separately; beyond, indices share. */
#define SD_DIAG_MAX_FILES 1024
/* Distinct unknown link types remembered for the once-only message. */
#define SD_MAX_UNKNOWN_LINKS 32

/* Big-endian reads at p, for a fixed header whose whole length the caller
 * has already checked against the cursor (one check per header instead of
 * one per field on every packet); anything of variable length goes through
 * the cursor. Byte by byte, as in sd_cursor.h: no pointer casts. */
static inline uint16_t sd_dec_be16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t sd_dec_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* The 20 fixed bytes of a TCP header at t (the caller checked they are
 * there) into out; returns the data offset in bytes, unchecked. */
static inline unsigned sd_dec_tcp_fixed(const uint8_t *t, sd_pkt *out)
{
    out->sport = sd_dec_be16(t);
    out->dport = sd_dec_be16(t + 2);
    out->seq = sd_dec_be32(t + 4);
    out->ack = sd_dec_be32(t + 8);
    out->flags = t[13];
    out->win = sd_dec_be16(t + 14);
    out->urp = sd_dec_be16(t + 18);
    return (t[12] >> 4) * 4u;
}

/* The TCP option layout on nearly every segment after the handshake
 * (Linux, BSD, Windows with timestamps): NOP, NOP, timestamps (kinds 1, 1,
 * 8 of length 10), read at once with the result the option loop of sd_l4.c
 * gives for these 12 bytes. False, o untouched: another layout (len option
 * bytes at q), for the loop. */
/* Parses TCP option bytes into o. A malformed option stops the parse;
 * what was read before it is kept. Returns false on a malformed option,
 * naming it in *bad_kind and *bad_len. */
bool sd_dec_tcp_options(sd_cur c, sd_tcpopt *o, uint8_t *bad_kind, uint8_t *bad_len);
#define SD_DEC_USUAL_OPTLEN 12
static inline bool sd_dec_usual_tcpopts(const uint8_t *q, size_t len, sd_tcpopt *o)
{
    if (len != SD_DEC_USUAL_OPTLEN || q[0] != 1 || q[1] != 1 || q[2] != 8 || q[3] != 10)
        return false;
    o->has_ts = true;
    o->tsval = sd_dec_be32(q + 4);
    o->tsecr = sd_dec_be32(q + 8);
    return true;
}

/* ---- fragment reassembly (sd_frag.c) ---- */

typedef struct sd_frag_table sd_frag_table;

/* One fragment as the IP layer hands it over. */
typedef struct sd_frag_in {
    uint8_t ver;            /* 4 or 6 */
    uint8_t proto;          /* v4: protocol; v6: next header of the fragment header */
    uint32_t id;
    const sd_addr *src, *dst;
    /* The network the datagram was seen in: the outer VLAN id and the
     * innermost tunnel segment (sd_pkt.vlan[0], .tunnel). RFC 791 and 8200
     * number datagrams per network, so two networks' fragments never meet. */
    uint16_t vlan;
    uint64_t tunnel;
    uint32_t off;           /* byte offset in the fragmentable part */
    const uint8_t *data;    /* fragment bytes present */
    uint32_t len_present;   /* bytes present (< len_wire when snapped) */
    uint32_t len_wire;      /* fragment length per the IP header */
    bool more;              /* MF / M flag */
    uint64_t frame;
    sd_ts ts;
    uint8_t ttl;            /* header fields kept from the offset-0 fragment */
    bool df;
    uint32_t hdr_len;       /* unfragmentable part (IP header + ext before frag) */
} sd_frag_in;

/* A completed datagram: data is owned by the table and valid until the
 * next sd_frag_add() / sd_frag_table_free(). */
typedef struct sd_frag_out {
    const uint8_t *data;
    uint32_t len_present;   /* contiguous bytes present from offset 0 */
    uint32_t len_wire;      /* total fragmentable length */
    uint64_t first_frame;   /* earliest frame that contributed */
    uint8_t proto;          /* from the offset-0 fragment */
    uint8_t ttl;
    bool df;
    uint32_t hdr_len;
    uint32_t anomalies;     /* accumulated SD_ANOM_FRAG_* over the set */
    /* what the caller judges the transport header by (sd_ip.c
     * frag_l4_check): the first offset whose bytes two fragments gave
     * differently (UINT32_MAX if none), and the length of the first
     * offset-0 fragment */
    uint32_t conflict_at, first_len;
} sd_frag_out;

typedef enum sd_frag_res {
    SD_FRAG_HELD,     /* stored, datagram incomplete */
    SD_FRAG_DONE,     /* out filled */
    SD_FRAG_DROPPED,  /* fragment rejected (see *anom) */
} sd_frag_res;

typedef struct sd_frag_stats {
    uint64_t reassembled;
    uint64_t evicted;   /* sets dropped for the memcap */
    uint64_t timed_out; /* sets dropped for the timeout */
    uint64_t copies;    /* sets of copies of fragments of a datagram reassembled before them, dropped */
} sd_frag_stats;

sd_frag_table *sd_frag_table_new(size_t memcap, sd_ts timeout);
void sd_frag_table_free(sd_frag_table *t);
/* Drops sets older than the timeout relative to now; returns how many. */
uint64_t sd_frag_expire(sd_frag_table *t, sd_ts now);
/* Adds a fragment. *anom receives SD_ANOM_FRAG_* bits found for this
 * fragment; *evicted the number of sets dropped to make room. */
sd_frag_res sd_frag_add(sd_frag_table *t, const sd_frag_in *in, sd_frag_out *out,
                        uint32_t *anom, uint64_t *evicted);
const sd_frag_stats *sd_frag_get_stats(const sd_frag_table *t);
/* Sets held now (incomplete datagrams). */
uint64_t sd_frag_pending(const sd_frag_table *t);
/* Sets held that only copy fragments of a datagram reassembled before them. */
uint64_t sd_frag_copies_pending(const sd_frag_table *t);
/* Whether the sets the next fragments start are counted (the stats, the
 * pending counts: true by default): a chunk of a file list counts the
 * sets it owns (sd_own_frag_counts), all of them decided as one run
 * decides them. */
void sd_frag_count_new(sd_frag_table *t, bool count);
/* Whether the last datagram reassembled came from a counted set. */
bool sd_frag_done_counted(const sd_frag_table *t);
size_t sd_frag_mem_used(const sd_frag_table *t);

/* ---- decoder context ---- */

struct sd_decoder {
    sd_decode_opts opts;
    sd_frag_table *frags;
    uint16_t (*diag_count)[SD_DK_COUNT]; /* per file slot, grown on demand */
    unsigned diag_files;                 /* slots allocated */
    uint64_t diag_unshown[SD_DK_COUNT];  /* messages past a kind's quota: counted, not shown */
    int unknown_links[SD_MAX_UNKNOWN_LINKS];
    unsigned n_unknown_links;
    const sd_frame *cur;                 /* frame being decoded (for messages) */
    unsigned depth;                      /* encapsulation layers entered for cur */
    sd_undec reason;                     /* why cur failed, if it does (SD_UNDEC_COUNT: not said) */
    uint64_t undecoded[SD_UNDEC_COUNT];
    uint16_t ip_residue;                 /* folded sum of the IPv4 header being decoded when
                                            its checksum is wrong; 0 otherwise (sd_csum.c) */
    bool ip_unsized;                     /* IP length 0: an offload super-packet (sd_csum.c) */
};

void sd_dec_diag(sd_decoder *d, sd_dk kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* IP layer (sd_ip.c): c covers the IP datagram and whatever follows it in
 * the frame. */
sd_dec_res sd_decode_ipv4(sd_decoder *d, sd_cur c, sd_pkt *out);
sd_dec_res sd_decode_ipv6(sd_decoder *d, sd_cur c, sd_pkt *out);

/* Transport layer (sd_l4.c): c covers the present bytes of the upper-layer
 * datagram, wire_len its length per the IP header(s). */
sd_dec_res sd_decode_l4(sd_decoder *d, uint8_t proto, sd_cur c, uint32_t wire_len, sd_pkt *out);

/* Encapsulations (sd_encap.c). */
/* The payload named by an ethertype (VLAN tags first), e.g. after a link
 * header, in GRE or GENEVE. */
sd_dec_res sd_dec_ethertype(sd_decoder *d, uint16_t et, sd_cur c, sd_pkt *out);
/* An Ethernet frame (link layer, VXLAN, GRE bridging, ERSPAN). */
sd_dec_res sd_dec_ether(sd_decoder *d, sd_cur c, sd_pkt *out);
/* A PPP frame, HDLC address and control bytes optional (sd_encap.c). */
sd_dec_res sd_dec_ppp(sd_decoder *d, sd_cur c, sd_pkt *out);
/* IP protocols 4 (IPv4), 41 (IPv6) and 47 (GRE) carry a tunnel. */
bool sd_dec_is_ip_tunnel(uint8_t proto);
sd_dec_res sd_dec_ip_tunnel(sd_decoder *d, uint8_t proto, sd_cur c, sd_pkt *out);
/* A UDP payload to a tunnel port with a valid header: true, *res the
 * inner packet's result; false: plain UDP. */
bool sd_dec_udp_tunnel(sd_decoder *d, uint16_t dport, sd_cur c, sd_pkt *out, sd_dec_res *res);

/* The fast path (sd_decfast.c) for the frame nearly every capture is made
 * of: Ethernet, IPv4 without options or fragmentation, TCP without options
 * or with sd_dec_usual_tcpopts' layout, the datagram all captured, both
 * checksums right (or not checked). True: out holds what the general path
 * (by link type) would give, SD_DEC_OK, with no diagnostic and the decoder
 * left as that path leaves it; false: out and d untouched, for the general
 * path. out is zeroed and its frame fields set; d->cur is f. */
bool sd_dec_fast(sd_decoder *d, const sd_frame *f, sd_pkt *out);

/* Checksums (sd_csum.c). Checks an IPv4 header (sets d->ip_residue; with
 * len_given false, a total length of 0, it is a segmentation-offload
 * super-packet whose checksums were never made: d->ip_unsized):
 * true when its checksum is bad; the caller decodes on, then asks
 * sd_dec_csum_ip_verdict, which drops the datagram (SD_DEC_BAD, said)
 * unless its TCP/UDP checksum shows the same error (addresses rewritten
 * after capture: SD_CSUM_REWRITTEN); otherwise it returns res. */
bool sd_dec_csum_ip(sd_decoder *d, const uint8_t *h, size_t hlen, bool len_given);
sd_dec_res sd_dec_csum_ip_verdict(sd_decoder *d, const uint8_t *h, bool bad, sd_dec_res res, sd_pkt *out);
/* Sets out->csum for the TCP/UDP segment at seg (present bytes of its len;
 * out's addresses and l4 already set). */
void sd_dec_csum_l4(sd_decoder *d, const uint8_t *seg, size_t present, uint32_t len, sd_pkt *out);

#endif
