package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.conformance.Recordings;
import dev.extractor.Delta;
import dev.extractor.FinishReason;
import dev.extractor.client.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written Responses events for what the recordings do not show; each decoded in pieces of every size. */
class ResponsesDecoderTest {

    private static String data(String json) {
        return "data: " + json + "\n\n";
    }

    private static Recordings.Decoded decode(String... events) {
        byte[] body = String.join("", events).getBytes(StandardCharsets.UTF_8);
        Recordings.Decoded d = Recordings.decodeAllCuts(ResponsesDecoder::new, body);
        for (int piece = 1; piece <= body.length; piece++) {
            assertEquals(d.deltas(), Recordings.decode(ResponsesDecoder::new, body, piece).deltas(), "pieces of " + piece);
        }
        return d;
    }

    private static final String CREATED = data("{\"type\":\"response.created\",\"response\":{\"id\":\"r1\","
            + "\"model\":\"m\",\"status\":\"in_progress\",\"output\":[]}}");

    @Test
    void parallelCallsInterleavedByItemIdKeepTheirOwnIndex() {
        Recordings.Decoded d = decode(CREATED,
                data("{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"function_call\","
                        + "\"id\":\"fc_a\",\"call_id\":\"call_a\",\"name\":\"f\",\"arguments\":\"\"}}"),
                data("{\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{\"type\":\"function_call\","
                        + "\"id\":\"fc_b\",\"call_id\":\"call_b\",\"name\":\"g\",\"arguments\":\"\"}}"),
                data("{\"item_id\":\"fc_b\",\"output_index\":1,\"delta\":\"{\\\"b\\\"\",\"type\":"
                        + "\"response.function_call_arguments.delta\"}"),
                data("{\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_a\",\"delta\":\"{\\\"a\\\":1}\"}"),
                data("{\"type\":\"response.function_call_arguments.delta\",\"output_index\":1,\"delta\":\":2}\"}"),
                data("{\"type\":\"response.completed\",\"response\":{\"id\":\"r1\",\"status\":\"completed\",\"usage\":"
                        + "{\"input_tokens\":5,\"output_tokens\":7,\"total_tokens\":12}}}"));
        assertEquals(List.of("call_a f {\"a\":1}", "call_b g {\"b\":2}"),
                Recordings.tools(d.deltas()).stream().map(c -> String.join(" ", c)).toList());
        assertEquals(new Delta.Finish("completed", FinishReason.TOOL_CALLS),
                Recordings.last(d.deltas(), Delta.Finish.class));
    }

    @Test
    void argumentsAndTextThatCameOnlyWholeAreTakenFromTheirDoneEvents() {
        Recordings.Decoded d = decode(CREATED,
                data("{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"message\","
                        + "\"id\":\"m1\",\"phase\":\"commentary\"}}"),
                data("{\"type\":\"response.output_text.done\",\"output_index\":0,\"text\":\"Let me look.\"}"),
                data("{\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"type\":\"function_call\","
                        + "\"id\":\"fc\",\"call_id\":\"c\",\"name\":\"f\",\"arguments\":\"{\\\"x\\\":[1]}\"}}"),
                data("{\"type\":\"response.output_text.delta\",\"output_index\":2,\"delta\":\"{}\"}"),
                data("{\"type\":\"response.output_text.done\",\"output_index\":2,\"text\":\"{}\"}"),
                data("[DONE]"),
                data("{\"type\":\"response.output_text.delta\",\"output_index\":2,\"delta\":\"after\"}"));
        assertEquals(List.of(new Delta.Info("m", "r1", null), new Delta.Prose("Let me look."),
                new Delta.ToolCall(0, "c", "f", ""), new Delta.ToolCall(0, null, null, "{\"x\":[1]}"),
                new Delta.Text("{}")), d.deltas());
    }

    @Test
    void theFlatAndTheNestedErrorShapesAndResponseFailed() {
        ApiException flat = (ApiException) decode(CREATED, "event: error\n" + data("{\"type\":\"error\","
                + "\"code\":\"ERR_X\",\"message\":\"Something went wrong\",\"param\":null,\"sequence_number\":1}"))
                .error();
        assertEquals("ERR_X", flat.errorCode());
        assertEquals("Something went wrong", flat.serverMessage());
        assertNull(flat.errorType());
        ApiException nested = (ApiException) decode(CREATED, data("{\"type\":\"error\",\"sequence_number\":2,"
                + "\"error\":{\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\",\"message\":\"Quota\","
                + "\"param\":null}}")).error();
        assertEquals("insufficient_quota", nested.errorType());
        assertTrue(nested instanceof dev.extractor.client.RateLimitException, nested.getClass().getName());
        assertEquals("insufficient_quota", nested.errorCode());
        assertEquals("Quota", nested.serverMessage());
        ApiException failed = (ApiException) decode(CREATED, data("{\"type\":\"response.failed\",\"response\":"
                + "{\"id\":\"r1\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"Boom\"}}}"))
                .error();
        assertEquals("server_error", failed.errorCode());
        assertTrue(failed instanceof dev.extractor.client.ServerException, failed.getClass().getName());
        assertEquals("Boom", failed.serverMessage());
        assertTrue(failed.getMessage().contains("Boom"));
    }

    @Test
    void incompleteReasons() {
        Recordings.Decoded d = decode(CREATED, data("{\"type\":\"response.incomplete\",\"response\":{\"status\":"
                + "\"incomplete\",\"incomplete_details\":{\"reason\":\"content_filter\"}}}"));
        assertEquals(new Delta.Finish("content_filter", FinishReason.CONTENT_FILTER),
                Recordings.last(d.deltas(), Delta.Finish.class));
        assertEquals(FinishReason.OTHER, ResponsesDecoder.incompleteKind("something_new"));
    }

    @Test
    void unknownEventsAndItemsAreSkipped() {
        Recordings.Decoded d = decode(CREATED,
                data("{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"mcp_call\","
                        + "\"id\":\"x\",\"arguments\":\"{}\"}}"),
                data("{\"type\":\"response.mcp_call_arguments.delta\",\"output_index\":0,\"delta\":\"{}\"}"),
                data("{\"type\":\"response.future\",\"delta\":{\"nested\":[1,2]},\"text\":[\"x\"]}"),
                data("{\"type\":\"response.reasoning_summary_text.delta\",\"output_index\":1,\"delta\":\"think\"}"));
        assertEquals(List.of(new Delta.Info("m", "r1", null), new Delta.Thinking("think")), d.deltas());
    }
}
