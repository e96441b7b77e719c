#!/usr/bin/env bash
# Runs MarginOrleans on this machine: Azurite, one silo (default markets, simulated price feed)
# and one gRPC gateway. State lives in .data/ and survives a re-run. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

table_port=${MARGIN_TABLE_PORT:-10002}
gateway_port=${MARGIN_GATEWAY_PORT:-5080}
ensure_azurite
echo "Building (Release) ..."
dotnet build MarginOrleans.sln -c Release -nologo -v quiet -clp:ErrorsOnly

mkdir -p .data
[ -f .data/operator-key ] || echo "mk_op_$(node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))")" > .data/operator-key
operator_key=$(cat .data/operator-key)

pids=()
stop() { trap - INT TERM EXIT; echo; echo "Stopping ..."; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT

start_azurite "$table_port" .data/azurite
pids+=("$AZURITE_PID")

export Margin__Storage="$(azurite_connection_string "$table_port")"
export Margin__OperatorApiKey="$operator_key"
dotnet src/Silo/bin/Release/net10.0/MarginOrleans.Silo.dll > .data/silo.log 2>&1 &
pids+=($!)
wait_for_port 30000 "The silo" 120

dotnet src/Gateway/bin/Release/net10.0/MarginOrleans.Gateway.dll --urls "http://127.0.0.1:$gateway_port" > .data/gateway.log 2>&1 &
pids+=($!)
wait_for_port "$gateway_port" "The gateway" 60

cat <<INFO

MarginOrleans is running.
  gateway (gRPC, h2c):  http://127.0.0.1:$gateway_port
  operator API key:     $operator_key
  logs:                 .data/silo.log, .data/gateway.log
Try, in another shell:
  export MARGIN_API_KEY=$operator_key
  dotnet run --project src/Cli -- markets
Press Ctrl-C to stop.
INFO
wait -n "${pids[@]}"
