#!/usr/bin/env bash
# The demo: a real OpenLDAP with the Fight Club directory (test/ldap/demo.ldif) and the built service in production
# mode, with curl examples that work against it. Ctrl-C stops both. It installs only what it needs (slapd, ldap-utils,
# the node modules) and builds only when the sources changed since the last build.
#   LDAP_PORT (default 1389) and PORT (default 3000) choose the ports.
set -euo pipefail
cd "$(dirname "$0")/.."

LDAP_PORT="${LDAP_PORT:-1389}"
export PORT="${PORT:-3000}"

bash scripts/install-prerequisites.sh demo
bash scripts/build-if-changed.sh

data="$(mktemp -d)"
service_pid=''
# Runs under set -e on every way out: no step may abort it before the directory is stopped and removed.
cleanup() {
  if [[ -n $service_pid ]]; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  bash test/ldap/slapd.sh stop "$data" || true
  rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ldap_url="$(bash test/ldap/slapd.sh start "$data" "$LDAP_PORT" test/ldap/demo.ldif)"

export NODE_ENV=production
export LDAP_URL="$ldap_url"
export LDAP_BIND_DN='cn=security-api,ou=services,dc=fightclub,dc=com'
export LDAP_BIND_PASSWORD='service-secret'
export LDAP_BASE_DN='dc=fightclub,dc=com'
export LDAP_GROUP_BASE_DN='ou=groups,dc=fightclub,dc=com'
# One readable line per request for a person watching; production writes JSON (the default).
export LOG_FORMAT="${LOG_FORMAT:-pretty}"
# What npm run start:prod runs, started directly so that its pid is the service's own.
node dist/apps/security-api/apps/security-api/src/main.js &
service_pid=$!

# Ready when /health/ready says the directory answers; bounded, and gives up at once if the service died.
node -e '
  const [pid, port] = process.argv.slice(1);
  const url = `http://127.0.0.1:${port}/health/ready`;
  const alive = () => { try { process.kill(Number(pid), 0); return true; } catch { return false; } };
  const deadline = Date.now() + 30000;
  (async () => {
    while (Date.now() < deadline && alive()) {
      try { if ((await fetch(url)).status === 200) return; } catch {}
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    console.error(alive() ? `The service did not become ready at ${url}` : "The service stopped; its log is above");
    process.exit(1);
  })();
' "$service_pid" "$PORT"

command -v curl >/dev/null || echo "(The examples below use curl: apt-get install curl)"

service="http://127.0.0.1:$PORT"
users="$service/api/security/users"
cat <<EXAMPLES

The service is listening on $service with the demo directory at $ldap_url.
Administrators: sysadmin / admin-secret (direct), opsadmin / ops-secret (through Platform Operators).
Every route, tried in a browser (Authorize with sysadmin / admin-secret): $service/api/docs

  # 204: tdurden is in Liposuction Technicians, a child group of Paper Street Soap Company
  curl -s -o /dev/null -w '%{http_code}\n' -I -u sysadmin:admin-secret "$users/tdurden/groups/9bb89380-fd49-41a5-ab2f-fc25e482a251"
  curl -s -o /dev/null -w '%{http_code}\n' -I -u sysadmin:admin-secret "$users/t.durden@fightclub.com/groups/Paper%20Street%20Soap%20Company"
  # 204: a comma-separated list is an OR; ids and names may be mixed
  curl -s -o /dev/null -w '%{http_code}\n' -I -u opsadmin:ops-secret "$users/t.durden@fightclub.com/groups/0ccf6d37-56a2-4a0d-bda1-efc377369232,Liposuction%20Technicians"
  # 200 with the chain: rpaulson reaches Paper Street Soap Company through six groups
  curl -s -w '\n' -u sysadmin:admin-secret "$users/rpaulson/groups/Paper%20Street%20Soap%20Company"
  # 404 NOT_A_MEMBER, 409 for an ambiguous name, 401 without credentials, 403 for a non-administrator
  curl -s -w '\n' -u sysadmin:admin-secret "$users/tdurden/groups/0ccf6d37-56a2-4a0d-bda1-efc377369232"
  curl -s -w '\n' -u sysadmin:admin-secret "$users/msinger/groups/Support%20Group"
  curl -s -w '\n' "$users/tdurden/groups/Loners"
  curl -s -w '\n' -u tdurden:soap-maker "$users/msinger/groups/Loners"
  # A gateway's question, asked by tdurden about himself: 200 and who he is, in the Remote-* headers
  curl -s -o /dev/null -D - -u tdurden:soap-maker "$service/api/security/forward-auth?group=Paper%20Street%20Soap%20Company" | grep -iE '^(HTTP|Remote-)'
  # the probes; then how many checks were answered 204, and whether the directory answers (the metrics are for
  # administrators only, unless METRICS_PORT serves them apart)
  curl -s -w '\n' "$service/health/live" "$service/health/ready"
  curl -s -u sysadmin:admin-secret "$service/metrics" | grep -E '^ldap_up|^http_request_duration_seconds_count.*status="204"'

Press Ctrl-C to stop the service and the directory.
EXAMPLES
wait "$service_pid"
