package dev.extractor.fuzz;

import dev.extractor.Delta;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Fragments of an answer: {@code String} (text feed), {@code byte[]} (byte feed), {@link Delta}. */
final class Fragments {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Fragments() {}

    /**
     * The answer's bytes as the contract defines them: text fragments' chars are one UTF-16 text across consecutive
     * text fragments (a surrogate pair may be cut), each unpaired surrogate becomes U+FFFD (contract 2); bytes
     * are taken as they are. Tool-call deltas are not part of this text.
     */
    static byte[] utf8(List<Object> fragments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder pending = new StringBuilder();
        for (Object f : fragments) {
            if (f instanceof String s) {
                pending.append(s);
            } else if (f instanceof byte[] b) {
                encode(pending, out);
                out.writeBytes(b);
            }
        }
        encode(pending, out);
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
        encode(new StringBuilder(s), out);
        return out.toByteArray();
    }

    private static void encode(StringBuilder s, ByteArrayOutputStream out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD;
            }
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        }
        s.setLength(0);
    }

    /** The text of valid UTF-8 bytes, or null. */
    static String decode(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static boolean toolCalls(List<Object> fragments) {
        return fragments.stream().anyMatch(f -> f instanceof Delta.ToolCall);
    }

    /** The (last) finish reason the fragments report, or null. */
    static Delta.Finish finish(List<Object> fragments) {
        Delta.Finish r = null;
        for (Object f : fragments) {
            if (f instanceof Delta.Finish d) {
                r = d;
            }
        }
        return r;
    }

    /** The {@code Delta.Prose} texts, in order: what {@code StreamResult.prose()} keeps (contract 11). */
    static String prose(List<Object> fragments) {
        StringBuilder sb = new StringBuilder();
        for (Object f : fragments) {
            if (f instanceof Delta.Prose p) {
                sb.append(p.text());
            }
        }
        return sb.toString();
    }

    /** The {@code Delta.Thinking} texts, in order: what {@code StreamResult.thinking()} keeps. */
    static String thinking(List<Object> fragments) {
        StringBuilder sb = new StringBuilder();
        for (Object f : fragments) {
            if (f instanceof Delta.Thinking t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    static boolean allText(List<Object> fragments) {
        return fragments.stream().allMatch(f -> f instanceof String || f instanceof Delta.Finish)
                && fragments.stream().anyMatch(f -> f instanceof String);
    }

    static boolean anyBytes(List<Object> fragments) {
        return fragments.stream().anyMatch(f -> f instanceof byte[]);
    }

    /** The same answer in one fragment: one text if every fragment is text, else its bytes. */
    static List<Object> whole(List<Object> fragments) {
        List<Object> rest = fragments.stream().filter(f -> f instanceof Delta && !(f instanceof Delta.ToolCall))
                .toList(); // finish reasons and such: kept, at the end
        List<Object> content = fragments.stream().filter(f -> !rest.contains(f)).toList();
        List<Object> out = new ArrayList<>(wholeContent(content));
        out.addAll(rest);
        return out;
    }

    private static List<Object> wholeContent(List<Object> fragments) {
        if (fragments.stream().anyMatch(f -> f instanceof Delta)) {
            List<Object> out = new ArrayList<>(); // consecutive fragments of one call merged
            for (Object f : fragments) {
                Delta.ToolCall t = (Delta.ToolCall) f;
                if (!out.isEmpty() && out.get(out.size() - 1) instanceof Delta.ToolCall p && p.index() == t.index()) {
                    out.set(out.size() - 1, new Delta.ToolCall(p.index(), p.id(), p.name(), p.arguments()
                            + t.arguments()));
                } else {
                    out.add(t);
                }
            }
            return out;
        }
        if (fragments.stream().allMatch(f -> f instanceof String)) {
            StringBuilder sb = new StringBuilder();
            fragments.forEach(f -> sb.append((String) f));
            return List.of(sb.toString());
        }
        return List.of(utf8(fragments));
    }

    static int size(Object f) {
        return f instanceof String s ? s.length() : f instanceof byte[] b ? b.length
                : f instanceof Delta.ToolCall t ? t.arguments().length() : 0;
    }

    /** A Java expression for a fragment: a string literal with escapes, or a byte array. */
    static String java(Object f) {
        if (f instanceof String s) {
            return javaString(s);
        }
        if (f instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("new byte[] {");
            for (int i = 0; i < b.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(b[i] >= 0x20 && b[i] < 0x7F && b[i] != '\'' && b[i] != '\\'
                        ? "'" + (char) b[i] + "'" : "(byte) 0x" + HexFormat.of().toHexDigits(b[i]));
            }
            return sb.append('}').toString();
        }
        if (f instanceof Delta.Finish d) {
            return d.kind() == dev.extractor.FinishReason.ofOpenAi(d.reason())
                    ? "new Delta.Finish(" + javaString(d.reason()) + ")"
                    : "new Delta.Finish(" + javaString(d.reason()) + ", dev.extractor.FinishReason." + d.kind() + ")";
        }
        if (f instanceof Delta.Prose p) {
            return "new Delta.Prose(" + javaString(p.text()) + ")";
        }
        if (f instanceof Delta.Thinking t) {
            return "new Delta.Thinking(" + javaString(t.text()) + ")";
        }
        Delta.ToolCall t = (Delta.ToolCall) f;
        return "new Delta.ToolCall(" + t.index() + ", " + (t.id() == null ? "null" : javaString(t.id())) + ", "
                + (t.name() == null ? "null" : javaString(t.name())) + ", " + javaString(t.arguments()) + ")";
    }

    static String javaString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * One line of the corpus format: {@code t:<JSON string>} (text), {@code b:<hex>} (bytes),
     * {@code c:<index>:<name>:<JSON string>} (a tool call's fragment), {@code f:<reason>} (an OpenAI finish reason) or
     * {@code f:<reason>:<KIND>}, {@code p:<JSON string>} (prose), {@code th:<JSON string>} (thinking).
     */
    static String corpusLine(Object f) {
        if (f instanceof String s) {
            return "t:" + javaString(s);
        }
        if (f instanceof byte[] b) {
            return "b:" + HexFormat.of().formatHex(b);
        }
        if (f instanceof Delta.Finish d) {
            return "f:" + d.reason() + (d.kind() == dev.extractor.FinishReason.ofOpenAi(d.reason()) ? ""
                    : ":" + d.kind());
        }
        if (f instanceof Delta.Prose p) {
            return "p:" + javaString(p.text());
        }
        if (f instanceof Delta.Thinking t) {
            return "th:" + javaString(t.text());
        }
        Delta.ToolCall t = (Delta.ToolCall) f;
        return "c:" + t.index() + ":" + (t.name() == null ? "" : t.name()) + ":" + javaString(t.arguments());
    }

    static Object parseCorpusLine(String line) {
        if (line.startsWith("t:")) {
            return JSON.readValue(line.substring(2), String.class);
        }
        if (line.startsWith("b:")) {
            return HexFormat.of().parseHex(line.substring(2));
        }
        if (line.startsWith("f:")) {
            String[] p = line.substring(2).split(":", 2);
            return p.length == 1 ? new Delta.Finish(p[0])
                    : new Delta.Finish(p[0], dev.extractor.FinishReason.valueOf(p[1]));
        }
        if (line.startsWith("p:")) {
            return new Delta.Prose(JSON.readValue(line.substring(2), String.class));
        }
        if (line.startsWith("th:")) {
            return new Delta.Thinking(JSON.readValue(line.substring(3), String.class));
        }
        if (line.startsWith("c:")) {
            String[] p = line.split(":", 4);
            return new Delta.ToolCall(Integer.parseInt(p[1]), null, p[2].isEmpty() ? null : p[2],
                    JSON.readValue(p[3], String.class));
        }
        throw new IllegalArgumentException(line);
    }

    static List<Object> copy(List<Object> fragments) {
        return new ArrayList<>(fragments);
    }
}
