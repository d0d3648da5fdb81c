/* sd_replay: see sd_replay.h. */
#define _GNU_SOURCE /* fopencookie: a FILE libpcap and the pcapng reader both take */
#include "sd_replay.h"

#include "../common/sd_common.h"

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

typedef struct replay {
    uint8_t head[SD_REPLAY_MAX];
    size_t n, at; /* head's bytes, and how many were given back */
    FILE *rest;
} replay;

static ssize_t replay_read(void *cookie, char *buf, size_t len)
{
    replay *r = cookie;
    if (r->at < r->n) {
        size_t k = SD_MIN(len, r->n - r->at);
        memcpy(buf, r->head + r->at, k);
        r->at += k;
        return (ssize_t)k;
    }
    /* what the descriptor has now, not all of len: on a pipe that stays
     * open, fread would wait for len bytes and hold the records back (rest
     * is unbuffered, so no byte waits in its stdio buffer) */
    int fd = fileno(r->rest);
    if (fd < 0) { /* a memory stream (the fuzz target): all it has is there */
        size_t n = fread(buf, 1, len, r->rest);
        return n == 0 && ferror(r->rest) ? -1 : (ssize_t)n;
    }
    ssize_t got;
    do
        got = read(fd, buf, len);
    while (got < 0 && errno == EINTR);
    return got;
}

static int replay_close(void *cookie)
{
    replay *r = cookie;
    int rc = fclose(r->rest);
    free(r);
    return rc;
}

FILE *sd_replay_open(const uint8_t *head, size_t n, FILE *rest)
{
    if (n > SD_REPLAY_MAX)
        return NULL;
    replay *r = sd_calloc(1, sizeof *r);
    memcpy(r->head, head, n);
    r->n = n;
    r->rest = rest;
    FILE *fp = fopencookie(r, "rb", (cookie_io_functions_t){ .read = replay_read, .close = replay_close });
    if (!fp)
        free(r);
    return fp;
}
