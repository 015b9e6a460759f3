#!/usr/bin/env bash
# `npm test` runs this first: the browser tests drive Debian's Chromium through playwright-core,
# which downloads no browser. On a Debian machine where we are root, install it when missing.
set -euo pipefail
chromium="${STEPWISE_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "npm test: installing Chromium for the browser tests (apt-get install chromium) …" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$chromium" ] && exit 0
fi
echo "npm test: the browser tests need Chromium at $chromium." >&2
echo "  Install it (sudo apt-get install chromium), or set STEPWISE_CHROMIUM to a Chromium binary." >&2
exit 1
