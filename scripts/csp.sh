#!/usr/bin/env bash
# Prints the Content-Security-Policy every web server configuration sends,
# for the OpenVidu Meet origin (scheme://host[:port]) and the LiveKit URL
# given (OV_LIVEKIT_URL, ws:// or wss://). One place for the policy: run.sh,
# deploy/serve.sh and the test helpers all take it from here.
#   csp.sh https://meet.example.com wss://meet.example.com
#
# Scripts and frames: only our origin and Meet. The rest is what Meet's real
# WebComponent does when it renders inside our page (it is not an iframe in
# 3.8), each allowed for Meet's origin or LiveKit's only:
#   script-src  'wasm-unsafe-eval': it compiles WebAssembly for virtual
#               backgrounds (compiling only; 'unsafe-eval' stays off)
#   connect-src Meet's API, and LiveKit's signalling in both its forms: the
#               websocket (ws/wss) and the HTTP calls (http/https) to it
#   media-src   Meet's sounds (assets/sounds/...), camera and screen as
#               blob:/mediastream:
#   style-src   the <style> elements Angular injects; Google's fonts CSS
#   font-src, img-src  Meet's and Google's Roboto/Material fonts, images
set -euo pipefail
origin=${1:?usage: csp.sh MEET_ORIGIN LIVEKIT_URL}
livekit=${2:?usage: csp.sh MEET_ORIGIN LIVEKIT_URL}
# Only host and port characters reach the policy: a ';', quote or space in a
# setting could otherwise add directives of its own.
host_port='([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?'
[[ $origin =~ ^(https?)://($host_port)$ ]] || { echo "csp.sh: not an origin: '$origin'" >&2; exit 2; }
case ${BASH_REMATCH[1]} in https) ws=wss ;; *) ws=ws ;; esac
socket="$ws://${BASH_REMATCH[2]}"
[[ $livekit =~ ^(wss?)://($host_port)([/?#][^[:space:]]*)?$ ]] ||
  { echo "csp.sh: not a ws:// or wss:// URL: '$livekit'" >&2; exit 2; }
case ${BASH_REMATCH[1]} in wss) livekit_http=https ;; *) livekit_http=http ;; esac
livekit_sources="${BASH_REMATCH[1]}://${BASH_REMATCH[2]} $livekit_http://${BASH_REMATCH[2]}"
# LiveKit on Meet's own host and port (a production deployment) adds nothing.
[ "$livekit_sources" = "$socket $origin" ] && livekit_sources="" || livekit_sources=" $livekit_sources"
printf '%s' "default-src 'self'; script-src 'self' $origin 'wasm-unsafe-eval'; frame-src $origin; " \
  "connect-src 'self' $origin $socket$livekit_sources; img-src 'self' data: blob: $origin; " \
  "media-src 'self' blob: mediastream: $origin; font-src 'self' $origin https://fonts.gstatic.com; " \
  "style-src 'self' 'unsafe-inline' $origin https://fonts.googleapis.com; worker-src 'self' blob:; " \
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
echo
