# gpulse - build, test, benchmark and install.
#
#   make            all tools into bin/
#   make check      every test (unit, golden, shell); last line "N passed, N failed"
#   make check SANITIZE=1   the same, built with AddressSanitizer + UBSan into build/san/
#   make example    the pipeline on the bundled example org, as a readable table
#   make demo       the whole pipeline through gfetch against the fake Genesys Cloud
#   make bench      benchmarks (not tests): see bench/README
#   make deps       install the missing Debian build dependencies
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc

ifeq ($(SANITIZE),1)
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
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Icommon
CFLAGS   ?= $(OPT)
ALLCFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SANFLAGS) $(LTO)
LDFLAGS  += $(SANFLAGS)

TOOLS    = $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
LIB      = $(BUILD)/libgpulse.a
LIB_SRC  = $(wildcard common/*.c)
LIB_OBJ  = $(patsubst common/%.c,$(BUILD)/common/%.o,$(LIB_SRC))
HEADERS  = $(wildcard common/*.h)

# Libraries each tool links besides libgpulse and libcsv.
LIBS_gfetch = -ljq -lcurl
LIBS_glive  = -ljq -lcurl
LIBS_common = -lcsv -lm

# Test helpers built from tests/ (not installed): the data generator and one
# binary per unit-test file tests/unit/test_NAME.c -> $(BIN)/unit-NAME.
UNIT_TESTS = $(patsubst tests/unit/test_%.c,unit-%,$(wildcard tests/unit/test_*.c))
TEST_BIN   = $(patsubst tests/%.c,$(BIN)/%,$(wildcard tests/ggen.c)) $(addprefix $(BIN)/,$(UNIT_TESTS))

.PHONY: all check example demo bench bench-peers deps install uninstall clean

all: $(LIB) $(addprefix $(BIN)/,$(TOOLS)) $(TEST_BIN)

$(BUILD)/common/%.o: common/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(BIN)/%: cmd/%.c $(LIB) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LIBS_$*) $(LIBS_common)

$(BIN)/ggen: tests/ggen.c $(LIB) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LIBS_common)

$(BIN)/unit-%: tests/unit/test_%.c tests/unit/unit.h $(LIB) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(ALLCFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LIBS_common)

check: all
	BIN=$(abspath $(BIN)) sh tests/run.sh

example: all
	BIN=$(abspath $(BIN)) sh examples/example.sh

demo: all
	BIN=$(abspath $(BIN)) sh examples/demo.sh

bench: all
	BIN=$(abspath $(BIN)) sh bench/bench.sh

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
