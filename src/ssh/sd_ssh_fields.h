/* sd_ssh_fields: the fields of the SSH connection record (`strider ssh
 * --json` "ssh" lines, `ssh -m --json`, `ssh -m --csv`), written by the
 * generic field writer (out/sd_recout). Zeek's ssh.log names where Zeek has
 * them, strider's own otherwise. A new field is one row of the table. */
#ifndef SD_SSH_FIELDS_H
#define SD_SSH_FIELDS_H

#include "../out/sd_fields.h"
#include "sd_infer.h"

/* The JSON form of long capture strings met again, remembered by content:
 * a brute force or a scan sends the same KEXINIT name-lists on every
 * connection, and escaping their HASSH strings (a kilobyte each) cost more
 * than comparing them with the last one seen. A few direct-mapped slots:
 * memory stays below JMEMO_SLOTS x JMEMO_MAX_IN (twice: the string and its
 * JSON) whatever the capture sends, ever new strings only replace entries,
 * and a hit is exact (the whole string is compared). */
typedef struct sd_ssh_jmemo sd_ssh_jmemo;
sd_ssh_jmemo *sd_ssh_jmemo_new(void);
void sd_ssh_jmemo_free(sd_ssh_jmemo *m); /* NULL ok */
/* Its look-ups so far, for tests and benchmarks: a direction's size modes
 * copied from a kept table's text, or written and kept. */
typedef struct sd_ssh_jmemo_count {
    uint64_t size_hits, size_misses;
} sd_ssh_jmemo_count;
void sd_ssh_jmemo_counts(const sd_ssh_jmemo *m, sd_ssh_jmemo_count *c);

/* The record the getters read: the connection's result and, when the
 * inference ran, its summary (NULL with -m: the summary's fields unset). */
typedef struct sd_ssh_fieldrec {
    const sd_sshconn_result *r;
    const sd_infer_summary *su; /* or NULL */
    /* The CSV form: a direction's statistics cells are all empty when
     * there are no statistics (no encrypted record), where JSON has always
     * written the record counts (0). */
    bool csv;
    /* JSON: where long strings' JSON forms are remembered, or NULL. */
    sd_ssh_jmemo *jm;
} sd_ssh_fieldrec;

/* JSON: every field that is not optional, in table order; the optional
 * ones are the CSV's own columns. */
extern const sd_fieldset sd_ssh_fields;
/* The JSON record ("type":"ssh" and every field above that has a value,
 * in table order), written in place: the same bytes as the generic field
 * writer over sd_ssh_fields (tests/unit/test_ssh_fields.c), a fraction of
 * its cost. */
void sd_ssh_fields_json(sd_buf *b, const sd_ssh_fieldrec *x);
/* The CSV columns, in order. */
extern const char *const sd_ssh_csv_columns;

#endif
