/* sd_ssh_size: the wire-size model of an SSH-2 transport suite.
 *
 * After NEWKEYS the bytes are encrypted, but the suite negotiated in the
 * cleartext KEXINITs fixes how a payload of P bytes becomes bytes on the
 * wire (RFC 4253 section 6, openssh-portable packet.c):
 *
 *   wire = 5 + P + pad + T,  pad = B - ((5 + P - A) mod B),  pad += B if pad < 4
 *
 * B = cipher block size (at least 8), T = MAC or AEAD tag length, A = 4 when
 * the 4-byte length field is outside the padded part (encrypt-then-MAC,
 * AES-GCM, chacha20-poly1305) else 0. Compression is ignored (it changes P,
 * not the framing). Implementations may add random padding (up to 255 bytes,
 * RFC 4253 section 6), so these are minimum sizes; OpenSSH, PuTTY and Dropbear
 * use the minimum except for padded password replies. */
#ifndef SD_SSH_SIZE_H
#define SD_SSH_SIZE_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 4253 section 6.1 asks for 35000 at least; OpenSSH accepts up to
 * PACKET_MAX_SIZE = 256 KiB (packet.c). Anything larger is not SSH. */
#define SD_SSH_MAX_PACKET (256u * 1024u)

typedef enum sd_ssh_mode {
    SD_SSH_MODE_UNKNOWN = 0, /* cipher or MAC not in the table */
    SD_SSH_MODE_NONE,        /* cleartext phase / cipher "none" (B = 8, T = mac) */
    SD_SSH_MODE_EAM,         /* encrypt-and-MAC: length encrypted, A = 0 */
    SD_SSH_MODE_ETM,         /* *-etm@openssh.com: length in clear, A = 4 */
    SD_SSH_MODE_GCM,         /* aes*-gcm@openssh.com, AEAD_AES_*_GCM: length in clear (AAD) */
    SD_SSH_MODE_CHACHA,      /* chacha20-poly1305@openssh.com: length encrypted separately, A = 4 */
} sd_ssh_mode;

typedef struct sd_ssh_suite {
    sd_ssh_mode mode;
    uint32_t block;     /* B */
    uint32_t tag;       /* T: MAC or AEAD tag bytes after the packet */
    uint32_t aad;       /* A: 4 if the length field is outside the padded part */
    bool len_clear;     /* packet_length readable on the wire (ETM, GCM) */
    bool cbc;           /* a CBC-mode cipher (Terrapin with -etm MACs) */
} sd_ssh_suite;

/* Block size of an encryption algorithm name; 0 if unknown. */
uint32_t sd_ssh_cipher_block(const char *cipher);
/* MAC length in bytes of a MAC algorithm name; -1 if unknown. *etm is set
 * for the encrypt-then-MAC variants. */
int sd_ssh_mac_len(const char *mac, bool *etm);

/* Fills *out from negotiated names (mac may be NULL for AEAD ciphers, whose
 * MAC list is ignored). Returns 0, or -1 if either name is unknown (then
 * out->mode is SD_SSH_MODE_UNKNOWN). */
int sd_ssh_suite_from_names(const char *cipher, const char *mac, sd_ssh_suite *out);

/* The suites whose framing a connection is read with when its KEXINITs
 * were not seen (sd_ssh.c: a snaplen cut took them; sd_ssh_mid.c: the
 * capture began after the login): { cipher, MAC or NULL for an AEAD },
 * in order of preference where two give a keystroke the same size:
 * OpenSSH's defaults first (ssh_config(5) Ciphers, MACs), then the CTR
 * and CBC suites dropbear, PuTTY and older servers choose. */
#define SD_SSH_FRAMING_SUITES 14
extern const char *const sd_ssh_framing_suites[SD_SSH_FRAMING_SUITES][2];

/* The cleartext suite before the first NEWKEYS: B = 8, no MAC. */
sd_ssh_suite sd_ssh_suite_clear(void);

/* Minimum-padding TCP payload bytes of one SSH packet carrying an SSH
 * payload of `payload` bytes (message type byte included). 0 for an
 * unknown suite. E.g. a 1-character CHANNEL_DATA has payload 1+4+4+1 = 10. */
uint32_t sd_ssh_wire_size(const sd_ssh_suite *s, uint32_t payload);

/* Checks a cleartext packet_length of the encrypted stream: it must be at
 * least 5, at most SD_SSH_MAX_PACKET and a multiple of B (the padded part
 * excludes the length field in ETM/GCM). Returns true if plausible. */
bool sd_ssh_len_valid(const sd_ssh_suite *s, uint32_t packet_length);

/* Payload sizes of messages the inference rules look for (RFC 4254). */
#define SD_SSH_P_CHANNEL_DATA(n) (9u + (n))  /* byte type, uint32 chan, string data */
#define SD_SSH_P_KEYSTROKE 10u               /* CHANNEL_DATA with one byte */
#define SD_SSH_P_USERAUTH_SUCCESS 1u
#define SD_SSH_P_SERVICE_ACCEPT 17u          /* "ssh-userauth" */
#define SD_SSH_P_WINDOW_ADJUST 9u

#endif
