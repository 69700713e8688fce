#!/usr/bin/env bash
# Stops PostgreSQL, RabbitMQ and SMTP (smtp4dev) servers that test runs started under the temp folder and left behind
# (a test host that is killed cannot stop them itself), then removes their folders.
set -uo pipefail
root="${TMPDIR:-/tmp}/marketplace-tests"
# Port claims (src/LocalInfrastructure FreePorts) that no live process holds: each is removed under its own lock.
claims="/tmp/marketplace-ports-$(id -un)"
if [ -d "$claims" ] && command -v flock >/dev/null; then
  for claim in "$claims"/*.claim; do
    [ -f "$claim" ] && flock -n "$claim" rm -f "$claim" 2>/dev/null
  done
  rmdir "$claims" 2>/dev/null
fi
[ -d "$root" ] || exit 0
for dir in "$root"/*; do
  [ -d "$dir" ] || continue
  pid="${dir##*/}"; pid="${pid%%-*}"
  # A folder whose test process is still alive belongs to a run in progress. After a run, its test hosts
  # may take a moment to exit: --wait gives them ten seconds.
  if [ "${1:-}" = "--wait" ]; then
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "${1:-}" != "--all" ]; then continue; fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bindir/pg_ctl" stop -D "$dir/data" -m immediate >/dev/null 2>&1
    else "$bindir/pg_ctl" stop -D "$dir/data" -m immediate >/dev/null 2>&1; fi
  fi
  # The bracket keeps the pattern from matching this very command line.
  pkill -9 -f "[b]eam.smp.*-home $dir/home" 2>/dev/null
  # smtp4dev names its folder first on its command line; its messages are in memory, so nothing is lost.
  pkill -9 -f "[R]nwood\.Smtp4dev\.dll --baseappdatapath=$dir( |\$)" 2>/dev/null
  if [ -f "$dir/epmd.port" ]; then
    port=$(cat "$dir/epmd.port")
    sleep 0.5
    epmd -port "$port" -kill >/dev/null 2>&1
    # epmd refuses while it still counts the killed node as alive: stop it by its port.
    for p in $(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do kill "$p" 2>/dev/null; done
  fi
  rm -rf "$dir"
done
exit 0
