#!/usr/bin/env bash
# Runs the whole marketplace on this machine: PostgreSQL and RabbitMQ as local processes (data under
# .local/), the Gateway, Catalog, Orders and Web. Prints the address to open; Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

scripts/ensure-prerequisites.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "Building the marketplace (a few minutes the first time)..."
dotnet build src/AppHost/AppHost.csproj --nologo -v quiet "-clp:ErrorsOnly;NoSummary"
# Started in the background of a script (nohup, CI), a process inherits SIGINT ignored, and .NET then leaves Ctrl-C
# unhandled: the run starts with SIGINT at its default, so Ctrl-C stops it however it was started.
if env --default-signal=INT true 2>/dev/null; then
  exec env --default-signal=INT dotnet src/AppHost/bin/Debug/net10.0/Marketplace.AppHost.dll "$@"
fi
exec dotnet src/AppHost/bin/Debug/net10.0/Marketplace.AppHost.dll "$@"
