#!/usr/bin/env bash
# Starts the local stack as plain processes under .stack/: PostgreSQL (127.0.0.1:$PG_PORT, default 55432),
# PgBouncer in transaction mode ($PGBOUNCER_PORT, 56432) and Redis ($REDIS_PORT, 56379).
# Idempotent: what already runs is left alone, a half-running stack is repaired. Writes .stack/env.
set -euo pipefail
# shellcheck source=lib/stack-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack-env.sh"
cd "$REPO_ROOT"

ensure_packages postgresql pgbouncer redis-server
PGBOUNCER_BIN="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
PSQL=(psql -X -q -v ON_ERROR_STOP=1)
unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE PGSSLMODE PGOPTIONS || true

# ---------------------------------------------------------------- folders
mkdir -p "$STACK_DIR" "$STACK_DIR/reports" "$PG_DIR" "$BOUNCER_DIR" "$REDIS_DIR"
chmod 755 "$STACK_DIR"
chmod 700 "$REDIS_DIR"
if is_root; then
  chown postgres:postgres "$PG_DIR" "$BOUNCER_DIR"
  chmod 755 "$PG_DIR"
  chmod 700 "$BOUNCER_DIR"
  # The postgres user must be able to traverse every parent of .stack (the repo may sit under a root-only folder).
  if ! runuser -u postgres -- test -x "$PG_DIR" -a -w "$PG_DIR" -a -w "$BOUNCER_DIR"; then
    d="$STACK_DIR"
    while [[ "$d" != / ]]; do
      if [[ "$(stat -c %a "$d")" != *[1357] ]]; then log "chmod o+x $d (so the postgres user can reach .stack)"; chmod o+x "$d"; fi
      d="$(dirname "$d")"
    done
    runuser -u postgres -- test -x "$PG_DIR" -a -w "$PG_DIR" || die "the postgres user cannot write to $PG_DIR"
  fi
  # Files created by earlier runs must stay owned by postgres (a root-owned pgbouncer log kills the daemon silently).
  chown -R postgres:postgres "$BOUNCER_DIR"
  if [[ -e "$PG_LOG" ]]; then chown postgres:postgres "$PG_LOG"; fi
fi
# Unix socket paths are limited to 107 bytes.
(( ${#PG_RUN} + 20 < 107 )) || die "repo path too long for a unix socket: $PG_RUN (move the repo to a shorter path)"

# ---------------------------------------------------------------- secrets (generated once, kept across runs)
touch "$SECRETS_FILE"
chmod 600 "$SECRETS_FILE"
# shellcheck disable=SC1090
. "$SECRETS_FILE"
add_secret() { # name length
  if [[ -z "${!1:-}" ]]; then
    printf -v "$1" '%s' "$(gen_secret "$2")"
    printf '%s=%s\n' "$1" "${!1}" >>"$SECRETS_FILE"
  fi
}
add_secret PG_SUPERUSER_PASSWORD 32
add_secret DB_OWNER_PASSWORD 32
add_secret DB_APP_PASSWORD 32
add_secret PGBOUNCER_ADMIN_PASSWORD 32
add_secret AUTH_SECRET 64

DATABASE_ADMIN_URL="postgres://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PG_PORT/postgres"
DATABASE_OWNER_URL="postgres://app_owner:$DB_OWNER_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
DATABASE_DIRECT_URL="postgres://app_user:$DB_APP_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
DATABASE_URL="postgres://app_user:$DB_APP_PASSWORD@127.0.0.1:$PGBOUNCER_PORT/$DB_NAME"
PGBOUNCER_ADMIN_URL="postgres://dharma_admin:$PGBOUNCER_ADMIN_PASSWORD@127.0.0.1:$PGBOUNCER_PORT/pgbouncer"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

fail_with_log() { # message logfile
  warn "$1"
  if [[ -f "$2" ]]; then warn "---- last lines of $2"; tail -n 25 "$2" >&2; warn "----"; fi
  exit 1
}

# ---------------------------------------------------------------- PostgreSQL
if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
  rm -rf "$PG_DATA" # an interrupted initdb; nothing to keep
  log "initdb $PG_DATA ($PG_BIN)"
  pwfile="$PG_DIR/.pwfile"
  (umask 077; printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile")
  is_root && chown postgres:postgres "$pwfile"
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1; then
    rm -f "$pwfile"
    fail_with_log "initdb failed" "$PG_DIR/initdb.log"
  fi
  rm -f "$pwfile"
  echo "include_if_exists = 'stack.conf'" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
fi
as_pg mkdir -p "$PG_RUN"
stack_conf="# written by scripts/stack-up.sh on every run
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 200
password_encryption = 'scram-sha-256'"
if [[ "$(cat "$PG_DATA/stack.conf" 2>/dev/null)" != "$stack_conf" ]]; then
  printf '%s\n' "$stack_conf" | as_pg tee "$PG_DATA/stack.conf" >/dev/null
  pg_conf_changed=1
fi

# A postmaster.pid left by a dead (or zombie) postmaster: postgres itself would take a zombie for a live server.
if [[ -f "$PG_DATA/postmaster.pid" ]] && ! proc_running "$(head -n1 "$PG_DATA/postmaster.pid" | tr -dc 0-9)"; then
  log "postgres: removing stale postmaster.pid"
  rm -f "$PG_DATA/postmaster.pid"
fi
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }
if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  if [[ -n "${pg_conf_changed:-}" ]] || ! pg_ready; then
    log "postgres: running but not as configured on 127.0.0.1:$PG_PORT; restarting"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -m fast restart >/dev/null \
      || fail_with_log "postgres failed to restart" "$PG_LOG"
  else
    log "postgres: already running on 127.0.0.1:$PG_PORT"
  fi
else
  log "postgres: starting on 127.0.0.1:$PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null \
    || fail_with_log "postgres failed to start (port $PG_PORT busy?)" "$PG_LOG"
fi
for _ in $(seq 1 30); do pg_ready && break; sleep 0.5; done
pg_ready || fail_with_log "postgres does not accept TCP connections on 127.0.0.1:$PG_PORT" "$PG_LOG"

# Superuser password in sync with .stack/secrets (peer auth over our own socket repairs it).
if ! "${PSQL[@]}" "$DATABASE_ADMIN_URL" -Atc 'select 1' >/dev/null 2>&1; then
  log "postgres: setting the superuser password"
  as_pg "${PSQL[@]}" -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres \
    -c "alter role postgres with password '$PG_SUPERUSER_PASSWORD'" \
    || die "cannot set the postgres password (peer auth over $PG_RUN failed)"
  "${PSQL[@]}" "$DATABASE_ADMIN_URL" -Atc 'select 1' >/dev/null || die "superuser login over TCP still fails"
fi

# Roles app_owner / app_user and database dharma (idempotent; skipped when both roles already log in).
if ! { "${PSQL[@]}" "$DATABASE_OWNER_URL" -Atc 'select 1' && "${PSQL[@]}" "$DATABASE_DIRECT_URL" -Atc 'select 1'; } >/dev/null 2>&1 \
   || [[ -n "${STACK_FORCE_BOOTSTRAP:-}" ]]; then
  [[ -x "$REPO_ROOT/node_modules/.bin/tsx" ]] || die "node_modules/.bin/tsx missing: run 'npm ci' (or 'npm install') first"
  log "bootstrap: roles and database $DB_NAME"
  DATABASE_ADMIN_URL="$DATABASE_ADMIN_URL" DB_NAME="$DB_NAME" DB_OWNER_PASSWORD="$DB_OWNER_PASSWORD" \
    DB_APP_PASSWORD="$DB_APP_PASSWORD" "$REPO_ROOT/node_modules/.bin/tsx" packages/db/src/cli/bootstrap.ts \
    || die "bootstrap (packages/db/src/cli/bootstrap.ts) failed"
fi

# ---------------------------------------------------------------- PgBouncer
write_pg_file() { # path content  -> returns 0 if the content changed
  if [[ "$(cat "$1" 2>/dev/null)" == "$2" ]]; then return 1; fi
  printf '%s\n' "$2" | as_pg tee "$1" >/dev/null
  as_pg chmod 600 "$1"
}
bouncer_ini="; written by scripts/stack-up.sh on every run
[databases]
$DB_NAME = host=127.0.0.1 port=$PG_PORT dbname=$DB_NAME

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $BOUNCER_DIR/userlist.txt
admin_users = dharma_admin
stats_users = dharma_admin
pool_mode = transaction
server_reset_query =
max_client_conn = 2000
default_pool_size = 20
max_db_connections = 25
reserve_pool_size = 0
ignore_startup_parameters = extra_float_digits,options
logfile = $BOUNCER_LOG
pidfile = $BOUNCER_PID"
userlist="\"app_user\" \"$DB_APP_PASSWORD\"
\"dharma_admin\" \"$PGBOUNCER_ADMIN_PASSWORD\""
ini_changed=''; users_changed=''
write_pg_file "$BOUNCER_INI" "$bouncer_ini" && ini_changed=1
write_pg_file "$BOUNCER_DIR/userlist.txt" "$userlist" && users_changed=1

bouncer_ok() { "${PSQL[@]}" "$PGBOUNCER_ADMIN_URL" -Atc 'show version' >/dev/null 2>&1; }
stop_bouncer() {
  local pid; pid="$(pid_of "$BOUNCER_PID")"
  kill "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || die "pgbouncer (pid $pid) does not stop"
  rm -f "$BOUNCER_PID"
}
if pid_alive "$BOUNCER_PID" pgbouncer; then
  if [[ -n "$ini_changed" ]] || ! bouncer_ok; then
    log "pgbouncer: running but not as configured; restarting"
    stop_bouncer
  elif [[ -n "$users_changed" ]]; then
    log "pgbouncer: reloading userlist"; kill -HUP "$(pid_of "$BOUNCER_PID")"
  else
    log "pgbouncer: already running on 127.0.0.1:$PGBOUNCER_PORT"
  fi
  # A database left paused by an interrupted reset (KILL/PAUSE without RESUME) would make every client wait.
  "${PSQL[@]}" "$PGBOUNCER_ADMIN_URL" -c "RESUME $DB_NAME" >/dev/null 2>&1 || true
fi
if ! pid_alive "$BOUNCER_PID" pgbouncer; then
  rm -f "$BOUNCER_PID"
  log "pgbouncer: starting on 127.0.0.1:$PGBOUNCER_PORT (transaction mode)"
  as_pg touch "$BOUNCER_LOG"
  # -d exits 0 even when the daemon dies right after: the pidfile and a real login below are the check.
  as_pg bash -c 'ulimit -n 4096 2>/dev/null || true; exec "$0" -d -q "$1"' "$PGBOUNCER_BIN" "$BOUNCER_INI" \
    || fail_with_log "pgbouncer failed to start" "$BOUNCER_LOG"
fi
for _ in $(seq 1 40); do pid_alive "$BOUNCER_PID" pgbouncer && bouncer_ok && break; sleep 0.25; done
pid_alive "$BOUNCER_PID" pgbouncer || fail_with_log "pgbouncer died after start (no live pid in $BOUNCER_PID; port $PGBOUNCER_PORT busy?)" "$BOUNCER_LOG"
bouncer_ok || fail_with_log "pgbouncer runs but dharma_admin cannot log in on 127.0.0.1:$PGBOUNCER_PORT" "$BOUNCER_LOG"

# ---------------------------------------------------------------- Redis
redis_conf="# written by scripts/stack-up.sh on every run
bind 127.0.0.1
port $REDIS_PORT
daemonize yes
pidfile $REDIS_PID
logfile $REDIS_LOG
dir $REDIS_DIR
save \"\"
appendonly no
maxmemory 256mb
maxmemory-policy allkeys-lru"
redis_conf_changed=''
if [[ "$(cat "$REDIS_DIR/redis.conf" 2>/dev/null)" != "$redis_conf" ]]; then
  printf '%s\n' "$redis_conf" >"$REDIS_DIR/redis.conf"; redis_conf_changed=1
fi
redis_ok() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
if pid_alive "$REDIS_PID" redis-server; then
  if [[ -n "$redis_conf_changed" ]] || ! redis_ok; then
    log "redis: running but not as configured; restarting"
    pid="$(pid_of "$REDIS_PID")"; kill "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "redis (pid $pid) does not stop"
  else
    log "redis: already running on 127.0.0.1:$REDIS_PORT"
  fi
fi
if ! pid_alive "$REDIS_PID" redis-server; then
  rm -f "$REDIS_PID"
  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  redis-server "$REDIS_DIR/redis.conf" || fail_with_log "redis-server failed to start" "$REDIS_LOG"
fi
for _ in $(seq 1 40); do redis_ok && break; sleep 0.25; done

# ---------------------------------------------------------------- .stack/env
(umask 077; cat >"$ENV_FILE.tmp" <<ENV
DATABASE_URL=$DATABASE_URL
DATABASE_OWNER_URL=$DATABASE_OWNER_URL
DATABASE_ADMIN_URL=$DATABASE_ADMIN_URL
DATABASE_DIRECT_URL=$DATABASE_DIRECT_URL
PGBOUNCER_ADMIN_URL=$PGBOUNCER_ADMIN_URL
REDIS_URL=$REDIS_URL
AUTH_SECRET=$AUTH_SECRET
STACK_DIR=$STACK_DIR
ENV
)
mv -f "$ENV_FILE.tmp" "$ENV_FILE"

# ---------------------------------------------------------------- verify
got="$(PGCONNECT_TIMEOUT=10 timeout 20 "${PSQL[@]}" "$DATABASE_URL" -Atc 'select 1' 2>&1)" || true
[[ "$got" == 1 ]] || { warn "psql through PgBouncer as app_user: $got"; fail_with_log "app_user cannot query $DB_NAME through PgBouncer (127.0.0.1:$PGBOUNCER_PORT)" "$BOUNCER_LOG"; }
got="$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>&1)" || true
[[ "$got" == PONG ]] || { warn "redis-cli ping: $got"; fail_with_log "redis does not answer PONG on 127.0.0.1:$REDIS_PORT" "$REDIS_LOG"; }

log "stack is up (env written to $ENV_FILE; load it with: set -a; . .stack/env; set +a)"
grep -v '^AUTH_SECRET=' "$ENV_FILE" | mask_url | sed 's/^/  /'
echo "  AUTH_SECRET=****"
