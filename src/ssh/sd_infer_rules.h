/* sd_infer_rules.h: every size, time threshold and confidence of the SSH
 * inference rules (sd_infer*.c), each with where it comes from. Internal:
 * only the sd_infer*.c modules include it (through sd_infer_int.h).
 *
 * Sources named below:
 *   RFC      RFC 4252 (authentication), RFC 4253 (transport), RFC 4254
 *            (connection protocol): message layouts give payload sizes P;
 *            sd_ssh_wire_size turns them into wire sizes for the suite.
 *   OpenSSH  openssh-portable's behaviour (file named), read from source.
 *   pS       packetStrider's published heuristics
 *            (shared/reference/ssh_inference.md section 1.3).
 *   lab      measured on the lab captures (tests/lab/fixtures, the
 *            shared/captures traces); ssh_inference.md sections 3 and 7.
 * Where no source is named, the value is the rule's own choice since it
 * was written (git log names no measurement): the comment says what it
 * separates. Changing a value changes the events: tests/lab and
 * tests/golden say by how much. */
#ifndef SD_INFER_RULES_H
#define SD_INFER_RULES_H

/* ---- payload sizes (message type byte included) ---- */

/* RFC 4253 10: SERVICE_REQUEST byte, string "ssh-userauth" (4 + 12);
 * SERVICE_ACCEPT has the same layout. */
#define P_SERVICE_REQUEST 17u
/* RFC 4254 5.1: CHANNEL_OPEN_CONFIRMATION byte, 4 x uint32. */
#define P_OPEN_CONFIRM 17u
/* OpenSSH PROTOCOL.agent: CHANNEL_OPEN "auth-agent@openssh.com" (4 + 22),
 * 3 x uint32. */
#define P_AGENT_OPEN 39u
/* CHANNEL_DATA "\b\x1b[K": readline's Backspace echo (lab, bash). */
#define P_BS_ECHO 13u
/* CHANNEL_DATA "\b \b": Backspace echo of dropbear / a plain tty (lab). */
#define P_BS_ECHO2 12u
/* CHANNEL_DATA "\x1b[A": an arrow key (3 bytes). */
#define P_ARROW 12u
/* The answer to an Enter: "\r\n" and a prompt, CHANNEL_DATA header 9 + 16
 * bytes at least. */
#define P_ENTER_MIN 25u
/* pty-req with terminal modes: OpenSSH sends ~300 (see PTY_MODES_LINUX);
 * a session request without modes stays well below. */
#define P_PTY_MIN 200u
/* RFC 4252 5.2: the "none" probe is byte 50, string user, string
 * "ssh-connection" (4 + 14), string "none" (4 + 4): 31 + user name. */
#define P_NONE_PROBE_BASE 31u
/* RFC 4252 5.1: USERAUTH_FAILURE is byte, name-list of methods, bool; with
 * the usual method lists it stays below this payload. Without a probe to
 * measure it, an answer smaller than this is read as a failure. */
#define P_FAILURE_MAX 80u
/* A request answered by neither failure nor success goes on: PK_OK (RFC
 * 4252 7: the request carried a public key blob, >= this payload) or
 * INFO_REQUEST (RFC 4256: keyboard-interactive, a short request). */
#define P_PUBKEY_QUERY_MIN 100u
/* RFC 4252 8: USERAUTH_REQUEST "password": byte, string user, string
 * "ssh-connection" (4 + 14), string "password" (4 + 8), bool, string
 * password: 40 + user + password. */
#define P_PASSWORD_BASE 40u
/* RFC 4256 3.1: USERAUTH_REQUEST "keyboard-interactive": byte, string
 * user, string "ssh-connection" (4 + 14), string "keyboard-interactive"
 * (4 + 20), string language, string submethods (both empty from OpenSSH,
 * sshconnect2.c userauth_kbdint, unpadded): 55 + user. */
#define P_KBDINT_BASE 55u
/* RFC 4256 3.4: the smallest message a client sends during
 * authentication is an INFO_RESPONSE with no answers (byte, uint32 0);
 * USERAUTH_REQUESTs are larger (31 + user at least). */
#define P_INFO_RESPONSE_MIN 5u
/* OpenSSH pads password and keyboard-interactive replies to a multiple of
 * this (sshconnect2.c userauth_passwd: sshpkt_add_padding(ssh, 64),
 * packet.c extra_pad). */
#define OPENSSH_PW_PAD 64u
/* RFC 4253 7.3: NEWKEYS is 16 bytes in the clear (4 + 1 + 1 + 10 padding);
 * inside a tunnel it leaves with the inner SERVICE_REQUEST. */
#define W_NEWKEYS_CLEAR 16u
/* RFC 4254 5.1: CHANNEL_OPEN "session" (4 + 7), 3 x uint32. */
#define P_SESSION_OPEN 24u
/* OpenSSH's hostkeys-00@openssh.com announcement, sent right after
 * USERAUTH_SUCCESS (sshd.c notify_hostkeys, OpenSSH 6.8 and later):
 * GLOBAL_REQUEST, string name (4 + 23), want_reply,
 * then one string per host key, an ed25519 blob (4 + 51) the smallest. */
#define P_HOSTKEYS_MIN 84u
/* RFC 4254 7.1: GLOBAL_REQUEST "tcpip-forward" (4 + 13), want_reply,
 * string bind address, uint32 port: 27 + address. */
#define P_TCPIP_FORWARD_BASE 27u
/* RFC 4254 4: REQUEST_SUCCESS (1), or 5 with the port bound for port 0. */
#define P_REQUEST_SUCCESS 1u
#define P_REQUEST_SUCCESS_PORT 5u
/* GLOBAL_REQUEST "no-more-sessions@openssh.com" (OpenSSH PROTOCOL 2.2,
 * ssh -N): the RFC layout gives 34; 35 is the rule's value since it was
 * written and has the same wire size for blocks of 8 and 16 bytes
 * (minimum padding rounds both up to the same block). */
#define P_NO_MORE_SESSIONS 35u
/* RFC 4254 7.2: CHANNEL_OPEN "direct-tcpip" (4 + 12) with 3 x uint32,
 * two strings (host to connect, originator address) and two ports:
 * 1 + 16 + 12 + 4 + 4 + 4 + 4 + 4 = 49 plus the two host names, each up to
 * FWD_HOST_MAX bytes (a name or an address; longer names are rare). */
#define P_DIRECT_TCPIP_BASE 49u
#define FWD_HOST_MAX 64u
/* RFC 4254 7.2: the server's CHANNEL_OPEN "forwarded-tcpip" (4 + 15) for a
 * connection to a -R listener: 3 x uint32, string address that was
 * connected, uint32 port, string originator address, uint32 port:
 * 1 + 19 + 12 + 4 + 4 + 4 + 4 = 48 plus the two addresses (FWD_HOST_MAX). */
#define P_FORWARDED_TCPIP_BASE 48u
/* The framing of one CHANNEL_DATA (RFC 4254 5.2: byte, uint32 channel,
 * uint32 length): SD_SSH_P_CHANNEL_DATA(0). SFTP/scp data adds a 4-byte
 * length per 32 KiB chunk (draft-ietf-secsh-filexfer-02 section 3). */
#define SFTP_CHUNK_FRAMING 4u

/* ---- the session's channel requests ---- */

/* OpenSSH's client sends its channel requests at once when the session's
 * OPEN_CONFIRMATION arrives, in this order (ssh.c ssh_session2_setup, then
 * clientloop.c client_session2_setup): x11-req, auth-agent-req@openssh.com,
 * pty-req, env..., then shell / exec / subsystem. Payload sizes (RFC 4254
 * sections 6.2-6.5 and 6.3.1; OpenSSH PROTOCOL.agent): */
#define P_REQ_X11 80u   /* "x11-req", want_reply, single_connection, "MIT-MAGIC-COOKIE-1", 32 hex digits, screen */
#define P_REQ_AGENT 36u /* "auth-agent-req@openssh.com", want_reply */
#define P_REQ_SHELL 15u /* "shell", want_reply */
#define P_REQ_SFTP 27u  /* "subsystem", want_reply, "sftp" */
#define P_CHANNEL_SUCCESS 5u /* the answer to a request with want_reply (section 5.4) */
/* sshd's ClientAliveInterval probe on the session channel (serverloop.c
 * client_alive_check): "keepalive@openssh.com", want_reply; the client
 * answers CHANNEL_FAILURE (P_CHANNEL_SUCCESS's size, a key's wire size) */
#define P_REQ_ALIVE 31u
/* env (section 6.4): byte, channel, "env" (4 + 3), want_reply, string name,
 * string value: 21 + name + value. OpenSSH sends one per variable matched by
 * SendEnv (Debian's ssh_config: SendEnv LANG LC_*), after the pty-req and
 * before shell / exec / subsystem, without want_reply (clientloop.c
 * client_session2_setup). Names and values from ENV_TEXT_MIN (a 1-byte name,
 * an empty value) to ENV_TEXT_MAX bytes together ("LC_IDENTIFICATION" and
 * a long locale name stay far below); at most ENV_MAX of them (LANG and the
 * 13 LC_* categories of glibc, LC_ALL and LANGUAGE). */
#define P_ENV_BASE 21u
#define ENV_TEXT_MIN 1u
#define ENV_TEXT_MAX 96u
#define ENV_MAX 16u
/* pty-req: byte, channel, "pty-req", want_reply, TERM, 4 x uint32 and the
 * modes string: 41 bytes plus TERM and the encoded modes. OpenSSH on Linux
 * encodes 52 modes of 5 bytes and TTY_OP_END (ttymodes.h): 261 bytes, which
 * matches the lab's pty-req with TERM=xterm (332 bytes under chacha, 340
 * under aes128-gcm, tests/lab/fixtures/pubkey_*). TERM names tried: 1..32
 * bytes ("rxvt-unicode-256color" is 21). */
#define P_PTY_BASE 41u
#define PTY_MODES_LINUX 261u
#define TERM_MAX 32u
/* The largest pty-req read as one: RFC 4254 section 8 numbers the modes
 * 1..159 and TTY_OP_END; each 5 bytes (opcode, uint32), no client sends
 * more than all of them. A client record beyond this after an x11-req /
 * auth-agent-req run alone is no pty-req (an exec's upload whose request
 * had an auth-agent-req's size: `cat f | ssh host 'cat > g'`, lab
 * exec_xfer_aes128gcm). */
#define PTY_MODES_MAX (160u * 5u)
#define P_PTY_MAX (P_PTY_BASE + TERM_MAX + PTY_MODES_MAX)
/* A segment holding a session's requests: the pty-req (P_PTY_MAX), ENV_MAX
 * env requests (P_ENV_BASE + ENV_TEXT_MAX each) and the shell, or an exec
 * of a command line of up to about 1.3 KB (`ssh -t host cmd`): payload
 * bytes it stays below. */
#define P_REQ_GROUP_MAX 4096u
/* sftp's first CHANNEL_DATA, SSH_FXP_INIT: uint32 length 5, byte 1, uint32
 * version (draft-ietf-secsh-filexfer-02 section 4). */
#define P_SFTP_INIT SD_SSH_P_CHANNEL_DATA(9u)
/* sftp(1) resolves its working directory before anything else (sftp.c:
 * do_realpath(conn, ".")), after the optional limits@openssh.com request
 * that sftp-client.c sends when the server offers it; OpenSSH's scp (SFTP
 * protocol) starts with a STAT of the path it was given (scp.c
 * remote_is_dir), "." for an empty one, answered by an ATTRS. Payloads of
 * the CHANNEL_DATA (draft-ietf-secsh-filexfer-02 sections 3, 6.2, 6.8, 7):
 * SSH_FXP_EXTENDED: uint32 length, byte, uint32 id, "limits@openssh.com"
 * (4 + 18); SSH_FXP_REALPATH / STAT ".": length, byte, id, string "."
 * (4 + 1); SSH_FXP_ATTRS of sftp-server's stat (flags, size, uid, gid,
 * permissions, atime, mtime: 32 bytes) after length, byte, id. */
#define P_FXP_LIMITS SD_SSH_P_CHANNEL_DATA(4u + 1u + 4u + 22u)
#define P_FXP_PATH_DOT SD_SSH_P_CHANNEL_DATA(4u + 1u + 4u + 5u)
#define P_FXP_ATTRS SD_SSH_P_CHANNEL_DATA(4u + 1u + 4u + 32u)
/* A tunnelled leg's sftp subsystem request and SSH_FXP_INIT are among its
 * client's first records after login (the session's open, the request,
 * env requests, the INIT; lab sftp_jump: the 3rd). */
#define INNER_SFTP_RECORDS 8u
/* The requests leave in one write: client records this close to the first
 * belong to it (s). */
#define REQ_FLUSH_S 0.005
/* The server's answer to the requests: a record of at most this many
 * CHANNEL_SUCCESS and this many WINDOW_ADJUST packets (one per request
 * with want_reply; OpenSSH sends at most a few). */
#define REQ_ANSWERS_MAX 4u
/* The answer is among the server's next records, up to this many. */
#define REQ_ANSWER_RECORDS 3u
/* Runs of client records after the CHANNEL_OPEN tried as the requests
 * (a hostkeys-prove-00 request may come first, OpenSSH PROTOCOL 2.5). */
#define REQ_RUNS 3
/* The requests and a pty-req are sent within this of login (s; OpenSSH
 * sends them when the session's confirmation arrives). */
#define REQ_WINDOW_S 3.0
/* Records of the pty-req's own write, this close to it, are not keys (s). */
#define PTY_WRITE_S 0.05
/* SSH_FXP_INIT follows the requests within this (s; sftp sends it at
 * once when the subsystem starts). */
#define SFTP_INIT_S 1.0

/* A shell without a recognisable pty-req (PuTTY sends ~140 bytes of modes):
 * this many key/echo pairs, the echo within PAIR_ECHO_S (plus the
 * capture's lag behind the server), the first later than
 * PAIR_AFTER_LOGIN_S after login (not the login's own traffic; mid-stream
 * no login was seen). */
#define PTY_PAIRS 3
#define PAIR_ECHO_S 0.2
#define PAIR_AFTER_LOGIN_S 0.3
/* -N: only no-more-sessions is sent in this much after login (s). */
#define FWD_ONLY_S 0.3

/* ---- authentication ---- */

/* User names tried against the none probe's size; password lengths tried
 * against a request's size (beyond these, sizes say nothing useful). */
#define MAX_ULEN 64u
#define MAX_PLEN 128u
/* User name range assumed until the none probe measured it. */
#define ULEN_DEFAULT_MIN 1u
#define ULEN_DEFAULT_MAX 32u
/* packetStrider's password classes: <= 8 characters or more (pS: a login
 * packet <= 84 B is a password shorter than 8). */
#define PW_CLASS_SPLIT 8
/* A person needs more than this between a prompt and a reply (s; pS and
 * ssh_inference.md 7.3 use 0.1 s, this rule leaves more margin). */
#define HUMAN_MIN_S 0.3
/* A line typed into a shell without a pty: at least one character and
 * its newline (bytes of CHANNEL_DATA). */
#define NOTTY_LINE_MIN 2u
/* Lines after a pause that make a shell without a pty: two (one line
 * after a pause can be a command's client answering a prompt once). */
#define NOTTY_LINES 2u
/* A host-key prompt answered by a person: KEX reply to client NEWKEYS (s;
 * pS uses 50 ms; a person reading a fingerprint takes seconds, a slow
 * link or host key check some 100 ms). */
#define HOSTKEY_PROMPT_S 1.0
/* A client logged in uses the connection at once (RFC 4254 6.1; OpenSSH,
 * dropbear and PuTTY open their session channel as USERAUTH_SUCCESS
 * arrives): its first request follows the success within this, and in a
 * tunnel the server's answer follows that request within this (s). */
#define SUCCESS_FOLLOW_S 2.0
/* ...among this many records (other channels' records may stand between
 * in a tunnel; the bound keeps the look-ahead short on hostile input). */
#define SUCCESS_FOLLOW_RECORDS 256
/* A brute force of more attempts than this on one connection is cut
 * short: the loop must end on hostile input. */
#define AUTH_ATTEMPTS_MAX 1000
/* Tunnelled legs: the inner KEXINITs and key exchange records are at least
 * KEXINIT_MIN bytes (OpenSSH's KEXINIT is about 1-1.5 KB), among the first
 * INNER_KEX_RECORDS records; the inner SERVICE_REQUEST follows within
 * INNER_AUTH_RECORDS records. */
#define KEXINIT_MIN 900u
/* A tunnelled re-key's four large messages (two KEXINITs, the client's key
 * exchange message and the server's reply) fall within this many records,
 * with the odd window adjust or keepalive between (sd_infer_rekey.c). */
#define INNER_REKEY_SPAN 6u
/* ...and at most KEXINIT_MAX bytes: OpenSSH 9's KEXINIT (with
 * kex-strict, sntrup761x25519 and the certificate host key types) is about
 * 1.5 KB; through a tunnel it gains the outer framing, and a compressed
 * outer connection sends it in one packet, deflated as raw bytes where
 * the history does not help (lab compress_reverse_aes128gcm: 1604 bytes as
 * one aes128-gcm packet; the 32 KiB records of a transfer stay out). */
#define KEXINIT_MAX 2048u
#define INNER_KEX_RECORDS 24
#define INNER_AUTH_RECORDS 40
/* Re-keying after login (sd_infer_rekey.c): OpenSSH lists the pseudo
 * algorithms ext-info-c / kex-strict-c-v00@openssh.com (and the server's
 * -s forms) in its first KEXINIT only, so a rekey's KEXINIT is the first
 * one's size or up to their 40 bytes (with commas) shorter; 48 leaves room
 * for a server that adds ext-info-s. The peer answers a KEXINIT with its
 * own at once (RFC 4253 section 9), within REKEY_ANSWER_S (a round trip
 * on a slow link); the client's NEWKEYS ends the exchange within
 * REKEY_SPAN_S (key generation and two round trips; sntrup761 takes tens
 * of ms). */
#define REKEY_PSEUDO_MAX 48u
#define REKEY_ANSWER_S 2.0
#define REKEY_SPAN_S 10.0

/* A handshake ACK later than this after the SYN-ACK (or a SYN-ACK after
 * the SYN) is a lost or delayed packet, not the path (s; a geostationary
 * hop is ~0.6 s): the lags (sdi_client_lag, sdi_server_lag) are capped
 * there, so no lost packet stretches the "at once" rules. */
#define CLIENT_LAG_MAX_S 0.6
/* A session picked up mid-stream has no handshake to time: the capture's
 * lag behind the server is read from the delays between a keystroke-sized
 * client record and the echo-sized server record right after it, those
 * under CLIENT_LAG_MAX_S. At a capture on the client's side no echo comes
 * sooner than the round trip after its key, but keys typed faster than it
 * are followed by earlier keys' echoes (lab wanc150_bash_fast: median 20
 * ms, round trip 150): the second longest delay (the longest alone may be
 * an answer that took its time, a prompt after a password's Enter) from at
 * least this many pairs; else 0, as with no handshake. At a capture on the
 * server's side the echoes follow at once (lab srv_*: under 70 ms). */
#define MID_LAG_PAIRS_MIN 3
/* Mid-stream a side's software is unseen: AsyncSSH's side (an empty
 * IGNORE before each packet, drop_ignores) is told by its writes, when at
 * least this many of them, and this share of all, open with a record of
 * an empty IGNORE's size and the side's next record at once
 * (IGNORE_BURST_S). A person's key, an echo or a WINDOW_ADJUST (the same
 * size under chacha20-poly1305) leaves alone: lab asyncssh_exec at
 * login+5: 14 of its client's 16 writes so, none of its OpenSSH server's
 * 22. */
#define MID_IGNORE_LED_MIN 4u
#define MID_IGNORE_LED_SHARE 0.8
/* A connection whose TCP handshake the capture missed (a capture or a
 * rotated file begun during its key exchange: banners seen, no SYN) has
 * no lag timed either: the lags are read from its authentication, where
 * each side's record answers the other's (a USERAUTH_REQUEST the
 * SERVICE_ACCEPT or a FAILURE before it, a FAILURE, PK_OK or SUCCESS the
 * request before it): the quickest of at least this many answers each way
 * is the path plus the least processing (lab sat_paramiko_exec cut at
 * login+20, the next connection's SYN cut: 0.506 s over a 0.5 s link,
 * read as 0 and its exec request, 0.5 s after the login, as no session:
 * a false -N). Capped at CLIENT_LAG_MAX_S as a handshake's. */
#define AUTH_LAG_PAIRS_MIN 2
/* A carrier picked up mid-stream is told by its nested session's keys:
 * as many key/echo pairs of the nested sizes as a terminal needs on the
 * forward leg (PTY_PAIRS). */
#define MID_NESTED_PAIRS PTY_PAIRS

/* ---- keystrokes ---- */

/* A character typed this soon (s) after the answer to a record of an
 * arrow's size at a line's start is no reaction to that answer: the
 * record held characters a loaded client sent at once, and it is catching
 * up (lab bash_fast at +9600 frame 196: three keys in 44 bytes, the next
 * 31 ms after their echo; a person reacts to a recalled line in
 * HUMAN_MIN_S or more). */
#define MERGED_CATCHUP_S 0.1

/* Pause after a key above which an ambiguous small answer is read as the
 * output of a command (Enter) rather than a Backspace echo (s; lab). */
#define ENTER_PAUSE_S 0.9
/* A record this soon after the previous one is a protocol answer (a
 * WINDOW_ADJUST has a keystroke's size), not a person... */
#define REACT_MIN_S 0.015
/* ...unless the server echoes it at once: a key typed just after a late
 * echo of the one before (fresh lab demo: 6 ms after it, echoed 0.5 ms
 * later) */
#define ECHO_NOW_S 0.05
/* ...or that plus this many of the leg server's round trips from the
 * capture (keysz.lag) where that server is across the link: a key held
 * at its sender until the echo before it brought the ACK of the key
 * before (a Nagle-like wait) leaves at once after that echo, and its own
 * echo, held likewise at the far side, comes up to two round trips later
 * (lab srv_reverse_keys frame 126: a reverse key 0.3 ms after the echo
 * before, its echo 119 ms later over a 61 ms round trip; echoes there
 * come 60-175 ms after their keys; wan_demo at seed +4200 frames
 * 217-224: 455 ms over 200 ms, 2.27 round trips, with keys in flight on a
 * loaded lab machine). 0 where the leg's server is beside the capture: no
 * change there. */
#define ECHO_HELD_RTTS 2.5
/* Keys in flight: a key that left within REACT_MIN_S of an earlier key's
 * echo is a key when its own answer comes a round trip later, an echo
 * within ECHO_NOW_S of it; an answer larger than an echo (a completion, a
 * redraw) within this past the round trip (s): the shell computes it
 * first (lab wanc150_interactive_aes128ctr-sha256etm seed +3000 frame 90:
 * a Tab 9 ms after the echo before, its completion 367 ms later over
 * 150 ms; wanc300_interactive_chacha +3000 frame 91: 352 ms over 300). */
#define ECHO_COMPUTED_S 0.3
/* A server stalled past a key's echo time writes the answers it owes back
 * to back once it runs again, this close (s; lab fresh asyncssh_server_
 * aes128gcm at seed +9800: an echo and the next key's erase 0.2 ms apart
 * after 80 ms of silence); an Enter's prompt follows its CR LF echo only
 * after the command ran (a fork and exec). */
#define HELD_FLUSH_S 0.001
/* Keys in flight (sd_infer_keys.c pair_in_flight): a leg whose server
 * answers at least this long after the capture (its handshake round
 * trip, s) can have keys typed faster than their echoes come back (a
 * person's keys come 50-300 ms apart; a LAN's or a server-side capture's
 * echo comes within ECHO_NOW_S). An answer shows no sooner than
 * KEYS_ECHO_EARLY of that round trip after its key (the handshake's
 * round trip includes the kernel's SYN handling; the path's jitter), and
 * a key echoed at all is echoed within KEYS_ECHO_LATE_S past it. */
#define KEYS_IN_FLIGHT_LAG_S 0.1
#define KEYS_ECHO_EARLY 0.75
/* The handshake's round trip is the echoes' when at least
 * KEYS_RTT_ON_TIME_MIN keys alone in flight were answered that late and
 * no more than KEYS_RTT_EARLY_SHARE as many sooner (a loaded server's late
 * echo taken for the next key's; SSHniff known_pass_lsal_id_exit: a 110
 * ms SYN-ACK, echoes in 8-85 ms, most of them early): then no record
 * sooner than KEYS_ECHO_EARLY of it after a key answers that key. */
#define KEYS_RTT_ON_TIME_MIN 4
#define KEYS_RTT_EARLY_SHARE 0.25
#define KEYS_ECHO_LATE_S 0.05
/* ...unless the answer comes in a burst of server records (this close
 * together): answers held on the path and released at once (lab
 * wanc150_bash_fast_s1000 frames 45-47: two echoes in one instant 209
 * and 174 ms after their keys over 150 ms), which say nothing of a key
 * left unechoed. */
#define KEYS_BURST_S 0.002
/* ...nor when leaving that key unechoed would have the next server
 * record answer a key this much sooner than the round trip or more (s):
 * an answer takes the round trip at least (the lab's links: echoes 0-4 ms
 * past it); the key was echoed late, not never (sd_infer_keys.c
 * echo_late). */
#define KEYS_JITTER_S 0.005
/* A server record this soon after a client record, on a leg whose
 * handshake took KEYS_IN_FLIGHT_LAG_S or more, crossed it on the wire:
 * no answer to it (s; an echo even across a LAN takes longer than the
 * two kernels' loopback hops, ~0.1 ms in the lab). */
#define KEYS_ANSWER_MIN_S 0.001
/* A client that has consumed this much of a session channel's window
 * sends a WINDOW_ADJUST (RFC 4254 5.2; OpenSSH's channel_check_window
 * adjusts after more than 3 x its maximum packet, which ssh.c
 * ssh_session2_open halves to 16 KiB for a session with a terminal, the
 * only one keys are read in), a keystroke's size in most suites. After a
 * large output the client's reading lags behind the wire (a terminal
 * drawing it), so the adjust leaves well after the output's last record,
 * with no answer: after this many server bytes since the previous key
 * such a record is the adjust, not a key typed with no echo (lab
 * big_output: frame 664, 0.38 s after 600 KB of `seq`, `frame.number ==
 * 664`; wanc220_demo seed +3500, the reverse leg at the client over
 * 220 ms: frame 188, 0.24 s after 54 KB of `last`, where 96 KB were
 * wanted). */
#define WINADJ_OUTPUT_MIN (3u * 16384u)
/* A terminal flooded with output (lab big_output: `seq 1 100000`, 600 KB
 * in 0.23 s at the client) comes in records of a segment's size (1448,
 * 1236 bytes) microseconds to milliseconds apart, with short pieces of
 * the pty's reads between (20-652 bytes, at most five in a row). The
 * client's WINDOW_ADJUSTs leave amid it within REACT_MIN_S of a record;
 * where a piece of an echo's size followed one at once, it was read as a
 * key echoed at once and the flood after it as its answer, an Enter (lab
 * big_output_s11800 frames 148-149: 36 bytes each under chacha20, 38 us
 * apart). A server record of at least FLOOD_RECORD_MIN (an echo, a
 * prompt line or a line's redraw is smaller: PROMPT_MAX) within
 * FLOOD_GAP_S before the client's record and after that piece, among the
 * FLOOD_LOOK_RECORDS records on either side, is the output running on
 * through it: the piece answers nothing. */
#define FLOOD_RECORD_MIN 1024u
#define FLOOD_GAP_S 0.05
#define FLOOD_LOOK_RECORDS 64u
/* ...unless the flood stops after it: a Ctrl-C typed amid it is followed
 * by the output already sent, at most the channel's window (OpenSSH: 1
 * MiB for a session with a terminal, ssh.c ssh_session2_open halving
 * CHAN_SES_WINDOW_DEFAULT), then by the terminal's "^C" echo (the line
 * discipline flushes its output queue and echoes the key) as the first
 * record after the flood's last full one, each record within FLOOD_GAP_S
 * of the server's record before. The window in records of
 * FLOOD_RECORD_MIN and as many pieces between bounds the look-ahead. */
#define FLOOD_STOP_RECORDS (2u * 1024u)
/* A paste is typed, not an answer: more than this after the previous
 * record (s), and at most PASTE_MAX bytes in one CHANNEL_DATA (larger
 * client data is bulk, not a paste). */
#define PASTE_GAP_S 0.05
#define PASTE_MAX 4096u
/* While editing a line, a redraw followed this soon by another key was an
 * inserted character; after an Enter people read the output first (s). */
#define INSERT_NEXT_S 0.5
/* A character inserted inside a line is redrawn with the rest of the line
 * and the cursor moved back: a "\b" per character, or one escape
 * ("\x1b[<n>D", at most this many bytes; zsh, readline). */
#define INSERT_MOVE_MAX 8u
/* readline's Ctrl-U (unix-line-discard) moves back over the line, one
 * "\b" per character, and erases to its end: "\x1b[K", this many bytes.
 * Its word kills (Ctrl-W, Alt-Backspace) do so over the last word: the
 * whole line's kill bounds their answer. */
#define KILL_ERASE 3u
/* Without a line editor (dash, cat, read) the terminal's line discipline
 * erases: "\b \b" per character (ECHOE), for Ctrl-U the whole line's. */
#define TTY_ERASE 3u
/* Typing on within a line: the next key comes within PACE_SLACK times the
 * median gap between the line's keys (lab: 0.2-0.4 s after Ctrl-U or an
 * inserted character at gaps of 0.17-0.33 s). After an Enter people read
 * first: a fast typist (gaps of 25-60 ms) types the next command 0.35 s or
 * more after it, later than this; under 16-byte blocks a one-record answer
 * to an Enter can have a kill's size, and after an edit with Left one of a
 * prompt line's. */
#define PACE_SLACK 3.0
/* A word kill's answer of a prompt line's size, the next key within this
 * many times the line's median gap between keys: the word typed on, no
 * Enter (the lab's people typed after a shell's Enter at 1.13 times that
 * gap or more, 2035 labelled Enters of the fixtures and the +9600..+9900
 * sweeps; under vim and nano less, but their keys are no lone echoes;
 * wordkill_slow at +9800/+9900 typed on after Ctrl-W at 0.82-0.92). */
#define WORD_KILL_PACE 1.0
/* A line editor that redraws the line's first character with the second
 * (zsh's zle: "\b" and both characters, a Backspace echo's size) does so on
 * most lines: on at least REDRAW2_LINES_MIN lines and at least half of
 * those with two keys or more. A real Backspace as a line's second key is
 * rare (one character typed and erased). */
#define REDRAW2_LINES_MIN 2
/* A completion answered by one record as long as a prompt line (zsh: the
 * completed word with its escapes) is followed by the Enter that runs the
 * line within this (s; the lab's Enter comes 0.15-0.5 s after the last
 * key), where after a real Enter people read the output first (0.43 s or
 * more, and a bare Enter in a row is rarer still). */
#define COMPLETE_ENTER_S 0.6
/* A line editor that redraws the line at every key (fish: colours and an
 * autosuggestion) answers fewer than one key in REDRAW_ECHO_SHARE with a
 * lone echo, over at least REDRAW_KEYS_MIN answered keys; bash, zsh, dash
 * and full-screen programs echo most characters. */
#define REDRAW_ECHO_SHARE 4u
#define REDRAW_KEYS_MIN 8u
/* A full-screen editor typed in (nano) answers every key with one redraw
 * record of one size, not the echo: this many keys in a row so answered
 * before a key answered by one more record of that size make it one of
 * them, a char, however long the pause after it (lab nano_edit frame 129:
 * a line's last character, 0.96 s before Up), as does one answered by
 * that redraw split in a burst of records, typing going on with the same
 * redraw (at seed +9200 44 + 52 for 60). A shell Enter's answer is the
 * line's output and prompt, not the redraw the characters before it got,
 * and the person reads it before typing on; readline's search redraws
 * grow with the search string. */
#define EDITOR_RUN_MIN 3u
/* A key read as Enter this soon after another, nothing typed between, is
 * a full-screen program's key answered by a redraw (s; the lab's less and
 * vim keys come 0.2-1.2 s apart, a person reads a command's output longer
 * before the next Enter). */
#define SCREEN_KEY_S 1.5
/* exec (RFC 4254 6.5): byte, channel, string "exec" (4 + 4), want_reply,
 * string command: 18 + the command. A command with a terminal (ssh -t)
 * is tried up to EXEC_CMD_MAX bytes (a typed command line). */
#define P_REQ_EXEC_BASE 18u
/* A shell's first command line typed after its first output: this many
 * characters echoed one by one (a command name of two letters, `ls`)
 * before the Enter answered by output and a prompt (sd_infer_tty.c). */
#define SHELL_LINE_MIN 2u
#define EXEC_CMD_MAX 256u
/* A command with a terminal paints its screen at once (lab vim_exec,
 * less_exec, top_exec: one burst within 0.2 s, records of the MSS); a
 * shell's prompt is one line: up to PROMPT_MAX bytes (a coloured
 * powerline-style prompt is a few hundred bytes of escapes; zeek's
 * ssh_kex_curve25519.pcap: 356-byte records). Records further apart than
 * PAINT_GAP_S end the first burst (top's next tick comes 1 s later). */
#define PAINT_GAP_S 0.5
#define PROMPT_MAX 512u
/* A page: a full-screen program repaints the screen (80x24 = 1920 cells,
 * with escapes); a bare Enter's echo and prompt are tens to a few hundred
 * bytes (wire bytes of the answer). */
#define SCREEN_PAGE_MIN 1024u
/* Characters typed ahead of a program's first screen, unanswered until it
 * painted (lab fullscreen: vim's `i` and `h`, then `e` answered by the
 * screen): at least this many. */
#define TYPED_AHEAD_MIN 2u
/* A tab completion: the completed word had at least this many characters
 * typed without corrections (a Backspace echo after fewer is read as a
 * Backspace). */
#define TAB_WORD_MIN 3
/* An Enter is answered by the command's output and a new prompt: at least
 * this many server records (pS: "K followed by two server packets"). */
#define ENTER_RECORDS_MIN 2
/* A password typed inside the session (su, sudo, passwd, ssh or mysql -p
 * run in it): at least this many keys that nothing answers (the terminal's
 * echo is off), then an Enter answered by output. Shorter runs are keys a
 * program took silently (a prefix key, a typed-ahead key); 4 is the
 * shortest PIN-like secret (lab su_inline: 23 keys, frames 82-151). */
#define INLINE_PW_MIN 4
/* Control keys read by what came before them (sd_infer_keys.c
 * control_keys). A typed line ends with Enter at typing pace (lab typist
 * 0.15-0.5 s, at most 0.6 s on the wire over 97 fixtures): a key whose
 * lone echo is followed by this long a silence, then a key answered by an
 * echo and a new prompt at once, was the Enter of a command that ran
 * without output until that key interrupted it (lab ctrlc: `sleep 30`,
 * 2.1 s, frames 204 and 207). */
#define INTERRUPT_WAIT_S 1.5
/* ...or this long (s) and INTERRUPT_PACE times the median gap between
 * the keys of the line the lone echo ended: a person waiting on a command
 * that shows nothing, not typing on (a typist's gaps vary up to about
 * twice their median; PACE_SLACK's reasoning). Not shorter: a fast typist
 * (60 ms a key) may wait 1.1 s before the Enter of a command whose answer
 * is a CR LF echo and a prompt (shared capture ja4 ssh-r.pcap frames
 * 1736-1743, read as the line's last key and its Enter). */
#define INTERRUPT_WAIT_MIN_S 1.2
#define INTERRUPT_PACE 4.0
/* An interrupt is answered by its "^C" echo and a new prompt: at most this
 * many records (the shell may write its newline and prompt apart); a
 * longer answer is a command's output, an Enter. */
#define INTERRUPT_RECORDS_MAX 3u
/* A program's output running by itself (a loop printing, watch, top):
 * records closer than TICK_BURST_S are one redraw (lab: a top screen's
 * records within 2 ms; a shell loop's lines 50 ms apart are ticks), at
 * least RUNNING_TICKS_MIN ticks since the key before (a command's CR LF
 * echo, output and prompt make at most 3 when it pauses between them),
 * and the next tick was due within TICK_SLACK times the last gap. */
#define TICK_BURST_S 0.02
#define RUNNING_TICKS_MIN 4u
#define TICK_SLACK 1.5
/* Typing ahead while a program's output streams by itself (a loop's
 * line every 0.4 s): the terminal echoes each key at once and the stream's
 * next tick follows before the next key, so the key has two answer records
 * and reads as Enter. The ticks before the key (records larger than an
 * echo, TICK_BURST_S apart at least) are a stream while they keep the last
 * gap to within STREAM_JITTER of it (lab typeahead: 0.40-0.41 s apart;
 * sleep's and the scheduler's jitter is milliseconds); the key's answer
 * after its echo goes on with it when every tick comes one gap after the
 * one before to within STREAM_JITTER and is no larger than the stream's
 * (as many records, none larger): no answer to the key, whose own answer
 * (a command's output, a prompt) comes as new records in a tick (lab
 * typeahead_aes128gcm frame 93: the loop's end, 52+84+52 after lines of
 * one 52-byte record). */
#define STREAM_JITTER 0.2
/* A stream is the program's own output only where it printed with no key:
 * RUNNING_TICKS_MIN - 1 of its gaps hold no client record (a command's
 * outputs answering Enters typed at a steady rhythm have a key in every
 * gap). Looked for among the last STREAM_TICKS_MAX ticks before the key
 * (lab typeahead: the key at most 3 ticks into the typing ahead). */
#define STREAM_TICKS_MAX 32u
/* ... and within this many records before the key: a stream's ticks and
 * the keys and echoes between them are a few records a tick; the bound
 * keeps the look back from growing with the leg (every key read as Enter
 * would walk the leg back where no record is larger than an echo). */
#define STREAM_RECORDS_MAX 1024u
/* Ctrl-D at an empty prompt: the server ends the session within this long
 * (lab ctrlkeys: ms), in at most LOGOUT_RECORDS_MAX records: bash's
 * "logout", exit-status, eow@openssh.com (sshd's end of writing), EOF,
 * CLOSE (lab ctrlkeys_aes128gcm frames 183-185: five), and readline's
 * bracketed-paste-off write when bash sends it apart. */
#define LOGOUT_S 1.0
#define LOGOUT_RECORDS_MAX 6u
/* A key at an empty line answered by this many records (its redraw, no
 * echo of its own, no output): Ctrl-L's cleared screen and prompt (lab
 * ctrlkeys frame 164: one 60-byte record, then a 0.8 s pause, as an Enter's
 * answer looks), read as a char (sd_infer_keys.c empty_line_keys). */
#define EMPTY_LINE_RECORDS 1u
/* A session is typed by a person when it has at least this many keys. */
#define HUMAN_KEYS_MIN 2
/* Whole lines written at once into a pty shell (a script driving
 * paramiko's invoke_shell or expect, every command pasted): a line of up
 * to a few bytes has one key's wire size and is answered by its echo, the
 * output and a prompt, as an Enter is. A person types keys between
 * Enters; a session whose keys are only such lines (and pastes), at least
 * this many, with answers that differ (bare Enters in a row are each
 * answered by the same CR LF and prompt), was written line by line (lab
 * paramiko_shell: five lines, none typed key by key). */
#define SCRIPT_LINES_MIN 3
/* An Enter on an empty line is answered by the prompt again after CR LF
 * (2 bytes) and, under bash 5.1+, the bracketed-paste end "\e[?2004l\r"
 * (9; the prompt's "\e[?2004h" is in the prompt before too): a line's
 * one-record answer larger than the prompt and these bytes holds the
 * line's echo and output (sd_infer_keys.c line_ran_in_one). */
#define ENTER_EMPTY_EXTRA 11u
/* OpenSSH >= 9.5 ObscureKeystrokeTiming (ssh_inference.md 3.3/3.4): once a
 * key is typed the client sends on a 20 ms grid, a PING (same size as one
 * key) on each tick with nothing to send, answered by a same-size PONG,
 * for 1-3 s after the last key. A run of >= CHAFF_MIN key-sized client
 * records <= CHAFF_GAP_S apart is a train (ticks are 18-22 ms, lab max
 * 29 ms): its first record is the key that started it; before 9.8 a key
 * typed during the train leaves in one segment with that tick's PING (2 x
 * key size); the rest is chaff. */
#define CHAFF_MIN 8
#define CHAFF_GAP_S 0.045
/* ...and at least half of the train's gaps are one tick (<= this, s):
 * the client sends on every tick. A fast typist's keys (lab TYPIST_FAST:
 * median 45 ms, 25-60 ms; srv_bash_fast: eight keys 30-45 ms apart) pass
 * CHAFF_GAP_S but are seldom a tick apart. */
#define CHAFF_TICK_MAX_S 0.03
/* Keepalives of a key's size: a timer ticks at one interval (OpenSSH's
 * ServerAliveInterval and dbclient -K take whole seconds; the lab's
 * ticks land within 1 ms of it), a person's pauses of a second or more
 * are not that regular. */
#define KEEPALIVE_MIN_S 1.0
#define KEEPALIVE_JITTER_S 0.02
/* A tick due while the client is woken by something else (a key) may
 * leave with it, this much early (s; lab dropbear_keepalive_s1000: a key
 * and dbclient's tick in one record 1.79 s after the last of 2 s ticks;
 * a timer counting whole seconds can fire up to one second early; that
 * dbclient's does is our reading, not verified in its source). */
#define KEEPALIVE_EARLY_S 1.0
/* The client answers sshd's keepalive probe (P_REQ_ALIVE) within this (s)
 * past the capture's lag behind it: at once, or as late as a loaded client
 * gets to it (lab fresh keepalive_server at +9800 frames 53-55: 90 ms,
 * read as a key). A key typed then is echoed, within this too; the answer
 * is not (the server's next record, the next probe, seconds later). */
#define ALIVE_ANSWER_S 0.5

/* ---- the session, tunnels, forwards, transfers ---- */

/* A program answers at once; more than this between the server's answer
 * and the client's next request is a person at an sftp> prompt (s). */
#define HUMAN_THINK_S 1.0
/* pS: a reverse session started < 2 s after login is automated. */
#define REVERSE_AUTO_S 2.0
/* -R: the tcpip-forward request is the first record within this of login,
 * and its REQUEST_SUCCESS comes within RFWD_REPLY_S (s; OpenSSH sends it
 * right after authentication, ssh.c ssh_init_forwarding). */
#define RFWD_AFTER_LOGIN_S 0.5
#define RFWD_REPLY_S 1.0
/* A forwarded-tcpip open that answers a -R request whose reply could not
 * be read comes after this much silence both ways (s): a program connects
 * to the forwarded port on its own time (lab tunnel_web_R 4.4 s,
 * putty_forward_R 2.4 s after the last record), where a session's own
 * exchange of those sizes runs without pauses (putty_pscp_download: an
 * SFTP answer and the next request, 0.1 ms apart). */
#define RFWD_OPEN_QUIET_S 0.5
/* A channel carrying an SSH session: an open of at least NESTED_OPEN_MIN
 * bytes confirmed within NESTED_CONFIRM_S, then KEXINIT-sized records
 * (KEXINIT_MIN..KEXINIT_MAX) both ways within NESTED_KEX_S and
 * NESTED_KEX_RECORDS records (lab: banners then KEXINITs at once). */
#define NESTED_OPEN_MIN 60u
/* ProxyJump chains (ssh -J a,b,...,host): each hop's connection travels in
 * a -W channel of the one before, so a record of the k-th nested leg is
 * wrapped k + 1 times, outer.wire(9 + hop1.wire(9 + ... inner.wire(P))).
 * Nested legs are followed this many levels deep (lab proxyjump_two: 2;
 * each level costs a suite search over its records, and hostile input
 * must not nest without end); a deeper hop is read as its carrier's
 * session. */
#define NEST_DEPTH_MAX 4u
/* The shortest identification line: "SSH-2.0-", one character of software
 * version, CR LF (RFC 4253 4.2). */
#define BANNER_LINE_MIN 11u
#define NESTED_CONFIRM_S 0.5
/* The confirmation is among the peer's first few records after the open
 * (the server's hostkeys-00 announcement after login may come first). */
#define NESTED_CONFIRM_RECORDS 4u
/* ...and among the next NESTED_CONFIRM_LOOK records of both sides: the
 * opener's other channels may send meanwhile (a session's output), but a
 * confirmation behind more than a window's worth of them is no answer at
 * once; the bound keeps the look-ahead from every output record short
 * (a 600 KB command output: 200 records each within 0.5 s). */
#define NESTED_CONFIRM_LOOK 64u
#define NESTED_KEX_S 1.0
#define NESTED_KEX_RECORDS 12
/* A reverse and a nested handshake this close are one handshake seen from
 * both sides: the side that opened the channel came first (s). */
#define HANDSHAKE_SAME_S 10.0
/* The agent channel is confirmed by the client at once (s). */
#define AGENT_CONFIRM_S 0.2
/* An agent message is at least a uint32 length and a type byte
 * (draft-miller-ssh-agent 3); the client's local agent answers a request
 * within AGENT_REPLY_S (lab: 2 ms), and the channel is closed within
 * AGENT_LIFE_S of its confirmation (ssh-add exits at once; a remote ssh
 * keeps it through its authentication, well under this). */
#define AGENT_MSG_MIN 5u
#define AGENT_REPLY_S 0.5
#define AGENT_LIFE_S 5.0
/* The client's EOF and CLOSE of the agent channel (two control packets in
 * one record: no key's size) answer sshd's CLOSE at once, yet a loaded
 * client takes longer than REACT_MIN_S: within this past the capture's lag
 * behind the client (lab srv_agent_used seed +6000, server's side of a
 * 60 ms link: 36 ms past the round trip). A person's keys after the
 * command's output come later (HUMAN_MIN_S). */
#define AGENT_CLOSE_S 0.1
/* ...and within this many records (a few messages each way: identities,
 * a signature; with another session's keys beside them). The bound keeps
 * each look-ahead short on hostile input whose records share a time. */
#define AGENT_LIFE_RECORDS 256
/* Mid-stream, a -N session's records before the first open seen belong
 * to channels opened before the capture, however many, when this much
 * silence (s) parts them from that open: their exchange over, the next
 * connection comes on a program's own time (lab forward_L_http 1.35 s,
 * tunnel_web_L 0.9 s, putty_forward_R 1.1 s after a 60 kB page), as a
 * -R open does (RFWD_OPEN_QUIET_S). */
#define FWD_INFLIGHT_QUIET_S 0.5
/* A -L/-D channel open is confirmed within this (s). */
#define FWD_CONFIRM_S 0.5
/* RFC 4254 5.3: CHANNEL_EOF and CHANNEL_CLOSE are byte, uint32 channel;
 * a record of at most FWD_CTL_MAX of them (chacha20 and encrypt-and-MAC
 * segments hold EOF and CLOSE together) is control, not data. A keystroke
 * and its echo have the same wire size in most suites: timing tells them
 * (REACT_MIN_S). */
#define P_CHANNEL_CTL 5u
#define FWD_CTL_MAX 2u
/* A -R channel whose reverse session ended: the outer client sends its
 * EOF and CLOSE once its local end (the reverse leg's server) has closed
 * too, this long after sshd's EOF reaches it at most (s; lab 1-95 ms past
 * the round trip: sshd's exit on the client's machine). */
#define RFWD_CLOSE_S 0.5
/* A forward carries data within this after its confirmation (s; HTTP and
 * SOCKS clients write at once, lab: under 1 ms; servers that speak first
 * send their banner as soon as they accept). */
#define FWD_DATA_S 1.0
/* The confirmation and the first data are looked for among this many
 * records after the open (the session's keys may stand between; the bound
 * keeps the look-ahead short on hostile input whose records share a
 * time). */
#define FWD_LOOK_RECORDS 64
/* A key typed right before a -L/-D open (the client writes each as it
 * comes) is echoed by the server in its order, before the open's
 * confirmation: up to this many such keys' echoes are passed over (a
 * person's keys a few ms apart, at most two or three before a program
 * connects; the bound keeps the look-ahead short). */
#define FWD_OWED_ECHO_MAX 4u
/* A client segment of a key's record more than an open this connection
 * sent alone (a -L listener's opens repeat one size: the same target, an
 * originator of one address) holds that open and a key typed as a local
 * program connected. sshd serves the new channel's first burst before it
 * writes the key to the shell, so the key's echo may come after the
 * channel's exchange, yet before the session's next key and within this
 * (s; lab fresh shellfwd_L_chacha at +10000 frame 119, 128 = 92 + 36:
 * the echo 96 ms later, behind a 150 kB download). The open sizes
 * remembered are bounded (a -D session's targets vary). */
#define FWD_OPEN_KEY_ECHO_S 0.5
#define FWD_OPEN_SIZES_MAX 8u
/* Compressed (zlib), an open repeating the one before shrinks to a few
 * bytes (lab asyncssh_forward: 76, then 44 under chacha20-poly1305) and
 * no size names it: in a session without a session channel, a client
 * record after this much silence both ways (s) starts a channel when a
 * confirmation-sized answer and data follow; a channel's own exchanges
 * (kept-alive HTTP requests, window adjustments) follow each other at a
 * program's pace. */
#define FWD_Z_QUIET_S 0.5
/* Next to a shell a channel's exchange ends when none of its records
 * came for this long (s; lab: an HTTP fetch is one burst of a few ms);
 * the session's keys and outputs that follow are the session's. */
#define FWD_CHAIN_S 0.5
/* Within that chain, a session key typed after the channel was quiet this
 * long (s) starts the session's own exchange: the server's records that
 * follow it before the channel's next record (the echo of Enter, then the
 * command's output as a record of its own) are the session's. A channel's
 * exchange in flight is faster (lab: an HTTP fetch's records a few ms
 * apart, a bulk download's segments under 1 ms); shellfwd_D_aes128gcm
 * seed 1000: `ls -a`'s 356-byte output 0.42 s after the channel's CLOSE,
 * after the Enter's echo, was read as the channel's and the Enter as a
 * character. */
#define FWD_QUIET_S 0.1
/* In a session without a session channel, the client's last records,
 * unanswered and each at most a DISCONNECT of P_FWD_END_MAX payload (RFC
 * 4253 11.1: byte, uint32 reason, string description of at most
 * FWD_END_DESC_MAX, string language), after FWD_END_QUIET_S without a
 * record, are the connection's close (its CHANNEL_CLOSE, a DISCONNECT:
 * AsyncSSH's close() sends both), not the last channel's traffic: counted
 * in it they stretched a 0.1 s page load over 2 s (lab asyncssh_forward:
 * 12 records, 5.8 a second, read `interactive`). A channel's own records
 * answer or are answered within a program's pace, far under it. */
#define FWD_END_QUIET_S 1.0
#define FWD_END_DESC_MAX 64u
#define P_FWD_END_MAX (1u + 4u + 4u + FWD_END_DESC_MAX + 4u)
/* Bulk data: records of at least this size (bytes) */
#define XFER_RECORD 512u
/* A transfer carries at least this much (bytes): one SFTP/scp chunk. */
#define XFER_MIN_BYTES 32768u
/* SFTP and scp move data in chunks of this size (ssh_inference.md 7.3,
 * OpenSSH sftp's default buffer): one packet's framing per chunk is
 * subtracted. */
#define XFER_CHUNK 32768u
/* A capture taken with receive offload (GRO/LRO) holds segments of up to
 * this many MSS (lab and public captures: 4). */
#define XFER_GRO_MAX 8u
/* SSH_FXP_WRITE's header before its data (draft-ietf-secsh-filexfer-02
 * 6.4: uint32 length, byte type, uint32 id, string handle (OpenSSH's: 4
 * bytes), uint64 offset, uint32 data length): a small file's upload packet
 * carries it with the file. */
#define FXP_WRITE_HEADER (4u + 1u + 4u + 4u + 4u + 8u + 4u)
/* Legacy scp ends each file's data with a '\0' (scp.c source), sent with
 * the file's last bytes. */
#define SCP_FILE_END 1u
/* A file smaller than a chunk is one packet of a length nobody chose: its
 * padding is on average that of XFER_PAD_SPAN consecutive lengths (a
 * multiple of every cipher block size: 8 and 16), where a chunk's is that
 * of exactly XFER_CHUNK bytes. */
#define XFER_PAD_SPAN 16u
/* SSH_FXP_DATA's header before a READ's answer (section 7: uint32
 * length, byte type, uint32 id, uint32 data length): a small file's
 * download packet carries it with the file. */
#define FXP_DATA_HEADER (4u + 1u + 4u + 4u)
/* sftp-server's answer to a READ at the file's end (SSH_FXP_STATUS: uint32
 * length, byte type, uint32 id, uint32 code, string "End of file", string
 * "" for the language; OpenSSH sftp-server.c send_status). */
#define FXP_STATUS_EOF (4u + 1u + 4u + 4u + 4u + 11u + 4u)
/* The most READs a client keeps outstanding, so sends in one burst:
 * OpenSSH sftp's default (-R 64 requests); PuTTY's 1 MiB of 32 KiB READs,
 * 32 (the lab's psftp and pscp bursts: 30 and 32). A burst of more is not
 * READs alone (a put's WRITEs right before a get). */
#define FXP_READS_MAX 64u
/* SFTP requests that name only a handle (SSH_FXP_READDIR, CLOSE, FSTAT:
 * uint32 length, byte type, uint32 id, string handle of OpenSSH's 4 bytes)
 * and SSH_FXP_READ (the same, uint64 offset, uint32 length);
 * draft-ietf-secsh-filexfer-02 sections 6.3, 6.4, 6.7. A directory's
 * listing answers a READDIR, a file's data a READ. */
#define P_FXP_HANDLE_REQ SD_SSH_P_CHANNEL_DATA(4u + 1u + 4u + 4u + 4u)
#define P_FXP_READ SD_SSH_P_CHANNEL_DATA(4u + 1u + 4u + 4u + 4u + 8u + 4u)
/* git over ssh (exec of git-upload-pack / git-receive-pack, git's
 * Documentation/gitprotocol-pack.txt): the server speaks first with its
 * reference advertisement, pkt-lines whose first carries a 40-digit hash,
 * a name and the capability list (git >= 1.7: 80 bytes or more) - at
 * least GIT_ADV_MIN bytes of CHANNEL_DATA; the client answers (its wants,
 * or the update commands before a push's pack) and the pack follows after
 * at most GIT_MAX_TURNS client turns (protocol v2: ls-refs, then fetch).
 * svnserve (svn+ssh) also speaks first with a capability list of that
 * size, but its client answers the greeting, then the auth request, then
 * sends its commands (get-latest-rev, update...): three turns or more
 * before any bulk. rsync's first words are 4-byte versions. */
#define GIT_ADV_MIN 128u
#define GIT_MAX_TURNS 2u
/* A client's own packet size (sd_infer_xfer.c small_packets): the run's
 * writes are mostly of one wire size below a 32 KiB chunk's, seen at least
 * XFER_PKT_REPEAT times (a 16 KiB maximum packet: two in 32 KiB, the
 * least a transfer carries), of the distinct sizes among the first
 * XFER_SIZES; its payload is a program's buffer, a multiple of
 * XFER_PKT_ROUND (PuTTY's 4096 and 16384, lab putty_pscp_*). */
#define XFER_PKT_REPEAT 2u
#define XFER_SIZES 16u
#define XFER_PKT_ROUND 512u
/* A gap longer than this ends a transfer (s). */
#define XFER_GAP_S 1.5
/* Second session channels next to a shell (ControlMaster, sd_infer_mux.c):
 * the most read per connection (uint8_t item.mux; a master multiplexes a
 * person's few scp / sftp / ssh runs, and later ones stay the shell's);
 * the master answers a CHANNEL_OPEN and its requests without waiting on
 * a person: within MUX_REPLY_S plus the capture's lags (lab mux_xfer: 0.6
 * ms); the channel's closing exchange after its last bulk (SFTP CLOSE and
 * STATUS, EOF, exit-status, CLOSE) is machine-paced, each record within
 * MUX_TAIL_S plus the lags of the one before (lab mux_xfer: 1.6 ms at
 * most), where a person's next key comes later. Bulk is a channel's
 * (item.mux) from its open to its last bulk record and that closing. */
#define MUX_CHANNELS_MAX 16u
#define MUX_REPLY_S 0.1
#define MUX_TAIL_S 0.05
/* ...and answers a client's record of the setup within this much more
 * (s): a loaded server starts sftp-server for the subsystem request late
 * (lab fresh mux_xfer_aes128gcm at +9800 frames 79-81: the VERSION 253 ms
 * after the INIT, the channels read as a key and a -L forward). Only a
 * client's late record is a person's. */
#define MUX_ANSWER_S 1.0
/* A channel's setup (its requests, their answers, SFTP's INIT / VERSION
 * and first requests) before its first bulk record: at most this many
 * records (lab mux_xfer: 12; two setups interleaved, 20). */
#define MUX_SETUP_RECORDS 48u
/* Two channels opened at once (scp up and down through the master): a
 * segment of a suite whose lengths are hidden may hold both opens, and
 * the server's next both confirmations (lab fresh mux_n_xfer at +10000
 * frames 31-32: 104 and 88 under chacha20), or the opens two segments
 * sent at once and the confirmations one (wanc220_mux_xfer at +10100:
 * 52 + 52, then 88), or the other way round; their INITs likewise. */
#define MUX_OPENS_AT_ONCE 2u
/* Channels set up side by side whose records are told apart one by one
 * (sd_infer_mux.c mux_track): sshd's MaxSessions default (10 channels on
 * one connection); a channel's setup up to its first request's answer is
 * about 14 records (lab mux_n_xfer at +10800: 29 for two interleaved
 * channels, frames 33-61), read up to this many a channel. */
#define MUX_TRACK_CHANNELS 10u
#define MUX_TRACK_RECORDS (MUX_TRACK_CHANNELS * 16u)
/* OpenSSH's sftp-server answers SSH_FXP_INIT with a VERSION listing its
 * extensions (sftp-server.c process_init: posix-rename, statvfs,
 * fstatvfs, hardlink, fsync since 6.5, about 30 bytes each): at least
 * this much SFTP payload, more than any other answer of a setup (the
 * limits@openssh.com reply: 45 bytes; lab VERSION 356 bytes on the wire,
 * the reply 76-84). */
#define FXP_VERSION_EXT_MIN 128u
/* Records of other channels' setups skipped while a channel's first SFTP
 * request is read (sd_infer_xfer.c): five a channel (open, confirmation,
 * request, answers, INIT), two channels opened next to it. */
#define MUX_SETUP_SKIP 10u
/* Legacy scp's handshake ends this close before the bulk (s). */
#define SCP_HANDSHAKE_S 2.0
/* RFC 4254 5.2: SSH_MSG_CHANNEL_EXTENDED_DATA is CHANNEL_DATA with a
 * uint32 data type code more. A verbose remote scp's stderr line ("Sink:
 * C0644 <size> <name>", "Sink: D0755 0 <name>") is at least SCP_STDERR_MIN
 * bytes. */
#define P_EXTENDED_DATA(n) SD_SSH_P_CHANNEL_DATA((n) + 4u)
#define SCP_STDERR_MIN 8u

/* ---- what a tunnel carries (sd_infer_carry.c) ---- */

/* Keep-alive / idle: no record larger than FWD_CTL_MAX control packets (a
 * CHANNEL_DATA of a few bytes has that size: keep-alive bytes, pings),
 * at least CARRY_IDLE_RECORDS of them, at most CARRY_IDLE_RATE per second
 * (periodic, not a stream; lab tunnel_idle: one byte every 1.5 s). */
#define CARRY_IDLE_RECORDS 2u
#define CARRY_IDLE_RATE 2.0
/* Bulk: one direction carries at least CARRY_BULK_BYTES (eight SFTP chunks:
 * more than a web page with its images, lab pages 20-150 KB; tunnel_bulk
 * pushes 768 KiB) and CARRY_BULK_RATIO times the other (the other side
 * only acknowledges: WINDOW_ADJUSTs, a short request). */
#define CARRY_BULK_BYTES 262144u
#define CARRY_BULK_RATIO 8u
/* Interactive (a remote desktop, VNC/RDP-like: input one way, screen
 * updates the other, both steady): records both ways (inputs are as small
 * as control packets: all count), each direction at least
 * CARRY_TWOWAY_SHARE of them, at least CARRY_INTERACTIVE_RATE records per
 * second over at least CARRY_INTERACTIVE_S (a page load is a burst of
 * milliseconds and its client sends a tenth of the records, lab web
 * tunnels; a person's keys come at ~6/s, a desktop's updates faster). */
#define CARRY_TWOWAY_SHARE 0.25
#define CARRY_INTERACTIVE_RATE 5.0
#define CARRY_INTERACTIVE_S 2.0
/* Web / request-response: the client speaks first, the server answers
 * with more than the client sent, and the client's data per request
 * (client data after server data) is at most CARRY_REQUEST_MAX bytes on
 * average (an HTTP GET with its headers is a few hundred bytes, lab curl
 * ~90; an upload's body is not a request). */
#define CARRY_REQUEST_MAX 4096u

/* ---- data windows (-w) ---- */

/* packetStrider's exfil/infil view: a direction carrying at least
 * WINDOW_MIN_BYTES and WINDOW_RATIO x the other in one window (pS uses
 * "all packets one way"; a ratio tolerates the ACK-like answers). */
#define WINDOW_MIN_BYTES 16384u
#define WINDOW_RATIO 4u
/* The stride is at least window / WINDOW_STRIDE_DIV: a record is in at
 * most this many windows (a tiny -s must not make the cost explode). */
#define WINDOW_STRIDE_DIV 100

/* ---- multi-factor authentication (sd_infer_auth.c) ---- */

/* An accepted keyboard-interactive exchange with this many prompts (an
 * INFO_REQUEST each) asked for more than one secret: a password and a
 * code (PAM with an OTP module), or a code after a partial success whose
 * USERAUTH_FAILURE had the full failure's size. */
#define MFA_PROMPTS 2u
/* RFC 4256 3.2: INFO_REQUEST byte, strings name, instruction, language
 * (empty), int num-prompts = 0: PAM's last round asks nothing. Larger
 * answers carry a prompt. */
#define P_INFO_REQUEST_EMPTY 17u

/* ---- authentication variants (sd_infer_auth.c, sd_infer_authend.c) ---- */

/* ext-info-in-auth@openssh.com came with OpenSSH 9.6 (release notes;
 * OpenSSH's PROTOCOL 1.10): both ends from this version on exchange a
 * second EXT_INFO during authentication. */
#define EXT_INFO_AUTH_MAJOR 9
#define EXT_INFO_AUTH_MINOR 6
/* RFC 8308 2.3: EXT_INFO byte, uint32 count, string "server-sig-algs",
 * string name-list: sshd's list names at most its public-key algorithms
 * (about 16 of at most 36 characters): 600 bytes bound it. */
#define P_EXT_INFO_AUTH_MAX 600u
/* RFC 4252 7: PK_OK (byte, string algorithm, string blob) is the key
 * query less its string user, string "ssh-connection" (4 + 14), string
 * "publickey" (4 + 9) and boolean: 36 bytes and the user name's. */
#define PK_OK_LESS 36u
/* RFC 4252 7: a key query is byte, string user, string "ssh-connection"
 * (4 + 14), string "publickey" (4 + 9), boolean FALSE, string algorithm,
 * string blob: 45 bytes, the user name, the algorithm's and the blob's. */
#define P_PUBKEY_QUERY_BASE 45u
/* RFC 4252 7: the signed request adds string signature (4) holding string
 * algorithm and string blob (4 + 4): 12 bytes besides their contents. A
 * client may send it without the query first (paramiko does). */
#define P_PUBKEY_SIG_FRAMING 12u
/* A password request longer than this many characters is no typed or
 * generated password people use (password managers default to 20-32):
 * a request that needs one and fits a signed key request is the key. */
#define PW_PLAUSIBLE_MAX 64
/* PuTTY pads each password request (and keyboard-interactive response)
 * to this many bytes with an SSH_MSG_IGNORE sent right before it
 * (ssh2userauth.c "pad out the password packet to 256 bytes", ssh2bpp.c
 * ssh2_bpp_format_packet: pkt->minlen); both leave in one segment of
 * PUTTY_PW_MINLEN - 3 + the IGNORE's padding (4 .. 3 + block) wire bytes,
 * whatever the password's length (lab putty_shell_*: 272 under aes256-ctr
 * + hmac-sha2-256, 264 under chacha20-poly1305). */
#define PUTTY_PW_MINLEN 256u
/* RFC 4253 11.2: SSH_MSG_IGNORE with an empty string: byte, uint32 0. */
#define P_IGNORE_EMPTY 5u
/* The packets of one write leave within this of each other (s); a
 * person's key, a protocol answer (the other side first) or a program's
 * next write comes later. */
#define IGNORE_BURST_S 0.002
/* AsyncSSH writes the IGNORE and its packet one after the other, so a
 * side's records after the other side's open with an IGNORE; on a loaded
 * machine the process may lose the CPU between the two writes (fresh
 * asyncssh_server at seed +8000 frames 55-56: the first key's IGNORE 69 ms
 * after the key, its echo 7.6 ms later, both of an echo's size: read as an
 * Enter's two records). Such an opening record of an IGNORE's size is the
 * IGNORE when its side's next record follows within this (s): a few
 * scheduler slices, far under a person's next key or a round trip to the
 * other side and back. */
#define IGNORE_SPLIT_S 0.05
/* RFC 4253 11.1: DISCONNECT byte, uint32 reason, string description,
 * string language (empty): sshd's "Too many authentication failures" (32
 * characters) makes 45 bytes; sshd before 6.x adds " for " and the user
 * name (at most DISCONNECT_FOR_MAX and the name). */
#define P_DISCONNECT_TRIES 45u
#define DISCONNECT_FOR_MAX 5u
/* The server closed the connection this long (s) after the last record
 * of an unfinished authentication: it waited for the client (sshd's
 * LoginGraceTime, 120 s by default), not answering a request at once. */
#define AUTH_CLOSE_IDLE_S 2.0

/* ---- the connection's shape (sd_infer_shape.c) ---- */

/* Authentication bypass: no USERAUTH_SUCCESS, the client's first
 * encrypted record is no SERVICE_REQUEST (RFC 4253 10: every client asks
 * for ssh-userauth first), and both sides then exchange at least this many
 * records each: a session (or another protocol) without authentication. */
#define BYPASS_RECORDS 4u
/* Authentication-method scan: the client asked for ssh-userauth, sent the
 * none probe (learning the methods) and at most a DISCONNECT: no more
 * client records than these three. */
#define AUTH_SCAN_CLIENT_RECORDS 3u

/* ---- X11 forwarding in use (sd_infer_x11.c) ---- */

/* RFC 4254 6.3.2: CHANNEL_OPEN "x11" (4 + 3), 3 x uint32, string
 * originator address, uint32 originator port: 28 + the address's length.
 * OpenSSH's sshd gives the X client's address as text: "127.0.0.1" with
 * X11UseLocalhost (lab), 3 ("::1") to 39 (IPv6) bytes in general. */
#define P_X11_OPEN_BASE 28u
#define X11_ADDR_MIN 3u
#define X11_ADDR_MAX 39u
/* The X client's first bytes (X11 protocol, connection setup): a 12-byte
 * header, the authorization name "MIT-MAGIC-COOKIE-1" (18, padded to 20)
 * and its 16-byte cookie, in one CHANNEL_DATA: sshd accepts a forwarded
 * connection only with the fake cookie it handed out (channels.c
 * x11_open_helper: same name, same length), so every X client sends
 * exactly this. */
#define P_X11_SETUP SD_SSH_P_CHANNEL_DATA(48u)
/* The X server's setup reply (ssh client -> server) follows at once: at
 * least X11_REPLY_MIN bytes within X11_REPLY_S (a success reply lists
 * the screens and formats: Xvfb's is 9.5 KB; a refusal is 8 bytes plus a
 * reason, under this). */
#define X11_REPLY_MIN 256u
#define X11_REPLY_S 1.0
/* The channel's traffic: the records after the setup until both
 * directions pause this long (s). */
#define X11_BURST_GAP_S 0.5
/* ... but a client record smaller than the least X message's CHANNEL_DATA
 * (X11 requests, replies and events are multiples of 4 bytes, at least 4)
 * after X11_QUIET_S of silence (plus the capture's lag behind the client)
 * is no X traffic: a key typed in the shell once the X client is done
 * (lab x11_used_aes128gcm seed +5000: `id` typed 0.48 s after the prompt
 * that followed xdpyinfo's exit, inside X11_BURST_GAP_S: its three keys
 * were taken for the channel's). The channel's own control records (EOF,
 * CLOSE, WINDOW_ADJUST) have that size, but answer the server at once. */
#define X11_MSG_MIN 4u
#define X11_QUIET_S 0.1

/* ---- confidences (0..1, docs/events.md) ---- */

/* Only the request confidence (0.8) has a recorded reason
 * (docs/events.md agent_forwarding, commit e392947); the others are the
 * values the rules were written with, and the comments give why each
 * sits where it does relative to the rest. */

/* The RFC 4252 exchange's sizes rarely mislead: success is the smallest
 * packet, the failure's size is measured on the probe. */
#define CONF_AUTH 0.9
/* A timing rule with a wide margin (1 s against ~0.1 s). */
#define CONF_HOST_KEY 0.8
/* Key-sized records with their echo; chaff trains are unmistakable runs. */
#define CONF_KEYSTROKE 0.8
#define CONF_CHAFF 0.8
/* The answer to an Enter: the bytes include prompt redraws. */
#define CONF_COMMAND_OUTPUT 0.7
#define CONF_PASSWORD_TYPED 0.7
/* The session's kind: sizes and the first seconds only. */
#define CONF_SESSION 0.7
/* -R: a request of tcpip-forward's size answered by REQUEST_SUCCESS. */
#define CONF_REVERSE_PROVISIONED 0.7
/* A handshake opened by the server: KEXINITs both ways leave no doubt
 * that SSH runs inside; by the client (nested) it may also be -W to a
 * host that happens to speak SSH without a login. */
#define CONF_REVERSE_INIT 0.8
#define CONF_NESTED_INIT 0.7
/* The server's auth-agent channel confirmed at once. */
#define CONF_AGENT_USED 0.7
/* An x11 open, its confirmation, the X setup's exact size and a large
 * reply: four sizes in a row that nothing else in a session has. */
#define CONF_X11_USED 0.8
/* No SERVICE_REQUEST first and no login, yet traffic both ways: the size
 * model is sure of the first record, not of what the traffic is. */
#define CONF_AUTH_BYPASS 0.7
/* Only the probe and nothing after it: the methods were all it learned. */
#define CONF_AUTH_SCAN 0.8
/* auth_closed: the close itself is a fact (FIN/RST); who closed and why
 * are read from the last records' sizes and timing. */
#define CONF_AUTH_CLOSED 0.8
/* -N: only no-more-sessions after login (the session event's rule). */
#define CONF_FORWARD_ONLY 0.7
/* Requests read from exact packets before a pty-req: nothing else stands
 * there (env requests follow the pty-req). Everywhere else an env request
 * of the same size reads the same and nothing is claimed. */
#define CONF_REQ_PTY 0.8
/* Bulk runs one way; the byte estimate subtracts a framing model. */
#define CONF_TRANSFER 0.7
/* -L and -D open the same channel type; next to a shell the channel's
 * records are told from the session's by size and timing only. */
#define CONF_FORWARD 0.6

#endif
