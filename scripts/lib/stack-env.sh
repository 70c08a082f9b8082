# Shared helpers for scripts/stack-up.sh, scripts/stack-down.sh and scripts/test-all.sh. Source it; do not run it.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_DIR="$REPO_ROOT/.stack"
PG_DIR="$STACK_DIR/pg"
PG_DATA="$PG_DIR/data"
PG_RUN="$PG_DIR/run"            # unix socket directory of our cluster (never /var/run/postgresql)
PG_LOG="$PG_DIR/postgres.log"
BOUNCER_DIR="$STACK_DIR/pgbouncer"
BOUNCER_INI="$BOUNCER_DIR/pgbouncer.ini"
BOUNCER_PID="$BOUNCER_DIR/pgbouncer.pid"
BOUNCER_LOG="$BOUNCER_DIR/pgbouncer.log"
REDIS_DIR="$STACK_DIR/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"
SECRETS_FILE="$STACK_DIR/secrets"
ENV_FILE="$STACK_DIR/env"

PG_PORT="${PG_PORT:-55432}"
PGBOUNCER_PORT="${PGBOUNCER_PORT:-56432}"
REDIS_PORT="${REDIS_PORT:-56379}"
DB_NAME=dharma

# PostgreSQL server binaries: $PG_BIN, else Debian's 15, else the newest Debian major installed.
if [[ -z "${PG_BIN:-}" ]]; then
  PG_BIN=/usr/lib/postgresql/15/bin
  if [[ ! -x "$PG_BIN/postgres" ]]; then
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
      [[ -x "$d/postgres" ]] && { PG_BIN="$d"; break; }
    done
  fi
fi

log()  { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] %s\n' "$*" >&2; }
die()  { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Runs a command as the postgres OS user (initdb, postgres and pgbouncer refuse root). As non-root: as ourselves.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# True if process $1 exists and is not a zombie (an exited daemon reparented to an init that does not reap
# stays a zombie, and kill -0 still succeeds on it).
proc_running() {
  local state
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# Waits up to $2 seconds (default 10) for process $1 to be gone; false if it is still running.
wait_gone() {
  local i
  for ((i = 0; i < ${2:-10} * 5; i++)); do proc_running "$1" || return 0; sleep 0.2; done
  ! proc_running "$1"
}

# True if the pid in pidfile $1 is running and its command name is $2 (guards against recycled pids).
pid_alive() {
  local pidfile="$1" comm="$2" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(head -n1 "$pidfile" | tr -dc 0-9)"
  proc_running "$pid" || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm"* ]]
}

pid_of() { head -n1 "$1" | tr -dc 0-9; }

# Debian packages whose binaries are missing. Args: any of postgresql pgbouncer redis-server chromium.
missing_packages() {
  local p out=()
  for p in "$@"; do
    case "$p" in
      postgresql)   [[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" ]] && command -v psql >/dev/null || out+=(postgresql) ;;
      pgbouncer)    command -v pgbouncer >/dev/null || [[ -x /usr/sbin/pgbouncer ]] || out+=(pgbouncer) ;;
      redis-server) { command -v redis-server >/dev/null && command -v redis-cli >/dev/null; } || out+=(redis-server) ;;
      chromium)     [[ -x /usr/bin/chromium ]] || out+=(chromium) ;;
      prometheus)   command -v promtool >/dev/null || out+=(prometheus) ;;
    esac
  done
  echo "${out[*]:-}"
}

# Installs missing Debian packages when root (apt-get update once per process tree), else exits naming them.
ensure_packages() {
  local missing
  missing="$(missing_packages "$@")"
  [[ -z "$missing" ]] && return 0
  if ! is_root; then
    die "missing Debian package(s): $missing. Install them: sudo apt-get install -y $missing"
  fi
  # Another process may hold the dpkg lock (an install in progress): wait for it rather than fight it.
  export DEBIAN_FRONTEND=noninteractive
  local apt_opts=(-o DPkg::Lock::Timeout=600)
  if [[ -z "${STACK_APT_UPDATED:-}" ]]; then
    log "apt-get update"
    apt-get "${apt_opts[@]}" update -q || die "apt-get update failed"
    export STACK_APT_UPDATED=1
  fi
  log "apt-get install -y $missing"
  # shellcheck disable=SC2086
  apt-get "${apt_opts[@]}" install -y -q $missing || die "apt-get install $missing failed"
  hash -r
  missing="$(missing_packages "$@")"
  [[ -z "$missing" ]] || die "still missing after apt-get install: $missing"
}

# Alphanumeric secret of length $1 (URL-safe, no quoting needed anywhere).
gen_secret() {
  local s=''
  while [[ ${#s} -lt $1 ]]; do
    s+="$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"
  done
  printf '%s' "${s:0:$1}"
}

mask_url() { sed -E 's#(://[^:/@]+):[^@]*@#\1:****@#'; }
