package dev.extractor.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scale harness end to end at a small N: the server in its own JVM, every client form (virtual threads when
 * this JDK has them) and the floor; every stream must deliver every element, in order and equal to the expected
 * one, without errors, and the report must have a row per form. No timing is asserted.
 */
class ScaleSmokeTest {

    @Test
    void everyFormDeliversEveryElementInOrder() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process server = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ScaleServer.class.getName(), "--port", "0"))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("LISTENING "), String.valueOf(line));
            int port = Integer.parseInt(line.substring(10).trim());
            List<String> forms = new ArrayList<>(List.of("floor", "platform", "list", "nblist", "nbsync", "nbpull", "publisher",
                    "jdkpush"));
            if (ScaleClient.hasVirtualThreads()) {
                forms.add("virtual");
            } else {
                System.out.println("virtual threads: skipped (JDK " + System.getProperty("java.version") + ")");
            }
            List<JsonNode> rows = new ArrayList<>();
            JsonMapper mapper = JsonMapper.builder().build();
            for (String form : forms) {
                ScaleClient.Options o = ScaleClient.Options.parse(new String[] {"--port", String.valueOf(port),
                        "--n", "20", "--form", form, "--tps", "1000", "--warmup", "5", "--warmup-rounds", "1",
                        "--warmup-tps", "0", "--deadline-s", "60"});
                Map<String, Object> r = ScaleClient.run(o);
                String json = ScaleClient.json(r);
                assertEquals(20, r.get("streamsOk"), json);
                assertEquals(200L, r.get("elementsDelivered"), json);
                assertEquals(0L, r.get("mismatches"), json);
                assertEquals("", r.get("errors"), json);
                assertEquals(0, r.get("clockViolations"), json);
                assertEquals(200, r.get("latencySamples"), json);
                assertTrue((Long) r.get("events") >= 20L * ScaleAnswer.of(10, 1).events, json);
                rows.add(mapper.readTree(json));
            }
            String table = ScaleReport.table(rows);
            System.out.print(table);
            assertEquals(2 * (forms.size() + 2) + 1, table.split("\n").length, table);
            for (String form : forms) {
                assertTrue(table.contains("| " + form + " ") || table.contains("| " + form + " |"), table);
            }
            try (Control c = new Control("127.0.0.1", port)) {
                c.shutdown();
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not stop");
        } finally {
            server.destroyForcibly();
        }
    }
}
