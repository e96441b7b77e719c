# Shared by run.sh, test.sh, load.sh and soak.sh: Azurite from the committed lock file, ports,
# waiting, and a local cluster (silos + gateways) started and stopped in the right order.

# Installs Azurite into ./node_modules from package-lock.json if it is not there yet.
ensure_azurite() {
  if [ ! -f node_modules/azurite/dist/src/table/main.js ]; then
    echo "Installing Azurite (npm ci) ..."
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The browser tests drive Debian's chromium (Playwright's own browser download cannot reach its
# host from here): installed when absent.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "Installing chromium (apt-get) ..."
    apt-get update -qq && apt-get install -y -qq chromium
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for_port PORT NAME [SECONDS]
wait_for_port() {
  local port=$1 name=$2 seconds=${3:-60}
  for _ in $(seq 1 $((seconds * 10))); do
    if port_in_use "$port"; then return 0; fi
    sleep 0.1
  done
  echo "$name did not open port $port within ${seconds}s" >&2
  return 1
}

# start_azurite PORT DATA_DIR [--inMemoryPersistence]: azurite-table on 127.0.0.1; sets AZURITE_PID (and adds it to AZURITE_PIDS).
# In memory, DATA_DIR only holds its log (Azurite refuses --location with --inMemoryPersistence).
start_azurite() {
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  local location=(--location "$dir")
  [ "${1:-}" = --inMemoryPersistence ] && location=()
  # A session of its own: a terminal's Ctrl-C reaches the whole foreground group, and node, unlike
  # the .NET hosts, re-arms SIGINT that the shell ignores for background jobs — Azurite would stop
  # at once, before the silos' last writes. stop_in_order stops it last.
  # AZURITE_NODE_ARGS: flags for node itself (load.sh --profile-azurite: --perf-prof, whose JIT dump
  # node writes to its working directory: then DATA_DIR). exec keeps the pid Azurite's.
  local root=$PWD cwd=$PWD
  [ -n "${AZURITE_NODE_ARGS:-}" ] && cwd=$dir
  (cd "$cwd" && exec setsid node ${AZURITE_NODE_ARGS:-} "$root/node_modules/azurite/dist/src/table/main.js" --tableHost 127.0.0.1 --tablePort "$port" \
    "${location[@]}" --skipApiVersionCheck --disableTelemetry --silent "$@" >"$dir/azurite.log" 2>&1) &
  AZURITE_PID=$!
  AZURITE_PIDS+=("$AZURITE_PID")
  wait_for_port "$port" "Azurite"
}

# start_storage_accounts S DATA_PREFIX [--inMemoryPersistence]: with S > 1, storage account 0 is the Azurite
# Margin__Storage names (cluster membership lives there); accounts 1..S-1 are Azurites on free ports, in a
# fixed order, their data under DATA_PREFIX-2, DATA_PREFIX-3, ...
start_storage_accounts() {
  local accounts=$1 prefix=$2; shift 2
  [ "$accounts" -gt 1 ] || return 0
  export Margin__StorageAccounts__0="$Margin__Storage"
  local a port
  for a in $(seq 1 $((accounts - 1))); do
    port=$(free_port)
    start_azurite "$port" "$prefix-$((a + 1))" "$@"
    export "Margin__StorageAccounts__$a=$(azurite_connection_string "$port")"
  done
}

azurite_connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$1/devstoreaccount1;"
}

# Ports of silo I (0-based) and gateway J: silo-to-silo, Orleans gateway, Prometheus metrics, gRPC.
silo_port() { echo $((${MARGIN_SILO_PORT:-11111} + $1)); }
silo_gateway_port() { echo $((${MARGIN_SILO_GATEWAY_PORT:-30000} + $1)); }
silo_metrics_port() { echo $((${MARGIN_METRICS_PORT:-9464} + $1)); }
grpc_port() { echo $((${MARGIN_GATEWAY_PORT:-5080} + $1)); }

# start_silo I LOG [dotnet args...]: one silo with the cluster settings exported by the caller
# (Margin__Storage, Margin__Clustering, Margin__ClusterId, ...); sets SILO_PID. SILO_HOST names
# another build of the silo host (load.sh's patterns runs: the silo plus the baseline grains).
start_silo() {
  local i=$1 log=$2; shift 2
  Margin__SiloPort=$(silo_port "$i") Margin__GatewayPort=$(silo_gateway_port "$i") Margin__Metrics__Port=$(silo_metrics_port "$i") \
    dotnet "${SILO_HOST:-src/Silo/bin/Release/net10.0/MarginOrleans.Silo.dll}" "$@" >"$log" 2>&1 &
  SILO_PID=$!
}

# start_gateway J LOG: one gateway (gRPC on grpc_port J, REST/JSON and its docs over HTTP/1.1 ten ports above); sets GATEWAY_PID.
start_gateway() {
  local j=$1 log=$2
  Margin__GatewayPort=$(silo_gateway_port 0) Gateway__MetricsPort=$(($(silo_metrics_port 0) + 96 + j)) Gateway__Rest__HttpPort=$(($(grpc_port "$j") + 10)) \
    dotnet src/Gateway/bin/Release/net10.0/MarginOrleans.Gateway.dll --urls "http://127.0.0.1:$(grpc_port "$j")" >"$log" 2>&1 &
  GATEWAY_PID=$!
}

# wait_for_gateway J LOG [SECONDS]: until gateway J has joined the silo cluster. Its port opens at
# once and answers Unavailable until then, so an open port is not yet a serving gateway.
wait_for_gateway() {
  local j=$1 log=$2 seconds=${3:-60}
  wait_for_port "$(grpc_port "$j")" "Gateway $((j + 1))" "$seconds" || return 1
  for _ in $(seq 1 $((seconds * 10))); do
    if grep -q "The gateway joined the silo cluster" "$log" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "Gateway $((j + 1)) did not join the silo cluster within ${seconds}s (see $log)" >&2
  return 1
}

# stop_in_order: gateways first (no new calls), then silos (each finishes its deactivation
# writes while storage is still up), then Azurite.
stop_in_order() {
  [ ${#GATEWAY_PIDS[@]} -gt 0 ] && { kill "${GATEWAY_PIDS[@]}" 2>/dev/null || true; wait "${GATEWAY_PIDS[@]}" 2>/dev/null || true; }
  [ ${#SILO_PIDS[@]} -gt 0 ] && { kill "${SILO_PIDS[@]}" 2>/dev/null || true; wait "${SILO_PIDS[@]}" 2>/dev/null || true; }
  # Silos restarted by a subshell (soak.sh) are not this shell's children: wait for them by pid, up to 30 s.
  local pid
  for pid in "${SILO_PIDS[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  for pid in ${AZURITE_PIDS[@]:-} ${AZURITE_PID:-}; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  return 0
}

# begin_own_cluster NAME SILO_PORT SILO_GATEWAY_PORT METRICS_PORT GRPC_PORT: ports of its own,
# Azurite installed, the build done, a temporary folder (DATA) and the settings of own_cluster.
begin_own_cluster() {
  export MARGIN_SILO_PORT=$2 MARGIN_SILO_GATEWAY_PORT=$3 MARGIN_METRICS_PORT=$4 MARGIN_GATEWAY_PORT=$5
  ensure_azurite
  dotnet build MarginOrleans.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
  DATA=$(mktemp -d -t "margin-$1-XXXX")
  SILO_PIDS=() GATEWAY_PIDS=() AZURITE_PID=""
  own_cluster "$1"
}

# own_cluster NAME: the settings of a measurement cluster that shares nothing with run.sh's
# installation: its own table prefix, cluster id and operator key, no seeding, no simulated feed,
# no rate limit. Exports RUN_ID.
own_cluster() {
  RUN_ID=$(node -e "console.log(require('crypto').randomBytes(4).toString('hex'))")
  export Margin__TablePrefix="$1$RUN_ID" Margin__ClusterId="$1-$RUN_ID" Margin__OperatorApiKey="mk_op_$1_$RUN_ID"
  export Margin__PriceFeed__Enabled=false Margin__SeedMarkets=false
  export Gateway__RateLimit__PermitsPerSecond=1000000 Gateway__RateLimit__Burst=1000000
}
