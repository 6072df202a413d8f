#!/bin/bash
# First start: initdb with POSTGRES_USER/POSTGRES_PASSWORD, then a socket-only server creates POSTGRES_DB and runs
# /docker-entrypoint-initdb.d/*.sql, and stops. Every start: the server in the foreground with the given arguments.
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 > /dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=/run/postgresql" start
  if [ "$database" != postgres ]; then
    psql -v ON_ERROR_STOP=1 -h /run/postgresql -U "$user" -d postgres -q \
      -c "create database \"${database//\"/}\""
  fi
  for script in /docker-entrypoint-initdb.d/*.sql; do
    [ -f "$script" ] && psql -v ON_ERROR_STOP=1 -h /run/postgresql -U "$user" -d "$database" -q -f "$script"
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL init process complete; ready for start up."
fi
exec "$@"
