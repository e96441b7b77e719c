#!/usr/bin/env bash
# Restart at scale: a silo over Azurite opens N positions on one market and is stopped; a new silo
# starts over the same storage, and at the moment it is ready margin-load publishes the first
# position's liquidation price and times the tick's answer and the liquidation's journal row, then
# reads the market's trigger rows straight from storage: the floor the first tick is measured against.
# --storage-accounts S spreads the rows over S Azurite processes; --trigger-shards K splits the
# market's trigger rows into K partitions, read side by side at restart.
#   scripts/restart.sh [--positions N] [--storage azurite|azurite-memory] [--storage-accounts S] [--trigger-shards K]
#   e.g. scripts/restart.sh --positions 100000 --storage-accounts 2
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

positions=10000 storage=azurite-memory accounts=1 shards=4
while [ $# -gt 0 ]; do
  case "$1" in
    --positions) positions=$2; shift 2 ;;
    --storage) storage=$2; shift 2 ;;
    --storage-accounts) accounts=$2; shift 2 ;;
    --trigger-shards) shards=$2; shift 2 ;;
    *) echo "usage: scripts/restart.sh [--positions N] [--storage azurite|azurite-memory] [--storage-accounts S] [--trigger-shards K]" >&2; exit 2 ;;
  esac
done

begin_own_cluster restart 21211 40100 19564 15180
data=$DATA
trap 'stop_in_order; rm -rf "$data"/azurite*/*.json; echo "logs: $data"' EXIT
table_port=$(free_port)
in_memory=$([ "$storage" = azurite-memory ] && echo --inMemoryPersistence || true)
start_azurite "$table_port" "$data/azurite" $in_memory
export Margin__Storage="$(azurite_connection_string "$table_port")"
start_storage_accounts "$accounts" "$data/azurite" $in_memory
load() {
  dotnet src/LoadTest/bin/Release/net10.0/margin-load.dll --via orleans --silo-gateway-port "$(silo_gateway_port 0)" --cluster-id "$Margin__ClusterId" \
    --metrics "127.0.0.1:$(silo_metrics_port 0)" "$@"
}

start_silo 0 "$data/silo-1.log"
SILO_PIDS=("$SILO_PID")
wait_for_port "$(silo_gateway_port 0)" "Silo" 120
echo "restart run: $positions positions, $shards trigger shards, storage $storage × $accounts; load average $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores"
load --positions "$positions" --trigger-shards "$shards" --keep-open "$data/kept.json"

# A graceful stop: the silo's grains write what they hold (a crash's recovery is the crash tests').
clock=$(date +%s%3N)
kill "$SILO_PID"; wait "$SILO_PID" || true
echo "silo stopped in $(($(date +%s%3N) - clock)) ms"

clock=$(date +%s%3N)
start_silo 0 "$data/silo-2.log"
SILO_PIDS=("$SILO_PID")
wait_for_port "$(silo_gateway_port 0)" "Silo" 120
ready=$(date +%s%3N)
echo "silo started: ready (gateway port open) $((ready - clock)) ms after its process began"
# Then the same shard rows read straight from each storage account: the floor of the first tick.
accounts_given=("$Margin__Storage")
for a in $(seq 1 $((accounts - 1))); do accounts_given+=("$(printenv "Margin__StorageAccounts__$a")"); done
load --first-crossing "$data/kept.json" --ready-at "$ready" --title "restart of $positions positions" \
  --storage-connection "${accounts_given[@]}" --table-prefix "$Margin__TablePrefix"
