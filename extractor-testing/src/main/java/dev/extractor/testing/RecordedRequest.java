package dev.extractor.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request the {@link SimulatedModel} received, as the client sent it, with helpers for the
 * chat-completions fields tests usually look at.
 */
public final class RecordedRequest {

    /**
     * One entry of the request's {@code messages}.
     *
     * @param role    {@code system}, {@code user}, {@code assistant}, {@code tool}…
     * @param content the text content; for an array of content parts, the concatenated
     *                {@code text} parts; null when the message has no content
     */
    public record Message(String role, String content) { }

    private final int number;
    private final int connectionNumber;
    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final String body;
    private volatile Object json;
    private volatile RuntimeException jsonError;

    RecordedRequest(int number, int connectionNumber, String method, String path,
                    Map<String, List<String>> headers, String body) {
        this.number = number;
        this.connectionNumber = connectionNumber;
        this.method = method;
        this.path = path;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body;
    }

    /**
     * The {@code x-request-id} the response carried: {@code req_sim_<n>}.
     *
     * @return the request id
     */
    public String requestId() {
        return "req_sim_" + number;
    }

    /**
     * 1 for the first request this model received, 2 for the next…
     *
     * @return the request's number
     */
    public int sequenceNumber() {
        return number;
    }

    /**
     * 1 for the first connection this model accepted, 2 for the next…: equal numbers mean a reused connection.
     *
     * @return the connection's number
     */
    public int connectionNumber() {
        return connectionNumber;
    }

    /**
     * The request method, e.g. {@code POST}.
     *
     * @return the method
     */
    public String method() {
        return method;
    }

    /**
     * The request target as sent, e.g. {@code /v1/chat/completions}.
     *
     * @return the path and query
     */
    public String path() {
        return path;
    }

    /**
     * All headers; names are case-insensitive.
     *
     * @return the headers, by name
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * The first value of header {@code name} (case-insensitive), or null.
     *
     * @param name the header's name
     * @return its first value, or null
     */
    public String header(String name) {
        return firstHeader(headers, name);
    }

    /** The first value of header {@code name} in {@code headers} (a case-insensitive map), or null. */
    static String firstHeader(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The body decoded as UTF-8; empty if there was none.
     *
     * @return the body as text
     */
    public String body() {
        return body;
    }

    /**
     * The body parsed as a JSON object: unmodifiable maps (in document order), lists, strings,
     * numbers, booleans and nulls.
     *
     * @return the body's JSON object
     * @throws IllegalStateException if the body is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> bodyJson() {
        Object j = json;
        if (j == null) {
            if (jsonError != null) {
                throw jsonError;
            }
            try {
                j = Json.parse(body);
            } catch (IllegalArgumentException e) {
                jsonError = new IllegalStateException("request body is not JSON: " + e.getMessage(), e);
                throw jsonError;
            }
            if (!(j instanceof Map)) {
                jsonError = new IllegalStateException("request body is not a JSON object");
                throw jsonError;
            }
            json = j;
        }
        return (Map<String, Object>) j;
    }

    /**
     * The request's {@code model}, or null.
     *
     * @return the model, or null
     */
    public String model() {
        return bodyJson().get("model") instanceof String s ? s : null;
    }

    /**
     * Whether the request asked for {@code "stream": true}.
     *
     * @return whether the response was asked to stream
     */
    public boolean isStream() {
        return Boolean.TRUE.equals(bodyJson().get("stream"));
    }

    /**
     * Whether the request asked for {@code "stream_options": {"include_usage": true}}.
     *
     * @return whether usage was asked for in the stream
     */
    public boolean includeUsage() {
        return bodyJson().get("stream_options") instanceof Map<?, ?> options
                && Boolean.TRUE.equals(options.get("include_usage"));
    }

    /**
     * The request's {@code messages}, in order; empty if absent.
     *
     * @return the messages
     */
    public List<Message> messages() {
        if (!(bodyJson().get("messages") instanceof List<?> list)) {
            return List.of();
        }
        List<Message> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) {
                out.add(new Message(m.get("role") instanceof String r ? r : null, contentText(m.get("content"))));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The content of the last {@code user} message, or null if there is none.
     *
     * @return the last user message's content, or null
     */
    public String lastUserMessage() {
        List<Message> messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return null;
    }

    private static String contentText(Object content) {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof List<?> parts) {
            StringBuilder sb = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && p.get("text") instanceof String t) {
                    sb.append(t);
                }
            }
            return sb.toString();
        }
        return null;
    }

    @Override
    public String toString() {
        return method + " " + path + " (" + requestId() + ", " + body.length() + " chars)";
    }
}
