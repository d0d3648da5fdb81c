/* sd_infer: SSH behaviour inference from the encrypted-record stream of one
 * connection (sd_sshconn_result): authentication attempts and outcome,
 * host-key prompt, session kind, keystrokes and command output, reverse
 * (-R) sessions, agent forwarding, transfers, forwards. Every finding is an
 * sd_event (docs/events.md); a per-connection summary feeds the "ssh" line.
 *
 * Sizes come from the negotiated suite (sd_ssh_wire_size), not from the
 * first packets as packetStrider does, so the rules hold for every suite;
 * with segment-level records (chacha20-poly1305, encrypt-and-MAC) a record
 * may hold several packets and the rules look at sums where it matters.
 * It never prints. */
#ifndef SD_INFER_H
#define SD_INFER_H

#include "../common/sd_event.h"
#include "sd_sshconn.h"

typedef struct sd_infer_summary {
    int auth_success;         /* 1 yes, 0 no, -1 unknown (not seen) */
    int auth_attempts;        /* without the initial "none" probe */
    const char *auth_method;  /* of the last attempt, or NULL */
    bool auth_mfa;            /* the login needed a second factor (where sizes tell) */
    int host_known;           /* 1 known, 0 prompted, -1 unknown */
    bool midstream;           /* the session was open when the capture began (sd_ssh_meta.midstream) */
    const char *session_kind; /* "shell", "exec", "sftp", "scp", "forward-only", or NULL */
    bool agent_forwarding;    /* requested (auth-agent-req seen) or used */
    bool agent_used;
    bool x11_used;            /* an x11 channel carried an X client's connection */
    bool reverse_provisioned;
    bool auth_banner;
    uint32_t keystrokes;
} sd_infer_summary;

typedef struct sd_infer_opts {
    bool keystrokes;          /* emit keystroke and command_output events (default on) */
    double window_s;          /* -w: exfil/infil window (s), 0 = off */
    double stride_s;          /* -s: window stride (s) */
} sd_infer_opts;

/* Appends the connection's events to out and fills *sum. */
void sd_infer_ssh(const sd_infer_opts *o, const sd_sshconn_result *r, sd_evlist *out,
                  sd_infer_summary *sum);

/* packetStrider's windowed exfil/infil view (-w window, -s stride): one
 * "data_window" event per window in which one direction carried at least
 * 16 KiB and at least 4x the other (exfil = client to server). No-op when
 * o->window_s is 0. */
void sd_ssh_window(const sd_infer_opts *o, const sd_sshconn_result *r, sd_evlist *out);

/* The sizing rules, exported for the unit tests. */
/* TCP payload of an OpenSSH password request (userauth_passwd pads the
 * packet to a multiple of 64, sshconnect2.c / packet.c extra_pad), for a
 * user name of ulen and a password of plen bytes. */
uint32_t sd_infer_openssh_pw_wire(const sd_ssh_suite *s, uint32_t ulen, uint32_t plen);
/* Wire size of a password request without extra padding (Dropbear, PuTTY). */
uint32_t sd_infer_pw_wire(const sd_ssh_suite *s, uint32_t ulen, uint32_t plen);
/* Whether len wire bytes from a PuTTY client's authentication are a
 * password request padded with an IGNORE to PUTTY_PW_MINLEN: the one
 * record both make where lengths are encrypted, or the sum of the two
 * records with exact packets (GCM, -etm). */
bool sd_infer_putty_pw_padded(const sd_ssh_suite *s, uint32_t len);
/* Outer wire size of one inner keystroke of a session tunnelled in a
 * channel: outer.wire(9 + inner.wire(10)). */
uint32_t sd_infer_nested_key_wire(const sd_ssh_suite *outer, const sd_ssh_suite *inner);
/* OpenSSH's session requests in one segment-level record of `total` wire
 * bytes: [x11-req] [auth-agent-req] [pty-req with a 1..32-byte TERM if pty]
 * [env requests if env: 0..16 of any size a variable gives] and a final
 * request of final_payload bytes. Returns the combinations of the optional
 * requests that fit, as a mask: bit m set when combination m fits (m = 0
 * none, 1 x11-req, 2 auth-agent-req, 3 both); 0 when the total is not such
 * a group. */
unsigned sd_infer_request_fits(const sd_ssh_suite *s, uint32_t total, bool pty, bool env, uint32_t final_payload);
/* The one combination that fits (0..3), or -1 when none or several do. */
int sd_infer_split_requests(const sd_ssh_suite *s, uint32_t total, bool pty, bool env, uint32_t final_payload);

#endif
