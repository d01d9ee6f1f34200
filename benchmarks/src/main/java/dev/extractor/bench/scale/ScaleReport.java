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
        StringBuilder sb = new StringBuilder();
        sb.append("| N | tokens/s per stream | events/s | form | JDK | streams complete | elements in order | errors |"
                + " wall s | client µs/event | ÷ floor | server µs/event | client / server / other cores |"
                + " p50 ms | p99 ms | p99.9 ms | max ms | heap KB/stream | native KB/stream | threads |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : rows) {
            JsonNode floor = null;
            for (JsonNode f : rows) {
                if (f.get("form").asString().equals("floor") && f.get("n").asInt() == r.get("n").asInt()
                        && f.get("tps").asDouble() == r.get("tps").asDouble()) {
                    floor = f;
                }
            }
            double us = r.get("clientUsPerEvent").asDouble();
            String ratio = floor == null || r == floor ? "–"
                    : String.format(Locale.ROOT, "%.2f×", us / floor.get("clientUsPerEvent").asDouble());
            long delivered = r.get("elementsDelivered").asLong();
            long expected = r.get("elementsExpected").asLong();
            long mismatches = r.get("mismatches").asLong();
            String form = r.get("form").asString();
            String exec = r.path("executor").asString("-");
            if (!exec.equals("-") && !exec.equals("default")) {
                form += " (" + exec + " executor)";
            }
            if (r.path("http").asString("sized").equals("default")) {
                form += ", OkHttp defaults";
            }
            double window = r.get("windowS").asDouble();
            sb.append(String.format(Locale.ROOT,
                    "| %,d | %s | %,.0f | %s | %s | %,d / %,d | %,d / %,d%s | %s | %.1f | %.1f | %s | %.1f |"
                            + " %.2f / %.2f / %.2f | %s | %s | %s | %s | %s | %s | %,d |%n",
                    r.get("n").asInt(), num(r.get("tps").asDouble()), r.get("events").asLong() / window, form,
                    r.get("java").asString(), r.get("streamsOk").asInt(), r.get("n").asInt(), delivered - mismatches,
                    expected, mismatches > 0 ? " (" + mismatches + " wrong)" : "",
                    r.get("errors").asString().isEmpty() ? "none" : r.get("errors").asString(), window, us, ratio,
                    r.get("serverUsPerEvent").asDouble(), r.get("clientCores").asDouble(),
                    r.get("serverCores").asDouble(), Math.max(0, r.get("otherCores").asDouble()),
                    ms(r.get("p50Ms").asDouble()), ms(r.get("p99Ms").asDouble()), ms(r.get("p999Ms").asDouble()),
                    ms(r.get("maxMs").asDouble()), kb(r.get("heapKbPerStream").asDouble()),
                    kb(r.get("rssKbPerStream").asDouble()), r.get("threadsAtPlateau").asInt()));
        }
        return sb.toString();
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
