package dev.extractor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Memory stays flat: {@link MemoryProof} streams 40 MB through the core with {@code -Xmx16m} (the README's run
 * is 100 MB under {@code -Xmx64m}).
 */
class MemoryProofTest {

    @Test
    void streamsAnAnswerLargerThanTheHeap() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-Xmx16m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), MemoryProof.class.getName(), "40"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OK: memory flat"), out);
        System.out.println(out.strip());
    }
}
