#!/usr/bin/env bash
# A crash soak anyone can run (not part of the test suite): a cluster of its own (Azurite + N
# silos + a gateway), margin-load runs back to back through the gateway, and every KILL_EVERY
# seconds a random silo is killed with SIGKILL and restarted RESTART_AFTER seconds later, for
# DURATION seconds. Every load run retries failed commands with their request ids and checks, once
# its cascade is over, that each account's commands are journaled exactly once, that every
# position was liquidated (its market's index is empty: none is left past its liquidation price)
# and that the audit balances to zero. The summary counts errors by status and the longest wait.
#   scripts/soak.sh [--silos 3] [--duration 300] [--kill-every 45] [--restart-after 10] [--positions 500]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

silos=3 duration=300 kill_every=45 restart_after=10 positions=500
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --kill-every) kill_every=$2; shift 2 ;;
    --restart-after) restart_after=$2; shift 2 ;;
    --positions) positions=$2; shift 2 ;;
    *) echo "usage: scripts/soak.sh [--silos N] [--duration S] [--kill-every S] [--restart-after S] [--positions N]" >&2; exit 2 ;;
  esac
done
[ "$silos" -ge 2 ] || { echo "a soak needs at least two silos" >&2; exit 2; }

begin_own_cluster soak 23111 42000 29464 25080
data=$DATA
trap 'kill "${KILLER_PID:-}" 2>/dev/null || true; for f in "$data"/silo-*.pid; do SILO_PIDS+=("$(cat "$f")"); done; stop_in_order; rm -rf "$data/azurite/"*.json; echo "logs and figures: $data"' EXIT
table_port=$(free_port)
start_azurite "$table_port" "$data/azurite"
export Margin__Storage="$(azurite_connection_string "$table_port")" Margin__Clustering=AzureTable

for i in $(seq 0 $((silos - 1))); do start_silo "$i" "$data/silo-$((i + 1)).log"; SILO_PIDS+=("$SILO_PID"); echo "$SILO_PID" > "$data/silo-$i.pid"; done
for i in $(seq 0 $((silos - 1))); do wait_for_port "$(silo_gateway_port "$i")" "Silo $((i + 1))" 120; done
start_gateway 0 "$data/gateway.log"; GATEWAY_PIDS+=("$GATEWAY_PID")
wait_for_gateway 0 "$data/gateway.log" 60

# The killer: SIGKILL a random silo (its pid file names the live one, for the final stop), restart it on the same ports after a pause; logs each event.
(
  end=$((SECONDS + duration))
  while [ $SECONDS -lt $end ]; do
    sleep "$kill_every"
    i=$((RANDOM % silos))
    kill -9 "$(cat "$data/silo-$i.pid")" 2>/dev/null || true
    echo "$(date -u +%T) killed silo $((i + 1))" >> "$data/kills.log"
    sleep "$restart_after"
    start_silo "$i" "$data/silo-$((i + 1))-restart-$SECONDS.log"
    echo "$SILO_PID" > "$data/silo-$i.pid"
    echo "$(date -u +%T) restarted silo $((i + 1))" >> "$data/kills.log"
  done
) &
KILLER_PID=$!

runs=0 failed=0
end=$((SECONDS + duration))
while [ $SECONDS -lt $end ]; do
  runs=$((runs + 1))
  if ! dotnet src/LoadTest/bin/Release/net10.0/margin-load.dll --gateway "http://127.0.0.1:$(grpc_port 0)" --api-key "$Margin__OperatorApiKey" \
      --positions "$positions" --concurrency 32 --idle-ticks 0 --settle-timeout-s 300 --title "soak run $runs" --json "$data/run-$runs.json" \
      > "$data/run-$runs.log" 2>&1; then
    failed=$((failed + 1)); echo "run $runs FAILED its checks: $data/run-$runs.log"
  fi
  tail -n 30 "$data/run-$runs.log" | grep -E "positions opened|errors answered|longest wait|missing|exactly once|audit" || true
done
wait "$KILLER_PID" 2>/dev/null || true

echo
echo "soak: $runs load runs, $failed failed their checks, $(grep -c killed "$data/kills.log" 2>/dev/null || echo 0) silo kills"
[ "$failed" -eq 0 ]
