# strider build. `make` builds build/strider; `make test` runs every test;
# `make asan` builds and runs the unit and golden tests under ASan+UBSan,
# with the invariant checks (SD_DEBUG_INVARIANTS, see sd_common.h) compiled in;
# `make fuzz` builds the libFuzzer targets (clang).
# Sources are found by wildcard: a new module is a new .c/.h pair, no edit here.

CC      ?= cc
BUILD   ?= build
CSTD    := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wvla -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g
# Link-time optimisation of build/strider: the per-packet path crosses
# modules (engine, flow table, TCP tracker, hash map, decoder), and inlining
# across them cut conns --json on brute-10000 by 10 % of its instructions
# (issue #11, bench/README.md). Fat objects: the unit tests and tools link
# the plain code, without a whole-program pass each. `make LTO=` for none.
LTO     ?= -flto=auto -ffat-lto-objects
CFLAGS  += $(CSTD) $(WARN) $(OPT) $(EXTRA_CFLAGS)
LDLIBS  += -lpcap -lcrypto -lm -pthread

LIB_SRC  := $(wildcard src/common/*.c src/capture/*.c src/decode/*.c src/flow/*.c \
                       src/ssh/*.c src/analyze/*.c src/out/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libstrider.a

.PHONY: all test unit golden asan fuzz bench clean install uninstall
all: $(BUILD)/strider $(UNIT_BIN) $(BUILD)/bench/readloop $(BUILD)/bench/gencap $(BUILD)/bench/snbench $(BUILD)/tools/capdump

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LTO) -MMD -MP -c $< -o $@

# The SSH modules, the writers and the events at -O3 (with LTO above):
# there GCC's loop and string work pays, ssh --json on brute-10000 engine
# 372.0 -> 365.6 M Ir and writer thread 254.1 -> 225.9 M; the flow, decode
# and capture modules come out slower at -O3 (conns --json's engine +9 M),
# so they stay at OPT. Only this target's OPT: a command line's (make asan)
# is kept.
O3_OBJ := $(filter $(BUILD)/src/ssh/%.o $(BUILD)/src/out/%.o $(BUILD)/src/common/sd_event.o \
                   $(BUILD)/src/common/sd_common.o,$(LIB_OBJ))
$(O3_OBJ): OPT := -O3 -g

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/strider: $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LTO) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

# records as the capture layer reads them, for the pcapng cross-check with tshark
$(BUILD)/tools/capdump: tests/tools/capdump.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/bench/readloop: bench/readloop.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lpcap

# sd_streamno alone, for a cache simulation (bench/README.md, stop 36)
$(BUILD)/bench/snbench: bench/snbench.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# the bench's capture generator; tests use it for scan and brute-force captures
$(BUILD)/bench/gencap: bench/gencap.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -lm

test: all
	BUILD=$(BUILD) tests/run

# parts of the suite: the cmocka unit tests; the golden outputs (conns,
# packets, follow, summary, SSH inference)
unit: all
	BUILD=$(BUILD) tests/run unit/
golden: all
	BUILD=$(BUILD) tests/run golden
	BUILD=$(BUILD) tests/run infer/

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" LTO= \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -DSD_DEBUG_INVARIANTS" \
	  LDFLAGS="-fsanitize=address,undefined" all
	BUILD=build-asan STRIDER_SANITIZED=1 tests/run

# The library is compiled once for every target (instrumented for coverage,
# not linked with libFuzzer's main); fuzz/fzcheck.c holds the output checks
# the targets share. UBSan reports stop a target (-fno-sanitize-recover).
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -g -O1
FUZZ_LIB_FLAGS := $(subst fuzzer,fuzzer-no-link,$(FUZZ_FLAGS))
FUZZ_OBJ := $(LIB_SRC:%.c=build-fuzz/obj/%.o) build-fuzz/obj/fuzz/fzcheck.o
fuzz: $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(CSTD) $(WARN) $(FUZZ_LIB_FLAGS) -Isrc -MMD -MP -c $< -o $@
build-fuzz/%: fuzz/%.c $(FUZZ_OBJ)
	clang $(CSTD) $(WARN) $(FUZZ_FLAGS) -Isrc -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

clean:
	rm -rf build build-asan build-fuzz

# `make install PREFIX=/usr DESTDIR=pkgroot`: the binary, the man page (so
# that `man strider` works) and the bash completion.
PREFIX  ?= /usr/local
BINDIR  := $(PREFIX)/bin
MANDIR  := $(PREFIX)/share/man
COMPDIR := $(PREFIX)/share/bash-completion/completions
install: $(BUILD)/strider
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 755 $(BUILD)/strider $(DESTDIR)$(BINDIR)/strider
	install -m 644 docs/strider.1 $(DESTDIR)$(MANDIR)/man1/strider.1
	install -m 644 completion/strider.bash $(DESTDIR)$(COMPDIR)/strider
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/strider $(DESTDIR)$(MANDIR)/man1/strider.1 $(DESTDIR)$(COMPDIR)/strider

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(wildcard build-fuzz/obj/*/*/*.d build-fuzz/obj/fuzz/*.d)
