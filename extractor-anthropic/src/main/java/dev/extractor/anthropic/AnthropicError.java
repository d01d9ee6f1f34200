package dev.extractor.anthropic;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Anthropic says about an error, from an HTTP error body or an {@code error} event inside a stream:
 * {@code {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_..."}}, with
 * the retry signals of the response headers ({@code retry-after-ms}, {@code retry-after} in seconds or as an HTTP
 * date, {@code x-should-retry}). A body that is not that shape (an HTML page from a proxy) becomes the message,
 * abbreviated. Errors are rare, so a tree is fine here.
 *
 * @param status the HTTP status, 0 for an error inside a stream
 * @param type the error's type ({@code invalid_request_error}, {@code authentication_error},
 *     {@code permission_error}, {@code not_found_error}, {@code request_too_large}, {@code rate_limit_error},
 *     {@code api_error}, {@code overloaded_error}), or null
 * @param message the error's message, or null
 * @param requestId the body's {@code request_id}, else the {@code request-id} header, or null
 * @param retryAfter how long the server asks to wait before retrying, or null
 * @param shouldRetry the {@code x-should-retry} header ({@code true}/{@code false}), or null
 */
record AnthropicError(int status, String type, String message, String requestId, Duration retryAfter,
        Boolean shouldRetry) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int MAX_BODY = 500;

    /** Parses an error body; {@code header} looks up a response header by name (null when there are none). */
    static AnthropicError parse(int status, String body, UnaryOperator<String> header) {
        UnaryOperator<String> h = header == null ? n -> null : header;
        Duration retryAfter = retryAfter(h.apply("retry-after-ms"), h.apply("retry-after"));
        String should = h.apply("x-should-retry");
        Boolean shouldRetry = should == null ? null
                : should.equalsIgnoreCase("true") ? Boolean.TRUE : should.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        String headerId = h.apply("request-id");
        if (body == null || body.isBlank()) {
            return new AnthropicError(status, null, null, headerId, retryAfter, shouldRetry);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            return new AnthropicError(status, null, abbreviate(body.strip()), headerId, retryAfter, shouldRetry);
        }
        JsonNode err = root.get("error");
        JsonNode node = err != null && err.isObject() ? err : root;
        String message = text(node, "message");
        if (message == null && err != null && err.isString()) {
            message = err.asString();
        }
        if (message == null) {
            message = abbreviate(body.strip());
        }
        String type = text(node, "type");
        if (node == root && "error".equals(type)) {
            type = null;
        }
        String requestId = text(root, "request_id");
        return new AnthropicError(status, type, message, requestId != null ? requestId : headerId, retryAfter,
                shouldRetry);
    }

    /** {@code message (type: t, request id: r)}, leaving out what is missing. */
    String describe() {
        StringBuilder sb = new StringBuilder(message == null ? "(no message)" : message);
        String sep = " (";
        if (type != null) {
            sb.append(sep).append("type: ").append(type);
            sep = ", ";
        }
        if (requestId != null) {
            sb.append(sep).append("request id: ").append(requestId);
            sep = ", ";
        }
        return sep.equals(", ") ? sb.append(')').toString() : sb.toString();
    }

    static Duration retryAfter(String millis, String seconds) {
        if (millis != null) {
            try {
                double ms = Double.parseDouble(millis.strip());
                if (ms >= 0 && ms < 1e12) {
                    return Duration.ofNanos(Math.round(ms * 1e6));
                }
            } catch (NumberFormatException ignored) {
                // fall back to retry-after
            }
        }
        if (seconds == null) {
            return null;
        }
        String s = seconds.strip();
        try {
            double secs = Double.parseDouble(s);
            return secs >= 0 && secs < 1e9 ? Duration.ofNanos(Math.round(secs * 1e9)) : null;
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
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
