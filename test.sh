#!/usr/bin/env bash
# Runs every test against a real PostgreSQL and a real RabbitMQ that the tests start themselves on free
# ports (or reuse: see README), then prints one line: "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")"

scripts/ensure-prerequisites.sh --browser
scripts/stop-test-servers.sh
# Servers of a test process that was killed are stopped on the way out, whatever happens.
trap 'scripts/stop-test-servers.sh --wait' EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$(pwd)/TestResults"
# Everything from an earlier run goes, except what the run command's check (scripts/smoke-run.sh) left for CI.
mkdir -p "$results"
find "$results" -mindepth 1 -maxdepth 1 ! -name run-smoke -exec rm -rf {} +

dotnet build Marketplace.sln --nologo -v quiet -clp:ErrorsOnly
status=0
# A hung test fails the run after ten minutes (with a dump), rather than stalling it forever.
dotnet test Marketplace.sln --no-build --nologo --logger "trx" --logger "console;verbosity=minimal" \
  --blame-hang-timeout 10m --blame-hang-dump-type mini --results-directory "$results" "$@" || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
exit "$status"
