package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Conformance run over nst/JSONTestSuite (in {@code ../shared/conformance}, beside the checkout; not part of the
 * project, so skipped when absent). Every {@code y_} file must be accepted with the same value as Jackson's
 * one-shot parse, every {@code n_} file rejected, both whole and split at every byte; {@code i_} files may go
 * either way but must give the same verdict whatever the split.
 */
class JsonTestSuiteConformanceTest {

    static final ElementReader<JsonNode> ROOT = ElementReader.builder(JsonNode.class)
            .selection(Selection.root())
            .build(); // default limits: depth 256, so the 100,000-deep n_ files fail fast

    @Test
    void everyFileWholeAndSplitAtEveryByte() throws IOException {
        Path dir = conformanceDir().resolve("JSONTestSuite/test_parsing");
        assumeTrue(Files.isDirectory(dir), "JSONTestSuite not found at " + dir
                + ": conformance run skipped (it runs in CI, where ../shared/conformance exists)");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<String> failures = new ArrayList<>();
        long skippedSplits = 0;
        TreeMap<String, int[]> counts = new TreeMap<>(); // prefix -> {files, accepted, rejected, runs}
        for (Path file : files) {
            String name = file.getFileName().toString();
            String prefix = name.substring(0, 2);
            byte[] bytes = Files.readAllBytes(file);
            String whole = verdict(bytes, -1);
            int[] c = counts.computeIfAbsent(prefix, k -> new int[4]);
            c[0]++;
            c[whole.startsWith("ok") ? 1 : 2]++;
            if (prefix.equals("y_")) {
                String expected = "ok " + Cuts.MAPPER.readTree(bytes);
                if (!whole.equals(expected)) {
                    failures.add(name + ": expected " + expected + " but got " + whole);
                }
            } else if (prefix.equals("n_") && whole.startsWith("ok")) {
                failures.add(name + ": accepted invalid JSON as " + whole);
            }
            // Feeding a prefix that already fails fails the same way whatever follows, so a split after the
            // shortest failing prefix has the whole run's verdict by construction; only the two 100 kB+ n_ files
            // have many such splits, and only for files over 10 kB are they skipped. The prefix is found by
            // bisection (failure is monotone in the prefix length).
            int failing = bytes.length > 10_000 ? shortestFailingPrefix(bytes) : -1;
            int lastCut = failing > 0 ? Math.min(bytes.length - 1, failing) : bytes.length - 1;
            skippedSplits += bytes.length - 1 - lastCut;
            for (int cut = 1; cut <= lastCut; cut++) {
                c[3]++;
                String v = verdict(bytes, cut);
                if (!v.equals(whole)) {
                    failures.add(name + " split at byte " + cut + ": " + v + " but whole: " + whole);
                    break;
                }
            }
        }
        counts.forEach((k, c) -> System.out.printf("JSONTestSuite %s: %d files, %d accepted, %d rejected, %d split runs%n",
                k, c[0], c[1], c[2], c[3]));
        System.out.printf("JSONTestSuite: %d splits after the shortest failing prefix not run (same verdict by construction)%n",
                skippedSplits);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
        assertEquals(95, counts.get("y_")[1], "all y_ files accepted");
        assertEquals(0, counts.get("n_")[1], "no n_ file accepted");
    }

    /** "ok <value>" or "error <class>" for the bytes fed whole (cut < 0) or in two pieces. */
    static String verdict(byte[] bytes, int cut) {
        List<JsonNode> out = new ArrayList<>();
        ElementParser<JsonNode> p = ROOT.parser(out::add);
        try {
            if (cut < 0) {
                p.feed(bytes, 0, bytes.length);
            } else {
                p.feed(bytes, 0, cut);
                p.feed(bytes, cut, bytes.length - cut);
            }
            p.finish();
            return out.size() == 1 ? "ok " + out.get(0) : "wrong element count " + out;
        } catch (ExtractionException e) {
            return "error " + e.getClass().getSimpleName();
        }
    }

    /** The length of the shortest prefix whose feeding alone throws, or -1 if feeding the whole file does not. */
    static int shortestFailingPrefix(byte[] bytes) {
        if (!feedFails(bytes, bytes.length)) {
            return -1;
        }
        int lo = 1;
        int hi = bytes.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (feedFails(bytes, mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static boolean feedFails(byte[] bytes, int length) {
        try {
            ROOT.parser(v -> { }).feed(bytes, 0, length);
            return false;
        } catch (ExtractionException e) {
            return true;
        }
    }

    static Path conformanceDir() {
        String dir = System.getProperty("extractor.conformance.dir");
        return Paths.get(Objects.requireNonNullElse(dir, "../../shared/conformance"));
    }
}
