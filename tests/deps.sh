#!/bin/sh
# Install the Debian packages gpulse needs to build and test, when missing.
# Runs apt-get as root, or through sudo.  Safe to run again: it installs
# only what is not there.
set -eu

# build: compiler, make, the three libraries; tests: python3 (fake Genesys
# Cloud), curl, jq (reference points), tzdata (time zones), clang (the
# second compiler CI builds with), libclang-rt-14-dev (clang's sanitizer
# runtimes and libFuzzer: the clang sanitizer suite, make fuzz), time (peak
# memory in benchmarks); gheat: libmicrohttpd-dev (its live page), chromium,
# python3-websockets and a font (the browser tests drive Chromium over its
# DevTools protocol); gfetch stream: wslay (WebSocket frames), OpenSSL
# (SHA-1 of the handshake), and python3-websockets for the fake Genesys
# Cloud's WebSocket side.
packages="gcc make libc6-dev libcsv-dev libjq-dev libonig-dev libcurl4-openssl-dev
pkg-config python3 curl jq tzdata clang libclang-rt-14-dev time ca-certificates gzip
libmicrohttpd-dev chromium python3-websockets fonts-dejavu-core libwslay-dev libssl-dev"
[ -n "${GPULSE_EXTRA_PACKAGES:-}" ] && packages="$packages $GPULSE_EXTRA_PACKAGES"

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
