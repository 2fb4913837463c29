# The app against a real OpenVidu Meet (tests/real-meet/): the API suite, then
# joining through Meet's own WebComponent in Chromium. Not part of `make test`:
# it needs a Meet, named by the environment:
#   MEET_REAL_URL          Meet's base URL, e.g. http://127.0.0.1:9080/meet (required)
#   MEET_REAL_API_KEY      its API key (default meet-api-key)
#   MEET_REAL_LIVEKIT_URL  the LIVEKIT_URL Meet gives browsers (default
#                          ws://localhost:7880); where nothing answers there,
#                          the suite's LiveKit stand-in does
# Screenshots go to test-artifacts/browser/real-meet-*.png.

.PHONY: test-real-meet

test-real-meet: $(PROGRAMS)
	@[ -n "$$MEET_REAL_URL" ] || { echo "test-real-meet: set MEET_REAL_URL to a real OpenVidu Meet (see mk/real-meet.mk)" >&2; exit 2; }
	$(SUITE_ENV) $(NODE_TEST) tests/real-meet/
