package dev.extractor.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.conformance.Recordings;
import dev.extractor.Delta;
import dev.extractor.FinishReason;
import dev.extractor.Usage;
import dev.extractor.client.OverloadedException;
import dev.extractor.client.RateLimitException;
import dev.extractor.client.StreamException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written Anthropic events for what the recordings do not show; each decoded at every cut. */
class AnthropicDecoderTest {

    private static String ev(String json) {
        String type = json.replaceAll("^\\{\"type\": ?\"([a-z_]+)\".*", "$1");
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    private static Recordings.Decoded decode(String... events) {
        byte[] body = String.join("", events).getBytes(StandardCharsets.UTF_8);
        Recordings.Decoded d = Recordings.decodeAllCuts(AnthropicDecoder::new, body);
        for (int cut = 1; cut <= body.length; cut++) { // and in pieces of every size
            Recordings.Decoded two = Recordings.decode(AnthropicDecoder::new, body, cut);
            assertEquals(d.deltas(), two.deltas(), "pieces of " + cut);
        }
        return d;
    }

    private static final String START = ev("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"m\","
            + "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":5,"
            + "\"output_tokens\":1}}}");

    @Test
    void usageCountsCacheTokensInThePromptAndTheDeltaOverlaysTheStart() {
        Recordings.Decoded d = decode(START, ev("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":42}}"), ev("{\"type\":\"message_stop\"}"));
        assertEquals(Usage.of(115, 42).withCachedPromptTokens(100).withCacheWriteTokens(5),
                Recordings.last(d.deltas(), Delta.UsageReport.class).usage());
        assertEquals(new Delta.Info("m", "msg_1", null), d.deltas().get(0));
    }

    @Test
    void unknownBlocksAndDeltasAreSkippedAndADeltaWithoutItsStartIsStillRead() {
        Recordings.Decoded d = decode(START,
                ev("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\","
                        + "\"id\":\"srv\",\"name\":\"web_search\",\"input\":{}}}"),
                ev("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"{\\\"q\\\":1}\"}}"),
                ev("{\"type\":\"content_block_stop\",\"index\":0}"),
                ev("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"future_block\"}}"),
                ev("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"no\"}}"),
                ev("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"yes\"}}"),
                ev("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"citations_delta\","
                        + "\"citation\":{\"text\":\"x\"}}}"),
                ev("{\"type\":\"future_event\",\"x\":[1,{\"y\":2}]}"),
                ev("{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"thinking_delta\","
                        + "\"thinking\":\"hmm\"}}"),
                ev("{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"signature_delta\","
                        + "\"signature\":\"sig\"}}"));
        assertEquals("yes", Recordings.text(d.deltas()));
        assertEquals("hmm", Recordings.thinking(d.deltas()));
        assertTrue(Recordings.tools(d.deltas()).isEmpty(), "a server tool is not a tool call of the answer");
    }

    @Test
    void aToolWhoseInputCameWithItsStartAndParallelToolsInOrder() {
        Recordings.Decoded d = decode(START,
                ev("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"Hi\"}}"),
                ev("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"a\","
                        + "\"name\":\"f\",\"input\":{\"k\":[1,2]}}}"),
                ev("{\"type\":\"content_block_stop\",\"index\":1}"),
                ev("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"b\","
                        + "\"name\":\"g\",\"input\":{}}}"),
                ev("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\","
                        + "\"partial_json\":\"\"}}"),
                ev("{\"type\":\"content_block_stop\",\"index\":2}"),
                ev("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":3}}"));
        List<String[]> calls = Recordings.tools(d.deltas());
        assertEquals(List.of("a f {\"k\":[1,2]}", "b g {}"),
                calls.stream().map(c -> String.join(" ", c)).toList());
        assertEquals("Hi", Recordings.text(d.deltas()));
        assertEquals(new Delta.Finish("tool_use", FinishReason.TOOL_CALLS),
                Recordings.last(d.deltas(), Delta.Finish.class));
    }

    @Test
    void stopReasonKinds() {
        assertEquals(FinishReason.LENGTH, AnthropicDecoder.finishKind("model_context_window_exceeded"));
        assertEquals(FinishReason.OTHER, AnthropicDecoder.finishKind("pause_turn"));
        assertEquals(FinishReason.OTHER, AnthropicDecoder.finishKind("something_new"));
        Recordings.Decoded d = decode(START, ev("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\"}}"));
        assertEquals(List.of(new Delta.Refusal("The model declined to answer (stop_reason: refusal)"),
                new Delta.Finish("refusal", FinishReason.REFUSAL)), d.deltas().subList(2, 4));
    }

    @Test
    void errorsInsideTheStream() {
        Recordings.Decoded d = decode(START,
                ev("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                ev("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"[1,\"}}"),
                ev("{\"type\": \"error\", \"error\": {\"details\": null, \"type\": \"overloaded_error\", "
                        + "\"message\": \"Overloaded\"}, \"request_id\": \"req_9\"  }"),
                ev("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"2]\"}}"));
        assertEquals("[1,", Recordings.text(d.deltas()));
        OverloadedException e = (OverloadedException) d.error();
        assertEquals("overloaded_error", e.errorType());
        assertEquals("Overloaded", e.serverMessage());
        assertEquals(529, e.statusCode());

        StreamException notObject = (StreamException) decode(START, "data: [1,2]\n\n").error();
        assertTrue(notObject.getMessage().contains("[1,2]"), notObject.getMessage());
        RateLimitException limit = (RateLimitException) decode(START, ev("{\"type\":\"error\",\"error\":"
                + "{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}")).error();
        assertEquals(429, limit.statusCode());
    }

    @Test
    void nothingIsReadAfterMessageStop() {
        Recordings.Decoded d = decode(START, ev("{\"type\":\"message_stop\"}"), "data: {not json\n\n");
        assertNull(d.error());
        assertEquals(2, d.deltas().size());
    }
}
