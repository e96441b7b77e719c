// Where Azurite's CPU went during a load run: perf's samples of its process, cut to the cascade's
// window and to the window of the floor measured after it (the same writes alone, margin-load's
// report), each sample counted once, by what it ran.
// (scripts/load.sh --profile-azurite)
//   node scripts/azurite-profile.js PERF_DATA REPORT_JSON
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");

const [perfData, reportJson] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportJson, "utf8"));
const SAMPLES_PER_SECOND = 499; // load.sh's perf record -F

// What a sample ran: its innermost frame that names a kind of work (native frames of node and libc
// say nothing until a JavaScript frame above them does).
const WORK = [
  ["garbage collection", f => /Scavenge|MarkCompact|ConcurrentMarking|Heap::|GCTracer|Sweeper|MinorMS/.test(f)],
  // A row is found by its PartitionKey's index, then by comparing the RowKey of every row of that partition.
  ["LokiJS: finding a row (its partition scanned)", f => /(Resultset\.find|findOne|\$eq|calculateRange)\S* \S*lokijs\.js/.test(f)],
  ["LokiJS: removing and inserting rows (arrays, indices)", f => /lokijs\.js/.test(f)],
  ["entities to and from JSON", f => /serializer|JSON|Json|odata|Serializ|Deserializ/.test(f)],
  ["HTTP server and middleware", f => /express|_http_|llhttp|body-parser|raw-body|middleware|node:net|node:stream|Parser::/.test(f)],
  ["Azurite's handlers and stores", f => /azurite\/dist/.test(f)],
];

function samples(from, to) {
  const text = execFileSync("perf", ["script", "-i", perfData, "--time", `${from.toFixed(6)},${to.toFixed(6)}`, "-F", "tid,ip,sym,dso"],
    { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] });
  const byWork = new Map();
  let total = 0;
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n").filter(l => l.trim());
    if (lines.length < 2) continue;
    const frames = lines.slice(1).map(l => l.trim().replace(/^[0-9a-f]+ /, "")); // innermost first
    total++;
    const kernelLeaf = /kernel|\[k\]|kallsyms/.test(frames[0]);
    const work = kernelLeaf ? "kernel (sockets, scheduling)" : firstMatch(frames, WORK) ?? "other (Node runtime, event loop)";
    byWork.set(work, (byWork.get(work) ?? 0) + 1);
  }
  return { total, byWork };
}

// The kind named by the first frame (in the given order) that any rule matches, rules in their order for that frame.
function firstMatch(frames, rules) {
  for (const frame of frames) {
    const rule = rules.find(([, match]) => match(frame));
    if (rule) return rule[0];
  }
  return undefined;
}

const windows = [["cascade", report.CascadeMonotonicSeconds], ["floor after it", report.FloorMonotonicSeconds]].filter(([, w]) => w && w.length === 2);
const measured = windows.map(([name, [from, to]]) => ({ name, seconds: to - from, ...samples(from, to) }));
const percent = (m, key) => `${(100 * (m.byWork.get(key) ?? 0) / Math.max(1, m.total)).toFixed(1)} %`;
console.log(`\nAzurite's CPU, sampled by perf (${SAMPLES_PER_SECOND}/s): ${measured.map(m => `${m.name} ${(m.total / SAMPLES_PER_SECOND).toFixed(1)} s in ${m.seconds.toFixed(1)} s (${(m.total / SAMPLES_PER_SECOND / m.seconds).toFixed(2)} of a core)`).join("; ")}`);
const cascade = measured[0];
const keys = [...new Set(measured.flatMap(m => [...m.byWork.keys()]))].sort((a, b) => (cascade.byWork.get(b) ?? 0) - (cascade.byWork.get(a) ?? 0));
console.log(`${"by what it ran".padEnd(56)}${"cascade".padStart(10)}${"ms/liq.".padStart(10)}${measured.slice(1).map(m => m.name.padStart(16)).join("")}`);
for (const key of keys) {
  const ms = 1000 * (cascade.byWork.get(key) ?? 0) / SAMPLES_PER_SECOND / report.Positions;
  console.log(`  ${key.padEnd(54)}${percent(cascade, key).padStart(10)}${ms.toFixed(2).padStart(10)}${measured.slice(1).map(m => percent(m, key).padStart(16)).join("")}`);
}
console.log(`  ${"all".padEnd(54)}${"100 %".padStart(10)}${(1000 * cascade.total / SAMPLES_PER_SECOND / report.Positions).toFixed(2).padStart(10)}`);
