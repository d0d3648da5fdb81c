/* sd_capture: records from one or more capture files (pcap, pcapng), read as one capture in timestamp order, or from a live
 * interface. Frame numbers count from 1 over every record read, before any
 * filter, as Wireshark numbers them (across merged files too). */
#ifndef SD_CAPTURE_H
#define SD_CAPTURE_H

#include "../common/sd_common.h"

typedef struct sd_frame {
    uint64_t num;        /* 1-based, over all records of all inputs */
    sd_ts ts;
    uint32_t caplen;     /* bytes present in data */
    uint32_t wirelen;    /* bytes on the wire */
    int linktype;        /* LINKTYPE_* of its file, or of its pcapng interface */
    uint32_t iface;      /* pcapng interface + 1 (numbered over the file's sections);
                          * 0: none known (classic pcap, standard input, live) */
    const uint8_t *data; /* valid until the next sd_capture_next() */
    unsigned file_idx;
    uint64_t file_num;   /* 1-based number of the record in its own file */
    bool filtered;       /* did not pass the filter: given only with opts.all_frames */
} sd_frame;

typedef struct sd_capture sd_capture;

typedef struct sd_capture_opts {
    const char *bpf;   /* BPF filter expression or NULL */
    const char *iface; /* live capture instead of files, or NULL */
    int snaplen;       /* live only; 0 = 262144 */
    sd_diag *diag;     /* where malformed-input messages go */
    /* also give the records the filter rejects, marked filtered, so the
     * caller can number connections as in the unfiltered capture */
    bool all_frames;
    /* name each frame's file even when only one file is read: a chunk of a
     * longer file list (--own) must write what one run over the list does */
    bool map_files;
    /* files whose every one fails to open make an empty capture, not an
     * error: a chunk of a list (--own) whose files give nothing owns
     * nothing, and one run over the list says whether nothing was read */
    bool none_ok;
    /* files past the first report_files that fail are skipped without a
     * message (0: every one is reported): a chunk of a list (--own) reads
     * past its own files, whose chunk reports them */
    size_t report_files;
    /* how messages and the records' file fields name each path (made safe
     * for a terminal by the caller: a file name is as hostile as the
     * bytes in it); NULL: the paths as given */
    const char *const *names;
    /* records before the first file (files not read): frames are numbered
     * from frame_base + 1, so that a chunk of a list (--own-frame-base)
     * writes the numbers one run over the whole list writes */
    uint64_t frame_base;
} sd_capture_opts;

/* Opens every path ("-" is standard input). Returns NULL with a message in
 * err when nothing could be opened; files that fail are reported to diag and
 * skipped. The caller frees with sd_capture_close(). */
sd_capture *sd_capture_open(const char *const *paths, size_t npaths, const sd_capture_opts *opts,
                            char *err, size_t errlen);

/* Reads a capture held in memory (for embedding and fuzzing); name is used
 * in messages. The buffer must outlive the capture. */
sd_capture *sd_capture_open_mem(const uint8_t *buf, size_t len, const char *name,
                                const sd_capture_opts *opts, char *err, size_t errlen);

/* 1 = a frame (that passed the filter, or any with all_frames), 0 = end of input, never fails:
 * unreadable records end their file with a diagnostic. Live capture also
 * returns SD_CAPTURE_TICK when no packet came within its read timeout
 * (100 ms), so the caller can expire connections and look at a stop flag. */
#define SD_CAPTURE_TICK 2
int sd_capture_next(sd_capture *cap, sd_frame *out);
bool sd_capture_is_live(const sd_capture *cap);
/* Live only: what tcpdump says when it starts ("listening on IFACE,
 * link-type NAME (description), snapshot length N bytes") written to buf;
 * false when not live. */
bool sd_capture_live_desc(const sd_capture *cap, char *buf, size_t len);
/* Whether an input is a pipe (standard input, a FIFO): its records come as
 * its writer sends them, so they are analysed one by one as they come, not
 * held for a batch of a reader thread (a session's record is written when
 * it ends, while the writer keeps the pipe open). */
bool sd_capture_is_stream(const sd_capture *cap);
/* Where messages go from now on (sd_pipe's reader thread keeps them for the
 * consumer to say in order); returns the sink it replaces. */
sd_diag *sd_capture_set_diag(sd_capture *cap, sd_diag *diag);
/* Whether each frame's file is mapped (several files, or a list's chunk):
 * sd_capture_origin then reads what sd_capture_next writes. */
bool sd_capture_maps_files(const sd_capture *cap);
/* sd_pcapfile_hand_blocks for a capture of one classic pcap file (a
 * frame's data then stays where it was read until retire's owner frees
 * it); false, nothing changed, for any other capture. */
bool sd_capture_hand_blocks(sd_capture *cap, uint8_t *(*get)(void *ud, size_t size),
                            void (*retire)(void *ud, uint8_t *blk, size_t size), void *ud);
/* Live only: libpcap's counts (packets received, dropped by the kernel
 * buffer, dropped by the interface). -1 when not live or not known. */
int sd_capture_drops(const sd_capture *cap, uint64_t *received, uint64_t *dropped, uint64_t *if_dropped);

const char *sd_capture_path(const sd_capture *cap, unsigned file_idx);
/* The index in the paths given to sd_capture_open of input file_idx (the
 * files that failed to open have none: file_idx counts those that opened),
 * or UINT_MAX past them. */
unsigned sd_capture_file_arg(const sd_capture *cap, unsigned file_idx);
/* Whether input file_idx may give more records: false once it reached its
 * end (for good: inputs are merged by time, so files that overlap in time
 * are read together). */
bool sd_capture_file_more(const sd_capture *cap, unsigned file_idx);
/* With several files: the file a frame came from and its number there
 * (what to type in Wireshark with that file open); false with one file,
 * or past the map's cap (sd_framemap.h). */
bool sd_capture_origin(const sd_capture *cap, uint64_t frame, const char **path, uint64_t *file_frame);
/* The same as runs of consecutive frames of one file (sd_framemap_run):
 * run i, or false past the last (or with one file). */
bool sd_capture_origin_run(const sd_capture *cap, size_t i, uint64_t *global, uint64_t *n, const char **path,
                           uint64_t *file_frame);
/* Records read (not counting frame_base). */
uint64_t sd_capture_frames(const sd_capture *cap);
/* Bytes consumed so far and in total over all files (for progress); total is
 * 0 when unknown (stdin, live). */
void sd_capture_progress(const sd_capture *cap, uint64_t *done, uint64_t *total);
/* Number of files that produced at least one record. */
unsigned sd_capture_files_ok(const sd_capture *cap);
void sd_capture_close(sd_capture *cap);

#endif
