package dev.extractor.gemini;

import static dev.extractor.conformance.Recordings.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.conformance.Recordings;
import dev.extractor.Delta;
import dev.extractor.FinishReason;
import dev.extractor.TextFormat;
import dev.extractor.TruncatedOutputException;
import dev.extractor.Usage;
import dev.extractor.client.ApiException;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.NotFoundException;
import dev.extractor.client.RateLimitException;
import dev.extractor.client.spi.ErrorDetails;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The conformance run over {@code ../shared/conformance/providers/gemini}: every recorded body ({@code alt=sse}
 * streams, chunk dumps re-framed with {@code \r\n\r\n}, and the {@code .jsonarray} bodies of requests without
 * {@code alt=sse}) is decoded whole, byte by byte and in 7-byte pieces to the same deltas, which must match {@code
 * EXPECTED.jsonl}: model version and response id, the text, the thoughts, every function call's name, id and
 * arguments in order (whole {@code args} and Vertex's streamed {@code partialArgs}), the finish reason and its kind,
 * the last usage. The answer's JSON is streamed into elements through the core. Every HTTP error body is parsed into
 * its fields, and read as the error it is when served as an event stream. Skipped, with a message, when the folder
 * is absent.
 */
class GeminiConformanceTest {

    /** The oracle's finish reasons, mapped independently of the decoder. */
    private static final Map<String, FinishReason> KINDS = Map.of("STOP", FinishReason.STOP, "MAX_TOKENS",
            FinishReason.LENGTH, "SAFETY", FinishReason.CONTENT_FILTER, "RECITATION", FinishReason.CONTENT_FILTER,
            "PROHIBITED_CONTENT", FinishReason.CONTENT_FILTER, "BLOCKLIST", FinishReason.CONTENT_FILTER, "SPII",
            FinishReason.CONTENT_FILTER);

    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final AtomicInteger ERROR_BODIES = new AtomicInteger();
    private static final AtomicInteger ELEMENTS = new AtomicInteger();

    @Test
    void conformanceDataIsPresent() {
        assertTrue(Files.isDirectory(Recordings.dir().resolve("gemini")));
    }

    @AfterAll
    static void counts() {
        if (STREAMS.get() + ERROR_BODIES.get() > 0) {
            System.out.println("[conformance] gemini: " + STREAMS + " bodies decoded (whole, 1-byte, 7-byte), "
                    + ERROR_BODIES + " error bodies mapped, " + ELEMENTS + " elements compared");
        }
    }

    @TestFactory
    Stream<DynamicTest> recordings() throws Exception {
        Path dir = Recordings.dir();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode expected : Recordings.expected(dir, "gemini")) {
            Path file = dir.resolve(expected.get("file").asString());
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                if (expected.get("container").asString().equals("http-error")) {
                    checkErrorBody(file, expected);
                } else {
                    checkStream(file, expected);
                }
            }));
        }
        assertTrue(tests.size() >= 25, "expected the 25 gemini files, found " + tests.size());
        return tests.stream();
    }

    private static void checkErrorBody(Path file, JsonNode expected) throws Exception {
        int status = expected.get("http_status").asInt();
        String text = Files.readString(file);
        JsonNode err = expected.get("error_body").get("error");
        // as the client reads it: the HTTP status, then the wire format's error fields
        ErrorDetails e = ErrorDetails.parse(status, "text/event-stream", text);
        assertEquals(status, e.status());
        assertEquals(err.get("code").asInt(), status, "Google repeats the status as code");
        assertEquals(err.get("status").asString(), e.type());
        assertEquals(err.get("message").asString(), e.message());
        Duration delay = null;
        for (JsonNode d : err.path("details")) {
            if (d.path("@type").asString("").endsWith("RetryInfo")) {
                String s = d.get("retryDelay").asString();
                delay = Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
        }
        assertEquals(delay, e.retryAfter());
        Class<?> typed = ApiException.of("", e, null, null).getClass();
        assertEquals(switch (status) {
            case 400 -> BadRequestException.class;
            case 404 -> NotFoundException.class;
            case 429 -> RateLimitException.class;
            default -> ApiException.class;
        }, typed);
        // read by a client as the event stream its content type says: the same error, whatever the cuts
        Recordings.Decoded d = Recordings.decodeAllCuts(GeminiDecoder::new, Files.readAllBytes(file));
        assertTrue(d.deltas().isEmpty());
        assertTrue(d.error() instanceof ApiException x && x.getClass() == typed
                && x.serverMessage().equals(e.message()) && x.errorType().equals(e.type())
                && x.retryAfter().equals(java.util.Optional.ofNullable(delay)), String.valueOf(d.error()));
        ERROR_BODIES.incrementAndGet();
    }

    private static void checkStream(Path file, JsonNode expected) throws Exception {
        String where = file.getFileName().toString();
        byte[] body = Recordings.body(file, false, "\r\n\r\n");
        Recordings.Decoded d = Recordings.decodeAllCuts(GeminiDecoder::new, body);
        assertNull(d.error(), where);
        List<Delta> deltas = d.deltas();

        Delta.Info info = Recordings.last(deltas, Delta.Info.class);
        assertNotNull(info, where + ": no Info");
        assertEquals(expected.get("model_version").asString(), lastModel(deltas), where + ": model version");
        JsonNode ids = expected.get("response_ids");
        assertEquals(ids.get(ids.size() - 1).asString(), lastId(deltas), where + ": response id");

        JsonNode candidate = expected.get("candidates").get(0);
        StringBuilder text = new StringBuilder();
        StringBuilder thought = new StringBuilder();
        List<JsonNode> calls = new ArrayList<>();
        for (JsonNode b : candidate.get("blocks")) {
            switch (b.get("kind").asString()) {
                case "text" -> text.append(b.get("text").asString());
                case "thought" -> thought.append(b.get("text").asString());
                case "function_call" -> calls.add(b);
                default -> { }
            }
        }
        assertEquals(text.toString(), Recordings.text(deltas), where + ": text");
        assertEquals(thought.toString(), Recordings.thinking(deltas), where + ": thoughts");

        List<String[]> got = Recordings.tools(deltas);
        assertEquals(calls.size(), got.size(), where + ": function calls");
        List<JsonNode> args = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode c = calls.get(i);
            assertEquals(c.has("id") ? c.get("id").asString() : null, got.get(i)[0], where + ": call " + i + " id");
            assertEquals(c.get("name").asString(), got.get(i)[1], where + ": call " + i + " name");
            assertEquals(c.get("args"), MAPPER.readTree(got.get(i)[2]), where + ": call " + i + " args");
            args.add(c.get("args"));
        }

        String reason = candidate.get("finish_reason").isNull() ? null : candidate.get("finish_reason").asString();
        Delta.Finish finish = Recordings.last(deltas, Delta.Finish.class);
        assertEquals(reason, finish == null ? null : finish.reason(), where + ": finish reason");
        if (reason != null) {
            FinishReason kind = KINDS.getOrDefault(reason, FinishReason.OTHER);
            assertEquals(kind == FinishReason.STOP && !calls.isEmpty() ? FinishReason.TOOL_CALLS : kind,
                    finish.kind(), where + ": finish kind");
        }
        assertTrue(expected.get("prompt_feedback").isNull(), where + ": a prompt feedback to check");
        assertTrue(expected.get("errors").isEmpty(), where + ": errors to check");

        JsonNode u = expected.get("usage");
        Usage usage = Recordings.last(deltas, Delta.UsageReport.class).usage();
        long thoughts = u.path("thoughtsTokenCount").asLong(0);
        assertEquals(u.path("promptTokenCount").asLong(0) + u.path("toolUsePromptTokenCount").asLong(0),
                usage.promptTokens(), where + ": prompt tokens");
        assertEquals(u.path("candidatesTokenCount").asLong(0) + thoughts, usage.completionTokens(),
                where + ": completion tokens");
        assertEquals(u.path("totalTokenCount").asLong(0), usage.totalTokens(), where + ": total tokens");
        assertEquals(u.path("cachedContentTokenCount").asLong(0), usage.cachedPromptTokens(), where + ": cached");
        assertEquals(thoughts, usage.reasoningTokens(), where + ": reasoning");

        // the answer's JSON, streamed into elements through the core
        JsonNode value = Recordings.json(text.toString());
        if (value != null && value.isContainer()) {
            List<String> arrays = new ArrayList<>();
            for (JsonNode b : candidate.get("blocks")) {
                if (b.get("kind").asString().equals("text")) {
                    arrays.addAll(Recordings.arrayFields(b.get("text_kind").asString()));
                }
            }
            ELEMENTS.addAndGet(Recordings.compareElements(deltas, false, List.of(value), arrays, TextFormat.JSON,
                    where + " text"));
        } else if ("MAX_TOKENS".equals(reason) && text.toString().strip().startsWith("{")) {
            Recordings.expectFailure(deltas, false, TruncatedOutputException.class, where);
        }
        if (!args.isEmpty()) {
            ELEMENTS.addAndGet(Recordings.compareElements(deltas, true, args, List.of(), TextFormat.JSON,
                    where + " function args"));
        }
        STREAMS.incrementAndGet();
    }

    private static String lastModel(List<Delta> deltas) {
        String m = null;
        for (Delta d : deltas) {
            if (d instanceof Delta.Info i && i.model() != null) {
                m = i.model();
            }
        }
        return m;
    }

    private static String lastId(List<Delta> deltas) {
        String m = null;
        for (Delta d : deltas) {
            if (d instanceof Delta.Info i && i.responseId() != null) {
                m = i.responseId();
            }
        }
        return m;
    }
}
