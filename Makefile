# RaportAI build. `make` builds build/raportai; `make run` installs what is
# missing and starts the server; `make test` builds with sanitizers and runs
# every test. See README.md.

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libsodium libzip libxml-2.0 libcurl \
           libavformat libavcodec libswresample libavutil pocketsphinx sphinxbase espeak-ng \
           cairo pangocairo
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lunistring -lpthread -lm
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -Isrc $(PKG_CFLAGS) -MMD -MP
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

SRC      := $(sort $(wildcard src/*/*.c))
# The unit tests link tests/unit/support/http_double.c (a request a test
# writes, without libmicrohttpd) in place of the server, and with it the
# other helpers in tests/unit/support (TEST_SRC takes every .c there).
LIB_SRC  := $(filter-out src/cli/main.c src/http/server.c,$(SRC))
TEST_SRC := $(sort $(wildcard tests/unit/*/*.c))

OBJ          := $(SRC:%.c=build/obj/%.o)
ASAN_OBJ     := $(SRC:%.c=build/asan/obj/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build/asan/obj/%.o)
TEST_OBJ     := $(TEST_SRC:%.c=build/asan/obj/%.o)

.PHONY: all run test deps test-deps lint clean bench bench-claim bench-quality fuzz fuzz-build fuzz-regress
all: build/raportai

deps:
	@scripts/deps.sh

test-deps:
	@scripts/deps.sh test

build/raportai: $(OBJ)
	@echo "LD $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/raportai: $(ASAN_OBJ)
	@echo "LD $@"
	@$(CC) $(SAN) -g -o $@ $^ $(PKG_LIBS)

build/asan/unit-tests: $(ASAN_LIB_OBJ) $(TEST_OBJ)
	@echo "LD $@"
	@$(CC) $(SAN) -g -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs criterion)

build/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC (asan) $<"
	@$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) -Isrc $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang and
# ASan+UBSan against the same sources. `make fuzz` runs each for
# FUZZ_SECONDS, new inputs going to build/fuzz/corpus/<target> (never the
# repository); `make fuzz-regress` runs each over its seed corpus once.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
# The targets call no server: handlers' modules link the request double, as
# the unit tests do.
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/tests/unit/support/http_double.o
FUZZ_OBJ     := $(FUZZ_SRC:%.c=build/fuzz/obj/%.o)

fuzz-build: $(FUZZ_BIN)

fuzz: test-deps fuzz-build
	@scripts/fuzz.sh run $(FUZZ_SECONDS)

fuzz-regress: fuzz-build
	@scripts/fuzz.sh regress

build/fuzz/libraportai.a: $(FUZZ_LIB_OBJ)
	@echo "AR $@"
	@rm -f $@
	@ar rcs $@ $^

$(FUZZ_BIN): build/fuzz/%: build/fuzz/obj/tests/fuzz/%.o build/fuzz/libraportai.a
	@echo "LD $@"
	@$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -g -o $@ $^ $(PKG_LIBS)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC (fuzz) $<"
	@$(FUZZ_CC) $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN) -Isrc $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

run: deps
	@$(MAKE) --no-print-directory build/raportai
	./build/raportai serve

lint:
	@scripts/lint.sh

test: test-deps
	@$(MAKE) --no-print-directory build/raportai build/asan/raportai build/asan/unit-tests fuzz-build
	@[ -d tests/browser/node_modules/playwright-core ] || npm ci --prefix tests/browser --no-audit --no-fund
	@tests/run.sh

clean:
	rm -rf build

-include $(OBJ:.o=.d) build/obj/bench/claim_queue.d $(ASAN_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)

bench: test-deps build/raportai
	python3 bench/poll.py build/raportai
	python3 bench/text_jobs.py build/raportai
	python3 bench/auth_flood.py build/raportai
	python3 bench/signin_flood.py build/raportai
	python3 bench/slow_clients.py build/raportai
	python3 bench/upload_memory.py build/raportai
	python3 bench/long_audio.py build/raportai
	python3 bench/wer.py --markdown docs/asr-wer.md
	python3 bench/org_lm.py --markdown docs/asr-wer.md

# What one claim of the fair queue costs with 20,000 jobs queued
# (bench/claim_queue.c, built like the server, -O2).
CLAIM_JOBS ?= 20000
bench-claim: build/bench/claim_queue
	build/bench/claim_queue $(CLAIM_JOBS)

build/bench/claim_queue: build/obj/bench/claim_queue.o $(filter-out build/obj/src/cli/main.o,$(OBJ))
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# Report quality on the evaluation set of bench/eval: sections, split, voice
# commands per language and engine, and WER of English audio (docs/quality.md).
bench-quality: test-deps build/raportai
	python3 bench/quality.py --markdown docs/quality.md
