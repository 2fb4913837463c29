# meet-fcgi: the entry point for building, running and testing.
# Each part of the project keeps its rules in mk/<part>.mk; this file holds
# what they share (flags, the build directory) and the top-level targets.
# `make test` runs every suite that a part adds to TESTS, in order.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

PKG_CONFIG ?= pkg-config
CPPFLAGS   += -D_GNU_SOURCE -Ilib
CFLAGS     ?= -O2 -g
# override: a CFLAGS given on the command line (make check-asan passes
# CFLAGS='-O1 -g') must not drop the warnings or the sanitizer.
override CFLAGS  += -std=c11 -Wall -Wextra -Werror -fno-strict-aliasing $(SANITIZE)
override LDFLAGS += $(SANITIZE)

# Libraries, each asked of pkg-config once.
CURL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
CURL_LIBS   := $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null || echo -lcurl)
CJSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null)
CJSON_LIBS  := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null || echo -lcjson)
FCGI_CFLAGS := $(shell $(PKG_CONFIG) --cflags fcgi 2>/dev/null)
FCGI_LIBS   := $(shell $(PKG_CONFIG) --libs fcgi 2>/dev/null || echo -lfcgi)

TESTS :=

# The FastCGI programs, one per resource (cgi-bin/<name>.c): every list of
# programs (build, install, hosting bundle, checks) derives from this one.
PROGRAM_NAMES := rooms members config

# The Meet API emulator the suites run (emulator/).
MEET_EMULATOR_BIN ?= $(BUILD)/meet-emulator

.PHONY: all run test deps clean
all:

include $(sort $(wildcard mk/*.mk))

# Installs the Debian packages the build and the app need (sudo when not root).
deps:
	@scripts/deps.sh build

# Installs what is missing, builds, and serves http://localhost:$${SERVER_PORT:-6080}.
run: deps all
	@scripts/run.sh

test: all $(TESTS)
	@echo "make test: all suites passed ($(TESTS))"

clean:
	rm -rf $(BUILD) cgi-bin/*.fcgi test-artifacts
