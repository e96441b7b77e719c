#!/usr/bin/env bash
# A load run on a cluster of its own: fresh Azurite (or memory) storage in a temporary folder, its
# own table prefix and cluster id, N silos, one gateway, then margin-load, then everything stops.
# Nothing it writes is seen by the installation of scripts/run.sh (other ports, other storage).
# --runs K runs K margin-loads at once, each on a market of its own (cascades on K markets together).
# --storage-accounts S spreads the rows over S Azurite processes (the floor is measured on the first).
# --market-silos M gives the last M of the N silos the markets' role (Margin:Role): markets and
# trigger shards there, accounts, positions and funds on the others.
# --profile-azurite samples the (first) Azurite with perf during the run and prints where its CPU
# went from the walk's first tick until every liquidation was delivered (needs perf on the machine).
#   scripts/load.sh [--silos N] [--market-silos M] [--storage azurite|azurite-memory|memory] [--storage-accounts S] [--runs K] [--profile-azurite] [-- margin-load options]
#   e.g. scripts/load.sh --silos 3 -- --positions 10000 --via gateway
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

silos=1 market_silos=0 storage=azurite runs=1 accounts=1 floor=() profile=0
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=$2; shift 2 ;;
    --market-silos) market_silos=$2; shift 2 ;;
    --storage) storage=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --storage-accounts) accounts=$2; shift 2 ;;
    --profile-azurite) profile=1; shift ;;
    --) shift; break ;;
    *) echo "usage: scripts/load.sh [--silos N] [--market-silos M] [--storage azurite|azurite-memory|memory] [--storage-accounts S] [--runs K] [--profile-azurite] [-- margin-load options]" >&2; exit 2 ;;
  esac
done
if [ "$market_silos" -ge "$silos" ] && [ "$market_silos" -gt 0 ]; then
  echo "--market-silos $market_silos leaves no silo for accounts and positions among --silos $silos" >&2; exit 2
fi
if [ "$profile" = 1 ] && { [ "$storage" = memory ] || [ "$runs" -gt 1 ] || ! command -v perf >/dev/null; }; then
  echo "--profile-azurite needs Azurite storage, one run, and perf on the machine" >&2; exit 2
fi
if [ "$storage" = memory ] && [ "$silos" -gt 1 ]; then
  echo "--storage memory keeps tables in each silo's process: one silo only" >&2; exit 2
fi

begin_own_cluster load 21111 40000 19464 15080
data=$DATA
# Keeps the logs for a look afterwards; the storage goes.
trap 'stop_in_order; rm -rf "$data"/azurite*/*.json; echo "logs: $data"' EXIT
case "$storage" in
  memory) export Margin__Storage=memory ;;
  azurite|azurite-memory)
    table_port=$(free_port)
    # perf names JIT-compiled JavaScript from node's JIT dump (--perf-prof), which follows code V8 moves.
    [ "$profile" = 1 ] && export AZURITE_NODE_ARGS="--perf-prof --interpreted-frames-native-stack"
    start_azurite "$table_port" "$data/azurite" $([ "$storage" = azurite-memory ] && echo --inMemoryPersistence)
    unset AZURITE_NODE_ARGS
    if [ "$profile" = 1 ]; then
      # Sampled on the clock margin-load stamps the cascade's window with (its report's CascadeMonotonicSeconds).
      perf record -q -k CLOCK_MONOTONIC -F 499 -g -p "$AZURITE_PID" -o "$data/azurite.perf" >"$data/perf.log" 2>&1 &
      PERF_PID=$!
    fi
    export Margin__Storage="$(azurite_connection_string "$table_port")"
    # The cascade measures the storage floor on this Azurite first (3 s) and reports its ratio to it.
    floor=(--storage-connection "$Margin__Storage")
    start_storage_accounts "$accounts" "$data/azurite" $([ "$storage" = azurite-memory ] && echo --inMemoryPersistence) ;;
  *) echo "unknown storage $storage" >&2; exit 2 ;;
esac
[ "$silos" -gt 1 ] && export Margin__Clustering=AzureTable

# The peers' patterns (--patterns) run on grains the production silo does not carry: their silos
# are src/Baselines, the same silo plus those grains.
for arg in "$@"; do
  if [ "$arg" = --patterns ]; then SILO_HOST=src/Baselines/bin/Release/net10.0/MarginOrleans.Baselines.dll; fi
done

metrics=() cpu=()
for pid in ${AZURITE_PIDS[@]:-}; do cpu+=("$pid"); done
for i in $(seq 0 $((silos - 1))); do
  role=()
  if [ "$i" -ge $((silos - market_silos)) ]; then role=(--Margin:Role markets); fi
  start_silo "$i" "$data/silo-$((i + 1)).log" "${role[@]}"
  SILO_PIDS+=("$SILO_PID"); cpu+=("$SILO_PID"); metrics+=("127.0.0.1:$(silo_metrics_port "$i")")
done
for i in $(seq 0 $((silos - 1))); do wait_for_port "$(silo_gateway_port "$i")" "Silo $((i + 1))" 120; done
start_gateway 0 "$data/gateway.log"
GATEWAY_PIDS+=("$GATEWAY_PID")
wait_for_gateway 0 "$data/gateway.log" 60

echo "load run: $silos silo(s) ($market_silos of them for markets), storage $storage over $accounts storage account(s), $runs run(s) at once; load average $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores"
status=0
load() {
  dotnet src/LoadTest/bin/Release/net10.0/margin-load.dll --gateway "http://127.0.0.1:$(grpc_port 0)" --api-key "$Margin__OperatorApiKey" \
    --silo-gateway-port "$(silo_gateway_port 0)" --cluster-id "$Margin__ClusterId" --metrics "${metrics[@]}" --cpu-pid "${cpu[@]}" --gateway-pid "$GATEWAY_PID" \
    --rest "http://127.0.0.1:$(($(grpc_port 0) + 10))" "${floor[@]}" "$@"
}
if [ "$runs" -eq 1 ] && [ "$profile" = 1 ]; then
  load --json "$data/report.json" "$@" || status=$?
  kill -INT "$PERF_PID"; wait "$PERF_PID" || true
  perf inject --jit -i "$data/azurite.perf" -o "$data/azurite.jit.perf" 2>>"$data/perf.log"
  node scripts/azurite-profile.js "$data/azurite.jit.perf" "$data/report.json" || status=$?
elif [ "$runs" -eq 1 ]; then
  load "$@" || status=$?
else
  # Each run's live display goes to its own file; the reports follow one after another.
  pids=()
  for k in $(seq 1 "$runs"); do load "$@" --title "run $k of $runs" > "$data/run-$k.txt" 2>&1 & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
  for k in $(seq 1 "$runs"); do sed -n '/run '"$k"' of/,$p' "$data/run-$k.txt"; done
fi
grep -hE "^(warn|fail)" "$data"/silo-*.log | sort | uniq -c | sort -rn | head -5 || true
exit $status
