#!/usr/bin/env bash
# The whole test suite: unit, integration (real Docker Engine) and end-to-end (real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
# A merge conflict left in a string or comment passes the type check: refuse it here.
if git grep -nE '^(<<<<<<<|>>>>>>>)( |$)' -- ':!*.md' 2>/dev/null; then
  echo "[shipshape] merge conflict markers above: resolve them" >&2
  exit 1
fi
bash scripts/ensure-system.sh --for-tests
bash scripts/pnpm.sh install --frozen-lockfile --reporter=append-only
bash scripts/pnpm.sh --filter @shipshape/extension build
bash scripts/pnpm.sh exec tsc -p tsconfig.json --noEmit
bash scripts/pnpm.sh exec tsc -p extension/tsconfig.json --noEmit
bash scripts/pnpm.sh exec vitest run "$@"
