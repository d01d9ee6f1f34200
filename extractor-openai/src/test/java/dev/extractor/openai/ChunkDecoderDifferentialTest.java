package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.extractor.Delta;
import dev.extractor.client.spi.SseFramer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fast path of {@link ChunkDecoder} ({@link ChunkScanner}) against its Jackson path: for every input the two
 * must hand out the same deltas and throw the same exceptions (class and message), in the same order, with the same
 * state carried from payload to payload (model, response id, tool-call indexes). The inputs: every recorded stream
 * and framing vector of {@code ../shared/conformance/sse} (when present), fed whole and byte by byte; generated
 * chunks ({@link ChunkGenerator}: random key orders, whitespace, escapes, unicode, surrogates split across
 * chunks, numbers, nulls, unknown nested fields, tool calls, usage, errors, chaos, byte mutations); and every
 * prefix of their payloads (each cut at every byte), between two whole payloads.
 *
 * <p>{@code -Dextractor.differential.scale=N} multiplies the generated streams (and those cut at every byte) and
 * cuts every recorded payload at every byte; the default, to keep the suite fast, cuts the first four and last two
 * payloads of each recorded stream, and a payload longer than 2 KB every 61 bytes and at each of its last 64.
 */
class ChunkDecoderDifferentialTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int SCALE = Integer.getInteger("extractor.differential.scale", 1);

    /** Per source: chunks compared whole, of which read by the fast path, prefixes compared. */
    private static final java.util.Map<String, long[]> COUNTS = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final AtomicLong ORACLE = new AtomicLong();

    @AfterAll
    static void counts() {
        StringBuilder sb = new StringBuilder("ChunkDecoderDifferentialTest (scale " + SCALE + "):");
        COUNTS.forEach((source, c) -> sb.append(String.format(" %s: %,d chunks compared whole (%,d read by the"
                + " fast path), %,d prefixes compared;", source, c[0], c[1], c[2])));
        sb.append(String.format(" %,d generated payloads' text checked against the generator", ORACLE.get()));
        System.out.println(sb);
    }

    private static long[] counts(String source) {
        return COUNTS.computeIfAbsent(source, k -> new long[3]);
    }

    /** What a decoder made of a sequence of payloads: per payload, its deltas or the exception it threw. */
    record Run(List<List<Object>> perPayload, long chunks, long fastChunks, boolean done, boolean indexMissing) {
        /** The comparable part (the fast-path counter is what differs). */
        List<Object> outcome() {
            return List.of(perPayload, chunks, done, indexMissing);
        }
    }

    static Run payloads(List<byte[]> payloads, int choice, boolean fast) {
        List<List<Object>> per = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        ChunkDecoder d = new ChunkDecoder(out::add, choice, fast);
        for (byte[] p : payloads) {
            out.clear();
            try {
                d.event(null, p, p.length, true, null);
            } catch (RuntimeException e) {
                out.add(describe(e));
            }
            per.add(List.copyOf(out));
        }
        return new Run(per, d.chunks(), d.fastChunks(), d.done(), d.toolIndexMissing());
    }

    /** A body through the framer, fed in pieces of {@code piece} bytes (0: whole); a failure ends the run. */
    static List<Object> body(byte[] body, int choice, boolean fast, int piece) {
        List<Object> out = new ArrayList<>();
        ChunkDecoder d = new ChunkDecoder(out::add, choice, fast);
        SseFramer framer = new SseFramer(d);
        int step = piece <= 0 ? Math.max(1, body.length) : piece;
        try {
            for (int i = 0; i < body.length && !d.done(); i += step) {
                framer.feed(body, i, Math.min(step, body.length - i));
            }
            framer.end();
        } catch (RuntimeException e) {
            out.add(describe(e));
        }
        out.add("chunks " + d.chunks() + ", done " + d.done() + ", index missing " + d.toolIndexMissing());
        return out;
    }

    /** Readable in a report whatever it holds (lone surrogates, control characters): escaped. */
    static String show(Object o) {
        String s = String.valueOf(o);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F || c == '\n') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static String describe(RuntimeException e) {
        return "threw " + e.getClass().getName() + ": " + e.getMessage();
    }

    /** Fast and full over {@code payloads} must agree; returns the fast run. */
    private static Run compare(List<byte[]> payloads, int choice, String where) {
        Run full = payloads(payloads, choice, false);
        Run fast = payloads(payloads, choice, true);
        if (!fast.outcome().equals(full.outcome())) {
            for (int i = 0; i < payloads.size(); i++) {
                assertEquals(show(full.perPayload().get(i)), show(fast.perPayload().get(i)),
                        where + ": payload " + i + " " + show(new String(payloads.get(i), StandardCharsets.UTF_8)));
            }
            assertEquals(show(full.outcome()), show(fast.outcome()), where);
        }
        return fast;
    }

    /** Every prefix of each chosen payload, between the payload before it and the payload itself. */
    private static void compareCuts(String source, List<byte[]> payloads, int choice, int head, int tail,
            String where) {
        for (int i = 0; i < payloads.size(); i++) {
            if (SCALE == 1 && i >= head && i < payloads.size() - tail) {
                continue;
            }
            byte[] p = payloads.get(i);
            byte[] before = i > 0 ? payloads.get(i - 1) : p;
            // the default run cuts a long payload (the framing vectors' 64 KB lines) every 61 bytes and near its end
            int stride = SCALE == 1 && p.length > 2048 ? 61 : 1;
            for (int cut = 0; cut < p.length; cut += cut >= p.length - 64 ? 1 : stride) {
                byte[] prefix = java.util.Arrays.copyOf(p, cut);
                compare(List.of(before, prefix, p), choice, where + " payload " + i + " cut at " + cut);
                counts(source)[2]++;
            }
        }
    }

    private static void count(String source, Run fast) {
        counts(source)[0] += fast.chunks(); // the payloads but [DONE]
        counts(source)[1] += fast.fastChunks();
    }

    // ------------------------------------------------------------------ recorded streams

    private static Path dir() {
        String prop = System.getProperty("extractor.conformance.dir");
        Path dir = prop == null ? null : Path.of(prop, "sse");
        assumeTrue(dir != null && Files.isDirectory(dir),
                "conformance data not found (system property extractor.conformance.dir=" + prop
                        + "; expected a folder sse/ in it): the recorded part of the differential test is skipped");
        return dir;
    }

    @Test
    void conformanceDataIsPresent() {
        assertTrue(Files.isDirectory(dir()));
    }

    @TestFactory
    Stream<DynamicTest> recordedStreams() throws IOException {
        Path dir = dir();
        List<Path> files;
        try (Stream<Path> all = Files.walk(dir)) {
            files = all.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".sse") || n.endsWith(".chunks.json") || n.endsWith(".chunks.jsonl");
            }).sorted().toList();
        }
        assertTrue(files.size() > 50, "recordings: " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> recorded(f)));
    }

    private static void recorded(Path file) throws IOException {
        byte[] body = SseConformanceTest.body(file);
        List<byte[]> payloads = payloadsOf(body);
        for (int choice = 0; choice < 3; choice++) {
            List<Object> full = body(body, choice, false, 0);
            assertEquals(full, body(body, choice, true, 0), "whole, choice " + choice);
            assertEquals(full, body(body, choice, true, 1), "byte by byte, choice " + choice);
            assertEquals(full, body(body, choice, true, 7), "7-byte pieces, choice " + choice);
            Run fast = compare(payloads, choice, "choice " + choice);
            if (choice == 0) {
                count("recorded streams", fast);
            }
        }
        compareCuts("recorded streams", payloads, 0, 4, 2, file.getFileName().toString());
    }

    /** The data payloads of a body's message events, as the decoder would see them. */
    static List<byte[]> payloadsOf(byte[] body) {
        List<byte[]> out = new ArrayList<>();
        SseFramer framer = new SseFramer((type, data, length, hasData, id) -> {
            if (hasData && (type == null || type.equals("message"))) {
                out.add(java.util.Arrays.copyOf(data, length));
            }
        });
        framer.feed(body, 0, body.length);
        framer.end();
        return out;
    }

    @TestFactory
    Stream<DynamicTest> framingVectors() throws IOException {
        Path dir = dir().resolve("framing");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        JsonNode v = MAPPER.readTree(line);
                        tests.add(DynamicTest.dynamicTest(v.get("name").asString(), () -> vector(v)));
                    }
                }
            }
        }
        assertTrue(!tests.isEmpty(), "no framing vectors");
        return tests.stream();
    }

    private static void vector(JsonNode v) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (JsonNode c : v.get("chunks_b64")) {
            byte[] b = Base64.getDecoder().decode(c.asString());
            all.write(b, 0, b.length);
        }
        byte[] body = all.toByteArray();
        List<Object> full = body(body, 0, false, 0);
        assertEquals(full, body(body, 0, true, 0), "whole");
        assertEquals(full, body(body, 0, true, 1), "byte by byte");
        List<byte[]> payloads = payloadsOf(body);
        count("framing vectors", compare(payloads, 0, "payloads"));
        compareCuts("framing vectors", payloads, 0, Integer.MAX_VALUE, 0, "vector");
    }

    // ------------------------------------------------------------------ generated

    @Test
    void generatedStreams_sameDeltasAndFailures_andTheGeneratorsText() {
        int streams = 400 * SCALE;
        long fastValid = 0;
        long valid = 0;
        for (int s = 0; s < streams; s++) {
            long seed = 20261201L + s;
            ChunkGenerator g = new ChunkGenerator(seed);
            double mutations = s % 4 == 0 ? 0.3 : 0;
            List<ChunkGenerator.Payload> stream = g.stream(1 + (int) (seed % 24), mutations);
            List<byte[]> payloads = stream.stream().map(ChunkGenerator.Payload::bytes).toList();
            for (int choice = 0; choice < 2; choice++) {
                Run fast = compare(payloads, choice, "seed " + seed + " choice " + choice);
                if (choice != 0) {
                    continue;
                }
                count("generated", fast);
                for (int i = 0; i < stream.size(); i++) {
                    String want = stream.get(i).text();
                    if (want == null) {
                        continue;
                    }
                    StringBuilder got = new StringBuilder();
                    for (Object o : fast.perPayload().get(i)) {
                        assertTrue(!(o instanceof String), () -> "seed " + seed + " payload: " + o);
                        if (o instanceof Delta.Text t) {
                            got.append(t.text());
                        }
                    }
                    assertEquals(show(want), show(got), "seed " + seed + " payload " + i + ": "
                            + show(new String(stream.get(i).bytes(), StandardCharsets.UTF_8)));
                    ORACLE.incrementAndGet();
                }
                if (mutations == 0) {
                    valid += stream.size();
                    fastValid += fast.fastChunks();
                }
            }
            if (s < 12 * SCALE) {
                compareCuts("generated", payloads, 0, Integer.MAX_VALUE, 0, "seed " + seed);
            }
        }
        // the fast path must be the common path, or this test would compare Jackson with itself
        assertTrue(fastValid > valid * 0.6, "fast path took " + fastValid + " of " + valid + " unmutated payloads");
    }

    @Test
    void chosenPayloads_samePath_asTheirJacksonReading() {
        // the layouts the fast path handles, each also cut at every byte; and a few it must leave to Jackson
        List<String> handled = List.of(
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\"h\\u00e9\\ud83d\\ude00 \\\"x\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"},"
                        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"a1\"}",
                "{ \"choices\" : [ { \"delta\" : { \"content\" : \"é世😀\" } , \"index\" : 0 } ] , \"id\" : \"x\" }",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ud83d\"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\uDE00\"}}]}",
                "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"one\"}},{\"index\":0,\"delta\":{\"refusal\":\"no\"},"
                        + "\"finish_reason\":\"stop\"}]}",
                "{\"choices\":[{\"index\":0.0,\"delta\":{\"content\":\"float index\"}}],\"x\":[1,-2.5e+3,true,false,"
                        + "null,{\"a\":{\"b\":[]}}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":-7,\"total_tokens\":null,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\"\"},"
                        + "\"index\":1,\"id\":\"call_1\",\"type\":\"function\"},{\"id\":\"c2\",\"function\":{\"name\":"
                        + "\"g\",\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}}}]}",
                "{\"id\":\"chatcmpl-\\u0041\",\"model\":\"mod\u00e8le\",\"choices\":[{\"message\":{\"content\":\"whole\"},"
                        + "\"finish_reason\":\"stop\"}],\"error\":null}",
                "{}");
        List<String> jackson = List.of(
                "{\"choices\":[{\"index\":-0,\"delta\":{\"content\":\"a\"}}]}",
                "{\"choices\":[{\"index\":1234567890,\"delta\":{\"content\":\"a\"}}]}",
                "{\"ch\\u006fices\":[{\"index\":0,\"delta\":{\"content\":\"escaped name\"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":{\"a\":2.50}}}]}}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":5.5}}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":\"5\"}}",
                "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]} trailing",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bad \u0001 control\"}}]}",
                "{\"choices\":[{\"index\":01,\"delta\":{\"content\":\"a\"}}]}",
                "[1]", "42", "\"s\"", "{\"a\":1,}");
        for (String h : handled) {
            List<byte[]> one = List.of(h.getBytes(StandardCharsets.UTF_8));
            Run fast = compare(one, 0, h);
            assertEquals(1, fast.fastChunks(), "read by the fast path: " + h);
            count("chosen", fast);
            compareCuts("chosen", one, 0, 1, 0, h);
        }
        byte[] overlong = "{\"choices\":[{\"delta\":{\"content\":\"ab\"}}]}".getBytes(StandardCharsets.UTF_8);
        overlong[overlong.length - 6] = (byte) 0xC1; // "a" -> an invalid lead byte
        List<byte[]> left = new ArrayList<>();
        jackson.forEach(j -> left.add(j.getBytes(StandardCharsets.UTF_8)));
        left.add(overlong);
        for (byte[] j : left) {
            Run fast = compare(List.of(j), 0, new String(j, StandardCharsets.UTF_8));
            assertEquals(0, fast.fastChunks(), "left to Jackson: " + new String(j, StandardCharsets.UTF_8));
            count("chosen", fast);
        }
    }
}
