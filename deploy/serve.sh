#!/usr/bin/env bash
# Starts one of the deploy/ web server configurations in the foreground until
# SIGTERM/SIGINT, which stops everything it started.
#   deploy/serve.sh apache-fcgid|apache-cgi|nginx [apache config file]
# Environment (scripts/run.sh and tests/lib/stack.mjs set it, as for
# lighttpd.conf): SERVER_HOST (127.0.0.1), SERVER_PORT, MEET_APP_ROOT, MEET_CGI_DIR, MEET_RUN_DIR,
# MEET_ORIGIN, and the programs' settings OV_MEET_SERVER_URL, OV_LIVEKIT_URL,
# OV_MEET_API_KEY, MEET_CONNECT_TIMEOUT_MS, MEET_TIMEOUT_MS, MEET_LIST_MAX_BYTES,
# MEET_ENV_FILE, APP_BASE_PATH. Optional: MEET_HTPASSWD (turns HTTP basic auth on),
# MEET_RUN_USER (who runs the programs when started as root: meet-fcgi, a
# system user made on first use).
set -euo pipefail

server=${1:-}
: "${SERVER_PORT:?}" "${MEET_APP_ROOT:?}" "${MEET_CGI_DIR:?}" "${MEET_RUN_DIR:?}" "${MEET_ORIGIN:?}"
: "${MEET_CSP:=$("$MEET_APP_ROOT/scripts/csp.sh" "$MEET_ORIGIN" "${OV_LIVEKIT_URL:?set OV_LIVEKIT_URL or MEET_CSP}")}"
export MEET_CSP
# Every setting is passed on, maybe empty: the programs treat empty as unset.
export OV_MEET_SERVER_URL=${OV_MEET_SERVER_URL:-} OV_MEET_API_KEY=${OV_MEET_API_KEY:-} OV_LIVEKIT_URL=${OV_LIVEKIT_URL:-}
export MEET_CONNECT_TIMEOUT_MS=${MEET_CONNECT_TIMEOUT_MS:-} MEET_TIMEOUT_MS=${MEET_TIMEOUT_MS:-}
export MEET_LIST_MAX_BYTES=${MEET_LIST_MAX_BYTES:-}
export MEET_ENV_FILE=${MEET_ENV_FILE:-} APP_BASE_PATH=${APP_BASE_PATH:-}
export MEET_AUTH=${MEET_AUTH:-} MEET_ALLOWED_HOSTS=${MEET_ALLOWED_HOSTS:-} ROOM_ANONYMOUS_ACCESS=${ROOM_ANONYMOUS_ACCESS:-}
export SERVER_HOST=${SERVER_HOST:-127.0.0.1}

find_program() {
  local name dir
  for name in "$@"; do
    for dir in ${PATH//:/ } /usr/local/sbin /usr/sbin /sbin; do
      [ -x "$dir/$name" ] && { echo "$dir/$name"; return 0; }
    done
  done
  echo "serve.sh: none of '$*' is installed (scripts/deps.sh test installs them)" >&2
  return 1
}

# Root starts the server, which hands the programs to an unprivileged user;
# the run directory (ours, made for this start) must then be theirs too.
if [ "$(id -u)" = 0 ]; then
  run_user=${MEET_RUN_USER:-meet-fcgi}
  id "$run_user" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$run_user"
  run_group=$(id -gn "$run_user")
  chown "$run_user:$run_group" "$MEET_RUN_DIR"
  chmod 0700 "$MEET_RUN_DIR"
  [ -z "${MEET_HTPASSWD:-}" ] || chgrp "$run_group" "$MEET_HTPASSWD"
else
  run_user=$(id -un) run_group=$(id -gn)
fi

start_apache() {
  local conf=$1 dir
  export APACHE_USER=$run_user APACHE_GROUP=$run_group
  if [ -z "${APACHE_MODULES:-}" ]; then
    for dir in /usr/lib/apache2/modules /usr/lib64/httpd/modules /usr/lib/httpd/modules /usr/libexec/apache2; do
      [ -f "$dir/mod_alias.so" ] && { export APACHE_MODULES=$dir; break; }
    done
  fi
  : "${APACHE_MODULES:?serve.sh: no Apache module directory found; set APACHE_MODULES}"
  local flags=(-DFOREGROUND -f "$conf")
  if [ -n "${MEET_HTPASSWD:-}" ]; then flags+=(-DMEET_BASIC_AUTH); else export MEET_HTPASSWD=/nonexistent; fi
  exec "$(find_program apache2 httpd)" "${flags[@]}"
}

pids=()
stop_all() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}

# Leaves in this (sub)shell's environment only PATH and the programs' settings.
programs_environment_only() {
  local name
  for name in $(compgen -e); do
    case $name in
      PATH|OV_*|MEET_*|APP_BASE_PATH|ROOM_*) ;;
      *) unset "$name" ;;
    esac
  done
  unset MEET_CSP MEET_RUN_DIR MEET_APP_ROOT MEET_ORIGIN MEET_CGI_DIR MEET_HTPASSWD
  export PATH=/usr/local/bin:/usr/bin:/bin
}

# nginx speaks FastCGI only: spawn-fcgi keeps one process per program (each
# serving MEET_THREADS requests at once) on a unix socket, with only the
# programs' settings in their environment (nginx itself never sees the API
# key), and nginx passes requests to them.
start_nginx() {
  local spawn program conf=$MEET_RUN_DIR/nginx.conf user_line=""
  spawn=$(find_program spawn-fcgi)
  trap 'stop_all; exit 143' TERM
  trap 'stop_all; exit 130' INT
  trap stop_all EXIT
  local owner=()
  [ "$(id -u)" = 0 ] && owner=(-u "$run_user" -g "$run_group" -U "$run_user" -G "$run_group")
  for program in "$MEET_CGI_DIR"/*.fcgi; do
    program=$(basename "$program" .fcgi)
    # The key reaches spawn-fcgi through the environment only, never argv
    # (which any local user can read in /proc).
    local socket=$MEET_RUN_DIR/$program.sock binary=$MEET_CGI_DIR/$program.fcgi
    ( programs_environment_only
      exec "$spawn" -n -s "$socket" -M 0600 "${owner[@]}" -- "$binary" ) &
    pids+=("$!")
  done
  [ "$(id -u)" = 0 ] && user_line="user $run_user $run_group;"
  local basic_auth=""
  [ -z "${MEET_HTPASSWD:-}" ] || basic_auth="auth_basic \"meet-fcgi\"; auth_basic_user_file $MEET_HTPASSWD;"
  sed -e "s|@SERVER_HOST@|$SERVER_HOST|g" -e "s|@SERVER_PORT@|$SERVER_PORT|g" -e "s|@MEET_APP_ROOT@|$MEET_APP_ROOT|g" \
      -e "s|@MEET_RUN_DIR@|$MEET_RUN_DIR|g" -e "s|@MEET_CSP@|$MEET_CSP|g" \
      -e "s|@USER_LINE@|$user_line|" -e "s|@BASIC_AUTH@|$basic_auth|" \
      "$MEET_APP_ROOT/deploy/nginx.conf" > "$conf"
  env -u OV_MEET_API_KEY "$(find_program nginx)" -e stderr -p "$MEET_RUN_DIR" -c "$conf" &
  pids+=("$!")
  # Whichever ends first (nginx or a program) ends the whole configuration.
  wait -n
  exit 1
}

case "$server" in
  apache-fcgid) start_apache "$MEET_APP_ROOT/deploy/apache-fcgid.conf" ;;
  apache-cgi) start_apache "$MEET_APP_ROOT/deploy/apache-cgi.conf" ;;
  apache) start_apache "${2:?serve.sh apache needs a config file}" ;;
  nginx) start_nginx ;;
  *) echo "usage: $0 apache-fcgid|apache-cgi|nginx|apache CONFIG" >&2; exit 2 ;;
esac
