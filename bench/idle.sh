#!/usr/bin/env bash
# Idle cost: starts the local run (./run.sh) on free ports, lets it settle, then measures each service's CPU time
# from /proc over a window with no traffic at all. Prints one line per service (and the AppHost itself):
#   RESULT idle service=<name> cpu_percent=<percent of one core>
# Usage: bench/idle.sh [--quick]   (--quick: a 20 s window instead of 60 s)
set -uo pipefail
cd "$(dirname "$0")/.."
window=60; settle=30
[ "${1:-}" = "--quick" ] && { window=20; settle=15; }

base=""
for candidate in $(seq 15000 20 15980); do
  if ! ss -ltnH | awk '{print $4}' | grep -qE ":($candidate|$((candidate + 1))|$((candidate + 2))|$((candidate + 3))|$((candidate + 4))|$((candidate + 10808))|$((candidate + 10810))|$((candidate + 17352))|$((candidate + 17592))|$((candidate + 17593)))$"; then
    base=$candidate; break
  fi
done
[ -n "$base" ] || { echo "no free ports" >&2; exit 1; }

log=$(mktemp)
set -m
./run.sh --port "$base" > "$log" 2>&1 &
run=$!
trap 'kill -INT -- -$run 2>/dev/null; wait $run 2>/dev/null; rm -f "$log"' EXIT
until grep -q "The marketplace is up" "$log"; do
  kill -0 $run 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 2
done
sleep "$settle"

ticks_per_second=$(getconf CLK_TCK)
declare -A pids before
for name in gateway catalog orders web stripe notifications whatsapp dashboard; do
  pids[$name]=$(grep -oE "^  $name +http[^ ]+ +\(pid [0-9]+" "$log" | grep -oE '[0-9]+$')
done
# run.sh ends by exec-ing the AppHost, which watches the processes and the infrastructure every 2 s.
pids[apphost]=$run
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for name in "${!pids[@]}"; do before[$name]=$(cpu_ticks "${pids[$name]}"); done
sleep "$window"
for name in gateway catalog orders web stripe notifications whatsapp dashboard apphost; do
  used=$(( $(cpu_ticks "${pids[$name]}") - ${before[$name]} ))
  echo "RESULT idle service=$name cpu_percent=$(awk -v t="$used" -v hz="$ticks_per_second" -v w="$window" 'BEGIN { printf "%.2f", 100 * t / hz / w }')"
done
