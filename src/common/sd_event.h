/* sd_event: one finding, the unit analyzers produce and writers format
 * (text report, JSON lines, CSV, HTML). Analyzers fill events and append
 * them to an sd_evlist; they never print.
 *
 * The JSON form is a contract (scorers and SIEM pipelines rely on it): one
 * object per line with "type":"event", "uid", "ts", "frame", "frames",
 * "leg", "kind" and the kind's own fields (see docs/events.md). */
#ifndef SD_EVENT_H
#define SD_EVENT_H

#include "sd_common.h"

#include <string.h>

typedef enum sd_leg { SD_LEG_FORWARD = 0, SD_LEG_REVERSE, SD_LEG_NESTED } sd_leg;

typedef enum sd_evf_type { SD_EVF_STR = 1, SD_EVF_INT, SD_EVF_NUM, SD_EVF_BOOL } sd_evf_type;

#define SD_EV_MAX_FIELDS 12
#define SD_EV_STRLEN 64

/* A kind-specific field, e.g. ("method","password") or ("bytes",36). */
typedef struct sd_evfield {
    const char *key;           /* static string */
    uint8_t klen;              /* strlen(key); 0: not known (a writer measures it) */
    sd_evf_type type;
    char s[SD_EV_STRLEN];
    int64_t i;
    double f;
    bool b;
} sd_evfield;

typedef struct sd_event {
    const char *kind;          /* static: "auth_attempt", "keystroke", ... */
    char uid[20];              /* the connection */
    uint64_t stream;           /* its tcp.stream */
    sd_ts ts;                  /* time of the first evidence */
    uint64_t frame;            /* first frame of the evidence */
    uint64_t frame_last;       /* last frame of the evidence */
    sd_leg leg;
    int dir;                   /* 0 client->server, 1 server->client, -1 n/a */
    double confidence;         /* 0..1 for inferences; negative = a fact */
    uint64_t keys;             /* sd_ev_keybit of each field's key: a key whose bit is clear is new */
    uint8_t nf;
    sd_evfield f[SD_EV_MAX_FIELDS];
    uint64_t seq;              /* insertion order, for a stable sort */
    char note[128];            /* one line for people: "8+ char password, typed by a person" */
} sd_event;

/* A growable list of events (owned). */
typedef struct sd_evlist {
    sd_event *v;
    size_t n, cap;
} sd_evlist;

/* Appends a zeroed event of kind for the connection and returns it. */
sd_event *sd_ev_add(sd_evlist *l, const char *kind, const char *uid, uint64_t stream, sd_ts ts,
                    uint64_t frame, uint64_t frame_last, sd_leg leg);
/* A bit for a field's key (klen its strlen): fields are set once each
 * mostly, and a key whose bit no field has is not looked for among them. */
static inline uint64_t sd_ev_keybit(const char *key, size_t klen)
{
    unsigned h = (unsigned)klen * 31u + (unsigned char)key[0] * 7u + (unsigned char)key[klen ? klen - 1 : 0];
    return 1ull << (h & 63u);
}
/* A kind's field, with the key's length (the ones below: the key is a
 * literal, its strlen folded where they are inlined; the writers copy it
 * without measuring it again, several fields per event). */
void sd_ev_str_k(sd_event *e, const char *key, size_t klen, const char *val);
void sd_ev_int_k(sd_event *e, const char *key, size_t klen, int64_t val);
void sd_ev_num_k(sd_event *e, const char *key, size_t klen, double val);
void sd_ev_bool_k(sd_event *e, const char *key, size_t klen, bool val);
static inline void sd_ev_str(sd_event *e, const char *key, const char *val) { sd_ev_str_k(e, key, strlen(key), val); }
static inline void sd_ev_int(sd_event *e, const char *key, int64_t val) { sd_ev_int_k(e, key, strlen(key), val); }
static inline void sd_ev_num(sd_event *e, const char *key, double val) { sd_ev_num_k(e, key, strlen(key), val); }
static inline void sd_ev_bool(sd_event *e, const char *key, bool val) { sd_ev_bool_k(e, key, strlen(key), val); }
/* Append to the note, cut where it is full as snprintf cuts (notes are
 * made for every event, and printf's machinery cost more than the rule
 * that wrote them): a string, or v in decimal as "%lld" writes it. */
void sd_ev_note_cat(sd_event *e, const char *s);
void sd_ev_note_int(sd_event *e, long long v);
/* The same for a note made piece by piece from its start: the note's
 * length kept here, not measured again for each piece (a rule's note is
 * a handful of pieces, an event per short connection). The note must not
 * be written otherwise between sd_evnote_start and the last piece. */
typedef struct sd_evnote {
    sd_event *e;
    size_t len;
} sd_evnote;
static inline sd_evnote sd_evnote_start(sd_event *e)
{
    e->note[0] = '\0';
    return (sd_evnote){ e, 0 };
}
void sd_evnote_catn(sd_evnote *n, const char *s, size_t len);
/* s's strlen folded where s is a literal (or a choice of literals) */
static inline void sd_evnote_cat(sd_evnote *n, const char *s) { sd_evnote_catn(n, s, strlen(s)); }
void sd_evnote_int(sd_evnote *n, long long v);
/* The field named key, or NULL. */
const sd_evfield *sd_ev_get_k(const sd_event *e, const char *key, size_t klen);
static inline const sd_evfield *sd_ev_get(const sd_event *e, const char *key)
{
    return sd_ev_get_k(e, key, strlen(key));
}
const char *sd_leg_name(sd_leg l);
/* Sorts by time, then frame (stable for equal keys). */
void sd_evlist_sort(sd_evlist *l);
void sd_evlist_free(sd_evlist *l);

#endif
