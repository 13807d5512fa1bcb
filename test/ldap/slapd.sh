#!/usr/bin/env bash
# Throw-away OpenLDAP (slapd) for tests, the demo and docker-compose.
#
#   slapd.sh install                    install slapd + ldap-utils (Debian) if missing
#   slapd.sh start DIR PORT [LDIF ...]  create (first time) and start; prints ldap://HOST:PORT
#   slapd.sh bulk-load DIR LDIF         create (first time) and load LDIF with slapadd while stopped; no overlay
#                                       runs, so the LDIF must carry memberOf itself (content records, not changes)
#   slapd.sh stop DIR                   stop it (idempotent)
#   slapd.sh run DIR PORT [LDIF ...]    like start, then stay in the foreground (entrypoint)
#
# Env: SLAPD_LISTEN_HOST (default 127.0.0.1; a container passes 0.0.0.0).
#      SLAPD_REPLICA_OF=ldap://HOST:PORT when an instance is created: it becomes a read-only replica (syncrepl
#      refreshAndPersist consumer) of that provider, which brings all of its data; start loads no LDIF into it.
#      SLAPD_TLS_CERT, SLAPD_TLS_KEY: PEM server certificate (chain) and unencrypted key, to offer StartTLS; put into
#      cn=config when the instance is created, from then on read by slapd at each start.
#      SLAPD_LDAPS_PORT: also listen on ldaps://HOST:PORT (needs the two above).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/pid-file.sh"

# slapd, slapadd and slappasswd live in /usr/sbin, which is not on a normal user's PATH.
export PATH="$PATH:/usr/sbin:/sbin"
# Keep ~/.ldaprc and /etc/ldap/ldap.conf (TLS, BASE, ...) from changing what the client tools do.
export LDAPNOINIT=1

readonly SUFFIX='dc=fightclub,dc=com'
readonly ROOT_DN="cn=admin,$SUFFIX"
readonly ROOT_PW='root-secret'
readonly SERVICE_DN="cn=security-api,ou=services,$SUFFIX"
readonly MODULE_DIR='/usr/lib/ldap'
readonly SCHEMA_DIR='/etc/ldap/schema'
readonly READY_TIMEOUT_S=20
readonly STOP_TIMEOUT_S=10
LISTEN_HOST="${SLAPD_LISTEN_HOST:-127.0.0.1}"
REPLICA_OF="${SLAPD_REPLICA_OF:-}"
TLS_CERT="${SLAPD_TLS_CERT:-}"
TLS_KEY="${SLAPD_TLS_KEY:-}"
LDAPS_PORT="${SLAPD_LDAPS_PORT:-}"

die() {
  echo "slapd.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '4,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# ---------------------------------------------------------------- install

install_packages() {
  if command -v slapd >/dev/null && command -v ldapadd >/dev/null; then
    return 0
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "slapd/ldap-utils missing and not root (no sudo to install them)"
    sudo=(sudo)
  fi
  # Without this the slapd package builds and starts a system-wide directory we do not want.
  echo 'slapd slapd/no_configuration boolean true' | "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends slapd ldap-utils
}

# ---------------------------------------------------------------- paths

set_paths() {
  mkdir -p "$1"
  # Absolute, because the config stores the data directory path.
  DIR="$(cd "$1" && pwd)"
  CONFIG_DIR="$DIR/slapd.d"
  DATA_DIR="$DIR/data"
  PID_FILE="$DIR/slapd.pid"
  LOG_FILE="$DIR/slapd.log"
}

connect_url() {
  local host="$LISTEN_HOST"
  [[ $host == 0.0.0.0 ]] && host=127.0.0.1
  echo "ldap://$host:$PORT"
}

# kill -0 is not enough: once detached, a stopped slapd is a zombie until init reaps
# it, which some sandboxes' init does only after a second or more.
# ---------------------------------------------------------------- config

warn_if_apparmor_confines_slapd() {
  local profiles=/sys/kernel/security/apparmor/profiles
  if [[ -r $profiles ]] && grep -q 'slapd (enforce)' "$profiles"; then
    echo "slapd.sh: warning: AppArmor enforces a slapd profile; it may deny access to $DIR" >&2
  fi
}

# Debian builds slapd with GnuTLS: it reads PEM, PKCS#1 or PKCS#8 keys (not encrypted ones) as the user slapd runs as.
tls_config() {
  if [[ -n $TLS_CERT ]]; then
    echo "olcTLSCertificateFile: $(realpath "$TLS_CERT")"
    echo "olcTLSCertificateKeyFile: $(realpath "$TLS_KEY")"
  fi
}

check_tls_env() {
  [[ -z $TLS_CERT && -z $TLS_KEY ]] || [[ -r $TLS_CERT && -r $TLS_KEY ]] ||
    die "SLAPD_TLS_CERT and SLAPD_TLS_KEY must both name readable files"
  [[ -z $LDAPS_PORT || ( -n $TLS_CERT && $LDAPS_PORT =~ ^[0-9]+$ ) ]] ||
    die "SLAPD_LDAPS_PORT must be a number and needs SLAPD_TLS_CERT and SLAPD_TLS_KEY"
}

config_ldif() {
  local root_hash
  root_hash="$(slappasswd -s "$ROOT_PW")"
  cat <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
$(tls_config)

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: $MODULE_DIR
olcModuleLoad: back_mdb
olcModuleLoad: memberof
olcModuleLoad: refint
olcModuleLoad: syncprov

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

EOF
  # Debian's slapd has back_monitor built in (slapd -VVV), so it is not a loadable module.
  local schema
  for schema in core cosine inetorgperson; do
    cat "$SCHEMA_DIR/$schema.ldif"
    echo
  done
  cat <<EOF
dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $SUFFIX
olcDbDirectory: $DATA_DIR
olcRootDN: $ROOT_DN
olcRootPW: $root_hash
olcDbMaxSize: 1073741824
olcDbNoSync: TRUE
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: mail eq
olcDbIndex: cn eq
olcDbIndex: member eq
olcDbIndex: memberOf eq
olcDbIndex: entryUUID eq
olcDbIndex: entryCSN eq
olcAccess: {0}to attrs=userPassword by anonymous auth by * none
olcAccess: {1}to * by dn.exact="$SERVICE_DN" read by * none
# One answer stays capped at 500 entries, as on most servers, but the service account may page past it.
olcLimits: dn.exact="$SERVICE_DN" size.prtotal=unlimited
EOF
  if [[ -n $REPLICA_OF ]]; then
    replica_ldif
  else
    provider_ldif
  fi
  cat <<EOF

dn: olcDatabase={2}monitor,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {2}monitor
olcAccess: {0}to * by dn.exact="$SERVICE_DN" read by * none
EOF
}

memberof_ldif() {
  cat <<EOF

dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {0}memberof
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf
EOF
}

# memberof and refint keep the data consistent where it is written. syncprov keeps the suffix's contextCSN current
# on every write: the one cheap value that tells a reader whether anything changed, and what a replica follows.
provider_ldif() {
  memberof_ldif
  echo 'olcMemberOfRefInt: TRUE'
  cat <<EOF

dn: olcOverlay={1}refint,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcRefintConfig
olcOverlay: {1}refint
olcRefintAttribute: member

dn: olcOverlay={2}syncprov,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcSyncProvConfig
olcOverlay: {2}syncprov
olcSpCheckpoint: 100 1
EOF
}

# A replica of OpenLDAP 2.5 must run memberof itself: the provider's memberof writes memberOf with internal
# operations that syncprov never sends (a member added after the first refresh would be missing from the replica's
# memberOf while its contextCSN matched). attrs="*,+" brings the operational attributes (entryUUID, the memberOf of
# the first refresh; the duplicates memberof then logs as err=20 are harmless). No refint: the provider's refint
# writes ordinary, replicated modifications. The provider's root DN is bound by no ACL or size limit; retry="1 +"
# reconnects every second for as long as the provider is away.
replica_ldif() {
  cat <<EOF
olcSyncrepl: {0}rid=001 provider=$REPLICA_OF bindmethod=simple binddn="$ROOT_DN" credentials=$ROOT_PW
  searchbase="$SUFFIX" type=refreshAndPersist retry="1 +" timeout=3 network-timeout=3
  attrs="*,+" schemachecking=off
EOF
  memberof_ldif
}

create_config() {
  local tmp="$CONFIG_DIR.tmp"
  rm -rf "$tmp" "$DATA_DIR"
  mkdir -p "$tmp" "$DATA_DIR"
  config_ldif >"$DIR/config.ldif"
  if ! slapadd -n0 -F "$tmp" -l "$DIR/config.ldif" >"$LOG_FILE" 2>&1; then
    cat "$LOG_FILE" >&2
    die "building cn=config with slapadd failed (output above)"
  fi
  # Renamed only when complete, so an existing slapd.d always means a usable instance.
  mv "$tmp" "$CONFIG_DIR"
}

# ---------------------------------------------------------------- start / stop

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

launch_slapd() {
  # -d keeps slapd in the foreground, so we own its pid and its log goes to a file
  # (otherwise it logs to syslog). Level "stats" = one line per operation.
  local urls="ldap://$LISTEN_HOST:$PORT/"
  [[ -n $LDAPS_PORT ]] && urls+=" ldaps://$LISTEN_HOST:$LDAPS_PORT/"
  slapd -d stats -h "$urls" -F "$CONFIG_DIR" \
    </dev/null >>"$LOG_FILE" 2>&1 &
  SLAPD_PID=$!
  echo "$SLAPD_PID" >"$PID_FILE"
}

wait_until_ready() {
  local url
  url="$(connect_url)"
  await_answer "$SLAPD_PID" "$PID_FILE" "$READY_TIMEOUT_S" ldapsearch -x -H "$url" -b '' -s base -LLL dn && return 0
  echo "slapd.sh: slapd did not become ready on $url; log ($LOG_FILE):" >&2
  tail -n 50 "$LOG_FILE" >&2
  exit 1
}

load_ldif() {
  local ldif="$1"
  [[ -r $ldif ]] || die "cannot read LDIF $ldif"
  # Not slapadd: that bypasses the memberof overlay and memberOf would stay empty.
  # relax lets the rootdn set the fixtures' entryUUID (a NO-USER-MODIFICATION attribute).
  ldapadd -x -H "$(connect_url)" -D "$ROOT_DN" -w "$ROOT_PW" -e relax -f "$ldif" >/dev/null ||
    die "loading $ldif failed (slapd is still running; stop it with: $0 stop $DIR)"
}

bulk_load() {
  [[ $# -eq 2 ]] || usage
  set_paths "$1"
  local ldif="$2"
  [[ -r $ldif ]] || die "cannot read LDIF $ldif"
  local pid
  if pid="$(pid_of_running "$PID_FILE" slapd)"; then
    die "slapd is running for $DIR (pid $pid); stop it first: $0 stop $DIR"
  fi
  if [[ ! -d $CONFIG_DIR ]]; then
    warn_if_apparmor_confines_slapd
    create_config
  fi
  # Orders of magnitude faster than ldapadd through the overlays for large directories. -q skips the consistency
  # checks (a failed load leaves an unusable database: start over in a new DIR); -w stores the suffix's contextCSN
  # (the newest entryCSN loaded) with the data, and syncprov keeps it current from the first write on.
  slapadd -q -w -F "$CONFIG_DIR" -b "$SUFFIX" -l "$ldif" ||
    die "loading $ldif with slapadd failed (output above)"
}

start() {
  [[ $# -ge 2 ]] || usage
  set_paths "$1"
  PORT="$2"
  shift 2
  [[ $PORT =~ ^[0-9]+$ ]] || die "PORT must be a number: $PORT"
  check_tls_env

  local pid
  if pid="$(pid_of_running "$PID_FILE" slapd)"; then
    die "slapd already running for $DIR (pid $pid)"
  fi
  port_in_use && die "port $PORT is already in use"

  local fresh=false
  if [[ ! -d $CONFIG_DIR ]]; then
    [[ -n $REPLICA_OF && $# -gt 0 ]] && die "a replica takes its data from $REPLICA_OF, not from LDIF files"
    warn_if_apparmor_confines_slapd
    create_config
    fresh=true
  fi
  launch_slapd
  wait_until_ready
  if $fresh; then
    local ldif
    for ldif in "$@"; do load_ldif "$ldif"; done
  fi
  connect_url
}

stop() {
  [[ $# -eq 1 ]] || usage
  set_paths "$1"
  stop_pid_file "$PID_FILE" slapd "$STOP_TIMEOUT_S"
}

run() {
  start "$@"
  # Forward SIGTERM/SIGINT (e.g. docker stop) and then report slapd's own exit status.
  trap 'kill -TERM "$SLAPD_PID" 2>/dev/null || true' TERM INT
  # Show slapd's log on our stdout so container logs contain it.
  tail -n +1 -f --pid="$SLAPD_PID" "$LOG_FILE" &
  local rc=0
  # wait returns early when a trapped signal arrives; loop until slapd itself is reaped
  # (kill -0 still succeeds on the unreaped zombie, so its real status is collected).
  while kill -0 "$SLAPD_PID" 2>/dev/null; do
    rc=0
    wait "$SLAPD_PID" || rc=$?
  done
  rm -f "$PID_FILE"
  exit "$rc"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    install) install_packages ;;
    start) start "$@" ;;
    bulk-load) bulk_load "$@" ;;
    stop) stop "$@" ;;
    run) run "$@" ;;
    *) usage ;;
  esac
}

main "$@"
