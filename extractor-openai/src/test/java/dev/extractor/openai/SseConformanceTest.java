package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.Selection;
import dev.extractor.client.spi.SseFramer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conformance run over {@code ../shared/conformance/sse}: every recorded real stream is decoded (whole, one
 * byte at a time, and in 7-byte pieces) and must reassemble to what {@code EXPECTED.jsonl} says; where the payload
 * is JSON it is also streamed into elements through the core. The framing vectors are checked at every split.
 * Skipped, with a message, when the folder is absent (a fresh clone without the shared data).
 */
class SseConformanceTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern ARRAY_FIELD = Pattern.compile("(\\w+)\\[(\\d+)]");

    private static Path dir() {
        String prop = System.getProperty("extractor.conformance.dir");
        Path dir = prop == null ? null : Path.of(prop, "sse");
        assumeTrue(dir != null && Files.isDirectory(dir),
                "conformance data not found (system property extractor.conformance.dir=" + prop
                        + "; expected a folder sse/ in it): conformance run skipped");
        return dir;
    }

    /** Shows up as one skipped test, with the reason, when the data is absent (dynamic tests would just vanish). */
    @org.junit.jupiter.api.Test
    void conformanceDataIsPresent() throws IOException {
        assertTrue(Files.isRegularFile(dir().resolve("EXPECTED.jsonl")));
    }

    // ------------------------------------------------------------------ recorded streams

    @TestFactory
    Stream<DynamicTest> recordedStreams() throws IOException {
        Path dir = dir();
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("EXPECTED.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode expected = MAPPER.readTree(line);
            String file = expected.get("file").asString();
            tests.add(DynamicTest.dynamicTest(file, () -> checkRecording(dir.resolve(file), expected)));
        }
        assertTrue(tests.size() > 0, "EXPECTED.jsonl is empty");
        return tests.stream();
    }

    /** The body as it came over the wire; chunk dumps are framed as {@code data: <json>\n\n} events. */
    static byte[] body(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".sse")) {
            return Files.readAllBytes(file);
        }
        StringBuilder sb = new StringBuilder();
        if (name.endsWith(".chunks.json")) {
            for (JsonNode chunk : MAPPER.readTree(file.toFile())) {
                sb.append("data: ").append(MAPPER.writeValueAsString(chunk)).append("\n\n");
            }
        } else if (name.endsWith(".chunks.jsonl")) {
            for (String l : Files.readAllLines(file)) {
                if (!l.isBlank()) {
                    sb.append("data: ").append(l.strip()).append("\n\n");
                }
            }
        } else {
            throw new IllegalArgumentException("unknown recording format: " + name);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What one choice's deltas reassemble to. */
    static final class Assembled {
        final StringBuilder content = new StringBuilder();
        final StringBuilder refusal = new StringBuilder();
        final Map<Integer, String[]> tools = new TreeMap<>(); // index -> id, name, arguments
        String finish;
        int usageReports;
        final List<Delta> deltas = new ArrayList<>();
        long chunks;
        long comments;
        boolean done;
        boolean indexMissing;

        void accept(Delta d) {
            deltas.add(d);
            if (d instanceof Delta.Text t) {
                content.append(t.text());
            } else if (d instanceof Delta.Refusal r) {
                refusal.append(r.text());
            } else if (d instanceof Delta.ToolCall c) {
                String[] call = tools.computeIfAbsent(c.index(), k -> new String[] {null, null, ""});
                if (c.id() != null && call[0] == null) {
                    call[0] = c.id();
                }
                if (c.name() != null && call[1] == null) {
                    call[1] = c.name();
                }
                call[2] += c.arguments();
            } else if (d instanceof Delta.Finish f) {
                finish = f.reason();
            } else if (d instanceof Delta.UsageReport) {
                usageReports++;
            }
        }
    }

    static Assembled decode(byte[] body, int choice, int piece) {
        Assembled a = new Assembled();
        ChunkDecoder chunks = new ChunkDecoder(a::accept, choice);
        SseFramer framer = new SseFramer(chunks);
        int step = piece <= 0 ? Math.max(body.length, 1) : piece;
        for (int i = 0; i < body.length && !chunks.done(); i += step) {
            framer.feed(body, i, Math.min(step, body.length - i));
        }
        framer.end();
        a.chunks = chunks.chunks();
        a.comments = framer.comments();
        a.done = chunks.done();
        a.indexMissing = chunks.toolIndexMissing();
        return a;
    }

    private static void checkRecording(Path file, JsonNode expected) throws Exception {
        byte[] body = body(file);
        boolean sse = file.getFileName().toString().endsWith(".sse");
        for (JsonNode choice : expected.get("choices")) {
            int index = choice.get("index").asInt();
            Assembled whole = decode(body, index, 0);
            for (int piece : new int[] {1, 7}) {
                Assembled cut = decode(body, index, piece);
                assertEquals(whole.deltas, cut.deltas, "deltas differ when fed in " + piece + "-byte pieces");
            }
            String where = file.getFileName() + " choice " + index + ": ";
            assertEquals(expected.get("data_chunks").asLong(), whole.chunks, where + "data chunks");
            assertEquals(expected.get("done_sentinel").asBoolean(), whole.done, where + "[DONE]");
            if (sse) {
                assertEquals(expected.get("sse_comment_lines").asLong(), whole.comments, where + "comment lines");
            }
            assertEquals(expected.get("tool_call_index_missing").asBoolean(), whole.indexMissing,
                    where + "tool-call index missing");
            assertEquals(expected.get("usage_chunk").asBoolean(), whole.usageReports > 0, where + "usage reported");
            assertEquals(text(choice, "content"), whole.content.toString(), where + "content");
            assertEquals(text(choice, "refusal"), whole.refusal.toString(), where + "refusal");
            JsonNode finish = choice.get("finish_reason");
            assertEquals(finish == null || finish.isNull() ? null : finish.asString(), whole.finish,
                    where + "finish reason");
            JsonNode calls = choice.get("tool_calls");
            List<String> want = new ArrayList<>();
            if (calls != null) {
                for (JsonNode c : calls) {
                    want.add(c.get("index").asInt() + " " + str(c.get("id")) + " " + str(c.get("name")) + " "
                            + c.get("arguments").asString());
                }
            }
            List<String> got = new ArrayList<>();
            whole.tools.forEach((k, v) -> got.add(k + " " + v[0] + " " + v[1] + " " + v[2]));
            assertEquals(want, got, where + "tool calls");

            // JSON payloads stream into elements through the core, from the raw bytes
            String contentKind = choice.has("content_kind") ? choice.get("content_kind").asString() : "";
            if (contentKind.startsWith("JSON")) {
                streamJson(body, index, false, List.of(whole.content.toString()), contentKind, where);
            }
            if (calls != null && !calls.isEmpty()) {
                String kind = calls.get(0).get("arguments_kind").asString();
                boolean allJson = true;
                List<String> docs = new ArrayList<>();
                for (JsonNode c : calls) {
                    allJson &= c.get("arguments_kind").asString().equals(kind) && kind.startsWith("JSON");
                    docs.add(c.get("arguments").asString());
                }
                if (allJson) {
                    streamJson(body, index, true, docs, kind, where);
                }
            }
        }
    }

    /** Streams the content (or the tool calls' arguments) through the core; compares with one-shot parsing. */
    private static void streamJson(byte[] body, int choice, boolean tools, List<String> docs, String kind,
            String where) {
        List<JsonNode> roots = new ArrayList<>();
        for (String d : docs) {
            roots.add(MAPPER.readTree(d));
        }
        assertEquals(roots, elements(body, choice, tools, Selection.root()), where + "root elements");
        Matcher m = ARRAY_FIELD.matcher(kind);
        while (m.find()) {
            String field = m.group(1);
            List<JsonNode> want = new ArrayList<>();
            for (JsonNode r : roots) {
                r.get(field).forEach(want::add);
            }
            assertEquals(Integer.parseInt(m.group(2)) * roots.size(), want.size());
            assertEquals(want, elements(body, choice, tools, Selection.field(field)), where + field + " elements");
        }
    }

    private static List<JsonNode> elements(byte[] body, int choice, boolean tools, Selection selection) {
        DeltaSource all = OpenAiSse.deltas(new ByteArrayInputStream(body), choice);
        // keep one channel: the text when streaming content, the tool calls when streaming arguments
        DeltaSource one = new DeltaSource() {
            @Override
            public Delta next() {
                Delta d;
                while ((d = all.next()) != null) {
                    if (tools ? !(d instanceof Delta.Text) : !(d instanceof Delta.ToolCall)) {
                        return d;
                    }
                }
                return null;
            }

            @Override
            public void close() {
                all.close();
            }
        };
        ElementReader<JsonNode> reader = ElementReader.builder(JsonNode.class).selection(selection).build();
        try (ElementStream<JsonNode> stream = reader.stream(one)) {
            return stream.toList();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asString();
    }

    private static String str(JsonNode v) {
        return v == null || v.isNull() ? null : v.asString();
    }

    // ------------------------------------------------------------------ framing vectors

    record Event(String type, String data, String id) {}

    static List<Event> frame(List<byte[]> chunks) {
        List<Event> out = new ArrayList<>();
        SseFramer f = new SseFramer((type, data, length, hasData, id) ->
                out.add(new Event(type, new String(data, 0, length, StandardCharsets.UTF_8), id)));
        for (byte[] c : chunks) {
            f.feed(c, 0, c.length);
        }
        f.end();
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
                        tests.add(DynamicTest.dynamicTest(v.get("name").asString(), () -> checkVector(v)));
                    }
                }
            }
        }
        assertTrue(tests.size() > 0, "no framing vectors");
        return tests.stream();
    }

    private static void checkVector(JsonNode v) {
        List<byte[]> chunks = new ArrayList<>();
        for (JsonNode c : v.get("chunks_b64")) {
            chunks.add(Base64.getDecoder().decode(c.asString()));
        }
        List<Event> got = frame(chunks);
        JsonNode expected = v.get("expected_events");
        List<JsonNode> flat = new ArrayList<>();
        for (JsonNode e : expected) {
            int repeat = e.has("repeat") ? e.get("repeat").asInt() : 1;
            for (int i = 0; i < repeat; i++) {
                flat.add(e);
            }
        }
        assertEquals(flat.size(), got.size(), "event count");
        for (int i = 0; i < flat.size(); i++) {
            JsonNode e = flat.get(i);
            Event g = got.get(i);
            if (e.has("event")) {
                assertEquals(str(e.get("event")), g.type(), "event " + i + " type");
            }
            if (e.has("data")) {
                assertEquals(e.get("data").asString(), g.data(), "event " + i + " data");
            }
            if (e.has("json")) {
                assertEquals(e.get("json"), MAPPER.readTree(g.data()), "event " + i + " json");
            }
            if (e.has("id")) {
                assertEquals(e.get("id").asString(), g.id(), "event " + i + " id");
            }
        }
        // the same events whatever the cuts: byte by byte, and every split in two with an empty chunk between
        byte[] all = concat(chunks);
        List<byte[]> bytes = new ArrayList<>();
        for (byte b : all) {
            bytes.add(new byte[] {b});
        }
        assertEquals(got, frame(bytes), "byte by byte");
        if (all.length <= 4096) {
            for (int cut = 0; cut <= all.length; cut++) {
                List<byte[]> two = List.of(java.util.Arrays.copyOfRange(all, 0, cut), new byte[0],
                        java.util.Arrays.copyOfRange(all, cut, all.length));
                assertEquals(got, frame(two), "split at " + cut);
            }
        }
    }

    private static byte[] concat(List<byte[]> chunks) {
        int n = 0;
        for (byte[] c : chunks) {
            n += c.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }

    static {
        Objects.requireNonNull(MAPPER);
    }
}
