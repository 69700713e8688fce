#!/usr/bin/env bash
# Makes sure this machine has what the local run and the tests need: the .NET SDK, the repository's .NET tools
# (.config/dotnet-tools.json: smtp4dev, the SMTP server), PostgreSQL's server binaries and RabbitMQ. On
# Debian/Ubuntu it installs the missing OS packages when it may (root, or sudo without a password); otherwise it
# says exactly what to install. With --browser (the tests), also Chromium,
# which the browser tests drive, and ss and pgrep, with which CI checks that a stopped run left nothing behind.
set -euo pipefail
want_browser=false
[ "${1:-}" = "--browser" ] && want_browser=true

missing=()
have_postgres() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }
have_rabbitmq() { [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; }
have_chromium() { [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ] || [ -x /usr/bin/chromium ]; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is missing: https://learn.microsoft.com/dotnet/core/install/linux" >&2
  exit 1
fi
# smtp4dev comes from NuGet like the packages the build restores; a no-op once restored.
if ! restored=$(cd "$(dirname "$0")/.." && dotnet tool restore 2>&1); then
  echo "$restored" >&2
  echo "Could not restore the repository's .NET tools (dotnet tool restore): the NuGet feed must be reachable." >&2
  exit 1
fi
have_postgres || missing+=(postgresql)
have_rabbitmq || missing+=(rabbitmq-server)
if $want_browser; then
  have_chromium || missing+=(chromium fonts-dejavu-core)
  # The checks that a stopped run left no port or process behind.
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  command -v pgrep >/dev/null 2>&1 || missing+=(procps)
  # The check that a killed service comes back asks it over HTTP.
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # Lighthouse's SEO audit of the storefront runs on Node.js; the test installs Lighthouse itself with npm.
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root=(sudo)
else
  echo "Missing OS packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing: ${missing[*]} (PostgreSQL 15+ server binaries and RabbitMQ 3.10+). Install them with your package manager." >&2
  exit 1
fi

echo "Installing ${missing[*]}..."
# The packages' own system services are not needed: the marketplace starts its own servers on its own ports.
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
have_postgres && have_rabbitmq && { ! $want_browser || { have_chromium && command -v ss >/dev/null && command -v pgrep >/dev/null && command -v npm >/dev/null; }; }
