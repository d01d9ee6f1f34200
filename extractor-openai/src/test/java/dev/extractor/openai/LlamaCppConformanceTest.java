package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.IncompleteJsonException;
import dev.extractor.MalformedJsonException;
import dev.extractor.TruncatedOutputException;
import dev.extractor.UnexpectedShapeException;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.InvalidOutputException;
import dev.extractor.client.Mode;
import dev.extractor.client.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conformance run over {@code ../shared/conformance/sse/llamacpp}: real streams of llama.cpp's {@code
 * llama-server}, each (1) decoded whole, byte by byte and in 7-byte pieces to the same deltas, which reassemble to
 * what {@code EXPECTED.jsonl} says; and (2) replayed over HTTP to {@link OpenAiExtractor}, asked as its recorded
 * request asked (mode, list or one object, the recorded functions), with the outcome checked against an independent
 * oracle: Jackson's blocking parser and one-shot binding of the answer that {@code EXPECTED.jsonl} reassembled.
 *
 * <p>The documented outcomes: in {@link Mode#TOOLS}, text before the calls is prose ({@code StreamResult.prose()}),
 * never parsed; several whole calls of one list function deliver every call's elements, call after call; one object
 * is the first valid call; an answer cut by the token limit ends with a {@link TruncatedOutputException} after the
 * elements completed before the cut, a stream cut without a finish reason with an {@link IncompleteJsonException};
 * in {@link Mode#JSON}, text before the first <code>&#123;</code> or {@code [} is skipped. Skipped, with a message,
 * when the folder is absent.
 */
class LlamaCppConformanceTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** The oracle's parser: blocking, reading one value at a time (what follows it is looked at separately). */
    private static final JsonMapper ORACLE = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    /** One-shot binding of a call's arguments to its subtype: the function names the type, there is no type id. */
    private static final JsonMapper LENIENT = JsonMapper.builder().disable(MapperFeature.REQUIRE_TYPE_ID_FOR_SUBTYPES)
            .build();

    /** The record of {@code tools-one}: the function {@code Rec}. */
    record Rec(String name, int score) {}

    enum Color { RED, GREEN, BLUE }

    record Address(String city, String zip) {}

    /** The record of {@code rich-strict-one} (its recorded schema). */
    record Rich(String name, String nickname, Color color, String email, String born, String seen,
            List<Address> addresses, double ratio, Integer maybe) {}

    /** The polymorphic type of {@code blocks-tools1-stream}: the functions {@code text} and {@code table}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = TextBlock.class, name = "text"),
            @JsonSubTypes.Type(value = TableBlock.class, name = "table")})
    sealed interface Block permits TextBlock, TableBlock {}

    record TextBlock(String body) implements Block {}

    record TableBlock(int rows) implements Block {}

    private static Path dir() {
        String prop = System.getProperty("extractor.conformance.dir");
        Path dir = prop == null ? null : Path.of(prop, "sse", "llamacpp");
        assumeTrue(dir != null && Files.isDirectory(dir),
                "conformance data not found (system property extractor.conformance.dir=" + prop
                        + "; expected a folder sse/llamacpp in it): llama.cpp conformance run skipped");
        return dir;
    }

    /** Shows up as one skipped test, with the reason, when the data is absent (dynamic tests would just vanish). */
    @Test
    void conformanceDataIsPresent() {
        assertTrue(Files.isRegularFile(dir().resolve("EXPECTED.jsonl")));
    }

    @TestFactory
    Stream<DynamicTest> llamaCppStreams() throws IOException {
        Path dir = dir();
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("EXPECTED.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode expected = MAPPER.readTree(line);
            Path file = dir.getParent().resolve(expected.get("file").asString());
            tests.add(DynamicTest.dynamicTest("decode " + file.getFileName(), () -> decode(file, expected)));
            tests.add(DynamicTest.dynamicTest("replay " + file.getFileName(), () -> replay(file, expected)));
        }
        assertTrue(tests.size() >= 2, "EXPECTED.jsonl is empty");
        return tests.stream();
    }

    // ------------------------------------------------------------------ decoding

    private static void decode(Path file, JsonNode expected) throws IOException {
        byte[] body = Files.readAllBytes(file);
        SseConformanceTest.Assembled whole = SseConformanceTest.decode(body, 0, 0);
        for (int piece : new int[] {1, 7}) {
            assertEquals(whole.deltas, SseConformanceTest.decode(body, 0, piece).deltas,
                    "deltas differ when fed in " + piece + "-byte pieces");
        }
        assertEquals(expected.get("data_chunks").asLong(), whole.chunks + (whole.done ? 1 : 0),
                "data chunks ([DONE] included)");
        assertEquals(expected.get("done_sentinel").asBoolean(), whole.done, "[DONE]");
        assertEquals(text(expected.get("content")), whole.content.toString(), "content");
        assertEquals(text(expected.get("finish_reason")).isEmpty() ? null : expected.get("finish_reason").asString(),
                whole.finish, "finish reason");
        List<String> want = new ArrayList<>();
        for (JsonNode c : expected.get("tool_calls")) {
            want.add(c.get("index").asInt() + " " + c.get("id").asString() + " " + c.get("name").asString() + " "
                    + c.get("arguments").asString());
        }
        List<String> got = new ArrayList<>();
        whole.tools.forEach((k, v) -> got.add(k + " " + v[0] + " " + v[1] + " " + v[2]));
        assertEquals(want, got, "tool calls");
        assertEquals(expected.get("usage").isObject(), whole.usageReports > 0, "usage reported");
    }

    // ------------------------------------------------------------------ replaying through the extractor

    /** The request the capture's client sent for this stream: {@code NAME.request.json}, line K for {@code NAME.rK.sse}. */
    private static JsonNode recordedRequest(Path file) throws IOException {
        String name = file.getFileName().toString();
        int k = 1;
        String base = name.substring(0, name.length() - ".sse".length());
        if (base.matches(".*\\.r\\d+")) {
            k = Integer.parseInt(base.substring(base.lastIndexOf(".r") + 2));
            base = base.substring(0, base.lastIndexOf(".r"));
        }
        List<String> lines = Files.readAllLines(file.resolveSibling(base + ".request.json"));
        return MAPPER.readTree(lines.get(k - 1));
    }

    private static void replay(Path file, JsonNode expected) throws Exception {
        JsonNode request = recordedRequest(file);
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                    .addHeader("x-request-id", "req_llama").body(new Buffer().write(Files.readAllBytes(file))).build());
            try (OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(server.url("/v1").toString()).model("tiny")
                    .strict(false).retryPolicy(RetryPolicy.none()).maxRetries(0).build()) {
                Mode mode = request.has("tools") ? Mode.TOOLS
                        : request.at("/response_format/type").asString().equals("json_object") ? Mode.JSON
                        : Mode.JSON_SCHEMA;
                ChatRequest ask = ChatRequest.builder().user("List three people and their scores.").mode(mode).build();
                JsonNode schema = mode == Mode.TOOLS ? request.at("/tools/0/function/parameters")
                        : request.at("/response_format/json_schema/schema");
                boolean polymorphic = mode == Mode.TOOLS && request.get("tools").size() > 1;
                boolean list = polymorphic || mode == Mode.JSON || schema.at("/properties/items").isObject();
                if (polymorphic) {
                    replayBlocks(ai, ask, expected);
                } else if (list) {
                    replayList(ai, ask, mode, expected);
                } else {
                    replayOne(ai, ask, mode, expected, mode == Mode.TOOLS ? Rec.class : Rich.class);
                }
            }
        }
    }

    /** What the blocking parser makes of one document: the elements complete in it, and how it ends. */
    enum End { COMPLETE, INCOMPLETE, MALFORMED, NO_JSON }

    record Doc(List<JsonNode> items, End end) {}

    /**
     * The elements of {@code doc} at {@code $.items[*]} (or the root when {@code field} is null), by the oracle;
     * anything but whitespace after the root value is malformed unless {@code trailingIgnored} (JSON in text).
     */
    static Doc oracle(String doc, String field, boolean trailingIgnored) {
        List<JsonNode> items = new ArrayList<>();
        if (doc.isBlank()) {
            return new Doc(items, End.NO_JSON);
        }
        try (JsonParser p = ORACLE.createParser(doc)) {
            if (field == null) {
                p.nextToken();
                items.add(ORACLE.readTree(p));
            } else {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return new Doc(items, End.MALFORMED);
                }
                for (String name = p.nextName(); name != null; name = p.nextName()) {
                    JsonToken t = p.nextToken();
                    if (name.equals(field) && t == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            items.add(ORACLE.readTree(p));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
            if (!trailingIgnored && p.nextToken() != null) {
                return new Doc(items, End.MALFORMED);
            }
            return new Doc(items, End.COMPLETE);
        } catch (UnexpectedEndOfInputException e) {
            return new Doc(items, End.INCOMPLETE);
        } catch (JacksonException e) {
            return new Doc(items, End.MALFORMED);
        }
    }

    /** The answer's documents: the calls' arguments in TOOLS mode, else the content (in JSON mode, from its JSON). */
    private static List<String> documents(JsonNode expected, Mode mode) {
        List<String> docs = new ArrayList<>();
        if (mode == Mode.TOOLS) {
            for (JsonNode c : expected.get("tool_calls")) {
                docs.add(c.get("arguments").asString());
            }
            return docs;
        }
        String content = text(expected.get("content"));
        if (mode == Mode.JSON) {
            int start = firstJson(content);
            content = start < 0 ? "" : content.substring(start);
        }
        docs.add(content);
        return docs;
    }

    /**
     * What the result keeps as prose: the content beside the calls (tools mode); in JSON mode (JSON in text), the
     * text before the first bracket and after the top-level value, a leading byte order mark excepted.
     */
    private static String prose(JsonNode expected, Mode mode) {
        String content = text(expected.get("content"));
        if (mode == Mode.TOOLS) {
            return content;
        }
        if (mode != Mode.JSON) {
            return "";
        }
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        int start = firstJson(text);
        if (start < 0) {
            return text;
        }
        try (JsonParser p = ORACLE.createParser(text.substring(start))) {
            p.nextToken();
            p.skipChildren();
            return text.substring(0, start) + text.substring(start + (int) p.currentLocation().getCharOffset());
        } catch (JacksonException e) {
            return text.substring(0, start); // the JSON never closed: only what came before it
        }
    }

    private static int firstJson(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '{' || s.charAt(i) == '[') {
                return i;
            }
        }
        return -1;
    }

    /** The exception the answer must end with: none when every document is complete. */
    private static Class<? extends ExtractionException> failure(List<Doc> docs, JsonNode expected, Mode mode) {
        if (docs.isEmpty()) {
            return text(expected.get("content")).isEmpty() ? IncompleteJsonException.class
                    : UnexpectedShapeException.class; // prose and no call: the model answered in text
        }
        for (int i = 0; i < docs.size(); i++) {
            Doc d = docs.get(i);
            switch (d.end()) {
                case COMPLETE -> {
                    continue;
                }
                case MALFORMED -> {
                    return MalformedJsonException.class;
                }
                case NO_JSON -> {
                    return IncompleteJsonException.class;
                }
                case INCOMPLETE -> {
                    boolean length = "length".equals(text(expected.get("finish_reason")));
                    return length && i == docs.size() - 1 ? TruncatedOutputException.class
                            : IncompleteJsonException.class;
                }
            }
        }
        return null;
    }

    private static void replayList(OpenAiExtractor ai, ChatRequest ask, Mode mode, JsonNode expected) {
        List<Doc> docs = new ArrayList<>();
        for (String d : documents(expected, mode)) {
            docs.add(oracle(d, "items", mode == Mode.JSON));
        }
        List<JsonNode> want = new ArrayList<>();
        for (Doc d : docs) {
            want.addAll(d.items());
            if (d.end() != End.COMPLETE) {
                break; // the answer fails there: later calls are not read
            }
        }
        Class<? extends ExtractionException> fails = failure(docs, expected, mode);
        List<JsonNode> got = new ArrayList<>();
        ExtractionException error = null;
        try (ElementStream<JsonNode> s = ai.stream(JsonNode.class, ask)) {
            try {
                for (Iterator<JsonNode> it = s.iterator(); it.hasNext(); ) {
                    got.add(it.next());
                }
            } catch (ExtractionException e) {
                error = e;
            }
            assertEquals(want, got, "the elements (several calls: every call's, call after call)");
            assertEquals(prose(expected, mode), s.result().prose(), "text beside the answer is prose");
            assertEquals("req_llama", s.result().requestId().orElseThrow());
        }
        if (fails == null) {
            assertNull(error, String.valueOf(error));
        } else {
            assertNotNull(error, "expected " + fails.getSimpleName());
            assertEquals(fails, error.getClass(), error::toString);
            if (mode == Mode.JSON && docs.get(0).end() == End.NO_JSON) {
                assertTrue(error.getMessage().contains("no { or ["), error.getMessage());
            }
        }
    }

    private static void replayOne(OpenAiExtractor ai, ChatRequest ask, Mode mode, JsonNode expected, Class<?> type)
            throws Exception {
        List<String> docs = documents(expected, mode);
        Object want = null;
        for (String d : docs) {
            Doc doc = oracle(d, null, false);
            if (doc.end() == End.COMPLETE) {
                want = MAPPER.treeToValue(doc.items().get(0), type);
                break; // the first valid call is the answer
            }
            if (mode != Mode.TOOLS) {
                break;
            }
        }
        if (want != null) {
            Extraction<?> e = ai.oneResult(type, ask);
            assertEquals(want, e.value());
            assertEquals(1, e.attempts());
            assertEquals(mode == Mode.TOOLS ? text(expected.get("content")) : "", e.prose());
            return;
        }
        List<Doc> all = new ArrayList<>();
        docs.forEach(d -> all.add(oracle(d, null, false)));
        Class<? extends ExtractionException> fails = failure(all, expected, mode);
        ExtractionException e = assertThrows(ExtractionException.class, () -> ai.oneResult(type, ask));
        if (fails == TruncatedOutputException.class) {
            assertEquals(fails, e.getClass(), e::toString); // not re-askable: thrown as it is
        } else {
            InvalidOutputException invalid = assertInstanceOf(InvalidOutputException.class, e);
            assertEquals(fails, invalid.attempts().get(0).error().getClass(), e::toString);
        }
    }

    private static void replayBlocks(OpenAiExtractor ai, ChatRequest ask, JsonNode expected) throws Exception {
        List<Doc> docs = new ArrayList<>();
        List<Block> want = new ArrayList<>();
        boolean failed = false;
        for (JsonNode c : expected.get("tool_calls")) {
            Doc d = oracle(c.get("arguments").asString(), null, false);
            docs.add(d);
            if (!failed && d.end() == End.COMPLETE) {
                Class<? extends Block> t = c.get("name").asString().equals("text") ? TextBlock.class
                        : TableBlock.class;
                want.add(LENIENT.treeToValue(d.items().get(0), t));
            }
            failed |= d.end() != End.COMPLETE;
        }
        Class<? extends ExtractionException> fails = failure(docs, expected, Mode.TOOLS);
        List<Block> got = new ArrayList<>();
        try (ElementStream<Block> s = ai.stream(Block.class, ask)) {
            ExtractionException error = null;
            try {
                for (Iterator<Block> it = s.iterator(); it.hasNext(); ) {
                    got.add(it.next());
                }
            } catch (ExtractionException e) {
                error = e;
            }
            assertEquals(want, got, "one element per call, bound to its function's subtype");
            if (fails == null) {
                assertNull(error);
            } else {
                assertNotNull(error, "expected " + fails.getSimpleName());
                assertEquals(fails, error.getClass(), error::toString);
            }
        }
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? "" : v.asString();
    }
}
