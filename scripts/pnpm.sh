#!/usr/bin/env bash
# pnpm 10 without corepack (it cannot download here): a global pnpm if it is 10.x, else npx.
#
# Native addons (better-sqlite3, re2) are built by node-gyp against Node's headers. node-gyp
# downloads them from nodejs.org unless told where they are: when this Node's own headers are
# installed beside it (/usr/include/node for a distribution's Node) and npm names no nodedir,
# point node-gyp there, so a fresh user account installs without reaching nodejs.org.
if [[ -z "${npm_config_nodedir:-}" ]]; then
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  configured="$(npm config get nodedir 2>/dev/null || true)"
  if [[ ( -z "$configured" || "$configured" == "undefined" || "$configured" == "null" ) && -f "$node_prefix/include/node/node.h" ]]; then
    export npm_config_nodedir="$node_prefix"
  fi
fi
if command -v pnpm >/dev/null 2>&1 && [[ "$(pnpm --version 2>/dev/null)" == 10.* ]]; then
  exec pnpm "$@"
fi
exec npx -y pnpm@10 "$@"
