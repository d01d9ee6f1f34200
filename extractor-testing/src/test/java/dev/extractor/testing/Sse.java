package dev.extractor.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A minimal SSE reader and chunk reassembler for tests, kept independent of the server code. */
final class Sse {

    /** One dispatched event; {@code comments} counts comment lines seen before it. */
    record Event(String event, String data) {
        boolean isDone() {
            return "[DONE]".equals(data);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(data);
        }
    }

    record Parsed(List<Event> events, int comments, boolean crlfOnly, boolean lfOnly) { }

    private Sse() {
    }

    static Parsed parse(String body) {
        List<Event> events = new ArrayList<>();
        int comments = 0;
        boolean sawCrlf = false;
        boolean sawBareLf = false;
        String event = null;
        StringBuilder data = null;
        int pos = 0;
        while (pos < body.length()) {
            int nl = body.indexOf('\n', pos);
            if (nl < 0) {
                throw new AssertionError("unterminated line at " + pos + ": " + body.substring(pos));
            }
            boolean cr = nl > pos && body.charAt(nl - 1) == '\r';
            if (cr) {
                sawCrlf = true;
            } else {
                sawBareLf = true;
            }
            String line = body.substring(pos, cr ? nl - 1 : nl);
            pos = nl + 1;
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(event, data.toString()));
                }
                event = null;
                data = null;
            } else if (line.startsWith(":")) {
                comments++;
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                String d = line.substring(5);
                d = d.startsWith(" ") ? d.substring(1) : d;
                data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
            } else {
                throw new AssertionError("unexpected SSE line: " + line);
            }
        }
        return new Parsed(events, comments, sawCrlf && !sawBareLf, sawBareLf && !sawCrlf);
    }

    /** Concatenation of {@code field} over every chunk's {@code choices[0].delta}. */
    static String reassemble(List<Event> events, String field) {
        StringBuilder sb = new StringBuilder();
        for (Event e : events) {
            Map<String, Object> delta = delta(e);
            if (delta != null && delta.get(field) instanceof String s) {
                sb.append(s);
            }
        }
        return sb.toString();
    }

    /** Concatenation of every {@code delta.tool_calls[0].function.arguments}. */
    static String reassembleArguments(List<Event> events) {
        StringBuilder sb = new StringBuilder();
        for (Event e : events) {
            Map<String, Object> delta = delta(e);
            if (delta != null && delta.get("tool_calls") instanceof List<?> calls) {
                Map<?, ?> fn = (Map<?, ?>) ((Map<?, ?>) calls.get(0)).get("function");
                if (fn != null && fn.get("arguments") instanceof String s) {
                    sb.append(s);
                }
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> delta(Event e) {
        if (e.isDone() || e.data().startsWith("{not")) {
            return null;
        }
        Object choices = e.json().get("choices");
        if (!(choices instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        return (Map<String, Object>) ((Map<String, Object>) list.get(0)).get("delta");
    }

    static Object finishReason(Event e) {
        return ((Map<?, ?>) ((List<?>) e.json().get("choices")).get(0)).get("finish_reason");
    }
}
