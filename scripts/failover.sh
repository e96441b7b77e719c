#!/usr/bin/env bash
# Failover timings (not part of the test suite): a cluster of its own (Azurite, 3 silos with Azure
# Table clustering, a gateway) and a probe that reads 30 accounts through the gateway every 100 ms.
# KILLS times: kill -9 one silo (in turn) and time until a probe round started after the kill
# answers OK for every account; the silo is restarted before the next. Then kill -9 every silo and
# the gateway, start them all again at once and time the gateway's port and the first OK round.
#   scripts/failover.sh [--kills 5]        ports: MARGIN_SILO_PORT etc. (scripts/lib.sh), else 21111/40000/19464/15080
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

kills=5
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills=$2; shift 2 ;;
    *) echo "usage: scripts/failover.sh [--kills N]" >&2; exit 2 ;;
  esac
done

export MARGIN_SILO_PORT=${MARGIN_SILO_PORT:-21111} MARGIN_SILO_GATEWAY_PORT=${MARGIN_SILO_GATEWAY_PORT:-40000}
export MARGIN_METRICS_PORT=${MARGIN_METRICS_PORT:-19464} MARGIN_GATEWAY_PORT=${MARGIN_GATEWAY_PORT:-15080}
ensure_azurite
for project in Silo Gateway LoadTest; do dotnet build "src/$project" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null; done
data=$(mktemp -d -t margin-failover-XXXX)
SILO_PIDS=() GATEWAY_PIDS=() AZURITE_PID="" PROBE_PID=""
own_cluster failover
export Logging__Console__FormatterName=simple Logging__Console__FormatterOptions__TimestampFormat="HH:mm:ss.fff " # timings readable in the logs
trap 'kill "${PROBE_PID:-}" 2>/dev/null || true; stop_in_order; echo "logs: $data"' EXIT
table_port=$(free_port)
start_azurite "$table_port" "$data/azurite" --inMemoryPersistence
export Margin__Storage="$(azurite_connection_string "$table_port")" Margin__Clustering=AzureTable

now_ms() { date +%s%3N; }

# first_ok_after MS: waits (up to 120 s) for a probe round started at or after MS that answered OK; prints its delay in ms.
first_ok_after() {
  for _ in $(seq 1 1200); do
    local at
    at=$(awk -v t="$1" '$2 == "OK" && $1 >= t { print $1; exit }' "$data/probe.log")
    [ -n "$at" ] && { echo $((at - $1)); return 0; }
    sleep 0.1
  done
  echo "no OK round within 120 s" >&2; return 1
}

start_all() {
  SILO_PIDS=() GATEWAY_PIDS=()
  for i in 0 1 2; do start_silo "$i" "$data/silo-$((i + 1))-$SECONDS.log"; SILO_PIDS+=("$SILO_PID"); done
  GATEWAY_LOG="$data/gateway-$SECONDS.log"; start_gateway 0 "$GATEWAY_LOG"; GATEWAY_PIDS+=("$GATEWAY_PID")
}

start_all
for i in 0 1 2; do wait_for_port "$(silo_gateway_port "$i")" "Silo $((i + 1))" 120; done
wait_for_gateway 0 "$GATEWAY_LOG" 60
dotnet src/LoadTest/bin/Release/net10.0/margin-load.dll --gateway "http://127.0.0.1:$(grpc_port 0)" --api-key "$Margin__OperatorApiKey" \
  --failover-probe 30 >"$data/probe.log" 2>&1 &
PROBE_PID=$!
first_ok_after "$(now_ms)" >/dev/null

delays=()
for k in $(seq 1 "$kills"); do
  i=$(((k - 1) % 3))
  sleep 5 # steady state, and the previous restart joined
  first_ok_after "$(now_ms)" >/dev/null
  killed=$(now_ms)
  kill -9 "${SILO_PIDS[$i]}"
  delay=$(first_ok_after "$killed")
  delays+=("$delay")
  echo "kill $k (silo $((i + 1))): every account served again after ${delay} ms"
  start_silo "$i" "$data/silo-$((i + 1))-restart-$k.log"; SILO_PIDS[i]=$SILO_PID
  wait_for_port "$(silo_gateway_port "$i")" "Silo $((i + 1))" 120
done
sorted=$(printf '%s\n' "${delays[@]}" | sort -n)
echo "silo kills: $kills, median $(echo "$sorted" | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}') ms, max $(echo "$sorted" | tail -n1) ms"

sleep 5
kill -9 "${SILO_PIDS[@]}" "${GATEWAY_PIDS[@]}"
wait "${SILO_PIDS[@]}" "${GATEWAY_PIDS[@]}" 2>/dev/null || true
sleep 1
started=$(now_ms)
echo "whole-cluster restart: processes started at $(date -u +%T.%3N)"
start_all
wait_for_port "$(grpc_port 0)" "The gateway" 120
echo "whole-cluster restart: gateway port open after $(($(now_ms) - started)) ms"
wait_for_gateway 0 "$GATEWAY_LOG" 120
echo "whole-cluster restart: gateway joined the cluster after $(($(now_ms) - started)) ms"
echo "whole-cluster restart: first OK round after $(first_ok_after "$started") ms"
