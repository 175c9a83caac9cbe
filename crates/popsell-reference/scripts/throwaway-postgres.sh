#!/usr/bin/env bash
# A throwaway PostgreSQL server: initdb and pg_ctl in a temporary directory,
# listening on 127.0.0.1:PORT only (the first argument; else the first free
# port from 54320), trust authentication, superuser `postgres`, durability
# off (fsync, synchronous_commit, full_page_writes: nothing here is kept).
#
# It prints its URL on one line once it accepts connections, then runs until
# its standard input closes, when it stops the server and removes the
# directory. So the caller keeps a pipe to it open for as long as it needs
# the server, and the server goes when the caller does, however it ends:
#
#   coproc PG { bash -c "$(cat throwaway-postgres.sh)" throwaway-postgres; }
#   read -r DATABASE_URL <&"${PG[0]}"     # ... later: exec {PG[1]}>&-
#
# `popsell-reference --temp-postgres`, the tests and .ci/run start it so
# (the Rust side embeds this file, in a process group of its own so that a
# Ctrl-C meant for the caller does not reach it). initdb refuses to run as
# root: as root, it runs itself again as the `postgres` user (Debian's
# package makes it), with setpriv, which execs (runuser would stay between,
# and kill it 2 s after forwarding a signal, cutting the cleanup short).
set -euo pipefail

if [ "$(id -u)" = 0 ]; then
  user=${POPSELL_POSTGRES_USER:-postgres}
  as_user=(setpriv --reuid="$user" --regid="$user" --init-groups --)
  command -v setpriv >/dev/null || as_user=(runuser -u "$user" --)
  if [ -n "${BASH_EXECUTION_STRING:-}" ]; then
    exec "${as_user[@]}" bash -c "$BASH_EXECUTION_STRING" throwaway-postgres "$@"
  fi
  exec "${as_user[@]}" bash "$0" "$@"
fi

initdb=$(command -v initdb || true)
if [ -z "$initdb" ]; then
  # Debian keeps the server's programs out of PATH, one directory per version.
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$initdb" ]; then
  echo "throwaway-postgres: no initdb found: install PostgreSQL (apt-get install postgresql)" >&2
  exit 2
fi
bin=$(dirname "$initdb")

port=${1:-}
if [ -z "$port" ]; then
  for candidate in $(seq 54320 54420); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      port=$candidate
      break
    fi
  done
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/popsell-postgres.XXXXXX")
trap 'rm -rf "$dir"' EXIT
if ! "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi
options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB -c max_wal_size=4GB -c wal_level=minimal -c max_wal_senders=0"
if ! "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w start >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi
trap '"$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
echo "postgres://postgres@127.0.0.1:$port/postgres"
# Until the caller closes the pipe (or exits).
cat >/dev/null
