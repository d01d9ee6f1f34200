// Prints the comparison table from compare.sh's JSON lines: per-element cost and time to the first and
// last element, and each peer's ratio to ours on the same input.
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const fmt = (v, d = 1) => (v == null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(d));
console.log('| elements | implementation | µs per element | first element (ms) | last element (ms) | ÷ ours (per element) |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const ours = rows.find((x) => x.side === 'java' && x.elements === r.elements);
  const ratio = r.side === 'java' ? '1' : (r.perElementUs / ours.perElementUs).toFixed(0) + '×';
  console.log(`| ${r.elements.toLocaleString('en')} | ${r.side === 'java' ? 'ours (Java)' : r.impl} | ${fmt(r.perElementUs)} | `
    + `${fmt(r.firstElementMs, 2)} | ${fmt(r.lastElementMs, 2)} | ${ratio} |`);
}
