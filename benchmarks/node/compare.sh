#!/usr/bin/env bash
# Runs our pipeline (Java) and the Vercel AI SDK (Node) on the same chunk files and prints the ratios.
#
#   benchmarks/node/compare.sh [SIZE...]        default: 10 100 1000
#
# Needs benchmarks/target/benchmarks.jar (mvn -B -q -pl benchmarks -am package -DskipTests) and Node 20+;
# installs the pinned npm packages on first use (npm ci). Results: benchmarks/target/node-compare.jsonl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/../target/benchmarks.jar}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000)
[ -f "$jar" ] || { echo "no $jar: build it first (see benchmarks/README.md)" >&2; exit 1; }
[ -d "$here/node_modules" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
data=$here/../target/node-chunks
out=$here/../target/node-compare.jsonl
java -cp "$jar" dev.extractor.bench.PeerCompare write "$data" "${sizes[@]}" >/dev/null
: > "$out"
for n in "${sizes[@]}"; do
  f=$data/chunks-$n.json
  java -cp "$jar" dev.extractor.bench.PeerCompare run "$f" | tee -a "$out"
  variants=ai7-streamObject,ai7-streamText
  # ai 6.x re-parses the whole accumulated text at every delta (quadratic): 6 s per answer at 100 elements here,
  # so about 10 minutes per run at 1,000 (and the harness does three runs). AI6_MAX=1000 to include it anyway.
  [ "$n" -le "${AI6_MAX:-100}" ] && variants=$variants,ai6-streamObject,ai6-streamText
  node --no-warnings "$here/peer.mjs" "$f" "$variants" | tee -a "$out"
done
node "$here/table.mjs" "$out"
