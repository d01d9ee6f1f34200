#!/usr/bin/env bash
# Runs the benchmark groups whose results are committed in benchmarks/results/, one after the other, then the
# tables and the plot. Usage: benchmarks/run-benchmarks.sh [GROUP...]   (default: all, about 1.5 h on 2 cores)
# Groups: content naive sse sse100k latency ttfr node memory interleaved jfr coldstart report
# The jar is copied first so that rebuilding during a run cannot change it under JMH's forks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
res=$here/results
mkdir -p "$res" /tmp/extractor-bench
jar=/tmp/extractor-bench/benchmarks.jar
cp "$here/target/benchmarks.jar" "$jar"
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(content naive sse sse100k latency ttfr node memory interleaved jfr coldstart report)
jmh() { local name=$1; shift; java -jar "$jar" "$@" -rf json -rff "$res/$name.json" | tee "$res/$name.txt"; }
for g in "${groups[@]}"; do
  case $g in
    content) jmh content 'ContentThroughput' -w 1 -r 1 -prof gc ;;
    naive)   jmh naive 'bench.NaiveThroughput' -p size=10,100 -prof gc
             jmh naive1000 'bench.NaiveThroughput' -p size=1000 -bm ss -f 1 -wi 0 -i 1 ;;
    sse)     jmh sse 'SseThroughput' -p size=10,100,1000,10000 -prof gc
             jmh ssenaive 'SseNaiveThroughput' -p size=10,100 -prof gc ;;
    sse100k) jmh sse100k 'SseThroughput' -p size=100000 -f 1 -wi 1 -i 3 -prof gc ;;
    latency) jmh latency 'AddedLatency' -prof gc ;;
    ttfr)    java -cp "$jar" dev.extractor.bench.TimeToFirstResult --rounds 7 --tps 100 --ttft-ms 250 \
                 --json "$res/ttfr.json" | tee "$res/ttfr.md" ;;
    node)    JAR=$jar "$here/node/compare.sh" 10 100 1000 | tee "$res/node-compare.md"
             cp "$here/target/node-compare.jsonl" "$res/node-compare.jsonl" ;;
    interleaved) java -Xms2g -Xmx2g -cp "$jar" dev.extractor.bench.Interleaved --rounds 15 --naive-max 100 \
                 --json "$res/interleaved.json" | tee "$res/interleaved.md" ;;
    jfr)     for b in ContentThroughput.ours SseThroughput.ours; do
               java -jar "$jar" "$b\$" -p size=10000 -f 1 -wi 2 -i 4 -prof gc \
                 -jvmArgsAppend "-XX:StartFlightRecording=filename=/tmp/extractor-bench/$b.jfr,settings=profile" \
                 > "/tmp/extractor-bench/$b.txt"
               java -cp "$jar" dev.extractor.bench.tools.JfrTop "/tmp/extractor-bench/$b.jfr" 30 \
                 > "$res/profile-$b.md"
             done ;;
    coldstart) # child JVMs run on the library's jars (coldstart.classpath) and the thin benchmarks jar, copied beside
             cp "$here/target/coldstart.classpath" "$here"/target/benchmarks-*-SNAPSHOT.jar /tmp/extractor-bench/
             java -cp "$jar" dev.extractor.bench.ColdStart --forks 10 --warm 20 --breakdown 5 \
                 --work /tmp/extractor-bench/coldstart --md "$res/coldstart.md" ;;
    memory)  java -Xmx64m -cp "$jar" dev.extractor.bench.MemoryProof 100 | tee "$res/memory.txt" ;;
    report)  java -cp "$jar" dev.extractor.bench.tools.Report "$res"/{content,naive,naive1000,sse,ssenaive,sse100k,latency}.json \
                 > "$res/tables.md"
             java -cp "$jar" dev.extractor.bench.tools.Plot "$res/per-element-cost.png" \
                 "$res"/{content,naive,naive1000,sse,ssenaive,sse100k}.json ;;
    *) echo "unknown group $g" >&2; exit 2 ;;
  esac
done
