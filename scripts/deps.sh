#!/bin/sh
# Installs the Debian packages RaportAI needs, and only those that are missing.
# Idempotent: a second run installs nothing. Uses sudo when not root.
#   scripts/deps.sh          packages to build and run the server
#   scripts/deps.sh test     also what the tests need (clang and its
#                            libclang_rt runtimes build the fuzz targets)
set -eu

RUNTIME="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
libsodium-dev libunistring-dev libzip-dev libxml2-dev libcurl4-openssl-dev
libavformat-dev libavcodec-dev libswresample-dev libavutil-dev
libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us libespeak-ng-dev
libcairo2-dev libpango1.0-dev fonts-dejavu-core"
TEST="libcriterion-dev clang-format python3 curl sqlite3 espeak-ng ffmpeg sox openssl nodejs chromium poppler-utils
flite festival festvox-us-slt-hts
mono-mcs mono-runtime
clang libclang-rt-dev
wrk"

want="$RUNTIME"
[ "${1:-}" = "test" ] && want="$want $TEST"

missing=""
for pkg in $want; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "deps.sh: missing packages:$missing; run as root or install sudo" >&2
    exit 1
fi

echo "deps.sh: installing$missing" >&2
$as_root apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends $missing >&2
