package dev.extractor.fuzz;

import dev.extractor.InvalidElementPolicy;
import dev.extractor.Limits;
import dev.extractor.TextFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded generator of answers: a reader configuration, then JSON text written with random whitespace,
 * escapes and number forms, shaped for the selection (wrapper, bare array, paths, root, markdown), with
 * unknown and duplicate fields, values that do or do not fit the element type, and sometimes mutations.
 */
final class Gen {

    static final String[] SELECTIONS = {"items", "items", "items", "field:data", "array", "path:$.a[*].b[*]",
        "path:$.data.list[*]", "path:$.data.value", "root", "root"};
    static final String[] TYPES = {"Item", "Item", "Nums", "Nums", "Person", "Person", "Bean", "String", "Integer",
        "Long", "Double", "BigDecimal", "BigInteger", "Boolean", "Color", "JsonNode", "Map", "ListObj", "ListInt"};

    static final String[] INTS = {"0", "-0", "7", "-12", "42", "100", "2147483647", "-2147483648", "2147483648",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
        "000", "1"};
    static final String[] FLOATS = {"1.0", "-0.0", "0.5", "1e2", "1E+2", "1e-2", "-1.5E-3", "3.14159", "1.000",
        "2.5e308", "1e400", "4.9e-324", "0.1", "12345678901234567890.5", "10E0", "1.5"};
    static final String[] WORDS = {"a", "name", "items", "data", "héllo", "日本語", "😀", "x y", "", "tab\there",
        "q\"uote", "back\\slash", "/sl/ash", "\u2028", "\uFEFF", "nul\u0000", "\u001f", "\u007f", "end\uD800",
        "\uDC00x", "🎉🎉", "RED", "GREEN", "  ", "12", "-0", "true", "null", "ʕ•ᴥ•ʔ", "\uFFFF", "é"};

    final SplittableRandom r;
    final StringBuilder sb = new StringBuilder();
    private int wsLevel;
    boolean loneSurrogates;

    Gen(SplittableRandom r) {
        this.r = r;
    }

    int n(int bound) {
        return r.nextInt(bound);
    }

    boolean p(double probability) {
        return r.nextDouble() < probability;
    }

    <X> X pick(X[] xs) {
        return xs[r.nextInt(xs.length)];
    }

    // ------------------------------------------------------------------ configuration

    Config config() {
        String type = pick(TYPES);
        String sel = pick(SELECTIONS);
        InvalidElementPolicy pol = p(0.5) ? InvalidElementPolicy.FAIL : p(0.9) ? InvalidElementPolicy.SKIP
                : InvalidElementPolicy.REPAIR;
        double f = r.nextDouble();
        TextFormat fmt = sel.equals("root") || f >= 0.2 ? TextFormat.JSON
                : f < 0.12 ? TextFormat.MARKDOWN : TextFormat.JSON_IN_TEXT;
        Limits lim = Limits.defaults();
        if (p(0.15)) {
            lim = new Limits(pick(new Integer[] {3, 4, 6, 256}), pick(new Integer[] {6, 12, 40, 4_000_000}),
                    pick(new Integer[] {4, 8, 12, 1000}), pick(new Integer[] {5, 8, 50_000}),
                    pick(new Long[] {20L, 40L, 80L, 16L << 20}), pick(new Integer[] {1, 2, 3, 1_000_000}));
        }
        return new Config(type, sel, pol, fmt, lim, p(0.1));
    }

    // ------------------------------------------------------------------ writing

    void ws() {
        if (wsLevel == 0) {
            return;
        }
        int k = n(12);
        if (k >= wsLevel * 3) {
            return;
        }
        sb.append(switch (n(6)) {
            case 0 -> "\n";
            case 1 -> "\t";
            case 2 -> "\r\n  ";
            case 3 -> "  ";
            default -> " ";
        });
    }

    void str(String content) {
        sb.append('"');
        int i = 0;
        while (i < content.length()) {
            char c = content.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < content.length()
                    && Character.isLowSurrogate(content.charAt(i + 1))) {
                if (p(0.2)) {
                    sb.append(u(c)).append(u(content.charAt(i + 1)));
                } else {
                    sb.append(c).append(content.charAt(i + 1));
                }
                i += 2;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (p(0.5)) {
                    sb.append(c); // raw lone half: U+FFFD in a text feed (contract 2)
                    loneSurrogates = true;
                } else {
                    sb.append(u(c));
                }
            } else if (c == '"' || c == '\\') {
                sb.append(p(0.8) ? "\\" + c : u(c));
            } else if (c < 0x20) {
                String shortForm = switch (c) {
                    case '\n' -> "\\n";
                    case '\t' -> "\\t";
                    case '\r' -> "\\r";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> null;
                };
                sb.append(shortForm != null && p(0.7) ? shortForm : u(c));
            } else if (c == '/' && p(0.3)) {
                sb.append("\\/");
            } else if (p(0.08)) {
                sb.append(u(c));
            } else {
                sb.append(c);
            }
            i++;
        }
        sb.append('"');
    }

    private String u(char c) {
        String h = String.format("%04x", (int) c);
        return "\\u" + (p(0.5) ? h.toUpperCase() : h);
    }

    String text() {
        if (p(0.6)) {
            return pick(WORDS);
        }
        StringBuilder t = new StringBuilder();
        int len = n(8);
        for (int k = 0; k < len; k++) {
            switch (n(10)) {
                case 0 -> t.append((char) n(0x20));
                case 1 -> t.append(pick(new String[] {"\"", "\\", "/", "é", "ß", "中", "文", "😀", "👍🏽"}));
                case 2 -> t.append(pick(new String[] {"\uD83D", "\uDE00", "\uFEFF", "\u2028", "\u00A0"}));
                default -> t.append((char) ('a' + n(26)));
            }
        }
        return t.toString();
    }

    /**
     * A property name: like {@link #text()}, but an unpaired surrogate only now and then (decision U3: malformed in
     * a name; often, it would make most answers malformed and hide other classes).
     */
    String nameText() {
        String t = text();
        if (p(0.92)) {
            StringBuilder sb = new StringBuilder(t.length());
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
                    sb.append(c).append(t.charAt(++i));
                } else if (!Character.isSurrogate(c)) {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        return t;
    }

    void name(String name) {
        str(name);
        ws();
        sb.append(':');
        ws();
    }

    // ------------------------------------------------------------------ values

    void any(int depth) {
        int k = n(depth > 2 ? 5 : 8);
        switch (k) {
            case 0 -> str(text());
            case 1 -> sb.append(p(0.5) ? pick(INTS) : pick(FLOATS));
            case 2 -> sb.append(pick(new String[] {"true", "false", "null"}));
            case 3 -> str(pick(WORDS));
            case 4 -> sb.append(pick(INTS));
            case 5, 6 -> {
                sb.append('{');
                ws();
                int m = n(4);
                for (int j = 0; j < m; j++) {
                    if (j > 0) {
                        sb.append(',');
                        ws();
                    }
                    name(p(0.2) ? "k" : nameText());
                    any(depth + 1);
                    ws();
                }
                sb.append('}');
            }
            default -> {
                sb.append('[');
                ws();
                int m = n(4);
                for (int j = 0; j < m; j++) {
                    if (j > 0) {
                        sb.append(',');
                        ws();
                    }
                    any(depth + 1);
                    ws();
                }
                sb.append(']');
            }
        }
    }

    interface Field {
        void write();
    }

    /** An object of the given fields in random order, some missing, some doubled, unknown ones mixed in. */
    void object(String[] names, Field[] fields) {
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < names.length; j++) {
            if (!p(0.1)) {
                order.add(j);
            }
            if (p(0.04)) {
                order.add(j); // duplicate: one-shot binding keeps the last
            }
        }
        for (int j = order.size() - 1; j > 0; j--) {
            int s = n(j + 1);
            Integer t = order.get(j);
            order.set(j, order.get(s));
            order.set(s, t);
        }
        sb.append('{');
        ws();
        boolean first = true;
        for (int j : order) {
            if (p(0.1)) {
                first = comma(first);
                name(p(0.5) ? "unknown" : nameText());
                any(1);
                ws();
            }
            first = comma(first);
            name(names[j]);
            fields[j].write();
            ws();
        }
        sb.append('}');
    }

    private boolean comma(boolean first) {
        if (!first) {
            sb.append(',');
            ws();
        }
        return false;
    }

    void list(Runnable element, int max) {
        sb.append('[');
        ws();
        int m = n(max + 1);
        for (int j = 0; j < m; j++) {
            if (j > 0) {
                sb.append(',');
                ws();
            }
            element.run();
            ws();
        }
        sb.append(']');
    }

    void intValue() {
        if (p(0.9)) {
            sb.append(p(0.8) ? pick(new String[] {"0", "7", "42", "-12", "100", "1"}) : pick(INTS));
        } else {
            wrong();
        }
    }

    void numberValue() {
        if (p(0.92)) {
            sb.append(p(0.5) ? pick(INTS) : pick(FLOATS));
        } else {
            wrong();
        }
    }

    void stringValue() {
        if (p(0.92)) {
            str(text());
        } else if (p(0.5)) {
            sb.append(p(0.5) ? pick(INTS) : pick(FLOATS));
        } else {
            wrong();
        }
    }

    /** A value that may not fit. */
    void wrong() {
        switch (n(5)) {
            case 0 -> sb.append("null");
            case 1 -> sb.append(p(0.5) ? "true" : "false");
            case 2 -> str(text());
            default -> any(2);
        }
    }

    void element(String type) {
        switch (type) {
            case "Item" -> object(new String[] {"name", "qty", "price", "tags", "color"}, new Field[] {
                this::stringValue, this::intValue, this::numberValue, () -> list(this::stringValue, 3),
                () -> {
                    if (p(0.85)) {
                        str(pick(new String[] {"RED", "GREEN", "BLUE"}));
                    } else {
                        str(pick(new String[] {"PINK", "red", ""}));
                    }
                }});
            case "Nums" -> object(new String[] {"s", "bd", "bi", "d", "l", "i", "b", "n"}, new Field[] {
                () -> {
                    if (p(0.7)) {
                        sb.append(p(0.5) ? pick(INTS) : pick(FLOATS));
                    } else {
                        str(text());
                    }
                },
                this::numberValue, this::intValue, this::numberValue, this::intValue,
                () -> {
                    if (p(0.2)) {
                        sb.append("null");
                    } else {
                        intValue();
                    }
                },
                () -> sb.append(p(0.9) ? (p(0.5) ? "true" : "false") : "\"true\""),
                () -> any(1)});
            case "Person" -> object(new String[] {"name", "age", "tags", "address"}, new Field[] {
                () -> str(p(0.75) ? pick(new String[] {"Ann", "Bo", "日本", "😀"}) : pick(new String[] {"", "  ", "\t"})),
                () -> sb.append(p(0.8) ? pick(new String[] {"0", "30", "150", "7"}) : pick(new String[] {"-1", "151",
                    "200", "1e2", "30.5"})),
                () -> list(() -> str(p(0.85) ? "t" + n(9) : " "), p(0.8) ? 3 : 5),
                () -> {
                    if (p(0.1)) {
                        sb.append("null");
                    } else {
                        object(new String[] {"city", "zip"}, new Field[] {
                            () -> {
                                if (p(0.8)) {
                                    str(pick(new String[] {"Paris", "Oslo", "東京"}));
                                } else if (p(0.5)) {
                                    sb.append("null");
                                } else {
                                    str("x");
                                }
                            },
                            this::stringValue});
                    }
                }});
            case "Bean" -> object(new String[] {"id", "values", "meta"}, new Field[] {
                this::stringValue, () -> list(this::intValue, 3), () -> {
                    if (p(0.8)) {
                        object(new String[] {"k", nameText()}, new Field[] {() -> any(2), () -> any(2)});
                    } else {
                        wrong();
                    }
                }});
            case "String" -> stringValue();
            case "Integer", "Long", "BigInteger" -> {
                if (p(0.1)) {
                    str(pick(INTS));
                } else {
                    intValue();
                }
            }
            case "Double", "BigDecimal" -> numberValue();
            case "Boolean" -> sb.append(p(0.9) ? (p(0.5) ? "true" : "false") : pick(new String[] {"\"true\"", "1",
                "null"}));
            case "Color" -> str(p(0.85) ? pick(new String[] {"RED", "GREEN", "BLUE"}) : pick(WORDS));
            case "JsonNode" -> any(0);
            case "Map" -> {
                if (p(0.9)) {
                    object(new String[] {"k", "v", nameText()}, new Field[] {() -> any(1), () -> any(1), () -> any(1)});
                } else {
                    wrong();
                }
            }
            case "ListObj" -> list(() -> any(1), 3);
            case "ListInt" -> list(this::intValue, 3);
            default -> throw new IllegalArgumentException(type);
        }
    }

    void elements(String type, int max) {
        list(() -> element(type), max);
    }

    // ------------------------------------------------------------------ answers

    /** A whole answer's text for the configuration. */
    String answer(Config c) {
        sb.setLength(0);
        loneSurrogates = false;
        wsLevel = n(4);
        String type = c.type();
        int max = n(7);
        if (c.format() == TextFormat.MARKDOWN) {
            prose();
            if (p(0.7)) {
                sb.append(p(0.5) ? "```json\n" : "```\n");
                if (p(0.3)) {
                    sb.append("  \n");
                }
            }
            if (p(0.2)) {
                sb.append(p(0.5) ? "  " : "\t"); // an indented bracket line starts the JSON too (decision U8)
            }
        } else if (c.format() == TextFormat.JSON_IN_TEXT) {
            sb.append(pick(new String[] {"", "Here is the JSON: ", "Sure!\n", "Résumé 😀 — ", "Answer:\n\n",
                "(see below) ", "Note [1]: ", "x = {y}; ", "ok "}));
        } else if (p(0.5)) {
            ws();
        }
        switch (c.selection()) {
            case "items", "field:data" -> {
                String wrapper = c.selection().equals("items") ? "items" : "data";
                int shape = n(100);
                if (shape < 8) {
                    elements(type, max); // a bare array
                } else if (shape < 11) {
                    wrong(); // no array at all
                } else {
                    sb.append('{');
                    ws();
                    boolean first = true;
                    if (p(0.2)) {
                        first = comma(first);
                        name("model");
                        any(1);
                    }
                    first = comma(first);
                    name(wrapper);
                    if (shape < 14) {
                        any(1); // maybe not an array
                    } else {
                        elements(type, max);
                    }
                    ws();
                    if (p(0.05)) {
                        sb.append(',');
                        ws();
                        name(wrapper); // a duplicate wrapper key (contract 4)
                        elements(type, 2);
                    }
                    if (p(0.2)) {
                        sb.append(',');
                        ws();
                        name(p(0.5) ? "note" : "other");
                        any(1);
                    }
                    ws();
                    sb.append('}');
                }
            }
            case "array" -> {
                if (p(0.6)) {
                    elements(type, max);
                } else {
                    sb.append('{');
                    ws();
                    boolean first = true;
                    if (p(0.5)) {
                        first = comma(first);
                        name("count");
                        sb.append(pick(INTS));
                    }
                    if (p(0.9)) {
                        first = comma(first);
                        name(p(0.5) ? "results" : "items");
                        elements(type, max);
                    }
                    if (p(0.3)) {
                        first = comma(first);
                        name("more");
                        elements(type, 2);
                    }
                    ws();
                    sb.append('}');
                }
            }
            case "path:$.a[*].b[*]" -> {
                sb.append('{');
                ws();
                if (p(0.2)) {
                    name("z");
                    any(1);
                    sb.append(',');
                }
                name("a");
                list(() -> {
                    if (p(0.1)) {
                        any(2);
                        return;
                    }
                    sb.append('{');
                    ws();
                    if (p(0.3)) {
                        name("x");
                        any(2);
                        sb.append(',');
                    }
                    name("b");
                    if (p(0.05)) {
                        any(2);
                    } else {
                        elements(type, 3);
                    }
                    if (p(0.04)) {
                        sb.append(',');
                        name("b");
                        elements(type, 1);
                    }
                    ws();
                    sb.append('}');
                }, 3);
                ws();
                sb.append('}');
            }
            case "path:$.data.list[*]" -> {
                sb.append('{');
                ws();
                name("data");
                sb.append('{');
                ws();
                if (p(0.3)) {
                    name("size");
                    sb.append(pick(INTS));
                    sb.append(',');
                    ws();
                }
                name("list");
                elements(type, max);
                ws();
                sb.append('}');
                ws();
                sb.append('}');
            }
            case "path:$.data.value" -> {
                // a path without [*]: the one value at data.value (decision U5: found in full, or a shape error)
                sb.append('{');
                ws();
                name("data");
                sb.append('{');
                ws();
                if (p(0.3)) {
                    name("size");
                    sb.append(pick(INTS));
                    sb.append(',');
                    ws();
                }
                if (p(0.9)) {
                    name("value");
                    element(type);
                    ws();
                    if (p(0.05)) {
                        sb.append(',');
                        name("value"); // the selected field again (contract 4)
                        element(type);
                    }
                } else {
                    name("other");
                    any(1);
                }
                ws();
                sb.append('}');
                ws();
                sb.append('}');
            }
            case "root" -> element(type);
            default -> throw new IllegalArgumentException(c.selection());
        }
        if (c.format() == TextFormat.JSON_IN_TEXT) {
            if (p(0.5)) {
                sb.append(pick(new String[] {" Hope this helps!", "\n\nMore: {\"x\": 1}", " [done]", "}", "\n```",
                    " \uFEFF", "garbage ]]"}));
            }
        } else if (c.format() == TextFormat.MARKDOWN) {
            if (p(0.7)) {
                sb.append("\n```");
            }
            if (p(0.5)) {
                sb.append('\n');
                prose();
            }
        } else if (p(0.5)) {
            ws();
        }
        return sb.toString();
    }

    /**
     * Tool-call deltas (contract 10): one to three calls, each a whole document for the selection (the element
     * itself for {@code root}, else {@code {"items":[...]}}), cut into fragments (never inside a surrogate pair),
     * then sent one call after the other or interleaved as OpenAI does with parallel calls. The last call may be
     * cut short.
     */
    List<Object> toolCalls(Config c) {
        int calls = 1 + n(3);
        List<List<String>> docs = new ArrayList<>();
        for (int k = 0; k < calls; k++) {
            sb.setLength(0);
            wsLevel = n(3);
            if (c.selection().equals("root")) {
                element(c.type());
            } else {
                sb.append('{');
                ws();
                name("items");
                elements(c.type(), 3);
                ws();
                sb.append('}');
            }
            String doc = sb.toString();
            if (k == calls - 1 && p(0.15)) {
                doc = doc.substring(0, n(doc.length() + 1));
            }
            if (p(0.06)) {
                doc = pick(new String[] {"", "", " ", "\n"}); // a call without arguments: the empty object (U7)
            }
            List<String> parts = new ArrayList<>();
            int from = 0;
            while (from < doc.length()) {
                int to = Math.min(doc.length(), from + 1 + n(8));
                if (to < doc.length() && Character.isHighSurrogate(doc.charAt(to - 1))) {
                    to++;
                }
                parts.add(doc.substring(from, to));
                from = to;
            }
            if (parts.isEmpty()) {
                parts.add("");
            }
            docs.add(parts);
        }
        List<Object> out = new ArrayList<>();
        int[] next = new int[calls];
        boolean interleave = p(0.6);
        int current = 0;
        while (true) {
            List<Integer> open = new ArrayList<>();
            for (int k = 0; k < calls; k++) {
                if (next[k] < docs.get(k).size()) {
                    open.add(k);
                }
            }
            if (open.isEmpty()) {
                break;
            }
            int k = interleave ? open.get(n(open.size())) : (next[current] < docs.get(current).size() ? current
                    : open.get(0));
            current = k;
            boolean first = next[k] == 0;
            out.add(new dev.extractor.Delta.ToolCall(k, first ? "call_" + k : null, first ? "extract" : null,
                    docs.get(k).get(next[k]++)));
        }
        return out;
    }

    /**
     * Markdown prose: lines that start with neither a backtick nor a bracket (rarely an indented bracket, which
     * starts the JSON there: decision U8).
     */
    private void prose() {
        int lines = n(3);
        for (int j = 0; j < lines; j++) {
            sb.append(p(0.03) ? "  [a note]" : pick(new String[] {"Here is the JSON:", "Sure! {not json} here:",
                "Résumé 😀 [1]", "Note: use `code`", "#{x}", "-", " indented prose"})).append('\n');
            if (p(0.3)) {
                sb.append('\n');
            }
        }
    }

    // ------------------------------------------------------------------ other deltas

    /**
     * A finish reason: OpenAI's words (their kind from {@code FinishReason.ofOpenAi}) and other providers' words
     * with their kind; what counts is the kind ({@code max_tokens} through the OpenAI constructor is OTHER).
     */
    dev.extractor.Delta.Finish finish() {
        return switch (n(11)) {
            case 0 -> new dev.extractor.Delta.Finish("stop");
            case 1 -> new dev.extractor.Delta.Finish("length");
            case 2 -> new dev.extractor.Delta.Finish("content_filter");
            case 3 -> new dev.extractor.Delta.Finish("tool_calls");
            case 4 -> new dev.extractor.Delta.Finish("max_tokens", dev.extractor.FinishReason.LENGTH);
            case 5 -> new dev.extractor.Delta.Finish("MAX_TOKENS", dev.extractor.FinishReason.LENGTH);
            case 6 -> new dev.extractor.Delta.Finish("end_turn", dev.extractor.FinishReason.STOP);
            case 7 -> new dev.extractor.Delta.Finish("SAFETY", dev.extractor.FinishReason.CONTENT_FILTER);
            case 8 -> new dev.extractor.Delta.Finish("tool_use", dev.extractor.FinishReason.TOOL_CALLS);
            case 9 -> new dev.extractor.Delta.Finish("max_tokens"); // OpenAI has no such word: OTHER
            default -> new dev.extractor.Delta.Finish("pause_turn", dev.extractor.FinishReason.OTHER);
        };
    }

    /**
     * Text beside the answer (contract 11), never parsed: {@code Delta.Thinking} (reasoning) and, with tool calls,
     * {@code Delta.Prose} (the words before and between the calls). Its texts look like JSON now and then.
     */
    List<Object> side(boolean prose) {
        List<Object> out = new ArrayList<>();
        int k = 1 + n(3);
        for (int j = 0; j < k; j++) {
            String t = pick(new String[] {"Let me think.", "{\"items\":[", "]}", "I'll call the tool ", "😀 ",
                "\n", "\"", "\uD83D", "x"});
            out.add(prose && p(0.6) ? new dev.extractor.Delta.Prose(t) : new dev.extractor.Delta.Thinking(t));
        }
        return out;
    }

    /** {@code side} inserted into {@code fragments} at random places, in their order. */
    List<Object> sprinkle(List<Object> fragments, List<Object> side) {
        if (side.isEmpty()) {
            return fragments;
        }
        List<Object> out = new ArrayList<>(fragments);
        int at = 0;
        for (Object d : side) {
            at += n(out.size() - at + 1);
            out.add(at++, d);
        }
        return out;
    }

    // ------------------------------------------------------------------ mutations

    static final String[] INSERTS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "0", "7", "a", " ", "\u0000", "\uFEFF",
        "😀", "'", "/", "e", "-", ".", "\n", "x"};

    /** A textual mutation of an answer (may make it invalid). */
    String mutateText(String s) {
        if (s.isEmpty()) {
            return pick(INSERTS);
        }
        int at = n(s.length() + 1);
        switch (n(15)) {
            case 0: return s.substring(0, Math.min(at, s.length() - 1)) + s.substring(Math.min(at + 1, s.length()));
            case 1: return s.substring(0, at) + pick(INSERTS) + s.substring(at);
            case 2: return at < s.length() ? s.substring(0, at) + pick(INSERTS) + s.substring(at + 1) : s;
            case 3: return s.substring(0, at); // truncated
            case 4: return replaceNth(s, ",", ",,");
            case 5: return replaceNth(s, p(0.5) ? "}" : "]", p(0.5) ? ",}" : ",]"); // may pick the wrong one: fine
            case 6: return p(0.5) ? replaceNth(s, p(0.5) ? "}" : "]", "") : s.substring(0, at) + (p(0.5) ? "{" : "]")
                    + s.substring(at);
            case 7: return replaceNumber(s, pick(new String[] {"NaN", "Infinity", "-Infinity", "+1", ".5", "1.",
                "01", "-", "1e", "0x1F"}));
            case 8: return replaceNth(s, "\"", "'");
            case 9: return s.substring(0, at) + (p(0.5) ? "/* c */" : "// c\n") + s.substring(at);
            case 10: return s + pick(new String[] {"x", " {}", "]", " 1", "\uFEFF", "```", "\n\n", ",", "null"});
            case 11: return "\uFEFF" + s; // a leading BOM: skipped and counted
            case 12: return s.substring(0, at) + "\uFEFF" + s.substring(at);
            case 13: return replaceNth(s, ":", p(0.5) ? "" : "::");
            default: return s.substring(0, at) + s.substring(at) + s.substring(at); // a repeated tail
        }
    }

    private String replaceNth(String s, String what, String with) {
        List<Integer> at = new ArrayList<>();
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            at.add(i);
        }
        if (at.isEmpty()) {
            return s;
        }
        int i = at.get(n(at.size()));
        return s.substring(0, i) + with + s.substring(i + what.length());
    }

    private String replaceNumber(String s, String with) {
        List<int[]> spans = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= '0' && c <= '9') && (i == 0 || "[:, \n\t".indexOf(s.charAt(i - 1)) >= 0)) {
                int j = i;
                while (j < s.length() && "0123456789.eE+-".indexOf(s.charAt(j)) >= 0) {
                    j++;
                }
                spans.add(new int[] {i, j});
            }
        }
        if (spans.isEmpty()) {
            return s;
        }
        int[] sp = spans.get(n(spans.size()));
        return s.substring(0, sp[0]) + with + s.substring(sp[1]);
    }

    static final byte[][] BAD_UTF8 = {{(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80},
        {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF0, 0x09},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
        {(byte) 0xE6, (byte) 0x97}, {(byte) 0xF5}, {(byte) 0xC3}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}};

    /** A byte-level mutation (may make the bytes invalid UTF-8: then the answer is fed as bytes only). */
    byte[] mutateBytes(byte[] b) {
        int at = n(b.length + 1);
        byte[] ins;
        switch (n(5)) {
            case 0 -> ins = BAD_UTF8[n(BAD_UTF8.length)];
            case 1 -> {
                if (at < b.length) {
                    byte[] out = b.clone();
                    out[at] = (byte) (0x80 + n(0x80));
                    return out;
                }
                ins = new byte[] {(byte) 0x80};
            }
            case 2 -> {
                // cut inside a multi-byte character, or anywhere
                for (int i = at; i < b.length; i++) {
                    if ((b[i] & 0xC0) == 0x80) {
                        return java.util.Arrays.copyOf(b, i);
                    }
                }
                return java.util.Arrays.copyOf(b, at);
            }
            case 3 -> {
                if (at < b.length) {
                    byte[] out = new byte[b.length - 1];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                    return out;
                }
                return b;
            }
            default -> ins = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        }
        if (p(0.3)) {
            // inside a string, where invalid UTF-8 is the string's problem
            int q = -1;
            for (int i = at; i < b.length; i++) {
                if (b[i] == '"') {
                    q = i + 1;
                    break;
                }
            }
            if (q > 0) {
                at = q;
            }
        }
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }
}
