#!/usr/bin/env bash
# Installs the Debian packages a purpose needs, only those missing.
#   scripts/deps.sh build   what `make` and `make run` need
#   scripts/deps.sh test    plus what `make test` needs (and npm packages)
# Uses sudo when not root. Set MEET_SKIP_DEPS=1 to skip (packaging, offline).
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(gcc make pkg-config curl ca-certificates openssl
            libfcgi-dev libcurl4-openssl-dev libcjson-dev libqrencode-dev
            libmicrohttpd-dev libssl-dev zlib1g-dev lighttpd)
test_pkgs=(libcmocka-dev chromium zbar-tools librsvg2-bin
           valgrind clang libclang-rt-14-dev wrk
           apache2 libapache2-mod-fcgid nginx spawn-fcgi)

[ "${MEET_SKIP_DEPS:-0}" = 1 ] && exit 0

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test|all) want+=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=()
# Node.js may come from elsewhere than Debian (NodeSource's nodejs carries its
# own npm and conflicts with Debian's): ask for the commands, not packages.
if [ "${1:-build}" != build ]; then
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
fi
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A web server package installed just now starts itself as a service; we run
# our own instances on free ports, so stop that one. A service that was
# already there before this run belongs to someone else and is left alone.
if [ "${1:-build}" != build ]; then
  for svc in apache2 nginx lighttpd; do
    case " ${missing[*]} " in
      *" $svc "*) (command -v service >/dev/null && service "$svc" stop >/dev/null 2>&1) || true ;;
    esac
  done
  if [ -f package.json ] && [ ! -d node_modules/playwright-core ]; then
    npm ci --no-audit --no-fund --silent
  fi
fi
