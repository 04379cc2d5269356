#!/usr/bin/env bash
# `npm test`: every test suite, then one closing line `N passed, N failed` (the line CI reads).
#
#   1. Vitest (unit + integration; needs PostgreSQL and Redis on 127.0.0.1)
#   2. Playwright e2e against the demo stack (skipped with SKIP_E2E=1). It runs the production build:
#      `npm run build` runs first if build/ is missing, or always with E2E_REBUILD=1.
#   3. scripts/summarise-tests.mjs adds up both JSON reports and prints the closing line.
#
# Both runners always run, even when the first one fails. The exit code is non-zero if anything
# failed. Reports: test-results.json (Vitest), playwright-results.json (Playwright).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

VITEST_REPORT=test-results.json
PLAYWRIGHT_REPORT=playwright-results.json
# A stale report from an earlier run must never stand in for a runner that crashed this time.
rm -f "$VITEST_REPORT" "$PLAYWRIGHT_REPORT"

echo "== vitest"
vitest_rc=0
npx vitest run --reporter=default --reporter=json --outputFile="$VITEST_REPORT" || vitest_rc=$?
args=(--vitest "$VITEST_REPORT" --vitest-exit "$vitest_rc")

if [[ "${SKIP_E2E:-0}" == 1 ]]; then
  echo "== playwright: skipped (SKIP_E2E=1)"
else
  e2e_rc=0
  if [[ ! -d build || "${E2E_REBUILD:-0}" == 1 ]]; then
    echo "== build (for e2e)"
    npm run build || e2e_rc=$?
    if ((e2e_rc != 0)); then echo "== playwright: not run, npm run build failed (exit $e2e_rc)"; fi
  else
    echo "== e2e uses the existing build/ (E2E_REBUILD=1 rebuilds it)"
  fi
  if ((e2e_rc == 0)); then
    echo "== playwright"
    npx playwright test || e2e_rc=$?
  fi
  args+=(--playwright "$PLAYWRIGHT_REPORT" --playwright-exit "$e2e_rc")
fi

echo "== summary"
node scripts/summarise-tests.mjs "${args[@]}"
