/* sd_sshout: writers of the SSH connection record (text block, JSON line),
 * the inference's one-line summary and the --records stream. */
#ifndef SD_SSHOUT_H
#define SD_SSHOUT_H

#include "sd_infer.h"

/* The metadata block of `strider ssh -m` (terminal-safe). */
void sd_sshout_meta_text(sd_buf *b, const sd_sshconn_result *r);
/* What writing records keeps between connections (the writers, the JSON
 * forms of long strings met again); NULL where a function takes one makes
 * it work without. The caller frees it. */
typedef struct sd_sshout_cache sd_sshout_cache;
sd_sshout_cache *sd_sshout_cache_new(void);
void sd_sshout_cache_free(sd_sshout_cache *c); /* NULL ok */
/* One "type":"ssh" JSON line; su (may be NULL) adds the inference summary. */
void sd_sshout_meta_json(sd_buf *b, sd_sshout_cache *c, const sd_sshconn_result *r, const sd_infer_summary *su);
/* `strider ssh -m --csv`: the header, then one row per connection: the
 * endpoints, banners, suite and outcome, and per direction (client_,
 * server_) records, bytes, the most frequent record size and its count,
 * sizes not counted, mean and median gap (empty when not known). */
void sd_sshout_meta_csv_header(sd_buf *b);
void sd_sshout_meta_csv(sd_buf *b, sd_sshout_cache *c, const sd_sshconn_result *r);
/* "auth SUCCESS, 3 attempt(s), method password; host key known; ..." */
void sd_sshout_summary(char *out, size_t len, const sd_infer_summary *su);
/* One line per encrypted record (debugging the rules). */
void sd_sshout_records(sd_buf *b, const sd_sshconn_result *r);

#endif
