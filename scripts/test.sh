#!/usr/bin/env bash
# Checks the formatting, then runs the whole test suite against its own Azurite on a free port, then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# Formatting first, so unformatted code fails before the build and the suite: the rules are
# .editorconfig's; `dotnet format MarginOrleans.sln` applies them. It restores the solution itself
# (from the local package cache when offline).
dotnet format MarginOrleans.sln --verify-no-changes -v quiet

ensure_azurite
ensure_chromium
data=$(mktemp -d)
port=$(free_port)
# The trap first: Azurite runs in a session of its own, so nothing else would stop it.
trap 'kill ${AZURITE_PID:-} 2>/dev/null || true; rm -rf "$data"' EXIT
start_azurite "$port" "$data"
export MARGIN_TEST_STORAGE="$(azurite_connection_string "$port")"

dotnet build MarginOrleans.sln -c Release -nologo -v quiet -clp:ErrorsOnly
log="$data/test.log"
status=0
dotnet test MarginOrleans.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One plain summary line over all test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
