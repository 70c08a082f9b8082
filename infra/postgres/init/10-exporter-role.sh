#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory (docker-entrypoint-initdb.d).
# A least-privilege login for postgres-exporter: pg_monitor reads the statistics views, nothing else.
# The app roles (app_owner, app_user) and the dharma database are created by the `bootstrap` job instead
# (packages/db/src/cli/bootstrap.ts), which also runs against databases this script never saw.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=pw="$POSTGRES_EXPORTER_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE postgres_exporter LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'postgres_exporter') \gexec
GRANT pg_monitor TO postgres_exporter;
SQL
