# Deployment: the shared-hosting bundle and `make install`/`uninstall`; the
# web-server configurations themselves are in deploy/ (tested by
# tests/server/matrix/ and tests/server/hosting/, see mk/tests.mk).
# Uses backend.mk's objects ($(BUILD)/programs/*.o, $(LIBMEET)).

.PHONY: hosting-bundle install uninstall

# --- shared hosting --------------------------------------------------------
# libfcgi is linked statically; Debian has no static cJSON or libqrencode,
# so their shared objects travel in cgi-bin/lib (found through $ORIGIN/lib);
# libcurl (with its TLS stack) is the host's: libcurl.so.4.
HOSTING_DIR      := $(BUILD)/hosting/meet-fcgi
HOSTING_TARBALL  := $(BUILD)/meet-fcgi-hosting.tar.gz
HOSTING_PROGRAMS := $(PROGRAM_NAMES:%=$(BUILD)/hosting/programs/%.cgi)
HOSTING_LIBS     := -pthread -Wl,-Bstatic -lfcgi -Wl,-Bdynamic $(CURL_LIBS) $(CJSON_LIBS) $(QRENCODE_LIBS)

$(BUILD)/hosting/programs/%.cgi: $(call program_objs,%) $(LIBMEET)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(HOSTING_LIBS) -Wl,-rpath,'$$ORIGIN/lib'

hosting-bundle: $(HOSTING_PROGRAMS)
	deploy/shared-hosting/bundle.sh $(BUILD)/hosting/programs $(HOSTING_DIR)
	tar -C $(dir $(HOSTING_DIR)) -czf $(HOSTING_TARBALL) $(notdir $(HOSTING_DIR))
	@echo "hosting-bundle: $(HOSTING_DIR)/ and $(HOSTING_TARBALL) (docs/deployment.md, 'Shared hosting')"

# --- make install ------------------------------------------------------------
# $(PREFIX)/lib/meet-fcgi/cgi-bin   the programs
# $(PREFIX)/share/meet-fcgi         htdocs/ and the server configurations, in
#                                   the project's layout, so they run from there
#                                   with MEET_APP_ROOT=$(PREFIX)/share/meet-fcgi
# $(PREFIX)/share/doc/meet-fcgi     README.md, env.example
# uninstall removes exactly these files, then the directories left empty.
INSTALL      ?= install
APP_USER     ?= meet-fcgi
APP_LIBDIR   := $(PREFIX)/lib/meet-fcgi
APP_DATADIR  := $(PREFIX)/share/meet-fcgi
APP_DOCDIR   := $(PREFIX)/share/doc/meet-fcgi
INSTALL_PROGRAMS := $(PROGRAM_NAMES:=.fcgi)
INSTALL_DATA := $(sort $(shell find htdocs -type f)) lighttpd.conf deploy/lighttpd-cgi.conf \
	deploy/apache-common.conf deploy/apache-fcgid.conf deploy/apache-cgi.conf deploy/nginx.conf \
	deploy/shared-hosting/htaccess deploy/shared-hosting/cgi-bin-htaccess \
	deploy/shared-hosting/meet-fcgi.env.example
INSTALL_SCRIPTS := deploy/serve.sh deploy/lighttpd-auth.sh
INSTALL_FILES := $(addprefix $(APP_LIBDIR)/cgi-bin/,$(INSTALL_PROGRAMS)) \
	$(addprefix $(APP_DATADIR)/,$(INSTALL_DATA) $(INSTALL_SCRIPTS)) \
	$(APP_DOCDIR)/README.md $(APP_DOCDIR)/env.example

install: $(addprefix cgi-bin/,$(INSTALL_PROGRAMS))
	$(INSTALL) -d $(DESTDIR)$(APP_LIBDIR)/cgi-bin $(DESTDIR)$(APP_DOCDIR)
	$(INSTALL) -m 0755 $^ $(DESTDIR)$(APP_LIBDIR)/cgi-bin/
	@set -e; for f in $(INSTALL_DATA); do \
		$(INSTALL) -d $(DESTDIR)$(APP_DATADIR)/$$(dirname $$f); \
		$(INSTALL) -m 0644 $$f $(DESTDIR)$(APP_DATADIR)/$$f; done
	$(INSTALL) -m 0755 $(INSTALL_SCRIPTS) $(DESTDIR)$(APP_DATADIR)/deploy/
	$(INSTALL) -m 0644 README.md $(DESTDIR)$(APP_DOCDIR)/README.md
	$(INSTALL) -m 0644 .env.example $(DESTDIR)$(APP_DOCDIR)/env.example
	@# The programs run as their own system user (deploy/serve.sh's default),
	@# made here when installing for real as root.
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && ! id $(APP_USER) >/dev/null 2>&1; then \
	  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin $(APP_USER); \
	  echo "install: system user $(APP_USER) created"; fi

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALL_FILES))
	@printf '%s\n' $(sort $(dir $(addprefix $(DESTDIR),$(INSTALL_FILES))) $(DESTDIR)$(APP_LIBDIR)/) | \
		awk '{ print length($$0), $$0 }' | sort -rn | cut -d' ' -f2- | \
		while read -r d; do rmdir --ignore-fail-on-non-empty "$$d" 2>/dev/null || true; done
