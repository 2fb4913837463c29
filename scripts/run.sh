#!/usr/bin/env bash
# `make run`: serves the app on http://$SERVER_HOST:$SERVER_PORT with the
# web server WEB_SERVER names, in the foreground, until Ctrl-C.
#
# The settings are the programs' own: build/meet-config resolves them as
# they do (environment, then .env, then defaults: lib/config.c) and prints
# them, all but the API key, for this script. The emulator and the web
# server start through `meet-config --exec`, which puts every setting, the
# key too, into their environment: the programs see what meet-config saw,
# and the key never passes through this shell. When OV_MEET_SERVER_URL is
# left at its default and nothing answers there, the Meet API emulator is
# started there. Ctrl-C or SIGTERM stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

meet_config=$root/build/meet-config
[ -x "$meet_config" ] || make --no-print-directory build/meet-config
# The programs may run from another directory (MEET_CGI_DIR): the same .env.
export MEET_ENV_FILE=${MEET_ENV_FILE:-$root/.env}
settings=$("$meet_config") || exit 2
set -a
eval "$settings"
set +a
default_meet_url=$("$meet_config" --default OV_MEET_SERVER_URL)

export MEET_APP_ROOT=$root
export MEET_CGI_DIR=${MEET_CGI_DIR:-$root/cgi-bin}
export MEET_RUN_DIR=${MEET_RUN_DIR:-$root/run}

[[ $OV_MEET_SERVER_URL =~ ^(https?://[^/?#]+) ]] || {
  echo "run.sh: OV_MEET_SERVER_URL must be an http:// or https:// URL, not '$OV_MEET_SERVER_URL'" >&2; exit 2; }
# The page loads the WebComponent from, and frames, this origin, and the
# component connects to LiveKit at OV_LIVEKIT_URL (CSP).
export MEET_ORIGIN=${BASH_REMATCH[1]}
MEET_CSP=$(scripts/csp.sh "$MEET_ORIGIN" "$OV_LIVEKIT_URL")
export MEET_CSP
mkdir -p "$MEET_RUN_DIR"
# Logs, sockets and the login live here: nobody else reads them.
chmod 0700 "$MEET_RUN_DIR"

# Open to the network (SERVER_HOST not loopback): never without a login.
# MEET_HTPASSWD names the user's own htpasswd file; without one, a login is
# made on the first run, its password printed once and kept only hashed in
# run/htpasswd (outside htdocs/, mode 600; delete it for a new password).
needs_login() {
  case $SERVER_HOST in 127.*|localhost|::1) return 1 ;; *) return 0 ;; esac
}
make_login() {
  local file=$MEET_RUN_DIR/htpasswd password
  if [ ! -s "$file" ]; then
    password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    ( umask 077; printf 'admin:%s\n' "$(openssl passwd -apr1 -stdin <<<"$password")" > "$file" )
    echo "*** The app is open to the network, so it asks for a login:"
    echo "***   user admin, password $password"
    echo "*** (shown once; kept only hashed in $file)"
  fi
  export MEET_HTPASSWD=$file
}
if needs_login && [ -z "${MEET_HTPASSWD:-}" ]; then
  make_login
fi
[ -z "${MEET_HTPASSWD:-}" ] || [ -r "$MEET_HTPASSWD" ] || {
  echo "run.sh: MEET_HTPASSWD names '$MEET_HTPASSWD', which cannot be read" >&2; exit 2; }

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

meet_answers() {
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$OV_MEET_SERVER_URL/api/v1/rooms" || true)" != 000 ]
}

# The emulator answers LiveKit too where OV_LIVEKIT_URL points, when that
# is a port of this machine that nothing serves (ws://localhost:7880 of the
# local deployment), so that joining works as with a real Meet.
emulator_livekit() {
  [[ $OV_LIVEKIT_URL =~ ^ws://(localhost|127\.[0-9.]+):([0-9]+)$ ]] || return 0
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://${BASH_REMATCH[1]}:${BASH_REMATCH[2]}/" || true)" = 000 ] || return 0
  echo "MEET_EMULATOR_LIVEKIT_PORT=${BASH_REMATCH[2]}" "MEET_EMULATOR_LIVEKIT_URL=$OV_LIVEKIT_URL"
}

start_emulator() {
  [ -x build/meet-emulator ] || make --no-print-directory emulator
  : > "$MEET_RUN_DIR/emulator.out"
  # shellcheck disable=SC2046 # two words, NAME=value each, no blanks inside
  env $(emulator_livekit) MEET_EMULATOR_PORT=9080 MEET_EMULATOR_LOG="$MEET_RUN_DIR/emulator-requests.log" \
    "$meet_config" --exec build/meet-emulator > "$MEET_RUN_DIR/emulator.out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do
    grep -q 'listening on' "$MEET_RUN_DIR/emulator.out" && break
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  grep -q 'listening on' "$MEET_RUN_DIR/emulator.out" || {
    echo "run.sh: the Meet API emulator did not start:" >&2; cat "$MEET_RUN_DIR/emulator.out" >&2; exit 1; }
  cat <<MSG
*** No OpenVidu Meet answered at $OV_MEET_SERVER_URL, so the Meet API EMULATOR
*** runs there now. It is for development only: rooms and members work, but
*** it has no media (joining a meeting shows no video or audio; its stand-in
*** LiveKit answers at $OV_LIVEKIT_URL when nothing else did). Point
*** OV_MEET_SERVER_URL and OV_MEET_API_KEY at a real OpenVidu Meet for that.
MSG
}

lighttpd_binary() {
  command -v lighttpd || { [ -x /usr/sbin/lighttpd ] && echo /usr/sbin/lighttpd; } || {
    echo "run.sh: lighttpd is not installed (make deps installs it)" >&2; exit 1; }
}

# One function per web server configuration; deploy/ adds the others.
start_lighttpd() {
  local lighttpd
  lighttpd=$(lighttpd_binary)
  "$meet_config" --exec "$lighttpd" -D -f "$1" &
  pids+=("$!")
}
# Apache (mod_fcgid, mod_cgid) and nginx + spawn-fcgi: deploy/serve.sh
# runs them in the foreground and stops what it started on SIGTERM.
start_deploy() {
  "$meet_config" --exec "$root/deploy/serve.sh" "$1" &
  pids+=("$!")
}

if [ "$OV_MEET_SERVER_URL" = "$default_meet_url" ] && ! meet_answers; then
  start_emulator
fi

# meet-config has checked WEB_SERVER against the names lib/config.c knows.
case "$WEB_SERVER" in
  lighttpd) start_lighttpd "$root/lighttpd.conf" ;;
  lighttpd-cgi) start_lighttpd "$root/deploy/lighttpd-cgi.conf" ;;
  apache-fcgid|apache-cgi|nginx) start_deploy "$WEB_SERVER" ;;
  *) echo "run.sh: no way to start WEB_SERVER '$WEB_SERVER' here" >&2; exit 2 ;;
esac

case $SERVER_HOST in
  127.*|localhost|::1|0.0.0.0|::) url_host=localhost ;;
  *:*) url_host="[$SERVER_HOST]" ;;
  *) url_host=$SERVER_HOST ;;
esac
echo "meet-fcgi: http://$url_host:$SERVER_PORT ($WEB_SERVER) -> OpenVidu Meet at $OV_MEET_SERVER_URL"
[ -z "${MEET_HTPASSWD:-}" ] || echo "           (HTTP basic auth: the users of $MEET_HTPASSWD)"
if [ "$SERVER_HOST" = 0.0.0.0 ]; then
  for address in $(hostname -I 2>/dev/null || true); do
    [[ $address == *:* ]] || echo "           http://$address:$SERVER_PORT (from other devices on this network)"
  done
fi
echo "Ctrl-C stops it."
wait "${pids[-1]}"
