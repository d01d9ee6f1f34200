package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementStream;
import dev.extractor.client.ChatRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Many pull streams on virtual threads (JDK 21+; the library targets 17, so the executor is made reflectively):
 * every element of every stream delivered in order, HTTP retries waiting on virtual threads, and no carrier pinned
 * by the library's code (JFR's {@code jdk.VirtualThreadPinned} events with a frame of {@code dev.extractor}). On JDK
 * 21–23 a {@code synchronized} block or {@code Object.wait} around blocking I/O would pin; 24+ no longer pin there
 * (JEP 491), so a run on 21 is the strict one. The build runs this test on Temurin 25 when it is installed (the
 * {@code virtual-threads} profile of this module's pom); on JDK 17 it is skipped.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTest {

    record City(@NotBlank String name, String country) {}

    private static final String CITIES = "{\"items\":[{\"name\":\"Zürich\",\"country\":\"CH\"},"
            + "{\"name\":\"東京\",\"country\":\"JP\"},{\"name\":\"Kraków 🏰\",\"country\":\"PL\"}]}";
    private static final List<City> EXPECTED = List.of(new City("Zürich", "CH"), new City("東京", "JP"),
            new City("Kraków 🏰", "PL"));

    static ExecutorService virtualThreads() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    @Test
    void manyPullStreamsOnVirtualThreadsDeliverEverythingInOrderWithoutPinning() throws Exception {
        int n = 300;
        List<String> pinned = new ArrayList<>();
        Path file = Files.createTempFile("virtual-threads", ".jfr");
        try (Recording jfr = new Recording();
                SimulatedModel model = SimulatedModel.start();
                OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                        .model("sim-1").build()) {
            jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            // every tenth stream is first refused with a 429 and retried after a real 20 ms wait
            Set<String> refused = ConcurrentHashMap.newKeySet();
            model.respondWith(r -> r.lastUserMessage().endsWith("0") && refused.add(r.lastUserMessage())
                    ? Reply.error(429, "requests", "slow down").code("rate_limit_exceeded")
                            .retryAfter(Duration.ofMillis(20))
                    : Reply.content(CITIES).chunkChars(1, 6).tokensPerSecond(2_000));
            // a warm-up round first: loading and initializing classes pins (the JVM's class loader, not ours)
            assertEquals(List.of(EXPECTED, EXPECTED), run(ai, 0, 2));
            jfr.start();
            List<List<City>> got = run(ai, 2, n);
            assertEquals(n - 2, got.size());
            for (List<City> g : got) {
                assertEquals(EXPECTED, g);
            }
            assertEquals(n / 10, refused.size(), "streams 0, 10, ..., 290 were refused once: " + refused);
            assertEquals(n + refused.size(), model.requestCount(), "and retried once");
            jfr.stop();
            jfr.dump(file);
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (ours(e) && !classLoading(e)) {
                    pinned.add(describe(e));
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        assertEquals(List.of(), pinned, "a carrier pinned in the library's code");
    }

    /** Streams {@code from} to {@code to - 1} at once on virtual threads, each iterated; their elements in order. */
    private static List<List<City>> run(OpenAiExtractor ai, int from, int to) throws Exception {
        List<Future<List<City>>> all = new ArrayList<>();
        ExecutorService threads = virtualThreads();
        try {
            for (int i = from; i < to; i++) {
                String prompt = "Three cities " + i;
                all.add(threads.submit(() -> {
                    List<City> got = new ArrayList<>();
                    try (ElementStream<City> s = ai.stream(City.class, ChatRequest.of(prompt))) {
                        for (City c : s) {
                            got.add(c);
                        }
                    }
                    return got;
                }));
            }
            List<List<City>> out = new ArrayList<>();
            for (Future<List<City>> f : all) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            threads.shutdown();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    /**
     * Pinned while a class was loaded or initialized, or while the JVM linked a call site or a constant (its upcalls
     * into {@code java.lang.invoke.MethodHandleNatives}, a native frame the carrier cannot unmount): the JVM's own
     * work, which no library code can avoid. Seen once on Temurin 25: "Contended monitor enter" in {@code
     * ReferenceQueue.poll} under {@code MethodType.makeImpl}, reason "Freeze or preempt failed (2)".
     */
    private static boolean classLoading(RecordedEvent e) {
        String reason = e.hasField("pinnedReason") ? e.getString("pinnedReason") : "";
        if (reason.startsWith("Waited for initialization")) {
            return true;
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            String m = type + "." + f.getMethod().getName();
            if (m.equals("java.lang.ClassLoader.loadClass") || m.endsWith(".<clinit>")
                    || type.equals("java.lang.invoke.MethodHandleNatives")) {
                return true;
            }
        }
        return false;
    }

    /** The event with every frame (its toString shows the first five). */
    private static String describe(RecordedEvent e) {
        StringBuilder b = new StringBuilder(e.toString());
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            b.append("\n    ").append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName())
                    .append(" line ").append(f.getLineNumber());
        }
        return b.toString();
    }

    private static boolean ours(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return false;
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            if (f.getMethod().getType().getName().startsWith("dev.extractor.")) {
                return true;
            }
        }
        return false;
    }
}
