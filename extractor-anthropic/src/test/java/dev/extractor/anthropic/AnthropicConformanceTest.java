package dev.extractor.anthropic;

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
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.spi.ErrorDetails;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The conformance run over {@code ../shared/conformance/providers/anthropic}: every recorded stream is decoded whole,
 * byte by byte and in 7-byte pieces to the same deltas, which must match {@code EXPECTED.jsonl} (message id and
 * model, the text, the thinking, every tool_use block's id, name and input in order, the stop reason and its kind,
 * the usage); the JSON the answer carries (a text of JSON, a fenced JSON, the tool inputs) is streamed into elements
 * through the core and compared with the oracle's parse. Every HTTP error body is parsed into its fields. Skipped,
 * with a message, when the folder is absent.
 */
class AnthropicConformanceTest {

    /** The oracle's stop reasons, mapped independently of the decoder. */
    private static final Map<String, FinishReason> KINDS = Map.of("end_turn", FinishReason.STOP,
            "stop_sequence", FinishReason.STOP, "tool_use", FinishReason.TOOL_CALLS, "max_tokens",
            FinishReason.LENGTH, "refusal", FinishReason.REFUSAL, "pause_turn", FinishReason.OTHER);

    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final AtomicInteger ERROR_BODIES = new AtomicInteger();
    private static final AtomicInteger ELEMENTS = new AtomicInteger();

    @Test
    void conformanceDataIsPresent() {
        assertTrue(Files.isDirectory(Recordings.dir().resolve("anthropic")));
    }

    @AfterAll
    static void counts() {
        if (STREAMS.get() + ERROR_BODIES.get() > 0) {
            System.out.println("[conformance] anthropic: " + STREAMS + " streams decoded (whole, 1-byte, 7-byte), "
                    + ERROR_BODIES + " error bodies mapped, " + ELEMENTS + " elements compared");
        }
    }

    @TestFactory
    Stream<DynamicTest> recordings() throws Exception {
        Path dir = Recordings.dir();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode expected : Recordings.expected(dir, "anthropic")) {
            Path file = dir.resolve(expected.get("file").asString());
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                if (expected.get("container").asString().equals("http-error")) {
                    checkErrorBody(file, expected);
                } else {
                    checkStream(file, expected);
                }
            }));
        }
        assertTrue(tests.size() >= 30, "expected the 30 anthropic files, found " + tests.size());
        return tests.stream();
    }

    private static void checkErrorBody(Path file, JsonNode expected) throws Exception {
        int status = expected.get("http_status").asInt();
        String text = Files.readString(file);
        ErrorDetails e = ErrorDetails.parse(status, "application/json", text);
        JsonNode body = expected.get("error_body");
        assertEquals(status, e.status());
        assertEquals(body.get("error").get("type").asString(), e.type());
        assertEquals(body.get("error").get("message").asString(), e.message());
        assertEquals(status, ErrorDetails.statusFor(e.type(), e.code()), "the type stands for the status");
        ApiException typed = ApiException.of(e.describe(), e, null, null);
        assertEquals(status == 401 ? AuthenticationException.class : BadRequestException.class, typed.getClass());
        // the same body served where an event stream was expected is that error, never parsed as events
        Recordings.Decoded d = Recordings.decodeAllCuts(AnthropicDecoder::new, Files.readAllBytes(file));
        assertTrue(d.deltas().isEmpty());
        assertTrue(d.error() instanceof ApiException x && x.getClass() == typed.getClass()
                && e.message().equals(x.serverMessage()) && e.type().equals(x.errorType()), String.valueOf(d.error()));
        ERROR_BODIES.incrementAndGet();
    }

    private static void checkStream(Path file, JsonNode expected) throws Exception {
        byte[] body = Recordings.body(file, true, "\n\n");
        Recordings.Decoded d = Recordings.decodeAllCuts(AnthropicDecoder::new, body);
        String where = file.getFileName().toString();
        assertNull(d.error(), where);
        List<Delta> deltas = d.deltas();

        Delta.Info info = Recordings.last(deltas, Delta.Info.class);
        assertNotNull(info, where + ": no Info");
        assertEquals(expected.get("id").asString(), info.responseId(), where + ": id");
        assertEquals(expected.get("model").asString(), info.model(), where + ": model");

        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        List<JsonNode> toolBlocks = new ArrayList<>();
        for (JsonNode b : expected.get("blocks")) {
            switch (b.get("kind").asString()) {
                case "text" -> text.append(b.get("text").asString());
                case "thinking" -> thinking.append(b.get("thinking").asString());
                case "tool_use" -> toolBlocks.add(b);
                default -> { }
            }
        }
        assertEquals(text.toString(), Recordings.text(deltas), where + ": text");
        assertEquals(thinking.toString(), Recordings.thinking(deltas), where + ": thinking");

        List<String[]> calls = Recordings.tools(deltas);
        assertEquals(toolBlocks.size(), calls.size(), where + ": tool calls");
        List<JsonNode> inputs = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode b = toolBlocks.get(i);
            assertEquals(b.get("id").asString(), calls.get(i)[0], where + ": tool " + i + " id");
            assertEquals(b.get("name").asString(), calls.get(i)[1], where + ": tool " + i + " name");
            String raw = b.get("input_json").asString();
            assertEquals(raw.isEmpty() ? "{}" : raw, calls.get(i)[2], where + ": tool " + i + " arguments");
            assertEquals(b.get("input"), MAPPER.readTree(calls.get(i)[2]), where + ": tool " + i + " input");
            inputs.add(b.get("input"));
        }

        String stop = expected.get("stop_reason").isNull() ? null : expected.get("stop_reason").asString();
        Delta.Finish finish = Recordings.last(deltas, Delta.Finish.class);
        assertEquals(stop, finish == null ? null : finish.reason(), where + ": stop reason");
        if (stop != null) {
            assertEquals(KINDS.getOrDefault(stop, FinishReason.OTHER), finish.kind(), where + ": stop kind");
        }
        if ("refusal".equals(stop)) {
            assertEquals(expected.get("stop_details").get("explanation").asString(), Recordings.refusal(deltas));
        } else {
            assertEquals("", Recordings.refusal(deltas), where + ": refusal");
        }

        JsonNode u = expected.get("usage");
        long prompt = u.path("input_tokens").asLong(0) + u.path("cache_read_input_tokens").asLong(0)
                + u.path("cache_creation_input_tokens").asLong(0);
        Usage usage = Recordings.last(deltas, Delta.UsageReport.class).usage();
        assertEquals(prompt, usage.promptTokens(), where + ": prompt tokens");
        assertEquals(u.path("output_tokens").asLong(0), usage.completionTokens(), where + ": completion tokens");
        assertEquals(u.path("cache_read_input_tokens").asLong(0), usage.cachedPromptTokens(), where + ": cached");
        assertEquals(u.path("cache_creation_input_tokens").asLong(0), usage.cacheWriteTokens(), where + ": write");

        // the answer's JSON, streamed into elements through the core
        JsonNode value = Recordings.json(text.toString());
        JsonNode fenced = Recordings.fenced(text.toString());
        if (value != null && value.isContainer()) {
            ELEMENTS.addAndGet(Recordings.compareElements(deltas, false, List.of(value),
                    textArrays(expected), TextFormat.JSON, where + " text"));
        } else if (fenced != null && fenced.isContainer()) {
            ELEMENTS.addAndGet(Recordings.compareElements(deltas, false, List.of(fenced), List.of(),
                    TextFormat.MARKDOWN, where + " fenced text"));
        } else if ("max_tokens".equals(stop) && text.toString().strip().startsWith("{")) {
            Recordings.expectFailure(deltas, false, TruncatedOutputException.class, where);
        }
        if (!inputs.isEmpty()) {
            List<String> arrays = new ArrayList<>();
            if (toolBlocks.size() == 1) {
                arrays.addAll(Recordings.arrayFields(toolBlocks.get(0).get("input_json_kind").asString()));
            }
            ELEMENTS.addAndGet(Recordings.compareElements(deltas, true, inputs, arrays, TextFormat.JSON,
                    where + " tool inputs"));
        }
        STREAMS.incrementAndGet();
    }

    private static List<String> textArrays(JsonNode expected) {
        List<String> out = new ArrayList<>();
        for (JsonNode b : expected.get("blocks")) {
            if (b.get("kind").asString().equals("text")) {
                out.addAll(Recordings.arrayFields(b.path("text_kind").asString("")));
            }
        }
        return out;
    }
}
