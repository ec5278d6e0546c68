# gpulse - build, test, benchmark and install.
#
#   make            all tools into bin/
#   make check      every test (unit, golden, shell); last line "N passed, N failed"
#   make check SANITIZE=1   the same, built with AddressSanitizer + UBSan into build/san/
#   make check NO_SIMD=1    the same, built without SSE2 (common/bytescan.h) into build/nosimd/
#   make example    the pipeline on the bundled example org, as a readable table
#   make demo       the whole pipeline through gfetch against the fake Genesys Cloud
#   make heat-demo  the example org's treemap heatmap: heat.svg and heat.html
#   make live-demo  gfetch stream against the fake's WebSocket side for a minute
#                   into glive --term
#   make live-heat  the same into glive | gheat --serve 127.0.0.1:8080 (or
#                   LIVE_SERVE=ADDR:PORT); prints the page's URL
#   make bench      benchmarks (not tests): see bench/README
#   make fuzz FUZZ_SECS=N   each libFuzzer target in tests/fuzz/ for N seconds
#                   (clang, ASan + UBSan; build/fuzz/), failing on a finding
#   make deps       install the missing Debian build dependencies
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc

# NO_SIMD=1: the portable build, without the SSE2 vectors of
# common/bytescan.h (the word and byte paths do the work), in its own tree.
ifeq ($(NO_SIMD),1)
CPPFLAGS += -DGP_NO_SIMD
BUILD   ?= build/nosimd$(if $(filter 1,$(SANITIZE)),-san)
BIN     ?= $(BUILD)/bin
endif

# FUZZ=1: the library built for libFuzzer targets (clang, coverage
# instrumentation, ASan + UBSan) into build/fuzz/; used by "make fuzz".
ifeq ($(FUZZ),1)
CC      := clang
BUILD   ?= build/fuzz
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT     ?= -O1 -g
LTO     ?=
else ifeq ($(SANITIZE),1)
BUILD   ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT     ?= -O1 -g
else
BUILD   ?= build/rel
SANFLAGS =
OPT     ?= -O2 -g
endif
BIN     ?= $(if $(filter 1,$(SANITIZE)),$(BUILD)/bin,bin)

# Release builds with gcc use link-time optimisation: the reader's small
# helpers in common/ inline into each tool's record loop (about 8% fewer
# instructions per record).  Clang's needs LLVM's archiver and linker
# plugin, so clang builds go without; LTO= turns it off.
IS_CLANG := $(shell $(CC) -dM -E -x c /dev/null 2>/dev/null | grep -c __clang__)
ifeq ($(SANITIZE)$(IS_CLANG),0)
LTO     ?= -flto=auto
else
LTO     ?=
endif

WARN     = -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla -Wno-unused-parameter
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Icommon -Iengine
CFLAGS   ?= $(OPT)
ALLCFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SANFLAGS) $(LTO)
LDFLAGS  += $(SANFLAGS)

# Layout: cmd/NAME.c is a one-file tool; cmd/NAME/ a tool of several files
# (gfetch), built from every .c in it.  common/ is what several tools
# share; engine/ holds each tool's engine, named after its job.  Both go
# into one static library, libgpulse.a.
SIMPLE_TOOLS = $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
DIR_TOOLS    = $(patsubst cmd/%/,%,$(dir $(wildcard cmd/*/main.c)))
TOOLS    = $(SIMPLE_TOOLS) $(DIR_TOOLS)
LIB      = $(BUILD)/libgpulse.a
LIB_SRC  = $(wildcard common/*.c engine/*.c)
LIB_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC))
HEADERS  = $(wildcard common/*.h engine/*.h)

# Libraries each tool links besides libgpulse and libcsv.
LIBS_gfetch = -ljq -lcurl -lwslay -lcrypto
LIBS_gheat  = -lmicrohttpd -lpthread
LIBS_common = -lcsv -lm

# Test helpers built from tests/ (not installed): the data generator and one
# binary per unit-test file tests/unit/test_NAME.c -> $(BIN)/unit-NAME.
UNIT_TESTS = $(patsubst tests/unit/test_%.c,unit-%,$(wildcard tests/unit/test_*.c))
TEST_BIN   = $(patsubst tests/%.c,$(BIN)/%,$(wildcard tests/ggen.c)) $(addprefix $(BIN)/,$(UNIT_TESTS))
# Unit tests of a multi-file tool (tests/unit/test_gfetch.c) link its
# objects but its main().
UNIT_OBJ_gfetch = $(filter-out %/main.o,$(GFETCH_OBJ))
UNIT_LIBS_gfetch = -ljq -lcurl -lwslay -lcrypto
UNIT_LIBS_common = -lpthread
UNIT_CPP_gfetch = -Icmd/gfetch
GFETCH_SRC = $(wildcard cmd/gfetch/*.c)
GFETCH_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(GFETCH_SRC))

.PHONY: all check example demo heat-demo live-demo live-heat bench bench-peers deps install uninstall clean fuzz fuzz-build

all: $(LIB) $(addprefix $(BIN)/,$(TOOLS)) $(TEST_BIN)

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c -o $@ $<

$(BUILD)/cmd/gfetch/%.o: cmd/gfetch/%.c $(HEADERS) $(wildcard cmd/gfetch/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icmd/gfetch $(ALLCFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(BIN)/%: cmd/%.c $(LIB) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LIBS_$*) $(LIBS_common)

$(BIN)/gfetch: $(GFETCH_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -o $@ $(GFETCH_OBJ) $(LIB) $(LDFLAGS) $(LIBS_gfetch) $(LIBS_common)

$(BIN)/ggen: tests/ggen.c $(LIB) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LIBS_common)

$(BIN)/unit-%: tests/unit/test_%.c tests/unit/unit.h $(LIB) $(HEADERS) $(UNIT_OBJ_gfetch)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(UNIT_CPP_$*) -Itests/unit $(ALLCFLAGS) -o $@ $< $(UNIT_OBJ_$*) $(LIB) $(LDFLAGS) $(UNIT_LIBS_$*) $(LIBS_common)

check: all
	BIN=$(abspath $(BIN)) sh tests/run.sh

# libFuzzer targets: tests/fuzz/fuzz_NAME.c -> build/fuzz/bin/fuzz-NAME, each
# linked with the shared harness and (gfetch's) the tool's objects.
FUZZ_SECS   ?= 10
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/bin/fuzz-%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LINK    = -fsanitize=fuzzer,address,undefined -Wl,--wrap=exit
FUZZ_OBJ_gfetch_map  = $(UNIT_OBJ_gfetch)
FUZZ_LIBS_gfetch_map = $(LIBS_gfetch)
FUZZ_OBJ_stream      = $(UNIT_OBJ_gfetch)
FUZZ_LIBS_stream     = $(LIBS_gfetch)

fuzz-build: $(FUZZ_TARGETS)

$(BUILD)/bin/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/harness.c tests/fuzz/fuzz.h $(LIB) $(HEADERS) $(UNIT_OBJ_gfetch)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icmd/gfetch -Itests/fuzz $(ALLCFLAGS) -o $@ $< tests/fuzz/harness.c \
	    $(FUZZ_OBJ_$*) $(LIB) $(FUZZ_LINK) $(FUZZ_LIBS_$*) $(LIBS_common)

fuzz:
	$(MAKE) FUZZ=1 fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_SECS)

example: all
	BIN=$(abspath $(BIN)) sh examples/example.sh

demo: all
	BIN=$(abspath $(BIN)) sh examples/demo.sh

heat-demo: all
	BIN=$(abspath $(BIN)) sh examples/heat-demo.sh

live-demo: all
	BIN=$(abspath $(BIN)) sh examples/live-demo.sh

live-heat: all
	LIVE_SERVE=$(or $(LIVE_SERVE),127.0.0.1:8080) BIN=$(abspath $(BIN)) sh examples/live-demo.sh

bench: all
	BIN=$(abspath $(BIN)) sh bench/bench.sh
	BIN=$(abspath $(BIN)) sh bench/stream.sh
	BIN=$(abspath $(BIN)) sh bench/live.sh
	BIN=$(abspath $(BIN)) sh bench/heat.sh

bench-peers: all
	BIN=$(abspath $(BIN)) sh bench/peers.sh

deps:
	sh tests/deps.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7
	for t in $(TOOLS); do install -m 755 $(BIN)/$$t $(DESTDIR)$(PREFIX)/bin/$$t; done
	for m in man/*.1; do install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man1/; done
	for m in man/*.7; do install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man7/; done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$t; done
	for m in man/*.1; do rm -f $(DESTDIR)$(PREFIX)/share/man/man1/$${m#man/}; done
	for m in man/*.7; do rm -f $(DESTDIR)$(PREFIX)/share/man/man7/$${m#man/}; done

clean:
	rm -rf bin build
