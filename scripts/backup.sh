#!/usr/bin/env bash
# Backs up every service's database at once: one base backup of the whole PostgreSQL cluster (pg_basebackup, with
# the WAL written while it ran), so Gateway, Catalog, Orders (with Settlement) and Notifications are restored as they
# were at one and the same moment.
#
# Why one moment matters: the services learn of each other only through messages, and a message counts as sent once
# its outbox row is marked delivered. Dumps taken one database after another (pg_dumpall, or pg_dump per database:
# an exported snapshot cannot be imported by another database) would restore Catalog as it was at 02:00:00 and
# Orders as it was at 02:00:40: a message Orders published in those 40 s and Catalog consumed would be gone from
# one side and done on the other (stock reserved for an order that does not exist, or the other way round). With
# every database at the same moment, whatever was in flight is still in its outbox, is sent again after the restore,
# and each consumer's inbox keeps it from being applied twice.
#
# Usage: scripts/backup.sh [--port PORT] [--host HOST] [--user USER] [DIRECTORY]
#   Defaults: the local run's PostgreSQL (127.0.0.1:25432, user postgres), into backups/marketplace-<UTC time>.
#   The server may be in use: the backup is taken while the services run (no lock is held on any table).
# Restore with scripts/restore.sh DIRECTORY. Production's backups are CloudNativePG's (deploy/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
host=127.0.0.1; port=25432; user=postgres; target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) target="$1"; shift ;;
  esac
done
target="${target:-backups/marketplace-$(date -u +%Y%m%dT%H%M%SZ)}"

# The client must be of the server's major version: the newest installed, as the local run uses (PostgresServer).
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_basebackup" ] || bin=$(dirname "$(command -v pg_basebackup || echo /missing/pg_basebackup)")
[ -x "$bin/pg_basebackup" ] || { echo "backup: pg_basebackup not found (apt-get install postgresql)" >&2; exit 1; }

[ ! -e "$target" ] || { echo "backup: $target already exists" >&2; exit 1; }
mkdir -p "$target"
echo "backup: base backup of $host:$port into $target ..."
# -X stream: the WAL written during the copy comes with it, so the copy is consistent on its own (no archive needed).
# --checkpoint=fast: start now rather than at the next scheduled checkpoint. -Ft -z: one compressed tar per tablespace.
"$bin/pg_basebackup" -h "$host" -p "$port" -U "$user" -D "$target" -Ft -z -X stream --checkpoint=fast --label "marketplace $(date -u +%FT%TZ)" --no-password
# What it holds, for the reader and for restore.sh's check afterwards.
"$bin/psql" -h "$host" -p "$port" -U "$user" -d postgres -AtX -c \
  "SELECT datname FROM pg_database WHERE datname LIKE 'marketplace%' ORDER BY 1" > "$target/databases.txt"
"$bin/psql" -h "$host" -p "$port" -U "$user" -d postgres -AtX -c "SHOW server_version_num" > "$target/server-version.txt"
echo "backup: done: $target ($(du -sh "$target" | cut -f1); databases: $(paste -sd ' ' "$target/databases.txt"))"
