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

ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined
OPT       := -O1 -g
endif

LIB_SRC  := $(sort $(wildcard util/*.c tm/*.c glossary/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
PUB_HDR  := $(filter-out %_int.h,$(wildcard util/*.h tm/*.h glossary/*.h))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libtolk.a

.PHONY: all deps demo check check-asan unit-tests bench eval fuzz format \
        format-check headercheck install clean

all: tolk

# Dependency flags come from pkg-config once deps.sh has made sure the
# packages are there; make rebuilds this file first and restarts.
ifeq ($(filter clean format format-check deps,$(MAKECMDGOALS)),)
-include $(BUILD)/config.mk
endif

$(BUILD)/config.mk: scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(BUILD)
	@{ echo "DEP_CFLAGS := $$(pkg-config --cflags sqlite3 icu-uc icu-i18n libxml-2.0)"; \
	   echo "DEP_LIBS := $$(pkg-config --libs sqlite3 icu-uc icu-i18n libxml-2.0) -lstemmer -lm"; \
	   echo "CMOCKA_CFLAGS := $$(pkg-config --cflags cmocka)"; \
	   echo "CMOCKA_LIBS := $$(pkg-config --libs cmocka)"; } > $@.tmp
	@mv $@.tmp $@

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tolk: $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(DEP_LIBS)

tolk: $(BUILD)/tolk
	cp $< $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(CMOCKA_CFLAGS) -o $@ $< $(LIB) $(CMOCKA_LIBS) \
		$(DEP_LIBS) $(LDFLAGS_ALL)

unit-tests: $(UNIT_BIN)

demo: tolk
	@sh scripts/demo.sh ./tolk $(BUILD)

check: $(BUILD)/tolk unit-tests
	@sh tests/run.sh $(BUILD)

# Benchmark input generators (not part of the library or the tests).
$(BUILD)/bench/%: bench/%.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $<

# Fuzz targets (tests/fuzz/fuzz_*.c), built with clang's libFuzzer and
# the sanitizers from the library sources; `make fuzz` runs each for
# FUZZ_TIME seconds, seeded from the shared corpus.
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_TIME ?= 60

build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	clang -std=c17 -D_GNU_SOURCE -g -O1 -I. -DTOLK_VERSION='"$(VERSION)"' \
		$(DEP_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-o $@ $< $(LIB_SRC) $(DEP_LIBS)

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		mkdir -p $$f.corpus; \
		$$f -max_total_time=$(FUZZ_TIME) $$f.corpus \
			$${TOLK_SHARED:-../shared}/corpus/tmx || exit 1; \
	done

bench: tolk $(BUILD)/bench/gen_tmx
	@sh bench/run.sh $(BUILD)

check-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 check

headercheck: $(BUILD)/config.mk
	@for h in $(PUB_HDR); do \
		printf '#include "%s"\n' $$h | \
		$(CC) $(CFLAGS_ALL) -x c -fsyntax-only - || exit 1; \
	done; echo "headercheck: $(words $(PUB_HDR)) headers self-contained"

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) \
		$(wildcard util/*.h tm/*.h glossary/*.h cli/*.h tests/*/*.h)

format-check:
	clang-format --dry-run --Werror $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) \
		$(wildcard util/*.h tm/*.h glossary/*.h cli/*.h tests/*/*.h)

install: tolk
	install -D -m 755 tolk $(DESTDIR)$(PREFIX)/bin/tolk
	install -D -m 644 docs/tolk.1 $(DESTDIR)$(PREFIX)/share/man/man1/tolk.1

clean:
	rm -rf build tolk

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d)
