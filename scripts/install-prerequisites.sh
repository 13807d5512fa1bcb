#!/usr/bin/env bash
# What both README commands need on a fresh Debian machine with Node 20: Debian's slapd and ldap-utils, and the
# project's node modules exactly as package-lock.json pins them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash test/ldap/slapd.sh install
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
