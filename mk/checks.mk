# Checks beyond `make test`: the programs under sanitizers, valgrind and
# fuzzing (docs/hardening.md). test-fuzz-replay is part of `make test`.
#
#   make check-asan       unit, cgi, api, hostile and fuzz-replay suites with
#                         ASan+UBSan builds of everything ($(BUILD)/asan)
#   make check-tsan       cgi and api suites with ThreadSanitizer builds of the programs
#   make check-valgrind   unit tests under memcheck, then the cgi, api and
#                         hostile suites with every program under memcheck
#   make fuzz             each libFuzzer target for FUZZ_SECONDS (default 60)

.PHONY: check-asan check-tsan check-valgrind fuzz test-fuzz-replay

# --- Fuzzing -----------------------------------------------------------------
FUZZ_TARGETS := route body env meet_answer
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# What the targets run: lib/, and the programs' tables with program_list.
FUZZ_SRCS    := $(wildcard lib/*.c) $(PROGRAM_SRCS) $(PROGRAM_LIST)

# libFuzzer needs clang's coverage instrumentation in that code too, so the
# targets compile it themselves rather than link $(LIBMEET) and $(LIBPROGRAMS).
$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_SRCS) $(wildcard lib/*.h cgi-bin/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -Icgi-bin -std=c11 -Wall -Wextra -Werror $(FUZZ_FLAGS) $(BACKEND_CFLAGS) \
		-o $@ $< $(FUZZ_SRCS) $(BACKEND_LIBS)

# Runs each target for FUZZ_SECONDS on the committed seeds plus what earlier
# runs found ($(FUZZ_DIR)/corpus/); a crash input is kept in $(FUZZ_DIR)/crashes/
# and fails the run: copy it to fuzz/regressions/<target>-<name> and fix.
fuzz: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/crashes; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  if ! $(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	       -artifact_prefix=$(FUZZ_DIR)/crashes/$$t- $(FUZZ_DIR)/corpus/$$t fuzz/corpus/$$t \
	       >$(FUZZ_DIR)/$$t.log 2>&1; then \
	    tail -40 $(FUZZ_DIR)/$$t.log; echo "fuzz: $$t FAILED (input in $(FUZZ_DIR)/crashes/)"; exit 1; \
	  fi; \
	  grep -E 'stat::number_of_executed_units|stat::new_units_added|cov: ' $(FUZZ_DIR)/$$t.log | tail -3; \
	done

# Every seed and every crash ever found, replayed through the same entry
# points with the ordinary compiler (and with ASan under check-asan).
FUZZ_REPLAYS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/replay_%)
$(FUZZ_DIR)/replay_%: fuzz/replay.c fuzz/fuzz_%.c $(LIBPROGRAMS) $(LIBMEET)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icgi-bin $(CFLAGS) $(BACKEND_CFLAGS) $(LDFLAGS) -o $@ fuzz/replay.c fuzz/fuzz_$*.c \
		$(LIBPROGRAMS) $(LIBMEET) $(BACKEND_LIBS)

test-fuzz-replay: $(FUZZ_REPLAYS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  printf 'fuzz replay %s: ' $$t; \
	  $(FUZZ_DIR)/replay_$$t fuzz/corpus/$$t/* $$(ls fuzz/regressions/$$t-* 2>/dev/null); \
	done

TESTS += test-fuzz-replay

# --- Sanitizers ----------------------------------------------------------------
ASAN_BUILD   := $(BUILD)/asan
ASAN_FLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_REPORTS := $(CURDIR)/$(ASAN_BUILD)/reports

# The FastCGI processes' stderr goes to the web server's log, which a test
# may never read, so every report is also written to a file under
# $(ASAN_REPORTS) (log_path), and any file there fails the target.
check-asan:
	@rm -rf $(ASAN_REPORTS) && mkdir -p $(ASAN_REPORTS)
	$(MAKE) BUILD=$(ASAN_BUILD) SANITIZE='$(ASAN_FLAGS)' CFLAGS='-O1 -g' \
		$(PROGRAM_NAMES:%=$(ASAN_BUILD)/cgi-bin/%.fcgi) $(ASAN_BUILD)/meet-emulator
	ASAN_OPTIONS=log_path=$(ASAN_REPORTS)/asan:detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=log_path=$(ASAN_REPORTS)/ubsan:print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tools/sanitizers/lsan.supp \
		$(MAKE) BUILD=$(ASAN_BUILD) SANITIZE='$(ASAN_FLAGS)' CFLAGS='-O1 -g' \
		MEET_EMULATOR_BIN=$(ASAN_BUILD)/meet-emulator \
		test-unit test-cgi test-api test-hostile test-fuzz-replay
	@if [ -n "$$(ls -A $(ASAN_REPORTS))" ]; then \
	  cat $(ASAN_REPORTS)/*; echo "check-asan: sanitizer reports above ($(ASAN_REPORTS))"; exit 1; \
	fi
	@echo "check-asan: no sanitizer report"

# ThreadSanitizer on the programs' workers (lib/app.c), under the cgi and api
# suite (its concurrency tests keep eight workers busy at once). libcurl,
# libfcgi and cJSON are not instrumented: this checks our own shared state.
TSAN_BUILD   := $(BUILD)/tsan
TSAN_FLAGS   := -fsanitize=thread -fno-omit-frame-pointer
TSAN_REPORTS := $(CURDIR)/$(TSAN_BUILD)/reports

check-tsan: $(MEET_EMULATOR_BIN)
	@rm -rf $(TSAN_REPORTS) && mkdir -p $(TSAN_REPORTS)
	$(MAKE) BUILD=$(TSAN_BUILD) SANITIZE='$(TSAN_FLAGS)' CFLAGS='-O1 -g' \
		$(PROGRAM_NAMES:%=$(TSAN_BUILD)/cgi-bin/%.fcgi)
	TSAN_OPTIONS=log_path=$(TSAN_REPORTS)/tsan:atexit_sleep_ms=0 MEET_UNDER_TSAN=1 \
		$(MAKE) BUILD=$(TSAN_BUILD) SANITIZE='$(TSAN_FLAGS)' CFLAGS='-O1 -g' \
		MEET_EMULATOR_BIN=$(abspath $(MEET_EMULATOR_BIN)) test-cgi test-api
	@if [ -n "$$(ls -A $(TSAN_REPORTS))" ]; then \
	  cat $(TSAN_REPORTS)/*; echo "check-tsan: ThreadSanitizer reports above ($(TSAN_REPORTS))"; exit 1; \
	fi
	@echo "check-tsan: no ThreadSanitizer report"

# --- Valgrind ------------------------------------------------------------------
VG_DIR  := $(CURDIR)/$(BUILD)/valgrind
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --suppressions=$(CURDIR)/tools/sanitizers/valgrind.supp

# Programs run through wrappers with the programs' names, so lighttpd (and
# the plain-CGI tests) start them under memcheck, each writing its own log.
check-valgrind: $(PROGRAMS) $(UNIT_TESTS) $(MEET_EMULATOR_BIN)
	@set -e; for t in $(UNIT_TESTS); do echo "valgrind $$t"; $(VALGRIND) $$t >/dev/null; done
	@rm -rf $(VG_DIR) && mkdir -p $(VG_DIR)/cgi-bin $(VG_DIR)/logs
	@for p in $(PROGRAM_NAMES); do \
	  printf '#!/bin/sh\nexec %s --log-file=%s/logs/%s.%%p.log %s/%s/%s.fcgi "$$@"\n' \
	    "$(VALGRIND)" "$(VG_DIR)" $$p "$(CURDIR)" "$(CGI_DIR)" $$p > $(VG_DIR)/cgi-bin/$$p.fcgi; \
	  chmod +x $(VG_DIR)/cgi-bin/$$p.fcgi; \
	done
	MEET_CGI_DIR=$(VG_DIR)/cgi-bin MEET_EMULATOR_BIN=$(CURDIR)/$(MEET_EMULATOR_BIN) MEET_UNDER_VALGRIND=1 MEET_TEST_START_MS=60000 \
		node --test --test-concurrency=1 tests/cgi/ tests/server/api/ tests/server/hostile/
	@# lighttpd is gone; give the programs under memcheck time to finish their leak check.
	@for i in $$(seq 1 100); do pgrep -f "$(VG_DIR)/logs" >/dev/null || break; sleep 0.2; done
	@n=$$(ls $(VG_DIR)/logs | wc -l); bad=$$(find $(VG_DIR)/logs -type f -size +0 | wc -l); \
	 echo "check-valgrind: $$n program runs under memcheck, $$bad with errors or definite leaks"; \
	 if [ $$bad -ne 0 ]; then find $(VG_DIR)/logs -type f -size +0 | head -5 | xargs cat; exit 1; fi
