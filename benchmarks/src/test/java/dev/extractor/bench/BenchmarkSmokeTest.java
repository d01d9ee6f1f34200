package dev.extractor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, in one forked JVM each, for one very short iteration at the smallest size, so that
 * the benchmarks cannot rot: each benchmark's setup checks that its approach delivers every element, and an
 * exception fails the build. JMH's own output goes to {@code target/jmh-smoke.txt}.
 */
class BenchmarkSmokeTest {

    /** Every benchmark class: a new one must be added here (the test checks none is forgotten). */
    static final List<Class<?>> BENCHMARKS = List.of(ContentThroughput.class, NaiveThroughput.class,
            SseThroughput.class, SseNaiveThroughput.class, AddedLatency.class, PartialThroughput.class,
            ProviderSseThroughput.class);

    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        OptionsBuilder ob = new OptionsBuilder();
        for (Class<?> c : BENCHMARKS) {
            ob.include(c.getName().replace("$", "\\$") + "\\.");
        }
        new File("target").mkdirs();
        Options opts = ob
                .param("size", "10")
                .param("elements", "10")
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                .shouldFailOnError(true)
                .output("target/jmh-smoke.txt")
                .build();
        Collection<RunResult> results = new Runner(opts).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            ran.add(r.getParams().getBenchmark());
            assertTrue(r.getPrimaryResult().getSampleCount() > 0, r.getParams().getBenchmark());
        }
        Set<String> declared = new TreeSet<>();
        for (Class<?> c : BENCHMARKS) {
            for (var m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class)) {
                    declared.add(c.getName() + "." + m.getName());
                }
            }
        }
        assertEquals(declared, ran);
        // every generated benchmark belongs to a listed class
        Set<String> listed = new TreeSet<>();
        for (var e : org.openjdk.jmh.runner.BenchmarkList.defaultList().getAll(null, List.of())) {
            listed.add(e.getUsername());
        }
        assertEquals(declared, listed, "a benchmark class is missing from BENCHMARKS");
    }
}
