#!/usr/bin/env bash
# `npm run build`: installs the workspace's dependencies (pnpm, from the lockfile) and compiles
# the `shipshape` CLI to dist/ (scripts/build.ts). Works in a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pnpm.sh install --frozen-lockfile --reporter=append-only
node_modules/.bin/tsx scripts/build.ts
