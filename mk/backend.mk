# Backend: lib/ (libmeet.a), the FastCGI programs, their unit and integration tests.
#
# Everything built goes under $(BUILD), except the programs of the default
# build, which go to cgi-bin/ where the web server configs expect them. A
# build with another BUILD (make BUILD=build/asan SANITIZE=...) is fully
# separate: its programs go to $(BUILD)/cgi-bin/, and the integration tests
# run them from there (MEET_CGI_DIR).

QRENCODE_CFLAGS := $(shell $(PKG_CONFIG) --cflags libqrencode 2>/dev/null)
QRENCODE_LIBS   := $(shell $(PKG_CONFIG) --libs libqrencode 2>/dev/null || echo -lqrencode)
CMOCKA_CFLAGS   := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS     := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

BACKEND_CFLAGS := -pthread $(CURL_CFLAGS) $(CJSON_CFLAGS) $(FCGI_CFLAGS) $(QRENCODE_CFLAGS)
BACKEND_LIBS   := -pthread $(FCGI_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(QRENCODE_LIBS)

CGI_DIR  := $(if $(filter build,$(BUILD)),cgi-bin,$(BUILD)/cgi-bin)
LIBMEET  := $(BUILD)/libmeet.a
LIB_OBJS := $(patsubst lib/%.c,$(BUILD)/lib/%.o,$(wildcard lib/*.c))
PROGRAMS := $(CGI_DIR)/rooms.fcgi $(CGI_DIR)/members.fcgi $(CGI_DIR)/config.fcgi
PROGRAM_OBJS := $(patsubst cgi-bin/%.c,$(BUILD)/programs/%.o,$(wildcard cgi-bin/*.c))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))

all: $(PROGRAMS)

$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(BACKEND_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBMEET): $(LIB_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/programs/%.o: cgi-bin/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(BACKEND_CFLAGS) -MMD -MP -c -o $@ $<

$(CGI_DIR)/%.fcgi: $(BUILD)/programs/%.o $(LIBMEET)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBMEET) $(BACKEND_LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIBMEET)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(BACKEND_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP \
		$(LDFLAGS) -o $@ $< $(LIBMEET) $(BACKEND_LIBS) $(CMOCKA_LIBS)

# Kept (not intermediate) so their .d files track header changes.
.SECONDARY: $(PROGRAM_OBJS)
-include $(LIB_OBJS:.o=.d) $(PROGRAM_OBJS:.o=.d) $(UNIT_TESTS:=.d)

.PHONY: backend test-unit
backend: $(PROGRAMS)

# Each unit test is a cmocka program over the pure functions of lib/.
test-unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do $$t; done

TESTS += test-unit
