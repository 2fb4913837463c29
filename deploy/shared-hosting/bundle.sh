#!/usr/bin/env bash
# Lays out the shared-hosting upload (`make hosting-bundle` runs it):
#   bundle.sh PROGRAM_DIR OUT_DIR
# PROGRAM_DIR holds the programs (<name>.cgi, one per resource) as linked for hosting
# (libfcgi static, $ORIGIN/lib first in the library search path). OUT_DIR
# gets:
#   public/   the contents of the app's directory on the host: the page,
#             .htaccess, cgi-bin/ with the programs and cgi-bin/lib/ with the
#             libraries a host rarely has (cJSON, libqrencode)
#   private/  meet-fcgi.env.example, to upload outside the document root
set -euo pipefail
programs=$1 out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)

rm -rf "$out"
mkdir -p "$out/public/cgi-bin/lib" "$out/private"
cp -R "$root/htdocs/." "$out/public/"
cp "$root/deploy/shared-hosting/htaccess" "$out/public/.htaccess"
cp "$root/deploy/shared-hosting/cgi-bin-htaccess" "$out/public/cgi-bin/.htaccess"
cp "$root/deploy/shared-hosting/meet-fcgi.env.example" "$out/private/"
for program in "$programs"/*.cgi; do
  install -m 0755 "$program" "$out/public/cgi-bin/"
done
# Debian ships no static cJSON or libqrencode: carry their shared objects
# (they need only libc). libcurl stays the host's (TLS, CA certificates).
for program in "$programs"/*.cgi; do ldd "$program"; done |
  awk '/libcjson\.so|libqrencode\.so/ { print $3 }' | sort -u | while read -r lib; do
  install -m 0644 "$lib" "$out/public/cgi-bin/lib/$(basename "$lib")"
done
find "$out/public" -type d -exec chmod 0755 {} +
find "$out/public" -type f ! -name '*.cgi' -exec chmod 0644 {} +
# The example holds no secret; the filled-in copy on the host is chmod 600.
chmod 0644 "$out/private/meet-fcgi.env.example"
