#!/usr/bin/env bash
# Installs the benchmark-only dependencies (LangGraph.js + its SQLite and Postgres checkpointers) into bench/node_modules.
# better-sqlite3 is compiled from source against the repo's own Node 24 headers: its prebuilt
# binaries come from outside the npm registry, and headers of any other Node would build an addon
# that Node 24 refuses to load. Safe to run again: it does nothing when the install is current.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(cd "$bench_dir/.." && pwd)"
node24="$repo_dir/node_modules/.bin/node"

fail() { echo "bench/setup.sh: $*" >&2; exit 1; }

[ -x "$node24" ] || fail "the repo's Node 24 is missing at node_modules/.bin/node. Expected the root install to have been done; run 'npm install' in $repo_dir first, then run this script again."

node_platform="$("$node24" -p 'process.platform + "-" + process.arch')"
node_version="$("$node24" -p 'process.versions.node')"
node_headers="$repo_dir/node_modules/node/node_modules/node-$node_platform"
[ -f "$node_headers/include/node/node.h" ] || fail "Node $node_version headers are missing at $node_headers/include/node. Expected the root devDependency 'node' to ship them; run 'npm install' in $repo_dir first."
header_version="$(awk '/#define NODE_(MAJOR|MINOR|PATCH)_VERSION /{v = v (v ? "." : "") $3} END{print v}' "$node_headers/include/node/node_version.h")"
[ "$header_version" = "$node_version" ] \
  || fail "the headers in $node_headers are for Node $header_version, not $node_version. Expected one Node for running and compiling; run 'npm install' in $repo_dir again."

# The stamp ties the install to the exact package.json and lockfile it came from.
stamp_file="$bench_dir/node_modules/.stepwise-bench-stamp"
stamp_inputs=("$bench_dir/package.json")
[ -f "$bench_dir/package-lock.json" ] && stamp_inputs+=("$bench_dir/package-lock.json")
wanted_stamp="node-$node_version $(cat "${stamp_inputs[@]}" | sha256sum | cut -d' ' -f1)"

loads_under_node24() {
  (cd "$bench_dir" && "$node24" --input-type=module -e '
    import { createRequire } from "node:module";
    const require = createRequire(process.cwd() + "/package.json");
    await import("@langchain/langgraph");
    await import("@langchain/langgraph-checkpoint-sqlite");
    await import("@langchain/langgraph-checkpoint-postgres");
    const Database = require("better-sqlite3");
    new Database(":memory:").prepare("select 1").get();
  ') >/dev/null 2>&1
}

if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$wanted_stamp" ] && loads_under_node24; then
  echo "bench/setup.sh: benchmark dependencies already installed and loadable under Node $node_version."
  exit 0
fi

command -v npm >/dev/null || fail "npm is not on PATH. Expected npm (any recent version) to install the benchmark dependencies; install it and run this script again."

if [ -f "$bench_dir/package-lock.json" ]; then install_command=ci; else install_command=install; fi
echo "bench/setup.sh: npm $install_command in bench/ (compiles better-sqlite3 against Node $node_version; takes ~2 minutes on 2 cores)..."
# npm_config_nodedir overrides any nodedir in ~/.npmrc and keeps node-gyp from downloading headers;
# build_from_source skips prebuild-install's download, which cannot succeed here.
PATH="$repo_dir/node_modules/.bin:$PATH" \
  npm_config_nodedir="$node_headers" \
  npm_config_build_from_source=true \
  npm "$install_command" --prefix "$bench_dir" --no-audit --no-fund --loglevel=error \
  || fail "npm $install_command in bench/ failed (see the output above). Expected better-sqlite3 to compile with python3, make and g++; install those if missing and run this script again."

loads_under_node24 || fail "the benchmark dependencies installed but do not load under Node $node_version ($node24). Expected better-sqlite3 built for this Node; delete bench/node_modules and run this script again."
echo "$wanted_stamp" > "$stamp_file"
echo "bench/setup.sh: installed; better-sqlite3 loads under Node $node_version."
