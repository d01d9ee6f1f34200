#!/usr/bin/env bash
# The scale run: starts the loopback SSE server (ScaleServer) in its own JVM, then, for every N, runs the floor and
# every client form, each in a fresh JVM (ScaleClient), and writes the table (ScaleReport).
#
#   benchmarks/run-scale.sh [--ns 100,1000,3000,10000] [--tps 50]
#                           [--forms "floor platform list nblist nbsync nbpull publisher jdkpush virtual@25"]
#                           [--tps-for N=RATE,...] [--out DIR] [--heap 2g] [--jar JAR] [--idle CORES]
#                           [--no-perf] [--profile] [-- EXTRA CLIENT OPTIONS]
#
# --tps-for overrides the token rate per stream for some N (e.g. 10000=5 for the same event rate as 1000 at 50).
# A form "F@25" runs on JDK 25 ($JAVA25, default /usr/lib/jvm/temurin-25-jdk-amd64); the others on $JAVA (default:
# java on the PATH). Results: DIR/scale.jsonl (one JSON line per run, appended), DIR/scale.md (the table),
# DIR/server.log. Needs `ulimit -n` above N + 100 for the largest N (both JVMs hold N sockets).
# The machine is shared: before each client run the script waits (up to 2 min) until the other processes use less
# than --idle cores (default 0.5, from /proc/stat over 3 s), and notes the load. The server runs at nice -10 when
# allowed (it stands in for a remote machine: its pacing should not depend on how many threads the client runs).
# With perf(1) on the PATH (and allowed), system calls and context switches of client and server are counted too.
# --profile runs each form twice, recording the window with JFR, then with `perf record` (JIT frames named through
# -XX:+DumpPerfMapAtExit) and writes DIR/profile-FORM-N-{jfr,perf}.md (e.g. --profile --ns 1000 --forms platform).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ns=100,1000,3000,10000
tps=50
forms="floor platform list nblist publisher jdkpush virtual@25"
tpsfor=""
out=$here/target/scale
heap=2g
jar=$here/target/benchmarks.jar
idle=0.5
perf=auto
profile=no
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --ns) ns=$2; shift 2 ;;
    --tps) tps=$2; shift 2 ;;
    --forms) forms=$2; shift 2 ;;
    --tps-for) tpsfor=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    --no-perf) perf=no; shift ;;
    --profile) profile=yes; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JAVA=${JAVA:-java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
mkdir -p "$out"
if [ $perf = auto ] && command -v perf > /dev/null && perf stat -e raw_syscalls:sys_enter true > /dev/null 2>&1; then
  extra=(--perf true "${extra[@]}")
fi
# a copy, so that rebuilding during the run cannot change the classes under it
cp "$jar" "$out/benchmarks.jar"
jar=$out/benchmarks.jar
max=$(echo "$ns" | tr , '\n' | sort -n | tail -1)
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((max + 200)) ]; then
  echo "ulimit -n is $(ulimit -n): too low for N=$max (raise it, or lower --ns)" >&2; exit 2
fi

nice=(nice -n -10); nice -n -10 true 2>/dev/null || nice=()
rm -f "$out/server.log"
"${nice[@]}" "$JAVA" -Xms1g -Xmx1g -cp "$jar" dev.extractor.bench.scale.ScaleServer --port 0 > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q LISTENING "$out/server.log" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/LISTENING/{print $2}' "$out/server.log")
[ -n "$port" ] || { echo "the server did not start:" >&2; cat "$out/server.log" >&2; exit 1; }
echo "server pid $server on port $port; $(uptime)" | tee -a "$out/run.log"

busy() { # cores busy over 3 s, from /proc/stat
  local a b
  a=($(head -1 /proc/stat)); sleep 3; b=($(head -1 /proc/stat))
  awk -v u=$(( (b[1]+b[2]+b[3]+b[6]+b[7]+b[8]) - (a[1]+a[2]+a[3]+a[6]+a[7]+a[8]) )) 'BEGIN{printf "%.2f", u/300}'
}
wait_idle() {
  local t=0 b
  while b=$(busy); awk -v b="$b" -v i="$idle" 'BEGIN{exit !(b > i)}'; do
    [ $t -ge 120 ] && { echo "  (still $b cores busy after 2 min: running anyway)"; return; }
    t=$((t + 3))
  done
  echo "  (machine: $b cores busy before the run, waited ${t}s)"
}
rate_for() { # the token rate for N
  local n=$1 r=$tps kv
  for kv in ${tpsfor//,/ }; do [ "${kv%%=*}" = "$n" ] && r=${kv#*=}; done
  echo "$r"
}
for n in ${ns//,/ }; do
  rate=$(rate_for "$n")
  for f in $forms; do
    java=$JAVA; form=$f
    if [ "${f%@25}" != "$f" ]; then java=$JAVA25; form=${f%@25}; fi
    wait_idle | tee -a "$out/run.log"
    echo "N=$n tps=$rate form=$form ($("$java" -version 2>&1 | head -1)); $(uptime)" | tee -a "$out/run.log"
    runs=(plain); [ $profile = yes ] && runs=(jfr perf)
    for run in "${runs[@]}"; do
      jvm=(); prof=(); p=$out/profile-$form-$n
      case $run in
        jfr) prof=(--jfr "$p.jfr" --label profile-jfr) ;;
        perf) jvm=(-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer)
              prof=(--perf-record "$p.perf.data" --label profile-perf) ;;
      esac
      "$java" -Xms$heap -Xmx$heap -XX:+AlwaysPreTouch "${jvm[@]}" -cp "$jar" dev.extractor.bench.scale.ScaleClient \
          --port "$port" --n "$n" --tps "$rate" --form "$form" --json "$out/scale.jsonl" "${prof[@]}" "${extra[@]}" \
          2>>"$out/client.err" | tee -a "$out/run.log" || echo "N=$n $f failed (see $out/client.err)" | tee -a "$out/run.log"
      if [ $run = jfr ]; then
        "$JAVA" -cp "$jar" dev.extractor.bench.tools.JfrTop "$p.jfr" 40 > "$p-jfr.md" 2>&1 || true
      fi
      if [ $run = perf ] && [ -f "$p.perf.data" ]; then
        { echo "## by binary (kernel, JIT-compiled Java, the JVM, libc)"; echo '```'
          perf report -i "$p.perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' \
            | grep -v '^$' | head -20 || true
          echo '```'; echo "## by thread"; echo '```'
          perf report -i "$p.perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -v '^#' \
            | grep -v '^$' | head -15 || true
          echo '```'; echo "## top symbols (self)"; echo '```'
          perf report -i "$p.perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -v '^#' \
            | grep -v '^$' | head -70 || true
          echo '```'; } > "$p-perf.md"
      fi
    done
  done
done
echo "done; $(uptime)" | tee -a "$out/run.log"
"$JAVA" -cp "$jar" dev.extractor.bench.scale.ScaleReport "$out/scale.jsonl" | tee "$out/scale.md"
