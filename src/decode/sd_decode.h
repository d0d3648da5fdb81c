/* sd_decode: one captured frame to one decoded packet (link layer, IPv4 with
 * options and fragments, IPv6 with extension headers and fragments, TCP with
 * its options, UDP), and the tunnels between (sd_encap.c). Reads bytes only through sd_cursor. Malformed input is
 * reported as anomaly bits and diagnostics; it never stops the run. */
#ifndef SD_DECODE_H
#define SD_DECODE_H

#include "../capture/sd_capture.h"
#include "sd_csum.h"

/* TCP flags as on the wire (low 8 bits of byte 13). */
enum {
    SD_TH_FIN = 0x01,
    SD_TH_SYN = 0x02,
    SD_TH_RST = 0x04,
    SD_TH_PSH = 0x08,
    SD_TH_ACK = 0x10,
    SD_TH_URG = 0x20,
    SD_TH_ECE = 0x40,
    SD_TH_CWR = 0x80,
};

/* Anomalies found while decoding (bit set in sd_pkt.anomalies). */
enum {
    SD_ANOM_LINK_TRUNC = 1u << 0,   /* frame shorter than its link header */
    SD_ANOM_IP_TRUNC = 1u << 1,     /* IP header or datagram cut short (not by snaplen) */
    SD_ANOM_IP_BADLEN = 1u << 2,    /* IHL < 5, total length < header, bad version */
    SD_ANOM_IP_SNAPPED = 1u << 3,   /* datagram longer than captured bytes (snaplen) */
    SD_ANOM_FRAG_OVERLAP = 1u << 4, /* overlapping IP fragments */
    SD_ANOM_FRAG_BAD = 1u << 5,     /* inconsistent fragment (too large, bad offset) */
    SD_ANOM_L4_TRUNC = 1u << 6,     /* TCP/UDP header cut short */
    SD_ANOM_TCP_BADOFF = 1u << 7,   /* TCP data offset < 5 or past the datagram */
    SD_ANOM_TCP_BADOPT = 1u << 8,   /* malformed TCP option (bad length, bad MSS/SACK) */
    SD_ANOM_UDP_BADLEN = 1u << 9,   /* UDP length inconsistent with the datagram */
    SD_ANOM_IP6_BADEXT = 1u << 10,  /* malformed IPv6 extension header */
    SD_ANOM_UNKNOWN_LINK = 1u << 11,
    SD_ANOM_TRAILER = 1u << 12,     /* link-layer bytes after the IP datagram (padding) */
    SD_ANOM_ENCAP = 1u << 13,       /* a tunnel variant or payload not decoded */
    SD_ANOM_ENCAP_DEPTH = 1u << 14, /* more than SD_MAX_ENCAP_DEPTH nested layers */
    SD_ANOM_IP_BADSUM = 1u << 15,   /* IPv4 header checksum wrong (--checksum) */
    /* fragments overlapping with different bytes: a datagram its receiver
     * may drop (sd_frag.c), held by the reassembly until ACKed (sd_reasm.h
     * sd_reasm_segment_ex) */
    SD_ANOM_FRAG_CONFLICT = 1u << 16,
    /* with SD_ANOM_FRAG_CONFLICT: a first fragment that ended inside the
     * TCP/UDP header (sd_ip.c frag_l4_check), held the same way */
    SD_ANOM_FRAG_SPLITHDR = 1u << 17,
    /* IP options its receiver discards the datagram for (sd_ip.c: an IPv4
     * source route or option of a bad length, an IPv6 option or routing
     * header that says discard): its TCP data held until ACKed
     * (sd_engine.c untaken) */
    SD_ANOM_IP_DISCARD = 1u << 18,
};

/* Encapsulations a packet came through (sd_pkt.encap), outermost first.
 * SD_ENC_IP is IP in IP (IPv4/IPv6 in IPv4/IPv6: Zeek's Tunnel::IP). */
enum {
    SD_ENC_NONE = 0,
    SD_ENC_PPPOE,
    SD_ENC_MPLS,
    SD_ENC_GRE,
    SD_ENC_ERSPAN1,
    SD_ENC_ERSPAN2,
    SD_ENC_ERSPAN3,
    SD_ENC_VXLAN,
    SD_ENC_GENEVE,
    SD_ENC_IP,
    SD_ENC_PPTP,   /* PPTP's enhanced GRE (version 1) carrying PPP */
    SD_ENC_COUNT
};
/* Nested encapsulation layers decoded before a frame is given up. Real
 * paths stack three or four (MPLS, GRE, ERSPAN, then a VXLAN inside the
 * mirrored frame); eight leaves room and stops a GRE-in-GRE loop. */
#define SD_MAX_ENCAP_DEPTH 8
/* "gre", "vxlan"...; "?" for an unknown code. */
const char *sd_encap_name(unsigned code);

/* Why a frame gave no IP packet (SD_DEC_NOT_IP or SD_DEC_BAD): each such
 * frame is counted under one reason (sd_decoder_undecoded). */
typedef enum sd_undec {
    SD_UNDEC_LINKTYPE,   /* link type not supported */
    SD_UNDEC_ETHERTYPE,  /* ethertype or PPP protocol that is not IP (ARP, LLDP, LCP...) */
    SD_UNDEC_TRUNC,      /* link or tunnel header cut short */
    SD_UNDEC_ENCAP,      /* tunnel variant not decoded (GRE routing, ERSPAN frame type...) */
    SD_UNDEC_DEPTH,      /* more than SD_MAX_ENCAP_DEPTH layers, or MPLS labels */
    SD_UNDEC_IP_VERSION, /* IP version field neither 4 nor 6 where IP was announced */
    SD_UNDEC_IP_TRUNC,   /* IP header cut short */
    SD_UNDEC_IP_BAD,     /* IP header or extension header lengths inconsistent */
    SD_UNDEC_FRAG,       /* IP fragment rejected (inconsistent, memcap) */
    SD_UNDEC_L4_TRUNC,   /* TCP/UDP header cut short */
    SD_UNDEC_L4_BAD,     /* TCP data offset impossible */
    SD_UNDEC_IP_CSUM,    /* IPv4 header checksum wrong (sd_csum): the receiver dropped it */
    SD_UNDEC_COUNT
} sd_undec;
/* "unknown ethertype", "truncated header"... */
const char *sd_undec_name(sd_undec r);

#define SD_MAX_SACK 4
/* RFC 7323 §2.3: a larger window-scale shift is used as 14 (and logged) */
#define SD_TCP_WSCALE_MAX 14
#define SD_MAX_VLAN 2
/* TCP authentication options (IANA kinds): TCP-MD5 (RFC 2385, 18 bytes
 * long) and TCP-AO (RFC 5925, 4 bytes and a MAC) */
#define SD_TCPOPT_MD5 19
#define SD_TCPOPT_MD5_LEN 18
#define SD_TCPOPT_AO 29
#define SD_TCPOPT_AO_MIN 4

typedef struct sd_tcpopt {
    bool has_mss, has_wscale, sack_ok, has_ts;
    uint16_t mss;
    uint8_t wscale;          /* as sent (caller caps at SD_TCP_WSCALE_MAX) */
    uint32_t tsval, tsecr;
    /* SD_TCPOPT_MD5 or SD_TCPOPT_AO when the segment carries that
     * authentication option (the first one: sd_l4.c), else 0 */
    uint8_t auth;
    uint8_t nsack;           /* SACK blocks present */
    uint32_t sack[SD_MAX_SACK][2]; /* left, right edges */
} sd_tcpopt;

#define SD_TUNNEL_VNI (1ull << 32)
#define SD_TUNNEL_GREKEY (2ull << 32)

typedef enum sd_l4 { SD_L4_NONE = 0, SD_L4_TCP, SD_L4_UDP, SD_L4_OTHER } sd_l4;

typedef struct sd_pkt {
    const sd_frame *frame;   /* the frame that completed this packet */
    uint64_t first_frame;    /* first fragment's frame (== frame->num if unfragmented) */
    uint8_t nvlan;
    uint16_t vlan[SD_MAX_VLAN]; /* VLAN ids, outer first */
    uint8_t nencap;
    uint8_t encap[SD_MAX_ENCAP_DEPTH]; /* SD_ENC_* layers, outermost first */
    /* The innermost tunnel segment: SD_TUNNEL_VNI | a VXLAN or GENEVE VNI,
     * SD_TUNNEL_GREKEY | a GRE key; 0 for none. Not in the connection key
     * (as Wireshark, Zeek and Suricata key): the engine says a connection
     * whose packets came from two segments (two tenants' sessions mixed). */
    uint64_t tunnel;

    uint8_t ipver;           /* 4 or 6; 0 = not IP */
    sd_addr src, dst;
    uint8_t ttl;             /* TTL / hop limit */
    uint16_t ip_id;          /* IPv4 identification (0 for IPv6) */
    bool df;                 /* IPv4 don't-fragment */
    bool reassembled;        /* built from IP fragments */
    uint8_t ipproto;         /* final upper-layer protocol number */
    uint32_t ip_len;         /* IP datagram length per its header(s) */

    sd_l4 l4;
    uint16_t sport, dport;
    /* TCP */
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t win;            /* raw, unscaled */
    uint16_t urp;
    sd_tcpopt opt;

    const uint8_t *payload;  /* TCP/UDP payload bytes present */
    uint32_t payload_len;    /* bytes present in payload */
    uint32_t payload_wire;   /* payload length per headers (>= payload_len when snapped) */

    uint32_t anomalies;      /* SD_ANOM_* */
    uint8_t csum;            /* SD_CSUM_*: the TCP/UDP checksum (BAD: the receiver dropped it) */
    /* Its flow-table key made ahead (sd_flowtab_pkt_key, by sd_pipe's
     * reader thread), so the analysis thread only probes; unset (fk_set
     * false, as sd_decode leaves it): the table makes it. */
    bool fk_set, fk_swapped;
    uint32_t fk_tag;
    uint8_t fk[16];
} sd_pkt;

typedef struct sd_decoder sd_decoder;

/* An IP fragment set's life in capture time, from its first fragment,
 * when the options give none (Linux's ipfrag_time is 30 s). */
#define SD_DEC_FRAG_TIMEOUT_DEFAULT ((sd_ts)30 * SD_NS_PER_SEC)

typedef struct sd_decode_opts {
    size_t frag_memcap;      /* bytes held for IP reassembly; 0 = 64 MiB */
    sd_ts frag_timeout;      /* 0 = SD_DEC_FRAG_TIMEOUT_DEFAULT */
    sd_diag *diag;
    const char *(*file_name)(void *ud, unsigned file_idx); /* for messages */
    void *file_name_ud;
    sd_csum_mode csum;       /* --checksum: which checksums make a packet bad (sd_csum.h) */
    bool general_only;       /* no fast path (sd_decfast.c): the unit tests' reference */
} sd_decode_opts;

typedef enum sd_dec_res {
    SD_DEC_OK = 0,      /* out is an IP packet (l4 tells TCP/UDP/other) */
    SD_DEC_HELD,        /* an IP fragment was stored; nothing to deliver yet */
    SD_DEC_NOT_IP,      /* a frame with no IP (ARP, unknown link type...) */
    SD_DEC_BAD,         /* malformed; out->anomalies says why; a diagnostic was issued */
} sd_dec_res;

sd_decoder *sd_decoder_new(const sd_decode_opts *opts);
/* Decodes f into out. Pointers in out stay valid until the next call to
 * sd_decode (a reassembled datagram lives in the decoder). */
sd_dec_res sd_decode(sd_decoder *d, const sd_frame *f, sd_pkt *out);
/* Fragment statistics for the summary. */
uint64_t sd_decoder_frags_reassembled(const sd_decoder *d);
/* IP fragment sets that never made a datagram: dropped for the memcap,
 * dropped for the timeout, still incomplete now (at the end of input). */
void sd_decoder_frags_lost(const sd_decoder *d, uint64_t *memcap, uint64_t *timeout, uint64_t *incomplete);
/* Fragments that only copied a datagram reassembled before them (a SPAN
 * port's duplicates): not reassembled again, and no loss. */
uint64_t sd_decoder_frag_copies(const sd_decoder *d);
/* Whether the fragment sets the next records start are in the counts
 * above (true by default; a chunk of a file list counts those it owns,
 * sd_own_frag_counts). */
void sd_decoder_frag_count(sd_decoder *d, bool count);
/* Whether the datagram just reassembled (sd_pkt.reassembled) came from a
 * counted set. */
bool sd_decoder_frag_done_counted(const sd_decoder *d);
/* Warnings not shown because their kind had reached its quota per file
 * (the "further messages of this kind suppressed" ones): how many in all,
 * and in what (len bytes at most) by kind, e.g. "overlapping fragments
 * 7980, inconsistent fragments 3980". */
/* Frames that gave no IP packet, by reason (counts has SD_UNDEC_COUNT
 * entries). */
void sd_decoder_undecoded(const sd_decoder *d, uint64_t *counts);
uint64_t sd_decoder_unshown(const sd_decoder *d, char *what, size_t len);
void sd_decoder_free(sd_decoder *d);

/* The decoder of frame f: dec for the records that passed the filter, or
 * for the ones it rejected a decoder of their own (*fdec, made from fopts
 * at the first), whose fragments and messages stay apart. */
static inline sd_decoder *sd_decoder_for(const sd_frame *f, sd_decoder *dec, sd_decoder **fdec,
                                         const sd_decode_opts *fopts)
{
    if (!f->filtered)
        return dec;
    if (!*fdec)
        *fdec = sd_decoder_new(fopts);
    return *fdec;
}

/* Link-layer name for messages, e.g. "EN10MB". */
const char *sd_linktype_name(int linktype);

#endif
