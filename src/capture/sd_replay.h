/* sd_replay: a stream that gives back bytes already read from another.
 * A pipe (standard input, a FIFO, a process substitution) cannot be
 * rewound: once its first bytes were read to tell pcap from pcapng from
 * anything else, the reader that takes the file over must still see them.
 * The returned FILE reads head[0..n) first, then rest's descriptor (rest
 * must be unbuffered: setvbuf _IONBF before its first read), each read
 * giving what is there, so that records reach the analysis as they come
 * down a pipe that stays open; closing it closes rest. NULL when no stream
 * can be made (rest is then left open). */
#ifndef SD_REPLAY_H
#define SD_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The most bytes given back: a classic pcap file header (24 bytes). */
#define SD_REPLAY_MAX 24

FILE *sd_replay_open(const uint8_t *head, size_t n, FILE *rest);

#endif
