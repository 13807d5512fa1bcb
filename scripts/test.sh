#!/usr/bin/env bash
# The tests. With no tier named, every one: lint, type-check, build, then unit, integration, e2e and system tests; this
# is `npm test`, the README's test command and what CI runs. With tiers named first (unit, integration, e2e, system),
# only those, and only the set-up they need: `npm run test:e2e` is this script with `e2e`. Arguments after the tiers
# go to Jest (a file path, -t 'name'). Integration, e2e and system tests start their own slapd (test/ldap/slapd.sh) or
# Samba AD DC (test/ad/samba-dc.sh) on loopback and stop it when done.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly TIERS=(unit integration e2e system)
tiers=()
while [[ $# -gt 0 ]] && [[ " ${TIERS[*]} " == *" $1 "* ]]; do
  tiers+=("$1")
  shift
done
all=''
[[ ${#tiers[@]} -gt 0 ]] || { all=yes; tiers=("${TIERS[@]}"); }

bash scripts/install-prerequisites.sh
if [[ -n $all ]]; then
  npm run lint --silent
  npx tsc --noEmit -p tsconfig.json
fi
# The system tier starts the production build the way npm run start:prod does.
if [[ " ${tiers[*]} " == *' system '* ]]; then
  npm run build --silent
fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
status=0
# Paths and options first: --selectProjects takes every word after it as a project name.
npx jest --ci --json --outputFile="$results" "$@" --selectProjects "${tiers[@]}" || status=$?
# One plain closing line that any CI reader understands, whatever the runner.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" || true
exit "$status"
