#!/usr/bin/env bash
# `npm test` runs this first: the workspace environment runs commands in bubblewrap (no network, the task's
# folder the only writable place). On a Debian machine where we are root, install it when missing.
set -euo pipefail
command -v bwrap >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "npm test: installing bubblewrap for the workspace tests (apt-get install bubblewrap) …" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
  command -v bwrap >/dev/null && exit 0
fi
echo "npm test: the workspace tests need bubblewrap (bwrap); they are skipped without it." >&2
echo "  Install it: sudo apt-get install bubblewrap" >&2
exit 0
