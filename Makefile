# zhijian: hand-written Makefile.  `make V=1` shows full commands,
# `make check SANITIZE=1` builds and tests with ASan and UBSan in build-san/.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
PKGDATADIR ?= $(DATADIR)/zhijian
LOCALEDIR ?= $(DATADIR)/locale
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS = -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	-Wwrite-strings -Wcast-qual
ifeq ($(CI),true)
WARNFLAGS += -Werror
endif

PKGS = sqlite3 ncursesw libcrypto xlsxwriter zlib libzip expat freexl libqpdf
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lncursesw -ltinfo -lcrypto -lxlsxwriter -lz -lzip -lexpat -lfreexl -lqpdf)
# libcsv and libharu ship no pkg-config file.
LIBS = $(PKG_LIBS) -lcsv -lhpdf -lm -pthread
# ISA-L (libisal-dev) deflates the data a report embeds four times as fast
# as zlib, to the same size; without it (or with ISAL=0) zlib does.
ISAL ?= $(shell pkg-config --exists libisal 2>/dev/null && echo 1 || echo 0)
ifeq ($(ISAL),1)
PKG_CFLAGS += -DHAVE_ISAL $(shell pkg-config --cflags libisal 2>/dev/null)
LIBS += $(shell pkg-config --libs libisal 2>/dev/null || echo -lisal)
endif

ifeq ($(SANITIZE),1)
BUILD ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD ?= build
SANFLAGS =
endif

ALL_CFLAGS = -std=gnu11 $(WARNFLAGS) $(CFLAGS) $(SANFLAGS) -Isrc -I$(BUILD) $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

LIB_SRC := $(sort $(wildcard src/util/*.c src/core/*.c src/report/*.c src/sign/*.c src/tui/*.c))
CMD_SRC := $(sort src/main.c $(wildcard src/cmd/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(sort $(wildcard tests/bench/*.c))
TOOL_BIN := $(TOOL_SRC:tests/bench/%.c=$(BUILD)/tools/%)
# Test tools that use the library (tests/tools/: workbook writers).
TTOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TTOOL_BIN := $(TTOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

BIN = $(BUILD)/zhijian

ifeq ($(V),1)
Q =
msg = @true
else
Q = @
msg = @printf '  %-6s %s\n' $(1) $(2)
endif

# Debian packages, installed by `make deps` / `make test-deps` when missing.
BUILD_PKGS = gcc make pkg-config libc6-dev libsqlite3-dev libcsv-dev gettext \
	libncurses-dev libhpdf-dev libssl-dev libxlsxwriter-dev libzip-dev libexpat1-dev libfreexl-dev libqpdf-dev \
	libisal-dev fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai
TEST_PKGS = libcmocka-dev sqlite3 tmux poppler-utils qpdf locales libnss3-tools unzip \
	clang libclang-rt-14-dev valgrind libspreadsheet-writeexcel-perl time faketime python3-cryptography
BENCH_PKGS = sqlite3 time bc tmux

.PHONY: all demo check bench deps test-deps bench-deps install uninstall clean units tools pot fuzz fuzz-build FORCE
.DEFAULT_GOAL := all

# The message catalogues: po/LANG.po → BUILD/locale/LANG/LC_MESSAGES/zhijian.mo
# (tests point ZHIJIAN_LOCALEDIR at BUILD/locale).
PO := $(wildcard po/*.po)
MO := $(PO:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/zhijian.mo)

# The workbook templates (zhijian template), written by the binary just
# built so that they follow the contract's column list.
TEMPLATES := $(addprefix $(BUILD)/templates/,apps.xlsx accounts.xlsx groups.xlsx)

all: $(BIN) $(MO) $(TEMPLATES)

$(BUILD)/templates/%.xlsx: $(BIN)
	@mkdir -p $(dir $@)
	$(call msg,GEN,$@)
	$(Q)$(BIN) template $* -o $@ >/dev/null

$(BUILD)/locale/%/LC_MESSAGES/zhijian.mo: po/%.po
	@mkdir -p $(dir $@)
	$(call msg,MSGFMT,$<)
	$(Q)msgfmt --check -o $@ $<

# po/zhijian.pot from every _() and N_() in src/.
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -c/ --add-location=file -o po/zhijian.pot \
		$(sort $(wildcard src/*.c src/*/*.c))

$(BIN): $(CMD_OBJ) $(BUILD)/libzhijian.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libzhijian.a $(LIBS)

$(BUILD)/libzhijian.a: $(LIB_OBJ)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $(LIB_OBJ)

# The install paths compiled in: rewritten only when they change, so a new
# PREFIX rebuilds what uses them and nothing else.
$(BUILD)/paths.h: FORCE
	@mkdir -p $(BUILD)
	@printf '#define ZJ_PKGDATADIR "%s"\n#define ZJ_LOCALEDIR "%s"\n' '$(PKGDATADIR)' '$(LOCALEDIR)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

$(BUILD)/%.o: %.c | $(BUILD)/paths.h
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libzhijian.a
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libzhijian.a $(LIBS) -lcmocka

$(BUILD)/tools/%: tests/bench/%.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lm

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libzhijian.a
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libzhijian.a $(LIBS)

units: $(UNIT_BIN)
tools: $(TOOL_BIN) $(TTOOL_BIN)

deps:
	@sh tests/deps.sh $(BUILD_PKGS)
test-deps:
	@sh tests/deps.sh $(BUILD_PKGS) $(TEST_PKGS)
bench-deps:
	@sh tests/deps.sh $(BUILD_PKGS) $(BENCH_PKGS)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh data/demo.sh $(BIN)

# Builds and test programs run in parallel: `make check -jN` runs N at a
# time; a plain `make check` (as CI runs it) takes one per processor.
# With CI=true every unit, CLI and TUI test runs once, on the binary built
# with ASan and UBSan (same sources, same -O2), which fails on what the
# native run would let pass; the crash and race tests t800/t810, which time
# the native binary, and the fuzz targets run on their own builds.  One run
# rather than two keeps CI's wall time down.  The three builds share one
# pool of jobs, as do the two test runs, so that no processor waits for
# another build's link or another run's last test.  The closing line counts
# both runs.
PAR = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 2))
CI_SAN =
ifeq ($(CI),true)
ifneq ($(SANITIZE),1)
ifneq ($(VALGRIND),1)
CI_SAN = 1
endif
endif
endif

check: test-deps
	@sh tests/locale.sh
	+@$(MAKE) --no-print-directory $(PAR) check-builds
	@rm -f $(BUILD)/counts
	@[ "$(CI_SAN)" != 1 ] || echo "under AddressSanitizer and UndefinedBehaviorSanitizer, but for the crash" \
		"and race tests t800/t810 and the fuzz targets (native):"
	+@$(MAKE) --no-print-directory $(PAR) check-runs
	@sh tests/total.sh $(BUILD)/counts

.PHONY: check-builds check-runs check-build check-build-native check-build-san check-run check-run-san check-run-native
ifeq ($(CI_SAN),1)
# Natively only what t800/t810 use (the binary and gen-apps): the unit
# tests run on the sanitized build.
check-builds: check-build-native check-build-san fuzz-build
check-runs: check-run-san check-run-native
else
check-builds: check-build fuzz-build
check-runs: check-run
endif
check-build:
	+@$(MAKE) --no-print-directory all units tools
check-build-native:
	+@$(MAKE) --no-print-directory all $(TOOL_BIN)
check-build-san:
	+@$(MAKE) --no-print-directory SANITIZE=1 all units tools
check-run:
	+@VALGRIND=$(VALGRIND) FUZZ_BIN="$(FUZZ_BIN)" FUZZ_SECONDS=$(FUZZ_SECONDS) COUNTS=$(BUILD)/counts \
		sh tests/run.sh $(BUILD) || true
check-run-san:
	+@SANITIZED=1 COUNTS=$(BUILD)/counts sh tests/run.sh build-san || true
check-run-native:
	+@NO_UNITS=1 TESTS='t8[01]*' FUZZ_BIN="$(FUZZ_BIN)" FUZZ_SECONDS=$(FUZZ_SECONDS) COUNTS=$(BUILD)/counts \
		sh tests/run.sh $(BUILD) || true

bench: bench-deps
	@$(MAKE) --no-print-directory all tools
	@sh tests/bench/run.sh $(BUILD) $(BENCH_ROWS)

# libFuzzer targets (clang; Debian's clang and libclang-rt-14-dev), built in
# build-fuzz/ with ASan and UBSan.  `make fuzz FUZZ_TIME=600` runs each for
# that many seconds on its corpus in tests/fuzz/corpus/NAME/ (new inputs
# go to build-fuzz/corpus/NAME/, crashes to build-fuzz/crash-*).
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
# The targets reach no TUI or report code: the library without them.
FUZZ_LIB_SRC := $(filter-out src/tui/% src/report/%,$(LIB_SRC))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
FUZZ_TIME ?= 60
# Each target's short run inside make check.
FUZZ_SECONDS ?= 5
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined

fuzz-build:
	@sh tests/deps.sh clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) SANITIZE= CFLAGS= \
		SANFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" WARNFLAGS="-Wall -Wextra" \
		LIB_SRC="$(FUZZ_LIB_SRC)" build-fuzz/libzhijian.a
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libzhijian.a
	$(call msg,FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc -Ibuild-fuzz $(PKG_CFLAGS) -o $@ $< \
		build-fuzz/libzhijian.a $(LIBS) -lz

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_BIN)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGDATADIR)/checklists \
		$(DESTDIR)$(PKGDATADIR)/templates $(DESTDIR)$(PKGDATADIR)/samples \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/zhijian
	install -m 644 checklists/*.zjc checklists/*.zjm $(DESTDIR)$(PKGDATADIR)/checklists/
	install -m 644 data/templates/*.csv $(TEMPLATES) $(DESTDIR)$(PKGDATADIR)/templates/
	install -m 644 data/samples/*.csv $(DESTDIR)$(PKGDATADIR)/samples/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	for mo in $(MO); do \
		lang=$$(basename $$(dirname $$(dirname $$mo))); \
		install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
		install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/zhijian.mo; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/zhijian
	rm -rf $(DESTDIR)$(PKGDATADIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/zhijian.1
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))
	rm -f $(PO:po/%.po=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/zhijian.mo)

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_BIN:=.d) $(TOOL_BIN:=.d) $(TTOOL_BIN:=.d)
