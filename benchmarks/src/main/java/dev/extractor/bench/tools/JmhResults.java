package dev.extractor.bench.tools;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JMH's JSON result files ({@code -rf json}), read back. */
final class JmhResults {

    /** One benchmark at one parameter combination. */
    record Row(String clazz, String method, String mode, Map<String, String> params, double score, double error,
               String unit, Map<String, Double> percentiles, Map<String, Double> secondary, long samples) {

        int intParam(String name) {
            String v = params.get(name);
            return v == null ? -1 : Integer.parseInt(v);
        }
    }

    final List<Row> rows = new ArrayList<>();

    static JmhResults read(List<String> files) {
        JmhResults r = new JmhResults();
        JsonMapper m = JsonMapper.builder().build();
        for (String f : files) {
            if (!new File(f).isFile()) {
                System.err.println("skipping " + f + ": no such file");
                continue;
            }
            JsonNode root = m.readTree(new File(f));
            for (JsonNode b : root) {
                String full = b.get("benchmark").asString();
                int dot = full.lastIndexOf('.');
                String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
                Map<String, String> params = new LinkedHashMap<>();
                JsonNode p = b.get("params");
                if (p != null) {
                    p.properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
                }
                JsonNode pm = b.get("primaryMetric");
                Map<String, Double> pct = new LinkedHashMap<>();
                JsonNode ps = pm.get("scorePercentiles");
                if (ps != null) {
                    ps.properties().forEach(e -> pct.put(e.getKey(), e.getValue().asDouble()));
                }
                Map<String, Double> sec = new LinkedHashMap<>();
                JsonNode sm = b.get("secondaryMetrics");
                if (sm != null) {
                    sm.properties().forEach(e -> sec.put(e.getKey(), e.getValue().get("score").asDouble()));
                }
                long samples = 0;
                JsonNode hist = pm.get("rawDataHistogram");
                if (hist != null) {
                    for (JsonNode fork : hist) {
                        for (JsonNode iteration : fork) {
                            for (JsonNode pair : iteration) {
                                samples += pair.get(1).asLong();
                            }
                        }
                    }
                }
                double err = pm.get("scoreError").isNumber() ? pm.get("scoreError").asDouble() : Double.NaN;
                Row row = new Row(cls, full.substring(dot + 1), b.get("mode").asString(), params,
                        pm.get("score").asDouble(), err, pm.get("scoreUnit").asString(), pct, sec, samples);
                // a benchmark measured in two files (e.g. a regex that matched more than meant): the later wins
                r.rows.removeIf(x -> x.clazz().equals(row.clazz()) && x.method().equals(row.method())
                        && x.mode().equals(row.mode()) && x.params().equals(row.params()));
                r.rows.add(row);
            }
        }
        return r;
    }

    Optional<Row> find(String clazz, String method, int size) {
        return rows.stream().filter(r -> r.clazz.equals(clazz) && r.method.equals(method)
                && (size < 0 || r.intParam("size") == size)).findFirst();
    }

    /** Microseconds per op, converted from the row's unit. */
    static double micros(Row r) {
        String u = r.unit;
        double f = u.startsWith("ns") ? 1e-3 : u.startsWith("us") ? 1 : u.startsWith("ms") ? 1e3
                : u.startsWith("s/") ? 1e6 : Double.NaN;
        return r.score * f;
    }
}
