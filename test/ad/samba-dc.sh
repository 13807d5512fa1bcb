#!/usr/bin/env bash
# Throw-away Samba Active Directory domain controller (LDAP only) for tests.
#
#   samba-dc.sh template        provision the domain into the cached template if it is not there yet; prints its folder
#   samba-dc.sh start DIR       first time: copy the template into DIR, claim a free loopback address 127.0.0.N for it
#                               and make its TLS certificates; every time: start samba for DIR on that address and wait
#                               until a bound search answers. Prints ldaps://127.0.0.N and ldap://127.0.0.N (StartTLS)
#   samba-dc.sh stop DIR        stop it, keeping its data and address (idempotent)
#   samba-dc.sh destroy DIR     stop it, remove DIR and give its address back (idempotent)
#
# The domain: realm FIGHTCLUB.COM, NetBIOS name FIGHTCLUB, base DN dc=fightclub,dc=com, Administrator@fightclub.com
# with the password below; only what provisioning makes, with the password policy's complexity, length, history and
# age rules off so that tests may set any password. DIR/tls/ca.pem is the CA that signed the server's certificate.
# Needs root: samba's LDAP ports are fixed (389, 636, 3268, 3269), so each DC listens on an address of its own.
# Env: SAMBA_DC_TEMPLATE overrides the template's folder.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../ldap/pid-file.sh"

export PATH="$PATH:/usr/sbin:/sbin"

readonly REALM='FIGHTCLUB.COM'
readonly DOMAIN='FIGHTCLUB'
readonly BASE_DN='dc=fightclub,dc=com'
readonly ADMIN_UPN='Administrator@fightclub.com'
readonly ADMIN_PW='Paper-Street-1999'
readonly HOST_NAME='dc'
# Which loopback address belongs to which DIR, for every checkout and test worker on the machine. /run goes when the
# machine restarts, as the addresses do.
readonly CLAIMS='/run/samba-dc-addresses'
readonly FIRST_HOST=2
readonly LAST_HOST=254
readonly READY_TIMEOUT_S=30
readonly STOP_TIMEOUT_S=10

die() {
  echo "samba-dc.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '4,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

require_tools() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (samba's LDAP ports are below 1024)"
  local tool
  for tool in samba samba-tool ldapsearch openssl flock ip; do
    command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-prerequisites.sh"
  done
}

# ---------------------------------------------------------------- template

# Every folder samba would otherwise take from the package's defaults (/run/samba, /var/lib/samba, …) lives in $1.
folder_options() {
  local dir="$1"
  cat <<EOF
private dir = $dir/private
binddns dir = $dir/bind-dns
state directory = $dir/state
cache directory = $dir/cache
lock directory = $dir/lock
pid directory = $dir/run
ncalrpc dir = $dir/run/ncalrpc
winbindd socket directory = $dir/run/winbindd
log file = $dir/samba.log
EOF
}

provision() {
  local target="$1" log="$1.log"
  rm -rf "$target"
  mkdir -p "$target"
  # An empty configuration: without -s, provisioning copies shares and log paths from /etc/samba/smb.conf.
  : >"$target.empty.conf"
  local options=()
  mapfile -t options < <(folder_options "$target" | sed 's/^\(.*\) = /--option=\1=/')
  if ! samba-tool domain provision -s "$target.empty.conf" --targetdir="$target" \
    --realm="$REALM" --domain="$DOMAIN" --host-name="$HOST_NAME" --server-role=dc --dns-backend=NONE \
    --adminpass="$ADMIN_PW" --option='server services = ldap' "${options[@]}" >"$log" 2>&1 ||
    ! samba-tool domain passwordsettings set -s "$target/etc/smb.conf" --complexity=off --min-pwd-length=0 \
      --history-length=0 --min-pwd-age=0 --max-pwd-age=0 >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "provisioning the template failed (log above, in $log)"
  fi
  rm -f "$target.empty.conf" "$log"
}

# A new script or a new samba makes a new template rather than reuse one it may not understand.
template_dir() {
  echo "${SAMBA_DC_TEMPLATE:-${TMPDIR:-/tmp}/samba-dc-template-$({ cat "$0"; samba -V; } | sha256sum | cut -c1-16)}"
}

# Parallel test workers all need it and only one may make it; the others wait for it.
ensure_template() {
  TEMPLATE="$(template_dir)"
  if [[ ! -d $TEMPLATE ]]; then
    exec {lock}>"$TEMPLATE.lock"
    flock "$lock"
    if [[ ! -d $TEMPLATE ]]; then
      provision "$TEMPLATE.tmp"
      # Renamed only when complete, so an existing template is always a usable one. Only etc/smb.conf names the
      # folder it was made in; each instance writes its own.
      mv "$TEMPLATE.tmp" "$TEMPLATE"
    fi
    exec {lock}>&-
  fi
}

# ---------------------------------------------------------------- paths

set_paths() {
  [[ -n $1 ]] || usage
  DIR="$(realpath -m "$1")"
  CONF="$DIR/etc/smb.conf"
  PID_FILE="$DIR/samba.pid"
  LOG_FILE="$DIR/samba.log"
  ADDRESS_FILE="$DIR/address"
  CA_FILE="$DIR/tls/ca.pem"
}

# ---------------------------------------------------------------- addresses

on_loopback() {
  # Not a pipe into grep -q: under pipefail, ip's SIGPIPE when grep stops early would read as "not found".
  [[ "$(ip -4 -o addr show dev lo)" == *" inet $1/"* ]]
}

listened_on() {
  local port
  for port in 389 636 3268 3269; do
    (exec 3<>"/dev/tcp/$1/$port") 2>/dev/null && return 0
  done
  return 1
}

# An address is free when no existing folder claims it, nobody else has put it on lo, and nothing answers on samba's
# ports there (a listener on 0.0.0.0 would, too). Claims of folders that are gone are taken back.
claim_address() {
  mkdir -p "$CLAIMS"
  exec {lock}>"$CLAIMS/.lock"
  flock "$lock"
  local host address owner
  for ((host = FIRST_HOST; host <= LAST_HOST; host++)); do
    address="127.0.0.$host"
    if [[ -f $CLAIMS/$address ]]; then
      owner="$(<"$CLAIMS/$address")"
      [[ $owner == "$DIR" || ! -d $owner ]] || continue
    elif on_loopback "$address"; then
      continue
    fi
    listened_on "$address" && continue
    echo "$DIR" >"$CLAIMS/$address"
    echo "$address" >"$ADDRESS_FILE"
    exec {lock}>&-
    return 0
  done
  exec {lock}>&-
  die "no free loopback address in 127.0.0.$FIRST_HOST-$LAST_HOST"
}

# After a restart of the machine the claim and the address are gone while the folder is not.
reclaim_address() {
  local address="$1"
  mkdir -p "$CLAIMS"
  exec {lock}>"$CLAIMS/.lock"
  flock "$lock"
  if [[ ! -f $CLAIMS/$address ]]; then
    on_loopback "$address" && die "$address, this DC's address, is now used by someone else"
    echo "$DIR" >"$CLAIMS/$address"
  fi
  [[ "$(<"$CLAIMS/$address")" == "$DIR" ]] || die "$address, this DC's address, is now claimed by $(<"$CLAIMS/$address")"
  exec {lock}>&-
}

release_address() {
  local address="$1"
  [[ -f $CLAIMS/$address && "$(<"$CLAIMS/$address")" == "$DIR" ]] || return 0
  if on_loopback "$address"; then
    ip addr del "$address/32" dev lo
  fi
  rm -f "$CLAIMS/$address"
}

# ---------------------------------------------------------------- instance

# P-256 keys: milliseconds where RSA would take a noticeable part of a start. Samba's own certificate names no IP
# address, so a client that verifies it could not reach the DC by its address.
make_certificates() {
  local address="$1" tls="$DIR/tls"
  mkdir -p "$tls"
  local key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  (
    cd "$tls"
    openssl req -x509 "${key[@]}" -keyout ca.key -out ca.pem -days 30 -subj '/CN=Samba DC test CA' \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
    printf '%s\n' "subjectAltName=IP:$address,IP:127.0.0.1,DNS:localhost" 'basicConstraints=critical,CA:FALSE' \
      'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' >server.ext
    openssl req "${key[@]}" -keyout server.key -out server.csr -subj "/CN=$address"
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile server.ext \
      -out server.pem
    # samba refuses a key that anyone but its owner may read.
    chmod 600 server.key ca.key
  ) >"$DIR/tls.log" 2>&1 || {
    cat "$DIR/tls.log" >&2
    die "making the TLS certificates failed (output above)"
  }
}

write_config() {
  local address="$1"
  mkdir -p "$DIR/etc"
  {
    echo '[global]'
    cat <<EOF
netbios name = ${HOST_NAME^^}
realm = $REALM
workgroup = $DOMAIN
server role = active directory domain controller
server services = ldap
interfaces = $address
bind interfaces only = yes
tls enabled = yes
tls certfile = $DIR/tls/server.pem
tls keyfile = $DIR/tls/server.key
tls cafile = $DIR/tls/ca.pem
EOF
    folder_options "$DIR"
  } | sed '2,$s/^/\t/' >"$CONF.tmp"
  mv "$CONF.tmp" "$CONF"
}

# The configuration is written last: a folder with one is a complete instance; without one, a start makes it again.
create_instance() {
  ensure_template
  cp -a "$TEMPLATE/." "$DIR/"
  rm -f "$CONF"
  [[ -s $ADDRESS_FILE ]] || claim_address
  local address
  address="$(<"$ADDRESS_FILE")"
  make_certificates "$address"
  mkdir -p "$DIR/run" "$DIR/lock" "$DIR/cache"
  write_config "$address"
}

# kill -0 is not enough: once detached, a stopped samba is a zombie until init reaps it.
bound_search() {
  # ldapwhoami cannot tell: AD does not implement the Who am I? operation.
  LDAPCONF=/dev/null LDAPTLS_CACERT="$CA_FILE" LDAPTLS_REQCERT=demand \
    ldapsearch -x -H "ldaps://$1" -o nettimeout=2 -D "$ADMIN_UPN" -w "$ADMIN_PW" -b "$BASE_DN" -s base -LLL dn
}

wait_until_ready() {
  local address="$1"
  await_answer "$SAMBA_PID" "$PID_FILE" "$READY_TIMEOUT_S" bound_search "$address" && return 0
  echo "samba-dc.sh: samba did not answer a bound search on ldaps://$address; log ($LOG_FILE):" >&2
  tail -n 50 "$LOG_FILE" >&2
  exit 1
}

start() {
  [[ $# -eq 1 ]] || usage
  require_tools
  set_paths "$1"
  mkdir -p "$DIR"
  local pid
  if pid="$(pid_of_running "$PID_FILE" samba)"; then
    die "samba already running for $DIR (pid $pid)"
  fi
  if [[ ! -f $CONF ]]; then
    create_instance
  fi
  local address
  address="$(<"$ADDRESS_FILE")"
  reclaim_address "$address"
  # samba only listens on addresses that some interface has.
  on_loopback "$address" || ip addr add "$address/32" dev lo
  listened_on "$address" && die "something already listens on $address"
  # One process (-M single) and only the LDAP server: a DC in about a second, stopped in a fraction of one.
  samba -i -M single -s "$CONF" </dev/null >>"$LOG_FILE" 2>&1 &
  SAMBA_PID=$!
  echo "$SAMBA_PID" >"$PID_FILE"
  wait_until_ready "$address"
  echo "ldaps://$address"
  echo "ldap://$address"
}

stop() {
  [[ $# -eq 1 ]] || usage
  set_paths "$1"
  stop_pid_file "$PID_FILE" samba "$STOP_TIMEOUT_S"
}

destroy() {
  [[ $# -eq 1 ]] || usage
  stop "$1"
  [[ -d $DIR ]] || return 0
  if [[ -s $ADDRESS_FILE ]]; then
    local address
    address="$(<"$ADDRESS_FILE")"
    (
      mkdir -p "$CLAIMS"
      exec {lock}>"$CLAIMS/.lock"
      flock "$lock"
      release_address "$address"
    )
  fi
  rm -rf "$DIR"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    template)
      require_tools
      ensure_template
      echo "$TEMPLATE"
      ;;
    start) start "$@" ;;
    stop) stop "$@" ;;
    destroy) destroy "$@" ;;
    *) usage ;;
  esac
}

main "$@"
