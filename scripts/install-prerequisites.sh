#!/usr/bin/env bash
# What the README's commands need on a fresh Debian machine with Node 20, installed when missing.
#   install-prerequisites.sh        everything the tests need: Debian's slapd and ldap-utils, openssl (the TLS tests
#                                   make their certificates with it), Samba's Active Directory domain controller and
#                                   iproute2 (the AD tests run DCs on loopback addresses of their own, see
#                                   test/ad/samba-dc.sh), nginx and Caddy (the gateway tests run the documented recipes
#                                   in front of the service, see docs/gateways.md), Chromium (a test tries the API docs
#                                   in it, see test/system/api-docs-browser.system-spec.ts), and the project's node
#                                   modules exactly as package-lock.json pins them.
#   install-prerequisites.sh demo   what the demo needs: slapd, ldap-utils and the node modules.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SAMBA_PACKAGES=(samba samba-ad-dc samba-ad-provision ldb-tools)
# Debian's nginx has auth_request built in; nginx-light is only nginx plus the echo module. Bookworm's caddy (2.6) has
# forward_auth.
readonly GATEWAY_PACKAGES=(nginx caddy)
# Debian's own build, driven by playwright-core at /usr/bin/chromium, so that no test downloads a browser.
readonly BROWSER_PACKAGES=(chromium)

die() {
  echo "install-prerequisites.sh: $*" >&2
  exit 1
}

case "${1:-}" in
  '') only_demo='' ;;
  demo) only_demo=yes ;;
  *) die "unknown argument '$1' (none for everything the tests need, or demo)" ;;
esac

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  else
    sudo "$@"
  fi
}

not_installed() {
  local package
  for package in "$@"; do
    [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" == 'install ok installed' ]] || echo "$package"
  done
}

# apt verifies package lists as its _apt user, which must be able to write to TMPDIR; on some machines /tmp is not
# world-writable, and apt-get update then only warns and keeps stale (or no) lists. Such a machine gets a folder that
# is, for as long as this script runs.
apt_tmp=''
if [[ "$(stat -c %a "${TMPDIR:-/tmp}")" != 1777 ]]; then
  apt_tmp="$(mktemp -d)"
  chmod 1777 "$apt_tmp"
  export TMPDIR="$apt_tmp"
fi
created_policy=''
cleanup() {
  [[ -z $created_policy ]] || as_root rm -f "$created_policy"
  [[ -z $apt_tmp ]] || rm -rf "$apt_tmp"
}
trap cleanup EXIT

apt_install() {
  [[ $(id -u) -eq 0 ]] || command -v sudo >/dev/null || die "$* missing and not root (no sudo to install it)"
  # Installing samba, nginx or caddy would start their services on a machine with an init system; no test wants
  # them. A policy-rc.d that exits 101 tells the packages' scripts to start nothing.
  local policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    created_policy="$policy"
    as_root sh -c "printf '#!/bin/sh\\nexit 101\\n' >$policy && chmod 755 $policy"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive TMPDIR="${TMPDIR:-/tmp}" apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive TMPDIR="${TMPDIR:-/tmp}" \
    apt-get install -y -q --no-install-recommends "$@"
}

bash test/ldap/slapd.sh install
if [[ -z $only_demo ]]; then
  missing=()
  command -v openssl >/dev/null || missing+=(openssl)
  # ip gives each test DC a loopback address of its own; slim images leave it out.
  PATH="$PATH:/usr/sbin:/sbin" command -v ip >/dev/null || missing+=(iproute2)
  mapfile -t -O "${#missing[@]}" missing < <(
    not_installed "${SAMBA_PACKAGES[@]}" "${GATEWAY_PACKAGES[@]}" "${BROWSER_PACKAGES[@]}"
  )
  if [[ ${#missing[@]} -gt 0 ]]; then
    apt_install "${missing[@]}"
  fi
fi
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
