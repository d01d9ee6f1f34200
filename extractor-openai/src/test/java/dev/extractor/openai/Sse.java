package dev.extractor.openai;

import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds chat-completions event streams for tests, the way OpenAI sends them. */
final class Sse {

    private static final JsonMapper M = JsonMapper.builder().build();

    private final List<String> events = new ArrayList<>();
    private String finish = "stop";
    private boolean usage = true;
    private boolean done = true;

    private Sse() {}

    /** A content answer, cut into pieces of {@code piece} chars. */
    static Sse content(String text, int piece) {
        Sse s = new Sse();
        s.events.add(chunk(delta().put("role", "assistant").put("content", "")));
        for (String p : cut(text, piece)) {
            s.events.add(chunk(delta().put("content", p)));
        }
        return s;
    }

    /** A tool-call answer (one call), arguments cut into pieces. */
    static Sse toolCall(String name, String args, int piece) {
        Sse s = new Sse();
        ObjectNode first = delta().put("role", "assistant");
        ObjectNode call = first.putArray("tool_calls").addObject().put("index", 0).put("id", "call_1")
                .put("type", "function");
        call.putObject("function").put("name", name).put("arguments", "");
        s.events.add(chunk(first));
        for (String p : cut(args, piece)) {
            ObjectNode d = delta();
            d.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", p);
            s.events.add(chunk(d));
        }
        s.finish = "tool_calls";
        return s;
    }

    /** A refusal. */
    static Sse refusal(String text) {
        Sse s = new Sse();
        s.events.add(chunk(delta().put("role", "assistant").putNull("content")));
        for (String p : cut(text, 5)) {
            s.events.add(chunk(delta().put("refusal", p)));
        }
        return s;
    }

    Sse finish(String reason) {
        this.finish = reason;
        return this;
    }

    Sse noUsage() {
        this.usage = false;
        return this;
    }

    Sse noDone() {
        this.done = false;
        return this;
    }

    /** Adds a raw line block (a comment, an error event). */
    Sse raw(String block) {
        events.add(block);
        return this;
    }

    String body() {
        StringBuilder sb = new StringBuilder();
        for (String e : events) {
            sb.append(e.startsWith(":") || e.startsWith("event:") ? e : "data: " + e).append("\n\n");
        }
        if (finish != null) {
            ObjectNode c = base();
            c.putArray("choices").addObject().put("index", 0).<ObjectNode>set("delta", M.createObjectNode())
                    .put("finish_reason", finish);
            sb.append("data: ").append(c).append("\n\n");
        }
        if (usage) {
            ObjectNode c = base();
            c.putArray("choices");
            c.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 20).put("total_tokens", 30);
            sb.append("data: ").append(c).append("\n\n");
        }
        if (done) {
            sb.append("data: [DONE]\n\n");
        }
        return sb.toString();
    }

    MockResponse response() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .addHeader("x-request-id", "req_123").body(body()).build();
    }

    static ObjectNode delta() {
        return M.createObjectNode();
    }

    private static ObjectNode base() {
        return M.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("model", "gpt-test-2025");
    }

    static String chunk(ObjectNode delta) {
        ObjectNode c = base();
        c.putArray("choices").addObject().put("index", 0).<ObjectNode>set("delta", delta).putNull("finish_reason");
        return c.toString();
    }

    static List<String> cut(String s, int piece) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int end = Math.min(s.length(), i + piece);
            if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
                end++;
            }
            out.add(s.substring(i, end));
            i = end;
        }
        return out;
    }

    static MockResponse error(int code, String type, String errorCode, String message) {
        ObjectNode e = M.createObjectNode();
        e.putObject("error").put("message", message).put("type", type).put("code", errorCode).putNull("param");
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .addHeader("x-request-id", "req_err").body(e.toString()).build();
    }
}
