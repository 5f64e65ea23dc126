# tolk — Norwegian (Bokmål) → English translation memory and glossary.
# Plain GNU make.  `make demo` and `make check` are the two setup commands.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
VERSION  := 0.1.0

WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wvla -Wwrite-strings -Wno-format-truncation -Werror
OPT      ?= -O2 -g
CFLAGS_ALL = -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) -I. -MMD -MP \
             -DTOLK_VERSION='"$(VERSION)"' $(DEP_CFLAGS) $(SAN_FLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SAN_FLAGS) $(LDFLAGS)

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
else
Q = @echo "  CC/LD $@";
endif

ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined
OPT       := -O1 -g
endif
# libFuzzer build (clang): the library is instrumented, targets get
# libFuzzer's main.
ifeq ($(SAN),fuzz)
SAN_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
             -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT       := -O1 -g
WARN      += -Wno-unknown-warning-option
endif

LIB_SRC  := $(sort $(wildcard util/*.c tm/*.c tm/text/*.c glossary/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
PUB_HDR  := $(filter-out %_int.h,$(wildcard util/*.h tm/*.h tm/text/*.h glossary/*.h))

# Data compiled into the library: tolk's default SRX rules become a C
# array (od and awk only, no extra package).
GEN_SRC  := $(BUILD)/gen/tolk_srx.c

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:%.c=%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_REG := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz-regress/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzzers/%)
LIB      := $(BUILD)/libtolk.a
VARDUMP  := $(BUILD)/tolk-vardump
FUZZ_SECONDS ?= 60

.PHONY: all deps demo check check-asan unit-tests bench eval fuzz format \
        format-check headercheck install clean fuzz-run man

all: tolk

# Dependency flags come from pkg-config once deps.sh has made sure the
# packages are there; make rebuilds this file first and restarts.  Goals
# that need no compiler flags skip it, unless another goal asked for does
# (`make format-check headercheck` needs them).
NOCONF_GOALS := clean format format-check deps
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(NOCONF_GOALS),$(MAKECMDGOALS)),)
SKIP_CONFIG := 1
endif
endif
ifneq ($(SKIP_CONFIG),1)
-include $(BUILD)/config.mk
endif

$(BUILD)/config.mk: scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(BUILD)
	@{ echo "DEP_CFLAGS := $$(pkg-config --cflags sqlite3 libpq icu-uc icu-i18n libxml-2.0)"; \
	   echo "DEP_LIBS := $$(pkg-config --libs sqlite3 libpq icu-uc icu-i18n libxml-2.0) -lstemmer -lm"; \
	   echo "CMOCKA_CFLAGS := $$(pkg-config --cflags cmocka)"; \
	   echo "CMOCKA_LIBS := $$(pkg-config --libs cmocka)"; } > $@.tmp
	@mv $@.tmp $@

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/gen/tolk_srx.c: tm/text/data/tolk.srx
	@mkdir -p $(dir $@)
	@{ echo '/* Generated from tm/text/data/tolk.srx by the Makefile. */'; \
	   echo '#include "tm/text/srx_int.h"'; \
	   echo 'const unsigned char tm_srx_builtin[] = {'; \
	   od -An -v -tx1 $< | awk '{ for (i = 1; i <= NF; i++) \
		printf "0x%s,", $$i; print "" }'; \
	   echo '0};'; \
	   echo "const size_t tm_srx_builtin_len = $$(wc -c < $<);"; } > $@.tmp
	@mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/config.mk
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/tolk: $(CLI_OBJ) $(LIB)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(DEP_LIBS)

tolk: $(BUILD)/tolk
	cp $< $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) $(CMOCKA_CFLAGS) -o $@ $< $(LIB) $(CMOCKA_LIBS) \
		$(DEP_LIBS) $(LDFLAGS_ALL)

unit-tests: $(UNIT_BIN) $(VARDUMP)

# The tests' reader of a TM's variants (tests/tolk-vardump.c).
$(VARDUMP): tests/tolk-vardump.c $(LIB) $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(DEP_LIBS) $(LDFLAGS_ALL)

# Fuzz targets built with a plain main that replays files: `make check`
# runs every kept crash input and seed through them.
$(BUILD)/fuzz-regress/%: tests/fuzz/%.c tests/fuzz/driver.c $(LIB) \
		$(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< tests/fuzz/driver.c $(LIB) \
		$(DEP_LIBS) $(LDFLAGS_ALL)

$(BUILD)/fuzzers/%: tests/fuzz/%.c $(LIB) $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(LIB) \
		$(DEP_LIBS) $(LDFLAGS_ALL)

fuzz:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang SAN=fuzz \
		fuzz-run

fuzz-run: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

demo: tolk
	@sh scripts/demo.sh ./tolk $(BUILD)

# The formatting and the self-contained headers are checked first (both
# offline, a few seconds), so that the test summary stays the last line.
check: tolk unit-tests $(VARDUMP) $(FUZZ_REG)
	@$(MAKE) --no-print-directory headercheck
	@$(MAKE) --no-print-directory format-check
	@sh tests/run.sh $(BUILD)

# Benchmark input generators (not part of the library or the tests).
$(BUILD)/bench/%: bench/%.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $<

bench: tolk $(VARDUMP) $(BUILD)/bench/gen_tmx $(BUILD)/bench/gen_parallel \
		$(BUILD)/match_bench $(BUILD)/lookup_bench $(BUILD)/pg_bench
	@sh bench/run.sh $(BUILD)

eval: $(BUILD)/tolk
	@sh scripts/eval.sh $(BUILD)
	@sh scripts/eval-check.sh $(BUILD)

# Benchmark programs: one per bench/*.c, linked with the library.
$(BUILD)/match_bench: bench/match_bench.c $(LIB) $(BUILD)/config.mk
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(DEP_LIBS) $(LDFLAGS_ALL)

$(BUILD)/lookup_bench: bench/lookup_bench.c $(LIB) $(BUILD)/config.mk
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(DEP_LIBS) $(LDFLAGS_ALL)

$(BUILD)/tok_bench: bench/tok_bench.c $(LIB) $(BUILD)/config.mk
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(DEP_LIBS) $(LDFLAGS_ALL)

$(BUILD)/pg_bench: bench/pg_bench.c $(LIB) $(BUILD)/config.mk
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(DEP_LIBS) $(LDFLAGS_ALL)

check-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 check

headercheck: $(BUILD)/config.mk
	@for h in $(PUB_HDR); do \
		printf '#include "%s"\n' $$h | \
		$(CC) $(CFLAGS_ALL) -x c -fsyntax-only - || exit 1; \
	done; echo "headercheck: $(words $(PUB_HDR)) headers self-contained"

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) $(FUZZ_SRC) \
		tests/tolk-vardump.c \
		$(wildcard util/*.h tm/*.h tm/text/*.h glossary/*.h cli/*.h tests/*/*.h)

format-check:
	@command -v clang-format >/dev/null || { \
		echo "format-check: needs clang-format (Debian package clang-format)" >&2; exit 1; }
	@clang-format --dry-run --Werror $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) $(FUZZ_SRC) \
		tests/tolk-vardump.c \
		$(wildcard util/*.h tm/*.h tm/text/*.h glossary/*.h cli/*.h tests/*/*.h)

# The man page is generated from the command tables and committed; a CLI
# test fails when it is out of date.
man: tolk
	./tolk help --man >docs/tolk.1.tmp && mv docs/tolk.1.tmp docs/tolk.1

install: tolk
	install -D -m 755 tolk $(DESTDIR)$(PREFIX)/bin/tolk
	install -D -m 644 docs/tolk.1 $(DESTDIR)$(PREFIX)/share/man/man1/tolk.1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	./tolk completion bash \
		>$(DESTDIR)$(PREFIX)/share/bash-completion/completions/tolk
	./tolk completion zsh >$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_tolk
	./tolk completion fish \
		>$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/tolk.fish

# Removes $(BUILD), whatever it names, and the binary; a BUILD that is
# not a folder inside the tree (.., /, an absolute path elsewhere) is
# refused rather than deleted.
clean:
	@case "$$(realpath -s -m -- '$(BUILD)')/" in \
	"$$(realpath -s -m .)"/?*) ;; \
	*) echo "make clean: BUILD='$(BUILD)' is not a folder inside" \
		"$(CURDIR): refused" >&2; exit 1 ;; \
	esac
	rm -rf -- '$(BUILD)' tolk

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(FUZZ_REG:=.d) \
	$(FUZZ_BIN:=.d) \
	$(VARDUMP).d
