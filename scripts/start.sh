#!/usr/bin/env bash
# Install everything, build the extension, and start the helper on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh
bash scripts/pnpm.sh install --frozen-lockfile --reporter=append-only
bash scripts/pnpm.sh --filter @shipshape/extension build
echo
echo "Extension built: load $(pwd)/extension/.output/chrome-mv3 in chrome://extensions (Developer mode > Load unpacked)."
echo
exec bash scripts/pnpm.sh shipshape serve "$@"
