#!/usr/bin/env bash
# Debian packages the tests need: Chromium (drives the VS Code workbench), headers for the VS Code
# server's native modules, python3-pil for the image-prep benchmark baseline,
# python3-numpy and python3-sklearn for the analytics tests and the cluster-vs-sklearn baseline, python3-nltk for the
# bleu-vs-nltk and cider-vs-nltk baselines. Installs only what is missing.
set -euo pipefail
packages=(chromium libkrb5-dev libxkbfile-dev libx11-dev libsecret-1-dev pkg-config python3-pil python3-numpy python3-sklearn python3-nltk)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]} == 0)); then exit 0; fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "[deps] installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
