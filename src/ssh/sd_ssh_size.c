/* sd_ssh_size: see sd_ssh_size.h. Tables from openssh-portable cipher.c and
 * mac.c, RFC 4253 section 6, RFC 4344 (CTR modes), RFC 5647 (AES-GCM),
 * RFC 6668 (SHA-2 MACs) and the ssh.com / PuTTY names seen in captures. */
#include "sd_ssh_size.h"

#include <string.h>

/* umac-128-etm last: its keystroke has aes128-gcm's size and its length
 * in clear as well, so the mid-stream guess never prefers it. */
const char *const sd_ssh_framing_suites[SD_SSH_FRAMING_SUITES][2] = {
    { "chacha20-poly1305@openssh.com", NULL },
    { "aes128-gcm@openssh.com", NULL },
    { "aes128-ctr", "umac-64-etm@openssh.com" },
    { "aes128-ctr", "hmac-sha2-256-etm@openssh.com" },
    { "aes128-ctr", "hmac-sha1-etm@openssh.com" },
    { "aes128-ctr", "hmac-sha2-512-etm@openssh.com" },
    { "aes128-ctr", "hmac-sha2-256" },
    { "aes128-ctr", "hmac-sha1" },
    { "aes128-ctr", "umac-64@openssh.com" },
    { "aes128-ctr", "umac-128@openssh.com" },
    { "aes128-ctr", "hmac-sha2-512" },
    { "3des-cbc", "hmac-sha1" },
    { "3des-cbc", "hmac-sha2-256" },
    { "aes128-ctr", "umac-128-etm@openssh.com" },
};

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && memcmp(s + n - m, suf, m) == 0;
}

/* Cipher families by name prefix. 16-byte block ciphers: AES (Rijndael),
 * Twofish, Serpent, Camellia; 8-byte: 3DES, DES, Blowfish, CAST-128, IDEA.
 * RC4 (arcfour) is a stream cipher that OpenSSH frames with B = 8, as it
 * does "none" (cipher.c: block_size 8). */
/* Names with their lengths, so a lookup compares lengths before bytes (the
 * inference asks for suites many times per connection). */
#define NAME_LEN(s) s, sizeof(s) - 1

static const struct {
    const char *prefix;
    size_t plen;
    uint32_t block;
} cipher_tab[] = {
    { NAME_LEN("chacha20-poly1305"), 8 },
    { NAME_LEN("aes"), 16 },
    { NAME_LEN("AEAD_AES_"), 16 },
    { NAME_LEN("rijndael"), 16 },
    { NAME_LEN("twofish"), 16 },
    { NAME_LEN("serpent"), 16 },
    { NAME_LEN("camellia"), 16 },
    { NAME_LEN("3des"), 8 },
    { NAME_LEN("des"), 8 },
    { NAME_LEN("blowfish"), 8 },
    { NAME_LEN("cast128"), 8 },
    { NAME_LEN("idea"), 8 },
    { NAME_LEN("arcfour"), 8 },
    { NAME_LEN("none"), 8 },
};

uint32_t sd_ssh_cipher_block(const char *cipher)
{
    if (!cipher)
        return 0;
    for (size_t i = 0; i < sizeof(cipher_tab) / sizeof(cipher_tab[0]); i++)
        if (strncmp(cipher, cipher_tab[i].prefix, cipher_tab[i].plen) == 0)
            return cipher_tab[i].block;
    return 0;
}

/* MAC output lengths (mac.c; RFC 4253 section 6.4; RFC 6668; ssh.com names).
 * ETM variants share the length of their base MAC. */
static const struct {
    const char *name;
    size_t nlen;
    int len;
} mac_tab[] = {
    { NAME_LEN("hmac-sha1"), 20 },           { NAME_LEN("hmac-sha1-96"), 12 },
    { NAME_LEN("hmac-md5"), 16 },            { NAME_LEN("hmac-md5-96"), 12 },
    { NAME_LEN("hmac-sha2-256"), 32 },       { NAME_LEN("hmac-sha2-512"), 64 },
    { NAME_LEN("hmac-sha2-256-96"), 12 },    { NAME_LEN("hmac-sha2-512-96"), 12 },
    { NAME_LEN("hmac-ripemd160"), 20 },      { NAME_LEN("hmac-ripemd160@openssh.com"), 20 },
    { NAME_LEN("umac-64"), 8 },              { NAME_LEN("umac-64@openssh.com"), 8 },
    { NAME_LEN("umac-128"), 16 },            { NAME_LEN("umac-128@openssh.com"), 16 },
    { NAME_LEN("hmac-sha256"), 32 },         { NAME_LEN("hmac-sha512"), 64 },
    { NAME_LEN("hmac-sha224@ssh.com"), 28 }, { NAME_LEN("hmac-sha256@ssh.com"), 32 },
    { NAME_LEN("hmac-sha256-2@ssh.com"), 32 }, { NAME_LEN("hmac-sha384@ssh.com"), 48 },
    { NAME_LEN("hmac-sha512@ssh.com"), 64 }, { NAME_LEN("none"), 0 },
};

#define ETM_SUFFIX "-etm@openssh.com"

int sd_ssh_mac_len(const char *mac, bool *etm)
{
    bool is_etm = false;
    if (etm)
        *etm = false;
    if (!mac)
        return -1;
    size_t n = strlen(mac);
    if (has_suffix(mac, ETM_SUFFIX)) {
        n -= sizeof(ETM_SUFFIX) - 1;
        is_etm = true;
    }
    if (n == 0 || n >= 64) /* no MAC name is that long */
        return -1;
    for (size_t i = 0; i < sizeof(mac_tab) / sizeof(mac_tab[0]); i++) {
        if (mac_tab[i].nlen == n && memcmp(mac, mac_tab[i].name, n) == 0) {
            if (etm)
                *etm = is_etm;
            return mac_tab[i].len;
        }
    }
    return -1;
}

sd_ssh_suite sd_ssh_suite_clear(void)
{
    sd_ssh_suite s = { SD_SSH_MODE_NONE, 8, 0, 0, true, false };
    return s;
}

static bool is_cbc(const char *c)
{
    return has_suffix(c, "-cbc") || strstr(c, "-cbc@") != NULL;
}

int sd_ssh_suite_from_names(const char *cipher, const char *mac, sd_ssh_suite *out)
{
    memset(out, 0, sizeof(*out));
    uint32_t b = sd_ssh_cipher_block(cipher);
    if (b == 0)
        return -1;
    out->block = b;
    out->cbc = is_cbc(cipher);
    /* AEAD ciphers ignore the negotiated MAC (OpenSSH cipher.c
     * cipher_authlen; RFC 5647 section 5.1). */
    if (strcmp(cipher, "chacha20-poly1305@openssh.com") == 0) {
        out->mode = SD_SSH_MODE_CHACHA;
        out->tag = 16;
        out->aad = 4;
        out->len_clear = false;
        return 0;
    }
    if (has_suffix(cipher, "-gcm@openssh.com") || has_prefix(cipher, "AEAD_AES_")) {
        out->mode = SD_SSH_MODE_GCM;
        out->tag = 16;
        out->aad = 4;
        out->len_clear = true;
        return 0;
    }
    bool etm = false;
    int t = sd_ssh_mac_len(mac, &etm);
    if (t < 0) {
        out->mode = SD_SSH_MODE_UNKNOWN;
        return -1;
    }
    out->tag = (uint32_t)t;
    if (strcmp(cipher, "none") == 0) {
        /* No encryption: the whole packet is readable; ETM still moves the
         * length out of the padded part. */
        out->mode = SD_SSH_MODE_NONE;
        out->aad = etm ? 4 : 0;
        out->len_clear = true;
    } else if (etm) {
        out->mode = SD_SSH_MODE_ETM;
        out->aad = 4;
        out->len_clear = true;
    } else {
        out->mode = SD_SSH_MODE_EAM;
        out->aad = 0;
        out->len_clear = false;
    }
    return 0;
}

/* Minimum padding RFC 4253 section 6: at least 4 bytes. */
#define SD_SSH_MIN_PAD 4u

uint32_t sd_ssh_wire_size(const sd_ssh_suite *s, uint32_t payload)
{
    if (!s || s->mode == SD_SSH_MODE_UNKNOWN || s->block == 0)
        return 0;
    if (payload > SD_SSH_MAX_PACKET)
        return 0;
    uint32_t b = s->block;
    uint32_t head = 5 + payload; /* uint32 length + byte padding_length + payload */
    uint32_t pad = b - ((head - s->aad) % b);
    if (pad < SD_SSH_MIN_PAD)
        pad += b;
    return head + pad + s->tag;
}

bool sd_ssh_len_valid(const sd_ssh_suite *s, uint32_t packet_length)
{
    if (!s || s->block == 0)
        return false;
    if (packet_length < 5 || packet_length > SD_SSH_MAX_PACKET)
        return false;
    /* The padded part is packet_length itself when A = 4, else 4 + it. */
    uint32_t padded = s->aad == 4 ? packet_length : packet_length + 4;
    return padded % s->block == 0;
}
