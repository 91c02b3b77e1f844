#!/usr/bin/env bash
# Installs everything a fresh machine lacks, then runs every test suite (unit; integration inside a real
# VS Code, today's and the oldest that engines.vscode claims; the VSIX of every platform target) and prints
# one closing line "N passed, N failed" over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
set -e
bash scripts/install-system-deps.sh
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
bash scripts/ensure-vscode-server.sh
bash scripts/ensure-vscode-server.sh oldest
npm run --silent build
set +e

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "== unit tests"
npx mocha --config .mocharc.json 2>&1 | tee "$log/unit.txt"
unit_rc=${PIPESTATUS[0]}
unit_passed=$(grep -Eo '^ +[0-9]+ passing' "$log/unit.txt" | grep -Eo '[0-9]+' | tail -1)
unit_failed=$(grep -Eo '^ +[0-9]+ failing' "$log/unit.txt" | grep -Eo '[0-9]+' | tail -1)
unit_skipped=$(grep -Eo '^ +[0-9]+ pending' "$log/unit.txt" | grep -Eo '[0-9]+' | tail -1)

# One integration run: its log's last "integration: N passed, N failed, N skipped" line, or a failure when it crashed.
integration() {
  local name=$1; shift
  node out/test/integration/launcher/runIntegration.js "$@" 2>&1 | tee "$log/$name.txt"
  local rc=${PIPESTATUS[0]}
  local summary
  summary=$(grep -E '^integration: [0-9]+ passed, [0-9]+ failed' "$log/$name.txt" | tail -1)
  local p f k
  p=$(sed -E 's/^integration: ([0-9]+) passed.*/\1/' <<<"$summary")
  f=$(sed -E 's/^integration: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$summary")
  k=$(grep -Eo '[0-9]+ skipped' <<<"$summary" | grep -Eo '[0-9]+' || true)
  # A suite that crashed before printing its summary still counts as a failure.
  if [[ $rc -ne 0 && ${f:-0} -eq 0 ]]; then f=$(( ${f:-0} + 1 )); echo "$name suite exited with $rc"; fi
  echo "${p:-0} ${f:-0} ${k:-0}" > "$log/$name.counts"
}

echo "== integration tests (real VS Code extension host)"
integration integration
read -r int_passed int_failed int_skipped < "$log/integration.counts"

echo "== integration tests on the oldest VS Code that engines.vscode claims"
integration oldest --server oldest
read -r old_passed old_failed old_skipped < "$log/oldest.counts"

# Builds the production bundles into dist/ (after the suites, which run the development build).
echo "== packages: one VSIX per platform (native headers, listing, size, require resolution)"
{ node out/scripts/packaging/packageVsix.js --all && node out/scripts/packaging/checkVsix.js; } 2>&1 | tee "$log/vsix.txt"
vsix_rc=${PIPESTATUS[0]}
summary=$(grep -E '^vsix: [0-9]+ passed, [0-9]+ failed' "$log/vsix.txt" | tail -1)
vsix_passed=$(sed -E 's/^vsix: ([0-9]+) passed.*/\1/' <<<"$summary")
vsix_failed=$(sed -E 's/^vsix: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$summary")
if [[ $vsix_rc -ne 0 && ${vsix_failed:-0} -eq 0 ]]; then vsix_failed=1; echo "packaging exited with $vsix_rc"; fi

passed=$(( ${unit_passed:-0} + int_passed + old_passed + ${vsix_passed:-0} ))
failed=$(( ${unit_failed:-0} + int_failed + old_failed + ${vsix_failed:-0} ))
skipped=$(( ${unit_skipped:-0} + int_skipped + old_skipped ))
if [[ $unit_rc -ne 0 && ${unit_failed:-0} -eq 0 ]]; then failed=$((failed + 1)); echo "unit suite exited with $unit_rc"; fi
echo
echo "unit: ${unit_passed:-0} passed, ${unit_failed:-0} failed, ${unit_skipped:-0} skipped"
echo "integration: ${int_passed} passed, ${int_failed} failed, ${int_skipped} skipped"
echo "integration (oldest VS Code): ${old_passed} passed, ${old_failed} failed, ${old_skipped} skipped"
echo "vsix: ${vsix_passed:-0} passed, ${vsix_failed:-0} failed"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[[ $failed -eq 0 && $passed -gt 0 ]]
