#!/usr/bin/env bash
# Runs a command with the local stack's settings (.stack/env, written by `npm run stack:up`) when that file exists,
# so `npm run db:migrate` works right after `npm run stack:up`. A variable already set in the environment wins over
# the file: `DATABASE_OWNER_URL=postgres://... npm run db:migrate` targets that server even with a stack around.
# (`set -a; . .stack/env` would do the opposite: the file would overwrite what the caller exported.)
set -euo pipefail
env_file="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.stack/env"
if [[ -f "$env_file" ]]; then
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    name="${BASH_REMATCH[1]}"
    if [[ -z "${!name:-}" ]]; then export "$name=${BASH_REMATCH[2]}"; fi
  done <"$env_file"
fi
exec "$@"
