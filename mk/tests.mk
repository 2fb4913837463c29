# Black-box suites (tests/): the built programs and the emulator, each suite
# starting what it needs on free ports (tests/lib/stack.mjs).
#
#   test-cgi       a program run as plain CGI, no web server     tests/cgi/
#   test-api       the API through lighttpd (FastCGI and CGI)    tests/server/api/
#   test-hostile   hostile input, faults, security headers       tests/server/hostile/
#   test-matrix    every web-server configuration, make install  tests/server/matrix/
#   test-hosting   the shared-hosting bundle under Apache        tests/server/hosting/
#   test-browser   the UI in Chromium (playwright-core)          tests/browser/
#   test-load      wrk against the stack (not in `make test`)    tests/server/load/
#
# MEET_CGI_DIR tells the suites which build of the programs to run, so the
# sanitizer and valgrind checks (mk/checks.mk) reuse them unchanged.

.PHONY: test-cgi test-api test-hostile test-matrix test-hosting test-browser test-load

SUITE_ENV = MEET_CGI_DIR=$(CURDIR)/$(CGI_DIR) MEET_EMULATOR_BIN=$(abspath $(MEET_EMULATOR_BIN))
NODE_TEST = node --test --test-concurrency=1

test-cgi: $(PROGRAMS)
	$(SUITE_ENV) $(NODE_TEST) tests/cgi/

test-api: $(PROGRAMS) $(MEET_EMULATOR_BIN)
	$(SUITE_ENV) $(NODE_TEST) tests/server/api/

test-hostile: $(PROGRAMS) $(MEET_EMULATOR_BIN)
	$(SUITE_ENV) $(NODE_TEST) tests/server/hostile/

test-matrix: $(PROGRAMS) $(MEET_EMULATOR_BIN)
	$(SUITE_ENV) $(NODE_TEST) tests/server/matrix/

test-hosting: hosting-bundle $(MEET_EMULATOR_BIN)
	HOSTING_BUNDLE=$(CURDIR)/$(HOSTING_DIR) $(SUITE_ENV) $(NODE_TEST) tests/server/hosting/

# Screenshots go to test-artifacts/browser/.
test-browser: $(PROGRAMS) $(MEET_EMULATOR_BIN)
	$(SUITE_ENV) node --test tests/browser/

LOAD_SECONDS ?= 60
test-load: $(PROGRAMS) $(MEET_EMULATOR_BIN)
	$(SUITE_ENV) LOAD_SECONDS=$(LOAD_SECONDS) node tests/server/load/load.mjs

TESTS += test-cgi test-api test-hostile test-matrix test-hosting test-browser
