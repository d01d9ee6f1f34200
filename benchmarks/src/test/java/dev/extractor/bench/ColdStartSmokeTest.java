package dev.extractor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold-start harness end to end, in seconds: child JVMs on the library's class path, every element delivered
 * cold and warm, the events in order, the class-load log split at the markers. No timing is asserted.
 */
class ColdStartSmokeTest {

    @TempDir
    Path work;

    @Test
    void aChildJvmDeliversEveryElementColdAndWarmAndItsClassLogSplitsAtTheMarkers() throws Exception {
        try (ColdStart cs = new ColdStart(Map.of("warm", "2", "work", work.toString()))) {
            ColdStart.Variant jdk17 = cs.variant("jdk17");
            Path classLog = work.resolve("classes.log");
            ColdStart.Sample s = cs.runChild(jdk17, jdk17.flags(), "steps", classLog);
            assertEquals(10, s.count(), s.toString());
            assertEquals(2, s.warmLast().length, s.toString());
            List<String> order = List.of("main", "jackson", "tls", "okhttp", "schema", "validator", "metadata",
                    "element", "built", "headers", "open", "first", "last", "end");
            for (int i = 1; i < order.size(); i++) {
                assertTrue(s.at(order.get(i - 1)) <= s.at(order.get(i)), order.get(i) + " before " + order.get(i - 1)
                        + ": " + s.events());
            }
            Map<String, Map<String, Integer>> steps = ColdStart.classesPerStep(classLog);
            // each component's classes are loaded in its own step, by the step that forces it
            assertTrue(steps.get("jackson").getOrDefault("Jackson", 0) > 100, steps.toString());
            assertTrue(steps.get("schema").getOrDefault("victools", 0) > 50, steps.toString());
            assertTrue(steps.get("validator").getOrDefault("Validator+EL", 0) > 100, steps.toString());
            assertTrue(steps.get("okhttp").getOrDefault("OkHttp+Kotlin", 0) > 10, steps.toString());
        }
    }

    @Test
    void theReportHasEveryColumnAndTheBreakdown() throws Exception {
        try (ColdStart cs = new ColdStart(Map.of("forks", "1", "warm", "1", "variants", "jdk17", "breakdown", "1",
                "work", work.toString()))) {
            String report = cs.run();
            System.out.print(report);
            assertTrue(report.contains("| jdk17 | "), report);
            assertTrue(report.contains("| okhttp → schema | "), report);
            assertTrue(report.contains("| built → open | "), report);
            assertTrue(Files.exists(work.resolve("classes-steps-0.log")), report);
        }
    }
}
