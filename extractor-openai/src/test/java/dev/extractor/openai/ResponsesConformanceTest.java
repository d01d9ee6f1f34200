package dev.extractor.openai;

import static dev.extractor.conformance.Recordings.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.conformance.Recordings;
import dev.extractor.Delta;
import dev.extractor.FinishReason;
import dev.extractor.MalformedJsonException;
import dev.extractor.Selection;
import dev.extractor.TextFormat;
import dev.extractor.TruncatedOutputException;
import dev.extractor.Usage;
import dev.extractor.client.ApiException;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.spi.ErrorDetails;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The conformance run over {@code ../shared/conformance/providers/openai-responses}: every recorded stream is decoded
 * whole, byte by byte and in 7-byte pieces to the same deltas (a chunk dump also without {@code event:} lines, as
 * OpenRouter sends it), which must match {@code EXPECTED.jsonl}: response id and model, every message's text or
 * refusal, the reasoning text, every function call's call id, name and arguments in order, the final event mapped
 * to a finish reason, the usage, the in-stream errors. The answer's JSON (message text, function arguments) is
 * streamed into elements through the core; truncated JSON must be reported as truncation. Every HTTP error body is
 * parsed into its fields. Skipped, with a message, when the folder is absent.
 */
class ResponsesConformanceTest {

    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final AtomicInteger ERROR_BODIES = new AtomicInteger();
    private static final AtomicInteger ELEMENTS = new AtomicInteger();

    @Test
    void conformanceDataIsPresent() {
        assertTrue(Files.isDirectory(Recordings.dir().resolve("openai-responses")));
    }

    @AfterAll
    static void counts() {
        if (STREAMS.get() + ERROR_BODIES.get() > 0) {
            System.out.println("[conformance] openai-responses: " + STREAMS + " streams decoded (whole, 1-byte, "
                    + "7-byte), " + ERROR_BODIES + " error bodies mapped, " + ELEMENTS + " elements compared");
        }
    }

    @TestFactory
    Stream<DynamicTest> recordings() throws Exception {
        Path dir = Recordings.dir();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode expected : Recordings.expected(dir, "openai-responses")) {
            Path file = dir.resolve(expected.get("file").asString());
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                if (expected.get("container").asString().equals("http-error")) {
                    checkErrorBody(file, expected);
                } else {
                    checkStream(file, expected);
                }
            }));
        }
        assertTrue(tests.size() >= 26, "expected the 26 openai-responses files, found " + tests.size());
        return tests.stream();
    }

    private static void checkErrorBody(Path file, JsonNode expected) throws Exception {
        int status = expected.get("http_status").asInt();
        ErrorDetails e = ErrorDetails.parse(status, "application/json", Files.readString(file));
        JsonNode err = expected.get("error_body").get("error");
        assertEquals(err.get("message").asString(), e.message());
        assertEquals(err.get("type").asString(), e.type());
        assertEquals(str(err.get("code")), e.code());
        assertEquals(str(err.get("param")), e.param());
        Class<?> typed = ApiException.of("", e, null, null).getClass();
        assertEquals(status == 401 ? AuthenticationException.class : BadRequestException.class, typed);
        Recordings.Decoded d = Recordings.decodeAllCuts(ResponsesDecoder::new, Files.readAllBytes(file));
        assertTrue(d.deltas().isEmpty());
        assertTrue(d.error() instanceof ApiException x && x.serverMessage().equals(e.message()),
                String.valueOf(d.error()));
        ERROR_BODIES.incrementAndGet();
    }

    private static void checkStream(Path file, JsonNode expected) throws Exception {
        String where = file.getFileName().toString();
        byte[] body = Recordings.body(file, true, "\n\n");
        Recordings.Decoded d = Recordings.decodeAllCuts(ResponsesDecoder::new, body);
        if (where.endsWith(".chunks.jsonl")) {
            Recordings.Decoded bare = Recordings.decodeAllCuts(ResponsesDecoder::new,
                    Recordings.body(file, false, "\n\n"));
            assertEquals(d.deltas(), bare.deltas(), where + ": without event lines");
        }
        List<Delta> deltas = d.deltas();

        Delta.Info info = Recordings.last(deltas, Delta.Info.class);
        assertNotNull(info, where + ": no Info");
        assertEquals(expected.get("response_id").asString(), info.responseId(), where + ": response id");
        assertEquals(expected.get("model").asString(), info.model(), where + ": model");

        StringBuilder text = new StringBuilder();
        StringBuilder refusal = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<JsonNode> messages = new ArrayList<>();
        List<JsonNode> calls = new ArrayList<>();
        for (JsonNode o : expected.get("output")) {
            switch (o.get("type").asString()) {
                case "message" -> {
                    text.append(o.path("text").asString(""));
                    refusal.append(o.path("refusal").asString(""));
                    messages.add(o);
                }
                case "function_call" -> calls.add(o);
                case "reasoning" -> reasoning.append(o.path("summary").asString(""))
                        .append(o.path("reasoning_text").asString(""));
                default -> { }
            }
        }
        StringBuilder said = new StringBuilder();
        StringBuilder prose = new StringBuilder();
        for (Delta x : deltas) {
            if (x instanceof Delta.Text t) {
                said.append(t.text());
            } else if (x instanceof Delta.Prose p) {
                said.append(p.text());
                prose.append(p.text());
            }
        }
        assertEquals(text.toString(), said.toString(), where + ": message text");
        boolean commentary = new String(body, StandardCharsets.UTF_8).contains("\"phase\":\"commentary\"");
        assertEquals(commentary, prose.length() > 0, where + ": commentary text is prose");
        assertEquals(refusal.toString(), Recordings.refusal(deltas), where + ": refusal");
        assertEquals(reasoning.toString(), Recordings.thinking(deltas), where + ": reasoning");

        List<String[]> got = Recordings.tools(deltas);
        assertEquals(calls.size(), got.size(), where + ": function calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode c = calls.get(i);
            assertEquals(c.get("call_id").asString(), got.get(i)[0], where + ": call " + i + " call_id");
            assertEquals(c.get("name").asString(), got.get(i)[1], where + ": call " + i + " name");
            assertEquals(c.get("arguments").asString(), got.get(i)[2], where + ": call " + i + " arguments");
        }

        String fin = expected.get("final_event").asString();
        Delta.Finish finish = Recordings.last(deltas, Delta.Finish.class);
        JsonNode errors = expected.get("errors");
        if (fin.equals("response.failed") || !errors.isEmpty()) {
            ApiException e = assertInstanceOf(ApiException.class, d.error(), where);
            assertTrue(e.inBand(), where);
            JsonNode want = errors.isEmpty() ? expected.get("response_error") : errors.get(0).get("error");
            assertEquals(want.get("code").asString(), e.errorCode(), where + ": error code");
            assertEquals(want.get("message").asString(), e.serverMessage(), where + ": error message");
            assertNull(finish, where + ": no finish after an error");
        } else {
            assertNull(d.error(), where);
            assertNotNull(finish, where + ": finish");
            if (fin.equals("response.completed")) {
                assertEquals("completed", finish.reason());
                assertEquals(calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS, finish.kind(), where);
            } else {
                String reason = expected.get("incomplete_details").get("reason").asString();
                assertEquals(reason, finish.reason(), where);
                assertEquals(reason.equals("max_output_tokens") ? FinishReason.LENGTH
                        : reason.equals("content_filter") ? FinishReason.CONTENT_FILTER : FinishReason.OTHER,
                        finish.kind(), where);
            }
        }

        JsonNode u = expected.get("usage");
        Delta.UsageReport report = Recordings.last(deltas, Delta.UsageReport.class);
        if (u.has("input_tokens")) {
            Usage usage = report.usage();
            assertEquals(u.get("input_tokens").asLong(), usage.promptTokens(), where + ": input tokens");
            assertEquals(u.get("output_tokens").asLong(), usage.completionTokens(), where + ": output tokens");
            assertEquals(u.get("total_tokens").asLong(), usage.totalTokens(), where + ": total tokens");
            assertEquals(u.path("input_tokens_details.cached_tokens").asLong(0), usage.cachedPromptTokens());
            assertEquals(u.path("input_tokens_details.cache_write_tokens").asLong(0), usage.cacheWriteTokens());
            assertEquals(u.path("output_tokens_details.reasoning_tokens").asLong(0), usage.reasoningTokens());
        } else {
            assertNull(report, where + ": usage");
        }

        // the answer's JSON, streamed into elements through the core
        boolean truncated = fin.equals("response.incomplete")
                && "max_output_tokens".equals(expected.get("incomplete_details").get("reason").asString());
        List<JsonNode> values = new ArrayList<>();
        for (JsonNode m : messages) {
            JsonNode v = Recordings.json(m.path("text").asString(""));
            if (v != null && v.isContainer()) {
                values.add(v);
            }
        }
        if (prose.length() == 0 && values.size() == 1 && values.size() == messages.size()) {
            ELEMENTS.addAndGet(Recordings.compareElements(deltas, false, values,
                    Recordings.arrayFields(messages.get(0).get("text_kind").asString()), TextFormat.JSON,
                    where + " text"));
        } else if (prose.length() == 0 && values.size() > 1 && values.size() == messages.size()) {
            // two message items with a JSON text each (gpt-4o did it once): the first is the answer, the second
            // is content after the top-level value - an error in JSON mode, ignored in JSON_IN_TEXT mode
            ELEMENTS.addAndGet(Recordings.compareElements(deltas, false, values.subList(0, 1), List.of(),
                    TextFormat.JSON_IN_TEXT, where + " first message"));
            assertThrows(MalformedJsonException.class,
                    () -> Recordings.elements(deltas, false, Selection.root(), TextFormat.JSON), where);
        } else if (truncated && text.toString().strip().startsWith("{")) {
            Recordings.expectFailure(deltas, false, TruncatedOutputException.class, where);
        }
        if (!calls.isEmpty()) {
            List<JsonNode> args = new ArrayList<>();
            for (JsonNode c : calls) {
                JsonNode v = Recordings.json(c.get("arguments").asString());
                if (v != null) {
                    args.add(v);
                }
            }
            if (args.size() == calls.size()) {
                ELEMENTS.addAndGet(Recordings.compareElements(deltas, true, args, calls.size() == 1
                        ? Recordings.arrayFields(calls.get(0).get("arguments_kind").asString()) : List.of(),
                        TextFormat.JSON, where + " arguments"));
            } else {
                assertTrue(truncated, where + ": arguments that are not JSON in a complete response");
                TruncatedOutputException e = Recordings.expectFailure(deltas, true, TruncatedOutputException.class,
                        where);
                assertFalse(e.getMessage().isEmpty());
            }
        }
        STREAMS.incrementAndGet();
    }

    private static <T> T assertInstanceOf(Class<T> type, Object o, String where) {
        assertTrue(type.isInstance(o), where + ": expected a " + type.getSimpleName() + ", got " + o);
        return type.cast(o);
    }

    private static String str(JsonNode v) {
        return v == null || v.isNull() ? null : v.asString();
    }

    static {
        MAPPER.getClass();
    }
}
