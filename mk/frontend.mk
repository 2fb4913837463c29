# Frontend part: the static page in htdocs/ and its browser tests, which drive
# Debian's /usr/bin/chromium through playwright-core against the emulator and
# the app behind lighttpd (tests/lib/stack.mjs). Screenshots go to
# test-artifacts/browser/.

.PHONY: test-browser favicon

MEET_EMULATOR_BIN ?= build/meet-emulator

test-browser: all $(MEET_EMULATOR_BIN)
	MEET_CGI_DIR=$(CURDIR)/$(CGI_DIR) MEET_EMULATOR_BIN=$(CURDIR)/$(MEET_EMULATOR_BIN) \
		node --test tests/browser/*.test.mjs

# Regenerates the committed htdocs/images/favicon.ico.
favicon:
	node tests/browser/make-favicon.mjs

TESTS += test-browser
