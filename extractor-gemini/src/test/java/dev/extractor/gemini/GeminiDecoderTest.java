package dev.extractor.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.conformance.Recordings;
import dev.extractor.Delta;
import dev.extractor.FinishReason;
import dev.extractor.Usage;
import dev.extractor.client.ServerException;
import dev.extractor.client.StreamException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written Gemini chunks for what the recordings do not show; each decoded in pieces of every size. */
class GeminiDecoderTest {

    private static String chunk(String candidate) {
        return "data: {\"candidates\":[" + candidate + "],\"modelVersion\":\"g\",\"responseId\":\"r\"}\r\n\r\n";
    }

    private static String parts(String parts) {
        return chunk("{\"content\":{\"parts\":[" + parts + "],\"role\":\"model\"}}");
    }

    private static Recordings.Decoded decode(String... chunks) {
        byte[] body = String.join("", chunks).getBytes(StandardCharsets.UTF_8);
        Recordings.Decoded d = Recordings.decodeAllCuts(GeminiDecoder::new, body);
        for (int piece = 1; piece <= body.length; piece++) {
            assertEquals(d.deltas(), Recordings.decode(GeminiDecoder::new, body, piece).deltas(), "pieces of " + piece);
        }
        return d;
    }

    private static List<String> calls(Recordings.Decoded d) {
        return Recordings.tools(d.deltas()).stream().map(c -> c[0] + " " + c[1] + " " + c[2]).toList();
    }

    @Test
    void severalWholeCallsInOneChunkAreToldApartByOrder() {
        Recordings.Decoded d = decode(parts("{\"functionCall\":{\"name\":\"f\",\"args\":{\"a\":[1,2.50,\"x\"]}},"
                + "\"thoughtSignature\":\"sig\"},{\"functionCall\":{\"name\":\"f\",\"args\":{}}},"
                + "{\"functionCall\":{\"name\":\"g\",\"id\":\"id3\"}}"));
        assertEquals(List.of("null f {\"a\":[1,2.50,\"x\"]}", "null f {}", "id3 g {}"), calls(d));
    }

    @Test
    void streamedArgumentsWithNumbersBooleansNullsAndAClosingPartialArg() {
        Recordings.Decoded d = decode(
                parts("{\"functionCall\":{\"name\":\"cook\",\"willContinue\":true}}"),
                parts("{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.r.n\",\"numberValue\":12.5},"
                        + "{\"jsonPath\":\"$.r.ok\",\"boolValue\":true},{\"jsonPath\":\"$.r.s[0]\",\"stringValue\":\"a\\\"\","
                        + "\"willContinue\":true}],\"willContinue\":true}}"),
                parts("{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.r.s[0]\",\"stringValue\":\"b\"}],"
                        + "\"willContinue\":true}}"),
                parts("{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.z\",\"nullValue\":\"NULL_VALUE\"}]}}"),
                parts("{\"functionCall\":{\"name\":\"none\"}}"),
                parts("{\"functionCall\":{}}"));
        assertEquals(List.of("null cook {\"r\":{\"n\":12.5,\"ok\":true,\"s\":[\"a\\\"b\"]},\"z\":null}",
                "null none {}"), calls(d));
        assertTrue(d.deltas().stream().filter(x -> x instanceof Delta.ToolCall).count() > 5,
                "streamed arguments come fragment by fragment");
    }

    @Test
    void anotherCandidateIsIgnoredEvenWhenItsIndexComesLast() {
        Recordings.Decoded d = decode(chunk("{\"content\":{\"parts\":[{\"text\":\"no\"}]},\"finishReason\":\"SAFETY\","
                + "\"index\":1},{\"content\":{\"parts\":[{\"text\":\"thinking\",\"thought\":true},{\"text\":\"yes\"}]},"
                + "\"finishReason\":\"MAX_TOKENS\",\"index\":0}"));
        assertEquals("yes", Recordings.text(d.deltas()));
        assertEquals("thinking", Recordings.thinking(d.deltas()));
        assertEquals(new Delta.Finish("MAX_TOKENS", FinishReason.LENGTH), Recordings.last(d.deltas(), Delta.Finish.class));
    }

    @Test
    void usageIsCumulativeAndTheLastReportWins() {
        Recordings.Decoded d = decode(
                "data: {\"usageMetadata\":{\"trafficType\":\"ON_DEMAND\"}}\r\n\r\n",
                "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"cachedContentTokenCount\":4,"
                        + "\"candidatesTokenCount\":3,\"thoughtsTokenCount\":7,\"toolUsePromptTokenCount\":2,"
                        + "\"totalTokenCount\":22}}\r\n\r\n");
        assertEquals(List.of(new Delta.UsageReport(Usage.of(12, 10, 22).withCachedPromptTokens(4)
                .withReasoningTokens(7))), d.deltas(), "a report without counts is no report");
    }

    @Test
    void pathsOutOfOrderAreAClearError() {
        Recordings.Decoded d = decode(parts("{\"functionCall\":{\"name\":\"f\",\"willContinue\":true}}"),
                parts("{\"functionCall\":{\"partialArgs\":[{\"jsonPath\":\"$.a[1]\",\"numberValue\":1},"
                        + "{\"jsonPath\":\"$.a[0]\",\"numberValue\":2}],\"willContinue\":true}}"));
        assertTrue(d.error() instanceof StreamException e && e.getMessage().contains("$.a[0]"),
                String.valueOf(d.error()));
    }

    @Test
    void anErrorAsTheWholeBodyOrInsideAnArray() {
        String pretty = "[{\n  \"error\": {\n    \"code\": 503,\n    \"message\": \"The model is overloaded.\",\n"
                + "    \"status\": \"UNAVAILABLE\"\n  }\n}\n]";
        ServerException e = (ServerException) decode(pretty).error();
        assertEquals(503, e.statusCode());
        assertEquals("UNAVAILABLE", e.errorType());
        assertEquals("The model is overloaded.", e.serverMessage());
        assertNull(decode("\r\n").error());
    }
}
