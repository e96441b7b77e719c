#!/usr/bin/env bash
# The storage floor: how many writes per second the table service itself takes (conditional
# replace with an ETag as Orleans writes grain state, merge, entity-group transactions of 1 and
# 2 rows), at 1, 8 and 32 in flight, with nothing of the engine in the way. Starts its own
# Azurite (in memory, on a free port of 127.0.0.1), measures, stops it.
#   scripts/storage-floor.sh [--seconds S] [--disk] [-- margin-load options, e.g. --floor-concurrency 1 32]
#   scripts/storage-floor.sh --connection "DefaultEndpointsProtocol=…"   # another table service, no Azurite
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

seconds=5 persistence=--inMemoryPersistence connection=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --disk) persistence=""; shift ;;
    --connection) connection=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: scripts/storage-floor.sh [--seconds S] [--disk] [--connection CS] [-- margin-load options]" >&2; exit 2 ;;
  esac
done

dotnet build src/LoadTest -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
AZURITE_PID=""
if [ -z "$connection" ]; then
  ensure_azurite
  data=$(mktemp -d -t margin-floor-XXXX)
  trap '[ -n "$AZURITE_PID" ] && { kill "$AZURITE_PID" 2>/dev/null; wait "$AZURITE_PID" 2>/dev/null; }; rm -rf "$data"' EXIT
  port=$(free_port)
  start_azurite "$port" "$data" $persistence
  connection=$(azurite_connection_string "$port")
  echo "Azurite (${persistence:-on disk}) on 127.0.0.1:$port, pid $AZURITE_PID"
fi
echo "load average before: $(cut -d" " -f1-3 /proc/loadavg) (2 cores, shared)"
dotnet src/LoadTest/bin/Release/net10.0/margin-load.dll --storage-floor "$connection" --floor-seconds "$seconds" --title "storage floor, ${seconds} s each" "$@"
echo "load average after: $(cut -d" " -f1-3 /proc/loadavg)"
