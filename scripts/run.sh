#!/usr/bin/env bash
# Runs MarginOrleans on this machine: Azurite, N silos (default markets, simulated price feeds),
# M gRPC gateways. State lives in .data/ and survives a re-run. Ctrl-C stops everything, in order.
#   scripts/run.sh [--silos N] [--gateways M] [--storage-accounts S]
# N > 1: Azure Table clustering on loopback. S > 1: rows spread over S storage accounts, one Azurite
# each (.data/azurite, .data/azurite-2, ...); keep S the same over the same .data (silos refuse another).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

silos=1 gateways=1 accounts=1
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=$2; shift 2 ;;
    --gateways) gateways=$2; shift 2 ;;
    --storage-accounts) accounts=$2; shift 2 ;;
    *) echo "usage: scripts/run.sh [--silos N] [--gateways M] [--storage-accounts S]" >&2; exit 2 ;;
  esac
done

table_port=${MARGIN_TABLE_PORT:-10002}
for port in "$table_port" $(for i in $(seq 0 $((silos - 1))); do silo_port "$i"; silo_gateway_port "$i"; done) \
            $(for j in $(seq 0 $((gateways - 1))); do grpc_port "$j"; done); do
  if port_in_use "$port"; then
    echo "Port $port on 127.0.0.1 is taken: is MarginOrleans already running? Stop it first (Ctrl-C in its shell)." >&2
    exit 1
  fi
done

ensure_azurite
echo "Building (Release) ..."
dotnet build MarginOrleans.sln -c Release -nologo -v quiet -clp:ErrorsOnly

mkdir -p .data
[ -f .data/operator-key ] || echo "mk_op_$(node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))")" > .data/operator-key
operator_key=$(cat .data/operator-key)

SILO_PIDS=() GATEWAY_PIDS=() AZURITE_PIDS=()
stop() { local status=$?; trap - INT TERM EXIT; echo; echo "Stopping: gateways, silos, then Azurite ..."; stop_in_order; exit "$status"; }
trap stop INT TERM EXIT

start_azurite "$table_port" .data/azurite
export Margin__Storage="$(azurite_connection_string "$table_port")"
start_storage_accounts "$accounts" .data/azurite
export Margin__OperatorApiKey="$operator_key"
if [ "$silos" -gt 1 ]; then
  # A fresh cluster id per run: grain state is keyed by the service id, so it stays.
  export Margin__Clustering=AzureTable Margin__ClusterId="margin-$(date +%s)"
fi

for i in $(seq 0 $((silos - 1))); do
  start_silo "$i" ".data/silo-$((i + 1)).log"
  SILO_PIDS+=("$SILO_PID")
done
for i in $(seq 0 $((silos - 1))); do
  # A silo that refuses its settings or storage layout (e.g. another --storage-accounts over this .data) says why in its log.
  wait_for_port "$(silo_gateway_port "$i")" "Silo $((i + 1))" 120 || { grep -m1 -h "Exception: " ".data/silo-$((i + 1)).log" >&2 || true; exit 1; }
done

for j in $(seq 0 $((gateways - 1))); do
  start_gateway "$j" ".data/gateway-$((j + 1)).log"
  GATEWAY_PIDS+=("$GATEWAY_PID")
done
for j in $(seq 0 $((gateways - 1))); do wait_for_gateway "$j" ".data/gateway-$((j + 1)).log" 60; done

cat <<INFO

MarginOrleans is running: $silos silo(s), $gateways gateway(s), $accounts storage account(s).
  gateway (gRPC, h2c):  $(for j in $(seq 0 $((gateways - 1))); do printf 'http://127.0.0.1:%s ' "$(grpc_port "$j")"; done)
  operator API key:     $operator_key
  metrics (Prometheus): $(for i in $(seq 0 $((silos - 1))); do printf 'http://127.0.0.1:%s/metrics ' "$(silo_metrics_port "$i")"; done)(silos)
  logs:                 .data/silo-*.log, .data/gateway-*.log
Try, in another shell:
  alias margin="dotnet $PWD/src/Cli/bin/Release/net10.0/margin.dll"
  export MARGIN_API_KEY=\$(cat .data/operator-key)
  margin markets
Press Ctrl-C to stop.
INFO
# Runs until Ctrl-C, a gateway exits, or no silo is left: a cluster outlives one silo's death.
alive() { kill -0 "$1" 2>/dev/null; }
while true; do
  for pid in "${GATEWAY_PIDS[@]}"; do alive "$pid" || { echo "A gateway exited; see .data/gateway-*.log" >&2; exit 1; }; done
  any=0; for pid in "${SILO_PIDS[@]}"; do alive "$pid" && any=1; done
  [ "$any" -eq 1 ] || { echo "No silo is left; see .data/silo-*.log" >&2; exit 1; }
  sleep 1
done
