/* Unit tests for sd_filesink (bytes and holes land at their offsets, a
 * symlink in the directory is not followed and counts as an error, files
 * close in order) and sd_names (tcpflow's cN numbering stays right when
 * names are forgotten and must be found in the directory again). */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out/sd_filesink.h"
#include "out/sd_names.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static int dirfd_;

static int setup(void **st)
{
    (void)st;
    snprintf(dir, sizeof dir, "/tmp/sd_filesink_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    dirfd_ = open(dir, O_RDONLY | O_DIRECTORY);
    return dirfd_ < 0 ? -1 : 0;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    close(dirfd_);
    return system(cmd) == 0 ? 0 : -1;
}

/* The file's bytes (at most cap), or -1. */
static long slurp(const char *name, char *buf, size_t cap)
{
    int fd = openat(dirfd_, name, O_RDONLY);
    if (fd < 0)
        return -1;
    long n = (long)read(fd, buf, cap);
    close(fd);
    return n;
}

/* An index line flushed after each session's files, many sessions queued
 * at once: the writer joins the lines' writes in a batch; every byte lands
 * once, in order, and every session file is whole. */
static void t_joined_lines(void **st)
{
    (void)st;
    sd_filesink_opts o = { .max_open = 4 };
    sd_filesink *s = sd_filesink_new(dirfd_, &o);
    sd_sinkfile *idx = sd_sinkfile_new(s, "joined.idx");
    char want[4000 * 16], line[32], name[32];
    size_t wl = 0;
    for (int i = 0; i < 4000; i++) {
        snprintf(name, sizeof name, "j%d", i);
        sd_sinkfile *f = sd_sinkfile_new(s, name);
        sd_sinkfile_write(s, f, name, strlen(name));
        sd_sinkfile_close(s, f);
        int n = snprintf(line, sizeof line, "line %d\n", i);
        sd_sinkfile_write(s, idx, line, (size_t)n);
        sd_sinkfile_flush(s, idx);
        memcpy(want + wl, line, (size_t)n);
        wl += (size_t)n;
    }
    sd_sinkfile_close(s, idx);
    assert_int_equal(sd_filesink_free(s), 0);
    static char got[sizeof want + 1];
    assert_int_equal(slurp("joined.idx", got, sizeof got), (long)wl);
    assert_memory_equal(got, want, wl);
    for (int i = 0; i < 4000; i += 397) {
        char b[32];
        snprintf(name, sizeof name, "j%d", i);
        assert_int_equal(slurp(name, b, sizeof b), (long)strlen(name));
        assert_memory_equal(b, name, strlen(name));
    }
}

static void t_bytes_holes_and_errors(void **st)
{
    (void)st;
    sd_filesink_opts o = { .max_open = 1, .budget = 1 }; /* every write reopens */
    sd_filesink *s = sd_filesink_new(dirfd_, &o);
    sd_sinkfile *a = sd_sinkfile_new(s, "a");
    sd_sinkfile *b = sd_sinkfile_new(s, "b");
    sd_sinkfile_skip(a, 2);
    sd_sinkfile_write(s, a, "xy", 2);
    sd_sinkfile_write(s, b, "B", 1);
    sd_sinkfile_skip(a, 3);
    assert_int_equal(sd_sinkfile_pos(a), 7);
    sd_sinkfile_close(s, a);
    sd_sinkfile_close(s, b);
    sd_sinkfile_close(s, sd_sinkfile_new(s, "never")); /* nothing written: no file */
    /* a planted symlink: unlinked and replaced by the file, the target is
     * untouched (an existing name is never written through) */
    assert_int_equal(symlinkat("/etc/hostname", dirfd_, "link"), 0);
    sd_sinkfile *l = sd_sinkfile_new(s, "link");
    sd_sinkfile_write(s, l, "evil", 4);
    sd_sinkfile_close(s, l);
    assert_int_equal(sd_filesink_free(s), 0);
    char buf[16];
    assert_int_equal(slurp("a", buf, sizeof buf), 7);
    assert_memory_equal(buf, "\0\0xy\0\0\0", 7);
    assert_int_equal(slurp("b", buf, sizeof buf), 1);
    assert_int_equal(slurp("never", buf, sizeof buf), -1);
    struct stat sb;
    assert_int_equal(fstatat(dirfd_, "link", &sb, AT_SYMLINK_NOFOLLOW), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(slurp("link", buf, sizeof buf), 4);
}

/* A file that cannot be created is named in the log with the directory as
 * given (-o DIR), made safe as any name a script passes. */
static void t_error_names_dir(void **st)
{
    (void)st;
    char *text = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&text, &len);
    assert_non_null(log);
    sd_filesink_opts o = { .log = log, .prog = "p", .dir = "out\x1b" };
    sd_filesink *s = sd_filesink_new(dirfd_, &o);
    sd_sinkfile *f = sd_sinkfile_new(s, "nodir/x"); /* no such directory */
    sd_sinkfile_write(s, f, "x", 1);
    sd_sinkfile_close(s, f);
    assert_int_equal(sd_filesink_free(s), 1);
    fclose(log);
    assert_string_equal(text, "p: cannot write out\\x1b/nodir/x: No such file or directory\n");
    free(text);
}

/* Bytes put in place (sd_sinkfile_room/commit) and copied in
 * (sd_sinkfile_write, the fallback) interleave with holes and early writes
 * and land exactly where the copies alone put them: a room is at f's end,
 * across block boundaries and size classes, and NULL past a block. */
static void t_room_commit(void **st)
{
    (void)st;
    sd_filesink_opts o = { .max_open = 4, .budget = 64 << 10 }; /* some files written early */
    sd_filesink *s = sd_filesink_new(dirfd_, &o);
    static char want[4][1 << 20];
    size_t wl[4] = { 0 };
    sd_sinkfile *f[4];
    char name[16]; /* "r" and an int: no truncation warning at -O1 */
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "r%d", i);
        f[i] = sd_sinkfile_new(s, name);
    }
    unsigned seed = 7, in_place = 0, copied = 0;
    for (int k = 0; k < 3000; k++) {
        int i = k % 4;
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 8) % (k % 97 == 0 ? 70000 : 3000);
        if (wl[i] + n + 64 > sizeof want[i])
            continue;
        if (seed % 13 == 0) { /* a hole */
            sd_sinkfile_skip(f[i], 5);
            memset(want[i] + wl[i], 0, 5);
            wl[i] += 5;
        }
        char *p = sd_sinkfile_room(s, f[i], n);
        size_t put = n - (seed >> 4) % (n / 2 + 1); /* fewer than asked, as the transcript */
        for (size_t b = 0; b < put; b++)
            want[i][wl[i] + b] = (char)('a' + (k + b) % 26);
        if (p) {
            memcpy(p, want[i] + wl[i], put);
            sd_sinkfile_commit(s, f[i], put);
            in_place++;
        } else {
            assert_true(n > 3000 || sd_sinkfile_pos(f[i]) > 0); /* only a big one or a part-full block */
            sd_sinkfile_write(s, f[i], want[i] + wl[i], put);
            copied++;
        }
        wl[i] += put;
        assert_int_equal(sd_sinkfile_pos(f[i]), wl[i]);
    }
    assert_true(in_place > 1000 && copied > 10);
    for (int i = 0; i < 4; i++)
        sd_sinkfile_close(s, f[i]);
    assert_int_equal(sd_filesink_free(s), 0);
    static char got[1 << 20];
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "r%d", i);
        assert_int_equal(slurp(name, got, sizeof got), (long)wl[i]);
        assert_memory_equal(got, want[i], wl[i]);
    }
}

/* The file holds exactly the string want. */
static void assert_file(const char *name, const char *want)
{
    char buf[64];
    assert_int_equal(slurp(name, buf, sizeof buf), (long)strlen(want));
    assert_memory_equal(buf, want, strlen(want));
}

/* Whether the process has name (in the test directory) open. */
static bool is_open(const char *name)
{
    char want[128], link[64], got[128];
    snprintf(want, sizeof want, "%s/%s", dir, name);
    for (int fd = 0; fd < 1024; fd++) {
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, got, sizeof got - 1);
        if (n > 0 && (got[n] = '\0', strcmp(got, want) == 0))
            return true;
    }
    return false;
}

/* The writer's descriptors: a file written before its end keeps one, the
 * least recently used is closed for a new one (and reopened at its offset
 * when written again), a finished file's slot is free again. */
static void t_descriptor_lru(void **st)
{
    (void)st;
    sd_filesink_opts o = { .max_open = 2 };
    sd_filesink *s = sd_filesink_new(dirfd_, &o);
    sd_sinkfile *a = sd_sinkfile_new(s, "la"), *b = sd_sinkfile_new(s, "lb"), *c = sd_sinkfile_new(s, "lc");
    sd_sinkfile *f[] = { a, b, a, c }; /* a used again after b: b is the oldest when c comes */
    for (int i = 0; i < 4; i++) {
        sd_sinkfile_write(s, f[i], "x", 1);
        sd_sinkfile_flush(s, f[i]);
    }
    sd_filesink_sync(s);
    assert_true(is_open("la") && is_open("lc") && !is_open("lb"));
    sd_sinkfile_write(s, b, "y", 1); /* reopened at offset 1, evicting a */
    sd_sinkfile_flush(s, b);
    sd_filesink_sync(s);
    assert_true(is_open("lb") && is_open("lc") && !is_open("la"));
    sd_sinkfile_close(s, c); /* its slot free: a takes it, b stays */
    sd_sinkfile_write(s, a, "z", 1);
    sd_sinkfile_flush(s, a);
    sd_filesink_sync(s);
    assert_true(is_open("la") && is_open("lb") && !is_open("lc"));
    sd_sinkfile_close(s, a);
    sd_sinkfile_close(s, b);
    assert_int_equal(sd_filesink_free(s), 0);
    assert_file("la", "xxz");
    assert_file("lb", "xy");
}

/* n files named base: what sd_names gives, with a table of 2 names. */
static void t_names_forgotten(void **st)
{
    (void)st;
    sd_filesink_opts o = { 0 };
    sd_filesink *s = sd_filesink_new(dirfd_, &o);
    sd_names *nm = sd_names_new(s, true, 2);
    char name[64], other[64];
    static const char *const want[] = { "p", "pc1", "pc2", "pc3" };
    for (int i = 0; i < 4; i++) {
        uint64_t h = sd_names_take(nm, "p", "", name, sizeof name);
        assert_string_equal(name, want[i]);
        sd_sinkfile *f = sd_sinkfile_new(s, name);
        sd_sinkfile_write(s, f, "x", 1);
        sd_sinkfile_close(s, f);
        sd_names_release(nm, h);
        /* two other names in between: "p" is forgotten each time */
        for (int k = 0; k < 2; k++) {
            snprintf(other, sizeof other, "q%d_%d", i, k);
            uint64_t g = sd_names_take(nm, other, ".json", name, sizeof name);
            assert_string_equal(name, strcat(other, ".json"));
            sd_sinkfile *q = sd_sinkfile_new(s, name);
            sd_sinkfile_write(s, q, "y", 1);
            sd_sinkfile_close(s, q);
            sd_names_release(nm, g);
        }
    }
    /* a name in use is never forgotten, whatever comes after it */
    uint64_t h = sd_names_take(nm, "live", "", name, sizeof name);
    for (int k = 0; k < 5; k++)
        sd_names_release(nm, sd_names_take(nm, "r", "", other, sizeof other));
    assert_string_equal(other, "rc4");
    sd_names_take(nm, "live", "", name, sizeof name);
    assert_string_equal(name, "livec1");
    sd_names_release(nm, h);
    sd_names_free(nm);
    assert_int_equal(sd_filesink_free(s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_joined_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(t_bytes_holes_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(t_names_forgotten, setup, teardown),
        cmocka_unit_test_setup_teardown(t_error_names_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(t_room_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(t_descriptor_lru, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
