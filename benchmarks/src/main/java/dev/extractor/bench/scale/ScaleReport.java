package dev.extractor.bench.scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scale run's table from the {@link ScaleClient} result lines (JSON, one per run): per N and token rate, every
 * form, with the client's CPU per event as a ratio to the floor's at the same N and rate (the floor row of the same
 * file: the same run).
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.extractor.bench.scale.ScaleReport scale.jsonl}</pre>
 */
public final class ScaleReport {

    private ScaleReport() {
    }

    public static void main(String[] args) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        JsonMapper m = JsonMapper.builder().build();
        for (String a : args) {
            for (String line : Files.readAllLines(Path.of(a))) {
                if (line.startsWith("{")) {
                    rows.add(m.readTree(line));
                }
            }
        }
        System.out.print(table(rows));
    }

    static String table(List<JsonNode> rows) {
        StringBuilder cpu = new StringBuilder();
        cpu.append("| N | tokens/s per stream | events/s | form | JDK | streams complete | elements in order | errors |"
                + " wall s | client µs/event (JIT excluded) | ÷ floor | client JIT s | server µs/event |"
                + " cores: client / server / other |"
                + " client per event: syscalls / reads / context switches |\n");
        cpu.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        StringBuilder lat = new StringBuilder();
        lat.append("| N | tokens/s per stream | form | JDK | p50 ms | p99 ms | p99.9 ms | max ms | server lag p99 ms |"
                + " heap KB/stream | native KB/stream | threads at plateau |\n");
        lat.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : rows) {
            JsonNode floor = floorFor(rows, r);
            double us = r.path("clientUsPerEventNoJit").asDouble(r.get("clientUsPerEvent").asDouble());
            String ratio = floor == null || r == floor ? "–" : String.format(Locale.ROOT, "%.2f×",
                    us / floor.path("clientUsPerEventNoJit").asDouble(floor.get("clientUsPerEvent").asDouble()));
            long delivered = r.get("elementsDelivered").asLong();
            long expected = r.get("elementsExpected").asLong();
            long mismatches = r.get("mismatches").asLong();
            String form = r.get("form").asString();
            String exec = r.path("executor").asString("-");
            if (!exec.equals("-") && !exec.equals("default")) {
                form += " (" + exec + " executor)";
            }
            String http = r.path("http").asString("sized");
            if (http.equals("default")) {
                form += ", OkHttp defaults";
            } else if (!http.equals("sized") && !http.equals("-")) {
                form += ", OkHttp " + http;
            }
            if (form.equals("list")) {
                form = "list (from the stream's end)";
            } else if (form.equals("nblist")) {
                form = "nblist (listAsync, nonBlocking; from the stream's end)";
            } else if (form.equals("nbpull")) {
                form = "nbpull (stream on a platform thread each, nonBlocking)";
            } else if (form.equals("nbsync")) {
                form = "nbsync (list on a platform thread each, nonBlocking; from the stream's end)";
            }
            if (!r.path("label").asString("").isEmpty()) {
                form += " [" + r.path("label").asString() + "]";
            }
            double window = r.get("windowS").asDouble();
            String n = String.format(Locale.ROOT, "%,d", r.get("n").asInt());
            String tps = num(r.get("tps").asDouble());
            String jdk = r.get("java").asString();
            cpu.append(String.format(Locale.ROOT,
                    "| %s | %s | %,.0f | %s | %s | %,d / %,d | %,d / %,d%s | %s | %.1f | %.1f | %s | %.2f | %.1f |"
                            + " %.2f / %.2f / %.2f | %s |%n",
                    n, tps, r.get("events").asLong() / window, form, jdk, r.get("streamsOk").asInt(),
                    r.get("n").asInt(), delivered - mismatches, expected,
                    mismatches > 0 ? " (" + mismatches + " wrong)" : "",
                    r.get("errors").asString().isEmpty() ? "none" : r.get("errors").asString(), window, us, ratio,
                    r.path("clientJitCpuS").asDouble(0), r.get("serverUsPerEvent").asDouble(), r.get("clientCores").asDouble(),
                    r.get("serverCores").asDouble(), Math.max(0, r.get("otherCores").asDouble()),
                    perf(r.path("clientPerEvent").asString(""))));
            lat.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %,d |%n",
                    n, tps, form, jdk, ms(r.get("p50Ms").asDouble()), ms(r.get("p99Ms").asDouble()),
                    ms(r.get("p999Ms").asDouble()), ms(r.get("maxMs").asDouble()),
                    ms(r.get("serverLagP99Ms").asDouble()), kb(r.get("heapKbPerStream").asDouble()),
                    kb(r.get("rssKbPerStream").asDouble()), r.get("threadsAtPlateau").asInt()));
        }
        return cpu + "\n" + lat;
    }

    /** The floor of the same N and rate measured last before {@code r} (the same run), else after it. */
    static JsonNode floorFor(List<JsonNode> rows, JsonNode r) {
        JsonNode before = null;
        JsonNode after = null;
        boolean seen = false;
        for (JsonNode f : rows) {
            if (f == r) {
                seen = true;
            }
            if (f.get("form").asString().equals("floor") && f.get("n").asInt() == r.get("n").asInt()
                    && f.get("tps").asDouble() == r.get("tps").asDouble()) {
                if (!seen || f == r) {
                    before = f;
                } else if (after == null) {
                    after = f;
                }
            }
        }
        return before != null ? before : after;
    }

    /** "syscalls / reads / cs" from a {@link PerfStat#perEvent} string, or a dash. */
    private static String perf(String perEvent) {
        String sys = null;
        String read = "0";
        String cs = "0";
        for (String kv : perEvent.split(" ")) {
            if (kv.startsWith("syscalls:")) {
                sys = kv.substring(9);
            } else if (kv.startsWith("read:")) {
                read = kv.substring(5);
            } else if (kv.startsWith("cs:")) {
                cs = kv.substring(3);
            }
        }
        return sys == null ? "–" : sys + " / " + read + " / " + cs;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String kb(double v) {
        return v < 0 ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }
}
