package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract item 12: a 50 M-char delta, a 100 MB string and 10^7 elements, each in a JVM of 128 MB, end in a
 * {@link LimitExceededException} naming the limit, at the byte that crosses it, or (without raw text, with limits
 * that allow it) succeed; never an {@link Error}. The cases run in {@link MemoryBoundsCheck}, in a child JVM.
 */
class MemoryBoundsTest {

    static final Map<String, String> OUTCOMES = new TreeMap<>();
    static String output;

    @BeforeAll
    static void runTheChildJvm() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), MemoryBoundsCheck.class.getName())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM ended");
        output = new String(out, StandardCharsets.UTF_8);
        for (String line : output.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                OUTCOMES.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        System.out.print(output);
        assertEquals(0, p.exitValue(), output);
    }

    static void outcome(String name, String expected) {
        String got = OUTCOMES.get(name);
        assertTrue(got != null && got.startsWith(expected), name + ": expected '" + expected + "', got '" + got
                + "'\n" + output);
    }

    @Test
    void aFiftyMillionCharDeltaEndsInALimitOrSucceedsInBoundedMemory() {
        outcome("delta-50M-elements-defaults", "OK limit maxElements at byte " + (10 + 8L * 1_000_000));
        outcome("delta-50M-elements-noRaw", "OK delivered 6249999 ");
        outcome("delta-50M-Delta.Text-noRaw", "OK delivered 6249999");
        outcome("delta-50M-string", "OK limit maxStringLength at byte " + (11 + 4_000_000));
        outcome("delta-50M-whitespace-retained", "OK delivered 1 ");
    }

    @Test
    void aHundredMegabyteStringEndsInALimit() {
        outcome("string-100MB-defaults", "OK limit maxStringLength at byte " + (11 + 4_000_000));
        outcome("string-100MB-maxStringLength-200M", "OK limit maxElementBytes at byte " + (10 + (16L << 20)));
        outcome("string-100MB-one-delta", "OK limit maxStringLength at byte " + (11 + 4_000_000));
    }

    @Test
    void tenMillionElementsEndInTheCountLimitOrAllArriveWithoutRawText() {
        outcome("elements-10M-defaults", "OK limit maxElements at byte " + (1 + 2L * 1_000_000));
        outcome("elements-10M-noRaw", "OK delivered 10000000 ");
    }

    @Test
    void noCaseEndsInAnError() {
        for (String name : List.copyOf(OUTCOMES.keySet())) {
            assertTrue(!OUTCOMES.get(name).startsWith("FAILED"), name + ": " + OUTCOMES.get(name));
        }
    }
}
