#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a fresh PostgreSQL data directory, and checks that it starts.
#
# Usage: scripts/restore.sh BACKUP [--into DIRECTORY] [--port PORT] [--keep-running]
#   --into DIRECTORY  where the new server's files go (DIRECTORY/data, as LocalInfrastructure's PostgresServer lays
#                     them out); default .local/postgres, the local run's, when it holds no cluster yet (move the old
#                     one aside first: mv .local/postgres .local/postgres.old, with the run stopped).
#   --port PORT       the port the check starts it on (default 25499); --keep-running leaves it running there.
# Every database in the backup comes back as it was at the moment the backup finished, all at the same moment.
set -euo pipefail
cd "$(dirname "$0")/.."
backup=""; into=".local/postgres"; port=25499; keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --into) into="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --keep-running) keep=true; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) backup="$1"; shift ;;
  esac
done
[ -n "$backup" ] && [ -f "$backup/base.tar.gz" ] || { echo "restore: give a directory made by scripts/backup.sh (it holds base.tar.gz)" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "restore: PostgreSQL's server programs not found (apt-get install postgresql)" >&2; exit 1; }
data="$into/data"
if [ -e "$data/PG_VERSION" ]; then
  echo "restore: $data already holds a cluster; restore into a new directory (--into) or move it aside first" >&2; exit 1
fi

mkdir -p "$data" "$into/socket"
chmod 700 "$data"
tar -xzf "$backup/base.tar.gz" -C "$data"
# The WAL streamed during the backup: replayed at the first start, up to the end of the backup.
tar -xzf "$backup/pg_wal.tar.gz" -C "$data/pg_wal"
# PostgreSQL refuses to run as root: as in the local run, root runs it as the postgres user.
run=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres:postgres "$into"
  # The postgres user must be able to pass through every directory above the data (not list them).
  d=$(cd "$into" && pwd); while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
  run=(runuser -u postgres --)
fi

echo "restore: starting the restored cluster on port $port to replay its WAL and check it ..."
"${run[@]}" "$bin/pg_ctl" start -D "$data" -w -t 300 -l "$into/postgres.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $(cd "$into/socket" && pwd)"
found=$("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -AtX -c \
  "SELECT datname FROM pg_database WHERE datname LIKE 'marketplace%' ORDER BY 1")
if [ -f "$backup/databases.txt" ] && [ "$found" != "$(cat "$backup/databases.txt")" ]; then
  echo "restore: the restored cluster has databases [$found], the backup listed [$(paste -sd ' ' "$backup/databases.txt")]" >&2
  "${run[@]}" "$bin/pg_ctl" stop -D "$data" -m fast -w >/dev/null
  exit 1
fi
echo "restore: databases: $(echo "$found" | paste -sd ' ')"
if $keep; then
  echo "restore: running on 127.0.0.1:$port (stop: ${run[*]} $bin/pg_ctl stop -D $data)"
else
  "${run[@]}" "$bin/pg_ctl" stop -D "$data" -m fast -w >/dev/null
  echo "restore: done: $data (./run.sh uses it when it is .local/postgres)"
fi
