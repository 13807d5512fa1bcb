# A server process known by its pid file: sourced by test/ldap/slapd.sh and test/ad/samba-dc.sh (and copied beside
# slapd.sh into the demo directory's image). Callers run under `set -euo pipefail`.

# Whether the process exists and is neither a zombie nor dead.
is_alive() {
  local state
  state="$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)" || return 1
  [[ -n $state && $state != [ZX] ]]
}

# pid_of_running PID_FILE COMMAND: prints the pid the file names if that process is alive and is COMMAND.
pid_of_running() {
  [[ -f $1 ]] || return 1
  local pid
  pid="$(<"$1")"
  # Guard against a recycled pid belonging to some other program.
  [[ -n $pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$2" ]] || return 1
  is_alive "$pid" || return 1
  echo "$pid"
}

# stop_pid_file PID_FILE COMMAND TIMEOUT_S: SIGTERM, then SIGKILL after the timeout; waits until it is gone and
# removes the pid file. Nothing to do when it is not running.
stop_pid_file() {
  local pid
  if ! pid="$(pid_of_running "$1" "$2")"; then
    rm -f "$1"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + $3))
  while is_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.02
  done
  if is_alive "$pid"; then
    echo "$2 (pid $pid) ignored SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while is_alive "$pid"; do sleep 0.02; done
  fi
  rm -f "$1"
}

# await_answer PID PID_FILE TIMEOUT_S COMMAND...: returns once COMMAND succeeds; if the process dies or the timeout
# passes first, kills it, removes the pid file and returns 1 (the caller says why, with its log).
await_answer() {
  local pid="$1" pid_file="$2" deadline=$((SECONDS + $3))
  shift 3
  while ((SECONDS < deadline)); do
    is_alive "$pid" || break
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file"
  return 1
}
