#!/usr/bin/env bash
# Stops what scripts/stack-up.sh started, by pidfile only. Keeps data unless --purge (then removes .stack/).
set -euo pipefail
# shellcheck source=lib/stack-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack-env.sh"

purge=''
for a in "$@"; do
  case "$a" in
    --purge) purge=1 ;;
    *) die "usage: $0 [--purge]" ;;
  esac
done

stop_by_pidfile() { # name pidfile comm
  local pid
  if ! pid_alive "$2" "$3"; then
    rm -f "$2"; log "$1: not running"; return 0
  fi
  pid="$(pid_of "$2")"
  kill "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 10; then warn "$1 (pid $pid) still running after 10 s"; return 1; fi
  rm -f "$2"; log "$1: stopped (pid $pid)"
}

rc=0
stop_by_pidfile pgbouncer "$BOUNCER_PID" pgbouncer || rc=1
stop_by_pidfile redis "$REDIS_PID" redis-server || rc=1

if [[ -f "$PG_DATA/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 30 stop -m fast >/dev/null; then
    log "postgres: stopped"
  else
    warn "postgres: pg_ctl stop failed"; rc=1
  fi
else
  log "postgres: not running"
fi

if [[ -n "$purge" ]]; then
  if [[ $rc -ne 0 ]]; then die "not purging: something is still running"; fi
  rm -rf "$STACK_DIR"
  log "purged $STACK_DIR"
fi
exit $rc
