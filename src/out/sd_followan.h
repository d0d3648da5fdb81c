/* sd_followan: the analyzer behind `strider follow`: it claims the one TCP
 * connection selected and hands its reassembled chunks to the follow
 * writer (sd_follow); the out-of-window segments kept out of it are noted
 * for the end. */
#ifndef SD_FOLLOWAN_H
#define SD_FOLLOWAN_H

#include "../common/sd_parse.h"
#include "../flow/sd_engine.h"
#include "sd_follow.h"

typedef struct sd_followan {
    sd_connsel sel;
    sd_follow_out fo;          /* the writer and its totals */
    bool found;                /* the connection was there */
    uint32_t oow;              /* segments beyond the window never ACKed, kept out */
    uint64_t oow_frame;        /* the first of them */
    void (*flush)(sd_buf *b);  /* called when the buffer passes 64 KiB */
} sd_followan;

void sd_followan_init(sd_followan *f, const sd_connsel *sel, int mode, int only_dir, sd_buf *b,
                      void (*flush)(sd_buf *b));
void sd_followan_attach(sd_followan *f, sd_engine *e);

#endif
