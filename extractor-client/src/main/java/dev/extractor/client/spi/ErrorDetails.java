package dev.extractor.client.spi;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a server said about an error, in provider-neutral fields: the HTTP status (or, for an error sent inside a
 * stream, the status it stands for), the message, type, code and parameter, the response's content type and body,
 * and a wait the body asked for. A {@link WireFormat} produces one from an error response ({@link
 * WireFormat#error}) or from an error event in a stream ({@link #inBand}); the client turns it into the typed
 * exception ({@link dev.extractor.client.ApiException#of}).
 *
 * <p>{@link #parse} understands the shapes seen in the wild: OpenAI's {@code {"error": {"message", "type", "code",
 * "param"}}}, Anthropic's {@code {"type": "error", "error": {"type", "message"}}}, Google's {@code {"error":
 * {"code": 400, "message", "status": "INVALID_ARGUMENT", "details": [...]}}} (and a list of those), {@code
 * {"error": "text"}}, vLLM's and FastAPI's top-level {@code message} / {@code detail}; anything else (an HTML page
 * from a proxy) is summed up in one line. Immutable and serialisable (it travels in exceptions).
 */
public final class ErrorDetails implements java.io.Serializable {

    private static final long serialVersionUID = 1L;
    private static final JsonMapper MAPPER = dev.extractor.internal.JacksonCheck.newMapper();
    private static final int MAX_SUMMARY = 300;
    private static final int MAX_BODY = 64 * 1024;
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    private static final Pattern H1 = Pattern.compile("(?is)<h1[^>]*>(.*?)</h1>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern GOOGLE_DELAY = Pattern.compile("^(\\d+(?:\\.\\d+)?)s$");

    /** The HTTP status, or the one an in-band error stands for (0: unknown). */
    private final int status;
    /** Whether the error arrived inside a stream. */
    private final boolean inBand;
    /** The server's message, on one line, or null. */
    private final String message;
    /** The error type, or null. */
    private final String type;
    /** The error code, or null. */
    private final String code;
    /** The parameter the error is about, or null. */
    private final String param;
    /** The response's content type, or null. */
    private final String contentType;
    /** The body as received, up to 64 KiB. */
    private final String body;
    /** A wait the body asked for, or null. */
    private final Duration retryAfter;

    private ErrorDetails(int status, boolean inBand, String message, String type, String code, String param,
            String contentType, String body, Duration retryAfter) {
        this.status = status;
        this.inBand = inBand;
        this.message = message;
        this.type = type;
        this.code = code;
        this.param = param;
        this.contentType = contentType;
        this.body = body == null ? "" : body.length() <= MAX_BODY ? body : body.substring(0, MAX_BODY);
        this.retryAfter = retryAfter;
    }

    /**
     * The details of an error response.
     *
     * @param status the HTTP status
     * @param contentType the response's {@code Content-Type}, or null
     * @param body the response body (the first 64 KiB are kept), or null
     * @return the details of an error response
     */
    public static ErrorDetails parse(int status, String contentType, String body) {
        return parse(status, false, contentType, body);
    }

    /**
     * The details of an error a server sent inside a stream whose HTTP status was 200 ({@code data:
     * {"error": ...}}, {@code event: error}, Anthropic's {@code {"type": "error", ...}}): {@link #status()} is the
     * status its type or code stands for ({@link #statusFor}), and {@link #inBand()} is true.
     *
     * @param payload the event's data (JSON, or text)
     * @return the details, with the status the error's type or code stands for
     */
    public static ErrorDetails inBand(String payload) {
        ErrorDetails d = parse(0, true, "application/json", payload);
        return d.withStatus(statusFor(d.type, d.code));
    }

    private static ErrorDetails parse(int status, boolean inBand, String contentType, String body) {
        if (body == null || body.isBlank()) {
            return new ErrorDetails(status, inBand, null, null, null, null, contentType, body, null);
        }
        String stripped = body.strip();
        JsonNode root = null;
        if (stripped.startsWith("{") || stripped.startsWith("[")) {
            try {
                root = MAPPER.readTree(stripped);
            } catch (JacksonException e) {
                root = null;
            }
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            return new ErrorDetails(status, inBand, summary(contentType, stripped), null, null, null, contentType,
                    body, null);
        }
        if (root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        JsonNode err = root.get("error");
        if (err != null && err.isString()) {
            return new ErrorDetails(status, inBand, oneLine(err.asString()), text(root, "type"), text(root, "code"),
                    text(root, "param"), contentType, body, null);
        }
        JsonNode node = err != null && err.isObject() ? err : root;
        String message = text(node, "message");
        if (message == null) {
            message = text(node, "detail");
        }
        if (message == null && node.get("detail") != null) {
            message = node.get("detail").toString();
        }
        if (message == null) {
            message = stripped;
        }
        String type = text(node, "type");
        if (type == null || type.equals("error") && node == root) {
            type = text(node, "status"); // Google's {"code": 400, "status": "INVALID_ARGUMENT"}
        }
        String code = text(node, "code");
        if (code != null && type != null && code.equals(String.valueOf(status)) && node.has("status")) {
            code = null; // Google repeats the HTTP status as "code"; its "status" is the type
        }
        return new ErrorDetails(status, inBand, oneLine(message), type, code, text(node, "param"), contentType, body,
                googleRetryDelay(node));
    }

    /** Google's {@code details: [{"@type": ".../google.rpc.RetryInfo", "retryDelay": "30s"}]}, or null. */
    private static Duration googleRetryDelay(JsonNode node) {
        JsonNode details = node.get("details");
        if (details == null || !details.isArray()) {
            return null;
        }
        for (JsonNode d : details) {
            String t = text(d, "@type");
            String delay = text(d, "retryDelay");
            if (t != null && t.endsWith("RetryInfo") && delay != null) {
                Matcher m = GOOGLE_DELAY.matcher(delay.strip());
                if (m.matches()) {
                    return Duration.ofNanos((long) (Double.parseDouble(m.group(1)) * 1e9));
                }
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isContainer()) {
            return null;
        }
        String s = v.asString();
        return s.isEmpty() ? null : s;
    }

    /**
     * The HTTP status that an error type or code stands for, across providers: {@code invalid_request_error} /
     * {@code INVALID_ARGUMENT} 400, {@code authentication_error} / {@code UNAUTHENTICATED} 401, {@code
     * permission_error} / {@code PERMISSION_DENIED} 403, {@code not_found_error} / {@code NOT_FOUND} 404, {@code
     * request_too_large} 413, {@code rate_limit_error} / {@code rate_limit_exceeded} / {@code insufficient_quota} /
     * {@code RESOURCE_EXHAUSTED} 429, {@code server_error} / {@code api_error} / {@code INTERNAL} 500, {@code
     * UNAVAILABLE} 503, {@code DEADLINE_EXCEEDED} 504, {@code overloaded_error} 529. A code (or type) that is itself
     * a status ({@code "code": 429}, as vLLM and OpenRouter send) is taken first, as it is; then the type's word,
     * then the code's. 0 when neither says.
     *
     * @param type the type of the object
     * @param code the error code, or null
     * @return the HTTP status that an error type or code stands for, across providers
     */
    public static int statusFor(String type, String code) {
        if (code != null && code.matches("[45]\\d\\d")) {
            return Integer.parseInt(code);
        }
        if (type != null && type.matches("[45]\\d\\d")) {
            return Integer.parseInt(type);
        }
        int s = known(type);
        return s != 0 ? s : known(code);
    }

    private static int known(String word) {
        if (word == null) {
            return 0;
        }
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "invalid_request_error", "invalid_request", "bad_request", "badrequesterror", "invalid_argument",
                    "failed_precondition", "out_of_range", "context_length_exceeded", "invalid_prompt" -> 400;
            case "authentication_error", "invalid_api_key", "unauthenticated", "authenticationerror" -> 401;
            case "permission_error", "permission_denied", "permissiondeniederror" -> 403;
            case "not_found_error", "not_found", "model_not_found", "notfounderror" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error", "rate_limit_exceeded", "insufficient_quota", "resource_exhausted",
                    "ratelimiterror", "tokens", "requests" -> 429;
            case "server_error", "api_error", "internal", "internal_error", "internalservererror" -> 500;
            case "unavailable", "service_unavailable" -> 503;
            case "deadline_exceeded", "timeout" -> 504;
            case "overloaded_error", "overloaded" -> 529;
            default -> 0;
        };
    }

    /**
     * One line for a message: collapsed whitespace, at most 300 characters; for an HTML page, its title (or
     * first heading, or text) rather than its markup.
     */
    static String summary(String contentType, String body) {
        String s = body.strip();
        boolean html = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html")
                || s.startsWith("<");
        if (html) {
            Matcher m = TITLE.matcher(s);
            if (!m.find()) {
                m = H1.matcher(s);
                if (!m.find()) {
                    m = null;
                }
            }
            String text = m != null ? m.group(1) : s;
            s = TAG.matcher(text).replaceAll(" ");
            s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&#39;", "'").replace("&amp;", "&");
        }
        return oneLine(s);
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() <= MAX_SUMMARY ? t : t.substring(0, MAX_SUMMARY) + "... (" + t.length() + " chars)";
    }

    /**
     * A copy with another status (a wire format that knows better than {@link #statusFor}).
     *
     * @param newStatus the status
     * @return a copy with another status (a wire format that knows better than {@link #statusFor})
     */
    public ErrorDetails withStatus(int newStatus) {
        return new ErrorDetails(newStatus, inBand, message, type, code, param, contentType, body, retryAfter);
    }

    /**
     * A copy with a wait the server asked for in its body (Google's {@code RetryInfo}, say).
     *
     * @param wait the wait
     * @return a copy with a wait the server asked for in its body (Google's {@code RetryInfo}, say)
     */
    public ErrorDetails withRetryAfter(Duration wait) {
        return new ErrorDetails(status, inBand, message, type, code, param, contentType, body, wait);
    }

    /**
     * A copy with every text field passed through {@code redactor} (an echoed API key, say).
     *
     * @param redactor replaces what must not be shown
     * @return a copy with every text field passed through {@code redactor} (an echoed API key, say)
     */
    public ErrorDetails redacted(UnaryOperator<String> redactor) {
        Objects.requireNonNull(redactor, "redactor");
        return new ErrorDetails(status, inBand, r(redactor, message), r(redactor, type), r(redactor, code),
                r(redactor, param), contentType, r(redactor, body), retryAfter);
    }

    private static String r(UnaryOperator<String> redactor, String s) {
        return s == null ? null : redactor.apply(s);
    }

    /**
     * The HTTP status; for an error sent inside a stream, the status it stands for (0 if it says nothing).
     *
     * @return the HTTP status
     */
    public int status() {
        return status;
    }

    /**
     * Whether the error arrived inside a stream (its HTTP status was 200), not as an error response.
     *
     * @return whether the error arrived inside a stream (its HTTP status was 200), not as an error response
     */
    public boolean inBand() {
        return inBand;
    }

    /**
     * What the server said, on one line ({@code error.message}, or a summary of the body); may be null.
     *
     * @return what the server said, on one line ({@code error.message}, or a summary of the body)
     */
    public String message() {
        return message;
    }

    /**
     * The error type ({@code invalid_request_error}, {@code overloaded_error}, {@code RESOURCE_EXHAUSTED}); may be null.
     *
     * @return the error type ({@code invalid_request_error}, {@code overloaded_error}, {@code RESOURCE_EXHAUSTED})
     */
    public String type() {
        return type;
    }

    /**
     * The error code ({@code model_not_found}, {@code rate_limit_exceeded}); may be null.
     *
     * @return the error code ({@code model_not_found}, {@code rate_limit_exceeded})
     */
    public String code() {
        return code;
    }

    /**
     * The request parameter the error is about ({@code response_format}); may be null.
     *
     * @return the request parameter the error is about ({@code response_format})
     */
    public String param() {
        return param;
    }

    /**
     * The response's content type, or null.
     *
     * @return the response's content type, or null
     */
    public String contentType() {
        return contentType;
    }

    /**
     * The response body (or the event's data) as received, up to 64 KiB; empty if there was none.
     *
     * @return the response body (or the event's data) as received, up to 64 KiB
     */
    public String body() {
        return body;
    }

    /**
     * A wait the body asked for before retrying, or null.
     *
     * @return a wait the body asked for before retrying, or null
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * {@code message (type: t, code: c, param: p)}, leaving out what is missing.
     *
     * @return the message, then what else the server said (type, code, param)
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(message == null ? "(no message)" : message);
        String sep = " (";
        if (type != null) {
            sb.append(sep).append("type: ").append(type);
            sep = ", ";
        }
        if (code != null) {
            sb.append(sep).append("code: ").append(code);
            sep = ", ";
        }
        if (param != null) {
            sb.append(sep).append("param: ").append(param);
            sep = ", ";
        }
        return sep.equals(", ") ? sb.append(')').toString() : sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorDetails d && status == d.status && inBand == d.inBand
                && Objects.equals(message, d.message) && Objects.equals(type, d.type) && Objects.equals(code, d.code)
                && Objects.equals(param, d.param) && Objects.equals(contentType, d.contentType)
                && body.equals(d.body) && Objects.equals(retryAfter, d.retryAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, inBand, message, type, code, param, contentType, body, retryAfter);
    }

    /** The status and {@link #describe()}; not the body. */
    @Override
    public String toString() {
        return "ErrorDetails[" + (inBand ? "in-band, " : "") + "status " + status + ": " + describe() + "]";
    }
}
