#!/usr/bin/env bash
# The hedge-mode cascade against one-way, paired: K pairs of 10k-position cascades on memory storage
# through the gateway, one with every account one-way, one with half of them in hedge mode (a LONG
# leg each, every second one a SHORT leg too), alternating so the machine's drift hits both alike.
# Prints each run's last-journaled time and p99, the medians, and hedge ÷ one-way.
#   scripts/hedge-cascade.sh [--pairs K] [--positions N]
set -euo pipefail
cd "$(dirname "$0")/.."

pairs=3 positions=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) pairs=$2; shift 2 ;;
    --positions) positions=$2; shift 2 ;;
    *) echo "usage: scripts/hedge-cascade.sh [--pairs K] [--positions N]" >&2; exit 2 ;;
  esac
done

out=$(mktemp -d -t margin-hedge-XXXX)
for k in $(seq 1 "$pairs"); do
  for share in 0 0.5; do
    scripts/load.sh --storage memory -- --positions "$positions" --via gateway --hedge-share "$share" --json "$out/run-$k-$share.json" > "$out/run-$k-$share.txt" 2>&1 \
      || { tail -30 "$out/run-$k-$share.txt"; exit 1; }
  done
done

# Node reads the reports: a fresh machine has it (Azurite needs it) and no jq.
node - "$out" "$pairs" <<'JS'
const [dir, pairs] = [process.argv[2], +process.argv[3]];
const fs = require('fs');
const read = (k, share) => JSON.parse(fs.readFileSync(`${dir}/run-${k}-${share}.json`, 'utf8'));
const median = xs => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const runs = { '0': [], '0.5': [] };
for (let k = 1; k <= pairs; k++) for (const share of ['0', '0.5']) {
  const r = read(k, share);
  if (r.Missing || r.NotExactlyOnce || r.Discrepancy) throw new Error(`run ${k} share ${share}: missing ${r.Missing}, not exactly once ${r.NotExactlyOnce}, discrepancy ${r.Discrepancy}`);
  runs[share].push({ last: r.LastJournaledSeconds, p99: r.LiquidationMs.p99, hedge: r.HedgeAccounts, fired: r.Fired });
  console.log(`pair ${k} ${share === '0' ? 'one-way ' : 'half hedge'}: last journaled ${r.LastJournaledSeconds.toFixed(2)} s, p99 ${runs[share].at(-1).p99.toFixed(0)} ms, hedge accounts ${r.HedgeAccounts}, fired ${r.Fired}`);
}
const [ow, hh] = [runs['0'], runs['0.5']];
const [lastOw, lastHh, p99Ow, p99Hh] = [median(ow.map(r => r.last)), median(hh.map(r => r.last)), median(ow.map(r => r.p99)), median(hh.map(r => r.p99))];
console.log(`median last journaled: one-way ${lastOw.toFixed(2)} s, half hedge ${lastHh.toFixed(2)} s, ratio ${(lastHh / lastOw).toFixed(2)} (goal ≤ 1.5)`);
console.log(`median p99: one-way ${p99Ow.toFixed(0)} ms, half hedge ${p99Hh.toFixed(0)} ms, ratio ${(p99Hh / p99Ow).toFixed(2)} (goal ≤ 1.5)`);
JS
echo "reports: $out"
