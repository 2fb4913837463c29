# Frontend: the static page in htdocs/ (served as is; its browser tests are
# in tests/browser/, see mk/tests.mk).

.PHONY: favicon

# Regenerates the committed htdocs/images/favicon.ico.
favicon:
	node tools/make-favicon.mjs
