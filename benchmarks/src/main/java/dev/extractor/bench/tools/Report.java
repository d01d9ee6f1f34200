package dev.extractor.bench.tools;

import dev.extractor.bench.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Turns JMH JSON results into the README's Markdown tables: per-element cost at each size with the ratios,
 * allocation per element and per chunk (when run with {@code -prof gc}), and latency percentiles.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.extractor.bench.tools.Report results/*.json}</pre>
 */
public final class Report {

    private Report() {
    }

    public static void main(String[] args) {
        JmhResults r = JmhResults.read(List.of(args));
        StringBuilder out = new StringBuilder();
        throughput(out, r, "From content deltas (String, 1..6 chars each)", "ContentThroughput", "NaiveThroughput",
                new String[][] {{"floorTokenize", "Jackson tokenize (floor)"},
                    {"floorAsyncTokenize", "Jackson async tokenize, per delta"},
                    {"oneShot", "Jackson one-shot + validation"}, {"ours", "ours"},
                    {"oursNoValidation", "ours, no validation"}, {"oursPull", "ours, pull API"}});
        throughput(out, r, "From SSE bytes (one event per token, one read per event)", "SseThroughput",
                "SseNaiveThroughput",
                new String[][] {{"floorTokenize", "Jackson tokenize chunk JSONs (floor)"},
                    {"oneShot", "decode + Jackson one-shot + validation"},
                    {"ours", "ours (extractor-openai decoder + core)"},
                    {"oursLocalDecoder", "bench decoder + core"}});
        allocation(out, r);
        latency(out, r);
        System.out.print(out);
    }

    // ------------------------------------------------------------------ throughput

    private static void throughput(StringBuilder out, JmhResults r, String title, String cls, String naiveCls,
                                   String[][] methods) {
        TreeSet<Integer> sizes = new TreeSet<>();
        r.rows.stream().filter(x -> x.clazz().equals(cls) && x.mode().equals("avgt"))
                .forEach(x -> sizes.add(x.intParam("size")));
        if (sizes.isEmpty()) {
            return;
        }
        List<String[]> present = new ArrayList<>();
        for (String[] m : methods) {
            if (r.rows.stream().anyMatch(x -> x.clazz().equals(cls) && x.method().equals(m[0]))) {
                present.add(m);
            }
        }
        boolean naive = r.rows.stream().anyMatch(x -> x.clazz().equals(naiveCls));
        String oursName = present.stream().anyMatch(m -> m[0].equals("ours")) ? "ours"
                : present.stream().anyMatch(m -> m[0].equals("oursLocalDecoder")) ? "oursLocalDecoder" : null;
        out.append("#### ").append(title).append("\n\nPer-element cost in µs (JMH avgt score ÷ elements; ± is the"
                + " 99.9% error of the per-answer score ÷ elements).\n\n| elements |");
        for (String[] m : present) {
            out.append(' ').append(m[1]).append(" |");
        }
        if (naive) {
            out.append(" naive (repair + re-parse per delta) |");
        }
        if (oursName != null) {
            out.append(" ours ÷ floor | ours ÷ one-shot |");
            if (naive) {
                out.append(" naive ÷ ours |");
            }
            out.append(" ours per element ÷ at 10 |");
        }
        out.append('\n').append("|---".repeat(1 + present.size() + (naive ? 1 : 0)
                + (oursName != null ? 3 + (naive ? 1 : 0) : 0))).append("|\n");
        Double oursAt10 = null;
        for (int size : sizes) {
            out.append("| ").append(String.format(Locale.ROOT, "%,d", size)).append(" |");
            for (String[] m : present) {
                out.append(' ').append(cell(r, cls, m[0], size)).append(" |");
            }
            if (naive) {
                out.append(' ').append(cell(r, naiveCls, "naive", size)).append(" |");
            }
            if (oursName != null) {
                Double ours = perElement(r, cls, oursName, size);
                Double floor = perElement(r, cls, "floorTokenize", size);
                Double one = perElement(r, cls, "oneShot", size);
                out.append(' ').append(ratio(ours, floor)).append(" | ").append(ratio(ours, one)).append(" |");
                if (naive) {
                    out.append(' ').append(ratio(perElement(r, naiveCls, "naive", size), ours)).append(" |");
                }
                if (oursAt10 == null && ours != null) {
                    oursAt10 = ours;
                }
                out.append(' ').append(ratio(ours, oursAt10)).append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private static Double perElement(JmhResults r, String cls, String method, int size) {
        return r.find(cls, method, size).filter(x -> (x.mode().equals("avgt") || x.mode().equals("ss")))
                .map(x -> JmhResults.micros(x) / size).orElse(null);
    }

    private static String cell(JmhResults r, String cls, String method, int size) {
        return r.find(cls, method, size).filter(x -> (x.mode().equals("avgt") || x.mode().equals("ss"))).map(x -> {
            double f = JmhResults.micros(x) / x.score() / size;
            return num(x.score() * f) + (Double.isNaN(x.error()) ? "" : " ± " + num(x.error() * f));
        }).orElse("–");
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null ? "–" : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    static String num(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    // ------------------------------------------------------------------ allocation

    private static void allocation(StringBuilder out, JmhResults r) {
        List<JmhResults.Row> rows = r.rows.stream()
                .filter(x -> x.secondary().containsKey("gc.alloc.rate.norm") && x.intParam("size") > 0).toList();
        if (rows.isEmpty()) {
            return;
        }
        out.append("#### Allocation (`-prof gc`, gc.alloc.rate.norm)\n\nBytes allocated per element and per chunk"
                + " (chunk = one content delta, or one SSE event).\n\n| benchmark | elements | chunks | B/element |"
                + " B/chunk |\n|---|---|---|---|---|\n");
        for (JmhResults.Row x : rows) {
            int size = x.intParam("size");
            int chunks = Inputs.of(size).chunks() + (x.clazz().startsWith("Sse") ? 4 : 0);
            double norm = x.secondary().get("gc.alloc.rate.norm");
            out.append("| ").append(x.clazz()).append('.').append(x.method()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", size)).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", chunks)).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", norm / size)).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.1f", norm / chunks)).append(" |\n");
        }
        out.append('\n');
    }

    // ------------------------------------------------------------------ latency

    private static void latency(StringBuilder out, JmhResults r) {
        List<JmhResults.Row> rows = r.rows.stream().filter(x -> x.mode().equals("sample")).toList();
        if (rows.isEmpty()) {
            return;
        }
        String[] ps = {"0.0", "50.0", "90.0", "99.0", "99.9", "99.99", "100.0"};
        out.append("#### Added latency (µs; JMH SampleTime)\n\n| benchmark | samples | min | p50 | p90 | p99 | p99.9 |"
                + " p99.99 | max |\n|---|---|---|---|---|---|---|---|---|\n");
        for (JmhResults.Row x : rows) {
            double f = JmhResults.micros(x) / x.score();
            out.append("| ").append(x.clazz()).append('.').append(x.method()).append(" | ");
            out.append(String.format(Locale.ROOT, "%,d", x.samples()));
            for (String p : ps) {
                Double v = x.percentiles().get(p);
                out.append(" | ").append(v == null ? "–" : num(v * f));
            }
            out.append(" |\n");
        }
        out.append('\n');
    }
}
