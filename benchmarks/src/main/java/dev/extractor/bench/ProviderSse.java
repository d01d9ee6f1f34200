package dev.extractor.bench;

import dev.extractor.Delta;
import dev.extractor.anthropic.AnthropicSse;
import dev.extractor.client.spi.StreamDecoder;
import dev.extractor.gemini.GeminiSse;
import dev.extractor.openai.OpenAiSse;
import dev.extractor.openai.ResponsesSse;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The answer of {@link Inputs} in each provider's native wire format, one byte array per event (one network read),
 * with the envelopes the providers really send around each 1..6-char delta; events of equal deltas share their
 * bytes (so 10,000 elements fit in memory). Fields that change per event in real streams but that no decoder reads
 * ({@code sequence_number}, Gemini's cumulative token counts) keep one value.
 */
enum ProviderSse {
    /** OpenAI Chat Completions ({@link Inputs#sse()}), for reference. */
    CHAT,
    /** OpenAI Responses: named {@code response.output_text.delta} events. */
    RESPONSES,
    /** Anthropic Messages: named {@code content_block_delta} events, padded payloads. */
    ANTHROPIC,
    /** Gemini {@code alt=sse}: a whole {@code GenerateContentResponse} per event, {@code \r\n\r\n}. */
    GEMINI;

    private static final Map<String, byte[][]> CACHE = new ConcurrentHashMap<>();

    /** A decoder of this format handing its deltas to {@code sink}. */
    StreamDecoder decoder(Consumer<Delta> sink) {
        return switch (this) {
            case CHAT -> {
                OpenAiSse.Decoder d = OpenAiSse.decoder(sink);
                yield new StreamDecoder() {
                    @Override
                    public void feed(byte[] bytes, int offset, int length) {
                        d.feed(bytes, offset, length);
                    }

                    @Override
                    public void end() {
                        d.end();
                    }

                    @Override
                    public boolean done() {
                        return d.isDone();
                    }
                };
            }
            case RESPONSES -> ResponsesSse.decoder(sink);
            case ANTHROPIC -> AnthropicSse.decoder(sink);
            case GEMINI -> GeminiSse.decoder(sink);
        };
    }

    /** The events of {@code in}'s answer in this format (cached). */
    byte[][] events(Inputs in) {
        return this == CHAT ? in.sse().events() : CACHE.computeIfAbsent(name() + "/" + in.size, k -> build(in));
    }

    private byte[][] build(Inputs in) {
        Map<String, byte[]> byDelta = new IdentityHashMap<>();
        String[] head = head();
        String[] tail = tail(in.deltas.length);
        byte[][] events = new byte[head.length + in.deltas.length + tail.length][];
        int e = 0;
        for (String h : head) {
            events[e++] = h.getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(400);
        for (String d : in.deltas) {
            byte[] ev = byDelta.get(d);
            if (ev == null) {
                sb.setLength(0);
                delta(sb, d);
                ev = sb.toString().getBytes(StandardCharsets.UTF_8);
                byDelta.put(d, ev);
            }
            events[e++] = ev;
        }
        for (String t : tail) {
            events[e++] = t.getBytes(StandardCharsets.UTF_8);
        }
        return events;
    }

    private static final String RESP = "resp_0bench00000000000000006a6bc6d82a98819484c52ef8cd37cde3";
    private static final String MSG = "msg_0bench00000000000000006a6bc6d8f6a88194b55ce4d351f06270";

    private String[] head() {
        return switch (this) {
            case RESPONSES -> new String[] {
                "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\""
                        + RESP + "\",\"object\":\"response\",\"created_at\":1767225600,\"status\":\"in_progress\","
                        + "\"model\":\"gpt-5.4-2026-03-05\",\"output\":[],\"usage\":null}}\n\n",
                "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":2,"
                        + "\"output_index\":0,\"item\":{\"id\":\"" + MSG + "\",\"type\":\"message\",\"status\":"
                        + "\"in_progress\",\"content\":[],\"phase\":\"final_answer\",\"role\":\"assistant\"}}\n\n",
                "event: response.content_part.added\ndata: {\"type\":\"response.content_part.added\","
                        + "\"sequence_number\":3,\"item_id\":\"" + MSG + "\",\"output_index\":0,\"content_index\":0,"
                        + "\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}}\n\n"};
            case ANTHROPIC -> new String[] {
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\","
                        + "\"id\":\"msg_01BENCH00000000000000000\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":412,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1,"
                        + "\"service_tier\":\"standard\"}}   }\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"text\",\"text\":\"\"}        }\n\n",
                "event: ping\ndata: {\"type\": \"ping\"}\n\n"};
            default -> new String[0];
        };
    }

    private void delta(StringBuilder sb, String d) {
        switch (this) {
            case RESPONSES -> {
                sb.append("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                        + "\"sequence_number\":17,\"item_id\":\"").append(MSG)
                        .append("\",\"output_index\":0,\"content_index\":0,\"delta\":");
                Corpus.jsonString(sb, d);
                sb.append(",\"logprobs\":[],\"obfuscation\":\"dfpQ3nIkWY2Fk\"}\n\n");
            }
            case ANTHROPIC -> {
                sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"text_delta\",\"text\":");
                Corpus.jsonString(sb, d);
                sb.append("}            }\n\n");
            }
            case GEMINI -> {
                sb.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": ");
                Corpus.jsonString(sb, d);
                sb.append("}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 412,"
                        + "\"candidatesTokenCount\": 17,\"totalTokenCount\": 429,\"promptTokensDetails\": [{\"modality\": "
                        + "\"TEXT\",\"tokenCount\": 412}]},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": "
                        + "\"wrFVaf70IfCm_uMPxYvX0AI\"}\r\n\r\n");
            }
            default -> throw new AssertionError(this);
        }
    }

    private String[] tail(int deltas) {
        return switch (this) {
            case RESPONSES -> new String[] {
                "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":99,\"response\":"
                        + "{\"id\":\"" + RESP + "\",\"object\":\"response\",\"status\":\"completed\",\"model\":"
                        + "\"gpt-5.4-2026-03-05\",\"output\":[],\"usage\":{\"input_tokens\":412,\"input_tokens_details\":"
                        + "{\"cached_tokens\":0},\"output_tokens\":" + deltas + ",\"output_tokens_details\":"
                        + "{\"reasoning_tokens\":0},\"total_tokens\":" + (412 + deltas) + "}}}\n\n"};
            case ANTHROPIC -> new String[] {
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0    }\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + deltas + "}       }\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"      }\n\n"};
            case GEMINI -> new String[] {
                "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"},"
                        + "\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 412,"
                        + "\"candidatesTokenCount\": " + deltas + ",\"totalTokenCount\": " + (412 + deltas) + "},"
                        + "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"wrFVaf70IfCm_uMPxYvX0AI\"}\r\n\r\n"};
            default -> new String[0];
        };
    }
}
