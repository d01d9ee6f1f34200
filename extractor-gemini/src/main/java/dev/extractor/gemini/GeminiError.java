package dev.extractor.gemini;

import java.time.Duration;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Google says about an error, from an HTTP error body (often pretty-printed, and on
 * {@code streamGenerateContent?alt=sse} sent with an event-stream content type) or an error object inside a stream:
 * {@code {"error":{"code":429,"message":..,"status":"RESOURCE_EXHAUSTED","details":[...]}}}, also wrapped in an
 * array. From {@code details}: the {@code google.rpc.ErrorInfo} reason ({@code API_KEY_INVALID}) and the
 * {@code google.rpc.RetryInfo} delay ({@code "34.4s"}); a {@code retry-after} header counts when there is no
 * RetryInfo. A body that is not that shape becomes the message, abbreviated. Errors are rare: a tree is fine.
 *
 * @param status the HTTP status, 0 for an error inside a stream
 * @param code the error's {@code code} (Google repeats the HTTP status there), or 0
 * @param type the error's {@code status} ({@code INVALID_ARGUMENT}, {@code RESOURCE_EXHAUSTED}, ...), or null
 * @param reason the {@code ErrorInfo} reason, or null
 * @param message the error's message, or null
 * @param retryAfter how long the server asks to wait before retrying, or null
 */
record GeminiError(int status, int code, String type, String reason, String message, Duration retryAfter) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int MAX_BODY = 500;

    /** Parses an error body; {@code header} looks up a response header by name (null when there are none). */
    static GeminiError parse(int status, String body, UnaryOperator<String> header) {
        Duration headerDelay = header == null ? null : seconds(header.apply("retry-after"));
        if (body == null || body.isBlank()) {
            return new GeminiError(status, 0, null, null, null, headerDelay);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            return new GeminiError(status, 0, null, null, abbreviate(body.strip()), headerDelay);
        }
        if (root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        JsonNode err = root.get("error");
        JsonNode node = err != null && err.isObject() ? err : root;
        String message = text(node, "message");
        if (message == null) {
            message = err != null && err.isString() ? err.asString() : abbreviate(body.strip());
        }
        int code = node.path("code").asInt(0);
        String type = text(node, "status");
        String reason = null;
        Duration delay = null;
        for (JsonNode d : node.path("details")) {
            String t = d.path("@type").asString("");
            if (t.endsWith("google.rpc.ErrorInfo") && reason == null) {
                reason = text(d, "reason");
            } else if (t.endsWith("google.rpc.RetryInfo") && delay == null) {
                delay = protoDuration(d.get("retryDelay"));
            }
        }
        return new GeminiError(status, code, type, reason, message, delay != null ? delay : headerDelay);
    }

    /** {@code message (status: s, reason: r, retry after: d)}, leaving out what is missing. */
    String describe() {
        StringBuilder sb = new StringBuilder(message == null ? "(no message)" : message);
        String sep = " (";
        if (type != null) {
            sb.append(sep).append("status: ").append(type);
            sep = ", ";
        }
        if (reason != null) {
            sb.append(sep).append("reason: ").append(reason);
            sep = ", ";
        }
        if (retryAfter != null) {
            sb.append(sep).append("retry after: ").append(retryAfter.toMillis()).append(" ms");
            sep = ", ";
        }
        return sep.equals(", ") ? sb.append(')').toString() : sb.toString();
    }

    /** A protobuf JSON duration ({@code "34.4s"}, or an object with {@code seconds} and {@code nanos}). */
    static Duration protoDuration(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isObject()) {
            long s = v.path("seconds").asLong(0);
            long n = v.path("nanos").asLong(0);
            return s < 0 || n < 0 ? null : Duration.ofSeconds(s, n);
        }
        String s = v.asString("").strip();
        return s.endsWith("s") ? seconds(s.substring(0, s.length() - 1)) : null;
    }

    private static Duration seconds(String s) {
        if (s == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.strip());
            return d >= 0 && d < 1e9 ? Duration.ofNanos(Math.round(d * 1e9)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isContainer()) {
            return null;
        }
        String s = v.asString();
        return s.isEmpty() ? null : s;
    }

    static String abbreviate(String s) {
        return s.length() <= MAX_BODY ? s : s.substring(0, MAX_BODY) + "... (" + s.length() + " chars)";
    }
}
