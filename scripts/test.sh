#!/usr/bin/env bash
# Installs everything a fresh machine lacks, then runs every test suite (unit, then integration inside a
# real VS Code) and prints one closing line "N passed, N failed" over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
set -e
bash scripts/install-system-deps.sh
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
bash scripts/ensure-vscode-server.sh
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

echo "== integration tests (real VS Code extension host)"
node out/test/integration/launcher/runIntegration.js 2>&1 | tee "$log/integration.txt"
int_rc=${PIPESTATUS[0]}
summary=$(grep -E '^integration: [0-9]+ passed, [0-9]+ failed' "$log/integration.txt" | tail -1)
int_passed=$(sed -E 's/^integration: ([0-9]+) passed.*/\1/' <<<"$summary")
int_failed=$(sed -E 's/^integration: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$summary")
int_skipped=$(grep -Eo '[0-9]+ skipped' <<<"$summary" | grep -Eo '[0-9]+' || true)

passed=$(( ${unit_passed:-0} + ${int_passed:-0} ))
failed=$(( ${unit_failed:-0} + ${int_failed:-0} ))
skipped=$(( ${unit_skipped:-0} + ${int_skipped:-0} ))
# A suite that crashed before printing its summary still counts as a failure.
if [[ $unit_rc -ne 0 && ${unit_failed:-0} -eq 0 ]]; then failed=$((failed + 1)); echo "unit suite exited with $unit_rc"; fi
if [[ $int_rc -ne 0 && ${int_failed:-0} -eq 0 ]]; then failed=$((failed + 1)); echo "integration suite exited with $int_rc"; fi
echo
echo "unit: ${unit_passed:-0} passed, ${unit_failed:-0} failed, ${unit_skipped:-0} skipped"
echo "integration: ${int_passed:-0} passed, ${int_failed:-0} failed, ${int_skipped:-0} skipped"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[[ $failed -eq 0 && $passed -gt 0 ]]
