#!/usr/bin/env bash
# Every test: type-check, then unit, integration and e2e tests. Integration and e2e tests start their own slapd
# (test/ldap/slapd.sh) on free loopback ports and stop it when done.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-prerequisites.sh
npx tsc --noEmit -p tsconfig.json
# The production build is under test too: an e2e test starts dist/ the way npm run start:prod does.
npm run build --silent

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
# One plain closing line that any CI reader understands, whatever the runner.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" || true
exit "$status"
