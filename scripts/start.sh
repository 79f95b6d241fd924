#!/usr/bin/env bash
# `npm start`: makes sure Docker answers (scripts/ensure-system.sh), installs the workspace, builds
# the extension and the `shipshape` CLI (dist/), puts `shipshape` on the PATH (npm link) when npm's
# global folder is writable, and runs the helper on 127.0.0.1 in the foreground from dist/.
# A helper already running for this port / data dir is reported and left alone (exit 0).
# Arguments go to `shipshape serve` (`npm start -- --port 7374`).
set -euo pipefail
cd "$(dirname "$0")/.."

# glibc gives every thread that contends for malloc an arena of its own (up to 8 per core), and
# memory freed in one stays with it: the helper's worker threads (layer analysis, data imports)
# held 15-25 MB more at their peak that way (`pnpm bench scan-engine` and `vulndb`, README).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# glibc serves a block of 128 KB or more with mmap (given back on free) and, once such a block
# is freed, raises that threshold up to 32 MB: after the first large file a scan reads (a 24 MB
# one), every file buffer up to that size came from the arenas, which kept the memory. A fixed
# 1 MB threshold keeps big buffers in mmap and the many 256 KB reads in the arenas: peak RSS on
# a 2 GB image 298 -> 250 MB (export) and 266 -> 247 MB (in place), same CPU; 128 KB cost ~20%
# more CPU (`pnpm bench scan-engine`, README).
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1048576}"
# V8 grows the main thread's young generation to 2 x 16 MB while a scan streams an export through
# it (many short-lived objects per chunk), and keeps it: 4 MB semi-spaces collect that garbage
# sooner, ~20 MB less at the peak (`pnpm bench scan-engine`, README). Not a heap limit: what
# survives moves to the old generation, which stays unbounded.
HELPER_NODE_FLAGS=(--max-semi-space-size=4)

# A running helper first: nothing to install or rebuild under it (the serve below says which one).
if [ -f dist/shipshape.js ] && node dist/shipshape.js status "$@" >/dev/null 2>&1; then
  exec node "${HELPER_NODE_FLAGS[@]}" dist/shipshape.js serve "$@"
fi

bash scripts/ensure-system.sh
bash scripts/build.sh
bash scripts/pnpm.sh --filter @shipshape/extension build

# `npm link` needs write access to npm's global folder: root, or a user-owned npm prefix.
# can_write PATH: PATH, or the nearest folder above it that exists (npm creates the rest), is writable.
can_write() { local p=$1; while [ ! -e "$p" ]; do p=$(dirname "$p"); done; [ -w "$p" ]; }
prefix=$(npm prefix -g 2>/dev/null || echo /usr/local)
if can_write "$prefix/bin" && can_write "$prefix/lib/node_modules"; then
  if npm link --no-audit --no-fund --loglevel=error >/dev/null; then
    linked="'shipshape' is on your PATH ($prefix/bin/shipshape)."
  else
    linked="'npm link' failed (above): 'shipshape' is not on your PATH; 'node $(pwd)/dist/shipshape.js' works the same."
  fi
else
  linked="To put 'shipshape' on your PATH: 'sudo npm link' in $(pwd), or 'npm link' with a prefix of your own (npm config set prefix ~/.local)."
fi

echo
echo "Extension built: load $(pwd)/extension/.output/chrome-mv3 in chrome://extensions (Developer mode > Load unpacked)."
echo "${linked:-}"
echo
exec node "${HELPER_NODE_FLAGS[@]}" dist/shipshape.js serve "$@"
