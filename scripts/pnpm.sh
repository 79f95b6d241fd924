#!/usr/bin/env bash
# pnpm 10 without corepack (it cannot download here): a global pnpm if it is 10.x, else npx.
if command -v pnpm >/dev/null 2>&1 && [[ "$(pnpm --version 2>/dev/null)" == 10.* ]]; then
  exec pnpm "$@"
fi
exec npx -y pnpm@10 "$@"
