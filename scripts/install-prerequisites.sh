#!/usr/bin/env bash
# What both README commands need on a fresh Debian machine with Node 20: Debian's slapd and ldap-utils, openssl (the
# TLS tests make their certificates with it), and the project's node modules exactly as package-lock.json pins them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash test/ldap/slapd.sh install
if ! command -v openssl >/dev/null; then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-prerequisites.sh: openssl missing and not root (no sudo to install it)" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssl
fi
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
