#!/usr/bin/env bash
# Prints the Content-Security-Policy every web server configuration sends,
# for the OpenVidu Meet origin given (scheme://host[:port]). One place for the
# policy: run.sh, deploy/serve.sh and the test helpers all take it from here.
#
# Scripts and frames: only our origin and Meet. The rest is what Meet's real
# WebComponent needs when it renders inside our page (it is not an iframe in
# 3.8): calls to Meet's API and its LiveKit websocket on the same host, the
# <style> elements Angular injects, Google's Roboto/Material fonts, camera and
# screen media as blob:/mediastream:. A LiveKit on another host must be added
# to connect-src by hand (see README, "Using a production OpenVidu Meet").
set -euo pipefail
origin=${1:?usage: csp.sh MEET_ORIGIN}
[[ $origin =~ ^(https?)://([^/?#]+)$ ]] || { echo "csp.sh: not an origin: '$origin'" >&2; exit 2; }
case ${BASH_REMATCH[1]} in https) ws=wss ;; *) ws=ws ;; esac
socket="$ws://${BASH_REMATCH[2]}"
printf '%s' "default-src 'self'; script-src 'self' $origin; frame-src $origin; " \
  "connect-src 'self' $origin $socket; img-src 'self' data: blob: $origin; " \
  "media-src 'self' blob: mediastream:; font-src 'self' $origin https://fonts.gstatic.com; " \
  "style-src 'self' 'unsafe-inline' $origin https://fonts.googleapis.com; worker-src 'self' blob:; " \
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
echo
