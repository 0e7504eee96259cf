#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for tests and development.
#
#   eval "$(scripts/postgres.sh start)"   # prints export lines: HPBANDSTER_TEST_POSTGRES, HPBANDSTER_POSTGRES_DIR
#   scripts/postgres.sh stop "$HPBANDSTER_POSTGRES_DIR"
#
# start: finds initdb/pg_ctl (PATH, then /usr/lib/postgresql/*/bin); installs Debian's 'postgresql' package when
# they are missing (apt-get, with sudo unless root); creates a cluster in a new temp directory and starts it on a
# free port, listening on 127.0.0.1 only, socket in that directory. PostgreSQL refuses to run as root, so as root
# the server runs as the user 'postgres' (or 'hpbandster-pg', created if neither exists).
# Authentication: the superuser (the server's OS user name) connects without a password ('trust'); every other
# role needs its password (scram-sha-256), so tests can create roles and check wrong-password handling.
# stop: stops the server and deletes the directory. Diagnostics go to stderr; stdout carries only the exports.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

install_postgres() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      log "initdb/pg_ctl not found and not root without sudo: install PostgreSQL (Debian: apt-get install postgresql)"
      return 1
    fi
    sudo="sudo"
  fi
  log "initdb/pg_ctl not found; installing Debian's postgresql package"
  $sudo apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql >&2
}

# Runs a command as the server's OS user (itself unless root).
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u "$server_user" -- "$@"
    else
      su -s /bin/sh "$server_user" -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local bin dir port attempt
  bin=$(find_bin) || { install_postgres; bin=$(find_bin) || { log "PostgreSQL installed but initdb/pg_ctl still not found"; exit 1; }; }

  if [ "$(id -u)" -eq 0 ]; then
    if id postgres >/dev/null 2>&1; then
      server_user=postgres
    else
      server_user=hpbandster-pg
      id "$server_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$server_user"
    fi
  else
    server_user=$(id -un)
  fi

  dir=$(mktemp -d "${TMPDIR:-/tmp}/hpbandster-pg.XXXXXX")
  chmod 700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$server_user" "$dir"
  if ! as_server_user "$bin/initdb" -D "$dir/data" -U "$server_user" -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    log "initdb failed:"; cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1
  fi
  cat >"$dir/data/pg_hba.conf" <<EOF
local all all trust
host all $server_user 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
EOF
  [ "$(id -u)" -eq 0 ] && chown "$server_user" "$dir/data/pg_hba.conf"

  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_free "$port" || continue
    if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 2>&1; then
      log "PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port as $server_user (dir $dir)"
      echo "export HPBANDSTER_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=$server_user;Database=postgres'"
      echo "export HPBANDSTER_POSTGRES_DIR='$dir'"
      return 0
    fi
    log "start on port $port failed (attempt $attempt):"; tail -n 5 "$dir/server.log" >&2 || true
  done
  rm -rf "$dir"
  exit 1
}

stop() {
  local dir=${1:-${HPBANDSTER_POSTGRES_DIR:-}} bin owner
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    log "stop: no server directory given (argument or HPBANDSTER_POSTGRES_DIR)"
    exit 1
  fi
  case "$(basename "$dir")" in
    hpbandster-pg.*) ;;
    *) log "stop: '$dir' is not a directory made by 'postgres.sh start'"; exit 1 ;;
  esac
  if [ -f "$dir/data/postmaster.pid" ] && bin=$(find_bin); then
    owner=$(stat -c %U "$dir/data")
    server_user=$owner
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || log "stop: pg_ctl stop failed"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start | stop [dir]" >&2; exit 2 ;;
esac
