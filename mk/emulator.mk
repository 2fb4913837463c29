# Emulator part: the Meet API emulator (emulator/, C + libmicrohttpd)
# → $(BUILD)/meet-emulator, its static files compiled in, and its two suites:
# the conformance replay of the 3.8.0 transcripts and the emulator's own tests.
# $(SANITIZE) reaches it through CFLAGS/LDFLAGS like every other program.

MHD_CFLAGS    := $(shell $(PKG_CONFIG) --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS      := $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
CRYPTO_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
CRYPTO_LIBS   := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto)
ZLIB_CFLAGS   := $(shell $(PKG_CONFIG) --cflags zlib 2>/dev/null)
ZLIB_LIBS     := $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null || echo -lz)

EMULATOR       := $(BUILD)/meet-emulator
EMULATOR_SRCS  := $(wildcard emulator/src/*.c)
EMULATOR_OBJS  := $(patsubst emulator/src/%.c,$(BUILD)/emulator/%.o,$(EMULATOR_SRCS)) $(BUILD)/emulator/assets.o
EMULATOR_ASSETS := $(addprefix emulator/static/,openvidu-meet.js room.js room.css)
EMULATOR_CFLAGS := $(MHD_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS) $(ZLIB_CFLAGS) -pthread
EMULATOR_LIBS   := $(MHD_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS) -pthread

all: $(EMULATOR)

$(BUILD)/emulator/%.o: emulator/src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(EMULATOR_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/emulator/assets.c: $(EMULATOR_ASSETS) emulator/src/embed.sh
	@mkdir -p $(@D)
	sh emulator/src/embed.sh $@ $(EMULATOR_ASSETS)

$(BUILD)/emulator/assets.o: $(BUILD)/emulator/assets.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(EMULATOR): $(EMULATOR_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(EMULATOR_LIBS)

-include $(EMULATOR_OBJS:.o=.d)

.PHONY: emulator test-emulator test-conformance

# Runs the emulator in the foreground (Ctrl-C stops it); settings from the
# environment: MEET_EMULATOR_PORT (9080), MEET_EMULATOR_HOST, MEET_EMULATOR_NAMING,
# MEET_EMULATOR_FAULT, MEET_EMULATOR_LOG, OV_MEET_API_KEY.
emulator: $(EMULATOR)
	@exec $(EMULATOR)

# Every recorded 3.8.0 transcript (emulator/conformance/transcripts/) replayed
# against a fresh emulator.
test-conformance: $(EMULATOR)
	MEET_EMULATOR_BIN=$(CURDIR)/$(EMULATOR) node --test emulator/conformance/

# The emulator's own behaviour: operations, pagination, faults, log, pages,
# the WebComponent in Chromium.
test-emulator: $(EMULATOR)
	MEET_EMULATOR_BIN=$(CURDIR)/$(EMULATOR) node --test --test-concurrency=1 emulator/tests/

TESTS += test-conformance test-emulator
