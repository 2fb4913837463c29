#!/usr/bin/env bash
# `make run`: serves the app on http://0.0.0.0:$SERVER_PORT with the web
# server WEB_SERVER names, in the foreground, until Ctrl-C.
#
# Settings come from the environment, then from .env, then from defaults
# (the same order the programs use). When OV_MEET_SERVER_URL is left at its
# default and nothing answers there, the Meet API emulator is started there.
# Ctrl-C or SIGTERM stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

default_meet_url=http://localhost:9080/meet

# Exports each KEY=VALUE of .env that the environment does not set. Same
# syntax as lib/config.c: `export `, comments, single and double quotes.
load_env_file() {
  local file=$1 line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}
    [[ -z $line || $line == \#* ]] && continue
    line=${line#export }
    line=${line#"${line%%[![:space:]]*}"}
    [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || {
      echo "run.sh: ignoring malformed line in $file: ${line%%=*}..." >&2; continue; }
    key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    if [[ $value =~ ^\'([^\']*)\' ]]; then
      value=${BASH_REMATCH[1]}
    elif [[ $value =~ ^\"((\\.|[^\"\\])*)\" ]]; then
      value=${BASH_REMATCH[1]}
      value=${value//\\n/$'\n'} value=${value//\\\"/\"} value=${value//\\\\/\\}
    else
      value=${value%%[[:space:]]#*}
      value=${value%"${value##*[![:space:]]}"}
    fi
    [ -n "${!key+set}" ] || export "$key=$value"
  done < "$file"
}

load_env_file "$root/.env"
export OV_MEET_SERVER_URL=${OV_MEET_SERVER_URL:-$default_meet_url}
export OV_MEET_API_KEY=${OV_MEET_API_KEY:-meet-api-key}
export SERVER_PORT=${SERVER_PORT:-6080}
export MEET_CONNECT_TIMEOUT_MS=${MEET_CONNECT_TIMEOUT_MS:-3000}
export MEET_TIMEOUT_MS=${MEET_TIMEOUT_MS:-10000}
export APP_BASE_PATH=${APP_BASE_PATH:-}
export MEET_ENV_FILE=${MEET_ENV_FILE:-$root/.env}
export WEB_SERVER=${WEB_SERVER:-lighttpd}
export MEET_APP_ROOT=$root
export MEET_CGI_DIR=${MEET_CGI_DIR:-$root/cgi-bin}
export MEET_RUN_DIR=$root/run

[[ $OV_MEET_SERVER_URL =~ ^(https?://[^/?#]+) ]] || {
  echo "run.sh: OV_MEET_SERVER_URL must be an http:// or https:// URL, not '$OV_MEET_SERVER_URL'" >&2; exit 2; }
# The page loads the WebComponent from, and frames, this origin (CSP).
export MEET_ORIGIN=${BASH_REMATCH[1]}
MEET_CSP=$(scripts/csp.sh "$MEET_ORIGIN")
export MEET_CSP
mkdir -p "$MEET_RUN_DIR"

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

start_emulator() {
  [ -x build/meet-emulator ] || make --no-print-directory emulator
  : > "$MEET_RUN_DIR/emulator.out"
  MEET_EMULATOR_PORT=9080 MEET_EMULATOR_LOG="$MEET_RUN_DIR/emulator-requests.log" \
    build/meet-emulator > "$MEET_RUN_DIR/emulator.out" 2>&1 &
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
*** it has no media (joining a meeting shows no video or audio). Point
*** OV_MEET_SERVER_URL and OV_MEET_API_KEY at a real OpenVidu Meet for that.
MSG
}

lighttpd_binary() {
  command -v lighttpd || { [ -x /usr/sbin/lighttpd ] && echo /usr/sbin/lighttpd; } || {
    echo "run.sh: lighttpd is not installed (make deps installs it)" >&2; exit 1; }
}

# One function per web server configuration; deploy/ adds the others.
start_lighttpd() {
  "$(lighttpd_binary)" -D -f "$root/lighttpd.conf" &
  pids+=("$!")
}
start_lighttpd_cgi() {
  "$(lighttpd_binary)" -D -f "$root/deploy/lighttpd-cgi.conf" &
  pids+=("$!")
}
# Apache (mod_fcgid, mod_cgid) and nginx + spawn-fcgi: deploy/serve.sh
# runs them in the foreground and stops what it started on SIGTERM.
start_deploy() {
  "$root/deploy/serve.sh" "$1" &
  pids+=("$!")
}

if [ "$OV_MEET_SERVER_URL" = "$default_meet_url" ] && ! meet_answers; then
  start_emulator
fi

case "$WEB_SERVER" in
  lighttpd) start_lighttpd ;;
  lighttpd-cgi) start_lighttpd_cgi ;;
  apache-fcgid|apache-cgi|nginx) start_deploy "$WEB_SERVER" ;;
  *) echo "run.sh: unknown WEB_SERVER '$WEB_SERVER' (known: lighttpd, lighttpd-cgi, apache-fcgid, apache-cgi, nginx)" >&2; exit 2 ;;
esac

echo "meet-fcgi: http://localhost:$SERVER_PORT ($WEB_SERVER) -> OpenVidu Meet at $OV_MEET_SERVER_URL"
for address in $(hostname -I 2>/dev/null || true); do
  [[ $address == *:* ]] || echo "           http://$address:$SERVER_PORT (from other devices on this network)"
done
echo "Ctrl-C stops it."
wait "${pids[-1]}"
