# Shared by run.sh and test.sh: Azurite from the committed lock file, ports, waiting.

# Installs Azurite into ./node_modules from package-lock.json if it is not there yet.
ensure_azurite() {
  if [ ! -f node_modules/azurite/dist/src/table/main.js ]; then
    echo "Installing Azurite (npm ci) ..."
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# wait_for_port PORT NAME [SECONDS]
wait_for_port() {
  local port=$1 name=$2 seconds=${3:-60}
  for _ in $(seq 1 $((seconds * 10))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$name did not open port $port within ${seconds}s" >&2
  return 1
}

# start_azurite PORT DATA_DIR: azurite-table on 127.0.0.1 in the background; sets AZURITE_PID.
start_azurite() {
  mkdir -p "$2"
  node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort "$1" \
    --location "$2" --skipApiVersionCheck --silent >"$2/azurite.log" 2>&1 &
  AZURITE_PID=$!
  wait_for_port "$1" "Azurite"
}

azurite_connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$1/devstoreaccount1;"
}
