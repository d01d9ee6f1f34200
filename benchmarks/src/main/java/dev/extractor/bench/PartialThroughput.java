package dev.extractor.bench;

import dev.extractor.ElementParser;
import dev.extractor.ElementReader;
import dev.extractor.Selection;
import dev.extractor.Streamed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.json.JsonMapper;

/**
 * Partial objects (issue 5): one report with {@code size} sections, cut into 1..6-char deltas, streamed as
 * {@code Partial} snapshots (headline, a {@code @Streamed} summary, sections growing), against the same answer read
 * as one element without snapshots. One op = one whole answer; divide by the snapshot count (printed by the setup)
 * or by {@code size} for per-snapshot and per-section costs. Flat per-section cost from 10 to 1,000 sections shows
 * that a snapshot does not rebuild the untouched part of a growing object.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PartialThroughput {

    /** One section of the report. */
    public record Section(@NotBlank String title, @NotBlank @Size(max = 400) String body, List<String> tags) { }

    /** The report. */
    public record Report(@NotBlank String headline, @Streamed String summary, List<@Valid Section> sections) { }

    @Param({"10", "100", "1000"})
    public int size;

    List<String> deltas;
    ElementReader<Report> reader;

    @Setup
    public void setup() {
        Readers.validating(); // quiets Hibernate Validator's banner
        Random rnd = new Random(20260101);
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            sections.add(new Section("Section " + i, "Findings of part " + i + ": revenue moved by " + rnd.nextInt(40)
                    + "% as the \"autumn\" campaign reached new customers.", List.of("t" + i % 7, "q3")));
        }
        Report report = new Report("Quarterly report", "A summary of the quarter, written as it goes. ".repeat(4),
                sections);
        String json = JsonMapper.builder().build().writeValueAsString(report);
        deltas = new ArrayList<>();
        for (int i = 0; i < json.length(); ) {
            int n = Math.min(json.length() - i, 1 + rnd.nextInt(6));
            deltas.add(json.substring(i, i + n));
            i += n;
        }
        reader = ElementReader.builder(Report.class).selection(Selection.root()).build();
        Blackhole bh = Readers.blackhole();
        int snapshots = partials(bh);
        Readers.check(1, whole(bh), "whole report");
        if (snapshots < size) {
            throw new IllegalStateException("expected at least one snapshot per section, got " + snapshots);
        }
        System.out.println("# " + size + " sections: " + deltas.size() + " deltas, " + snapshots + " snapshots");
    }

    /** Every snapshot of the report, consumed. */
    @Benchmark
    public int partials(Blackhole bh) {
        int[] n = {0};
        ElementParser<Report> p = reader.partialParser(s -> {
            bh.consume(s.value());
            n[0]++;
        });
        for (String d : deltas) {
            p.feed(d);
        }
        p.finish();
        return n[0];
    }

    /** The same answer as one element, no snapshots: the cost snapshots add is the difference. */
    @Benchmark
    public int whole(Blackhole bh) {
        int[] n = {0};
        ElementParser<Report> p = reader.parser(r -> {
            bh.consume(r);
            n[0]++;
        });
        for (String d : deltas) {
            p.feed(d);
        }
        p.finish();
        return n[0];
    }
}
