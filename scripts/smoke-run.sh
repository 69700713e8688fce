#!/usr/bin/env bash
# Uses the README's run command as a person would, from this checkout: starts ./run.sh on free ports, waits
# for "up", walks the marketplace through the Gateway in a browser (Marketplace.RunSmoke), kills Orders and then
# PostgreSQL with SIGKILL and waits for the run to start each again, stops it with Ctrl-C's signal and checks nothing is left; then starts it again (a second start finds its data) and stops
# it with SIGTERM. Prints "PASS name" / "FAIL name: why" per check and, last, "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
out="TestResults/run-smoke"
rm -rf "$out"; mkdir -p "$out"
passed=0; failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
summary() { echo "$passed passed, $failed failed"; }

scripts/ensure-prerequisites.sh --browser || { fail prerequisites "could not install what the run needs"; summary; exit 1; }
for tool in ss pgrep curl; do
  command -v "$tool" >/dev/null || { fail prerequisites "$tool is missing (iproute2, procps, curl): nothing left behind could be checked"; summary; exit 1; }
done

port_free() { ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }
ports_of() { echo "$1 $(($1 + 1)) $(($1 + 2)) $(($1 + 3)) $(($1 + 4)) $(($1 + 5)) $(($1 + 6)) $(($1 + 10808)) $(($1 + 10810)) $(($1 + 16945)) $(($1 + 17000)) $(($1 + 17352)) $(($1 + 17592)) $(($1 + 17593))"; }
base=""
for candidate in $(seq 14000 20 14980); do
  ok=true
  for p in $(ports_of "$candidate"); do port_free "$p" || { ok=false; break; }; done
  $ok && { base=$candidate; break; }
done
[ -n "$base" ] || { fail free-ports "no free set of ports between 14000 and 15000"; summary; exit 1; }

# Job control gives run.sh a process group of its own, as a terminal would, and keeps SIGINT from being
# ignored the way it is for background jobs of a script.
set -m
run_pid=""
start_run() { # $1: log file
  ./run.sh --port "$base" > "$1" 2>&1 &
  run_pid=$!
  local deadline=$((SECONDS + ${2:-900}))
  while [ $SECONDS -lt $deadline ]; do
    grep -q "The marketplace is up" "$1" && return 0
    kill -0 "$run_pid" 2>/dev/null || return 1
    sleep 2
  done
  return 1
}

# $1: signal name, $2: check name. The signal goes to the whole group, as Ctrl-C in a terminal does.
stop_run() {
  local started=$SECONDS
  kill -"$1" -- "-$run_pid" 2>/dev/null
  while kill -0 "$run_pid" 2>/dev/null && [ $((SECONDS - started)) -lt 30 ]; do sleep 1; done
  local left=""
  kill -0 "$run_pid" 2>/dev/null && left="run.sh still running after 30 s; "
  sleep 1
  for p in $(ports_of "$base"); do port_free "$p" || left="${left}port $p still open; "; done
  local here; here="$(pwd)/.local"
  pgrep -f "$here/(postgres|rabbitmq|smtp4dev)" >/dev/null && left="${left}a server under .local still running; "
  pgrep -g "$run_pid" >/dev/null && left="${left}a process of the run still running; "
  if [ -z "$left" ]; then pass "$2"; else fail "$2" "$left"; fi
  # Whatever the outcome, leave nothing of this run behind for the tests that follow.
  kill -KILL -- "-$run_pid" 2>/dev/null
  return 0
}

# A crash, as an out-of-memory kill would make it: Orders gets SIGKILL (no orderly stop). The run must start it
# again by itself, as Kubernetes would, and a basket (Orders, through the Gateway) must answer again.
killed_service_comes_back() {
  local name="a-killed-service-comes-back-by-itself" old new deadline
  old=$(pgrep -g "$run_pid" -f 'Marketplace\.Orders\.dll' | head -1)
  [ -n "$old" ] || { fail "$name" "no Orders process in the run"; return; }
  kill -KILL "$old"
  deadline=$((SECONDS + 90))
  while [ $SECONDS -lt $deadline ]; do
    new=$(pgrep -g "$run_pid" -f 'Marketplace\.Orders\.dll' | head -1)
    if [ -n "$new" ] && [ "$new" != "$old" ] \
      && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$base/keranjang")" = "200" ] \
      && curl -sf -o /dev/null "http://127.0.0.1:$((base + 2))/health/ready"; then
      pass "$name"; echo "  (Orders back as pid $new after $((SECONDS + 90 - deadline)) s)"; return
    fi
    sleep 1
  done
  fail "$name" "Orders (pid $old, killed) not answering again after 90 s; the run's output:"
  tail -20 "$out/first-run.log" | sed 's/^/    /'
}

# The database dies the same way. The run starts PostgreSQL again by itself, and the services, which kept running, serve
# from it again: a page that reads products through the Gateway and Catalog answers.
killed_database_comes_back() {
  local name="a-killed-database-comes-back-by-itself" pid_file old new deadline
  pid_file="$(pwd)/.local/postgres/data/postmaster.pid"
  old=$(head -1 "$pid_file" 2>/dev/null)
  [ -n "$old" ] || { fail "$name" "no PostgreSQL pid in $pid_file"; return; }
  kill -KILL "$old"
  deadline=$((SECONDS + 120))
  while [ $SECONDS -lt $deadline ]; do
    new=$(head -1 "$pid_file" 2>/dev/null)
    if [ -n "$new" ] && [ "$new" != "$old" ] && kill -0 "$new" 2>/dev/null \
      && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$base/api/catalog/products?pageSize=1")" = "200" ] \
      && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$base/keranjang")" = "200" ]; then
      pass "$name"; echo "  (PostgreSQL back as pid $new, the store reading from it, after $((SECONDS + 120 - deadline)) s)"; return
    fi
    sleep 1
  done
  fail "$name" "PostgreSQL (pid $old, killed) not serving again after 120 s; the run's output:"
  tail -20 "$out/first-run.log" | sed 's/^/    /'
}

started=$SECONDS
if start_run "$out/first-run.log"; then
  pass "run-command-comes-up-from-a-clean-checkout"
  echo "  (up after $((SECONDS - started)) s, the build included)"
  if dotnet build tests/Marketplace.RunSmoke/Marketplace.RunSmoke.csproj --nologo -v quiet -clp:ErrorsOnly > "$out/smoke-build.log" 2>&1; then
    # The dashboard's address as the run printed it (its usual port, or another when that one was taken).
    dashboard=$(grep -oE 'Aspire dashboard[^:]*: http://[0-9.:]+' "$out/first-run.log" | grep -oE 'http://[0-9.:]+$' | tail -1)
    [ -n "$dashboard" ] || grep -q "No telemetry dashboard" "$out/first-run.log" \
      || fail "dashboard-address" "the run printed neither the dashboard's address nor that it has none"
    dotnet tests/Marketplace.RunSmoke/bin/Debug/net10.0/Marketplace.RunSmoke.dll "http://127.0.0.1:$base" "$out/screenshots" "http://127.0.0.1:$((base + 6))" \
      $dashboard > "$out/walk.log" 2>&1
    walk_status=$?
    cat "$out/walk.log"
    passed=$((passed + $(grep -c '^PASS ' "$out/walk.log")))
    failed=$((failed + $(grep -c '^FAIL ' "$out/walk.log")))
    # A walk that stopped short (a crash after some checks) fails even when every line it printed passed.
    if [ "$walk_status" -ne 0 ] && ! grep -q '^FAIL ' "$out/walk.log"; then
      fail "walk-through" "the browser walk exited with $walk_status: see $out/walk.log"
    fi
  else
    fail "walk-through-build" "see $out/smoke-build.log"
  fi
  killed_service_comes_back
  killed_database_comes_back
  stop_run INT "ctrl-c-stops-everything-within-30-s"
else
  fail "run-command-comes-up-from-a-clean-checkout" "no 'up' line; the end of its output:"
  tail -40 "$out/first-run.log" | sed 's/^/    /'
  # For a port conflict: what listened then, and the kernel's range for outgoing connections.
  echo "    listening now (ss -ltnp); outgoing ports: $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)"
  ss -ltnp 2>/dev/null | head -40 | sed 's/^/      /'
  stop_run INT "ctrl-c-stops-everything-within-30-s"
fi

# Another program holds the dashboard's usual port (a CI run once lost its start that way): the run takes another
# port for it, says so, and comes up all the same.
holder=""
if command -v python3 >/dev/null; then
  python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(900)' "$((base + 10808))" &
  holder=$!
  for _ in $(seq 1 20); do port_free "$((base + 10808))" || break; sleep 0.5; done
  port_free "$((base + 10808))" && { fail "a-taken-port-does-not-stop-the-run" "could not hold port $((base + 10808)) to try it"; kill "$holder" 2>/dev/null; holder=""; }
else
  echo "  (no python3: the run is not tried with a port taken)"
fi
if start_run "$out/second-run.log" 300; then
  pass "run-command-starts-again-on-its-own-data"
  if [ -n "$holder" ]; then
    if grep -q "port $((base + 10808)) (dashboard) is in use by another program" "$out/second-run.log"; then
      pass "a-taken-port-does-not-stop-the-run"
    else
      fail "a-taken-port-does-not-stop-the-run" "the run did not say it moved the dashboard off port $((base + 10808))"
    fi
  fi
else
  fail "run-command-starts-again-on-its-own-data" "no 'up' line; the end of its output:"
  tail -40 "$out/second-run.log" | sed 's/^/    /'
fi
# Before the stop's check that every port of the run is closed again.
[ -n "$holder" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null
stop_run TERM "sigterm-stops-everything-within-30-s"

summary
[ "$failed" -eq 0 ]
