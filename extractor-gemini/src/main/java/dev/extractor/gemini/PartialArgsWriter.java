package dev.extractor.gemini;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the JSON text of a function call's arguments as Vertex AI streams them ({@code streamFunctionCallArguments}):
 * a sequence of {@code partialArgs}, each a {@code jsonPath} ({@code $.recipe.steps[3]}) and a value, the pieces of
 * one string value arriving one after another under the same path. Each piece is turned into the next fragment of
 * the arguments' JSON text at once (containers opened and closed as the paths move on, strings left open while
 * their pieces come), so the arguments stream through the core like any tool call's.
 *
 * <p>Paths must arrive in document order, as Vertex sends them: a path that goes back into a container already
 * closed, or to an array index already written, is an error. Array indexes skipped are written as {@code null}.
 */
final class PartialArgsWriter {

    private static final int OBJECT = 1;
    private static final int ARRAY = 2;

    /** The error a path out of order or a malformed path is reported with. */
    static final class PathException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PathException(String message) {
            super(message, null, false, false);
        }
    }

    // open containers: 0 is the root; entered[d] is the member of container d-1 that container d is
    private int depth = -1;
    private int[] kind = new int[8];
    private int[] count = new int[8];
    private Object[] entered = new Object[8];
    private List<Object> leaf; // the path of the string value still open, or null
    private final StringBuilder out = new StringBuilder();

    /** A string piece at {@code path}: the fragment of JSON text it adds. */
    String string(String path, String piece) {
        List<Object> tokens = parse(path);
        out.setLength(0);
        if (leaf != null && leaf.equals(tokens)) {
            escape(piece);
            return out.toString();
        }
        member(tokens);
        out.append('"');
        escape(piece);
        leaf = tokens;
        return out.toString();
    }

    /** A scalar ({@code 12.5}, {@code true}, {@code null}) at {@code path}, as JSON text: the fragment it adds. */
    String scalar(String path, String json) {
        List<Object> tokens = parse(path);
        out.setLength(0);
        member(tokens);
        out.append(json);
        return out.toString();
    }

    /** The end of the arguments: the fragment that closes what is open ({@code {}} if nothing was written). */
    String close() {
        out.setLength(0);
        closeString();
        if (depth < 0) {
            return "{}";
        }
        while (depth >= 0) {
            out.append(kind[depth] == OBJECT ? '}' : ']');
            depth--;
        }
        return out.toString();
    }

    private void closeString() {
        if (leaf != null) {
            out.append('"');
            leaf = null;
        }
    }

    /** Positions the output at a new member {@code tokens}: closes, separates, opens, writes the key. */
    private void member(List<Object> tokens) {
        if (tokens.isEmpty()) {
            throw new PathException("a value at the root ($) of the arguments");
        }
        closeString();
        if (depth < 0) {
            push(tokens.get(0) instanceof Integer ? ARRAY : OBJECT, null);
        } else if ((kind[0] == ARRAY) != (tokens.get(0) instanceof Integer)) {
            throw new PathException("the arguments' root is " + (kind[0] == ARRAY ? "an array" : "an object")
                    + ", not what the path " + describe(tokens) + " says");
        }
        int parents = tokens.size() - 1;
        int common = 0;
        while (common < depth && common < parents && entered[common + 1].equals(tokens.get(common))) {
            common++;
        }
        while (depth > common) {
            out.append(kind[depth] == OBJECT ? '}' : ']');
            depth--;
        }
        for (int j = common; j < tokens.size(); j++) {
            Object t = tokens.get(j);
            if ((kind[depth] == ARRAY) != (t instanceof Integer)) {
                throw new PathException("the path " + describe(tokens) + " indexes "
                        + (kind[depth] == ARRAY ? "an array by name" : "an object by number"));
            }
            if (t instanceof Integer index) {
                if (index < count[depth]) {
                    throw new PathException("the path " + describe(tokens) + " goes back to an element already"
                            + " written (paths must come in document order)");
                }
                while (count[depth] < index) {
                    out.append(count[depth]++ > 0 ? ",null" : "null");
                }
                if (count[depth]++ > 0) {
                    out.append(',');
                }
            } else {
                if (count[depth]++ > 0) {
                    out.append(',');
                }
                quote((String) t);
                out.append(':');
            }
            if (j < tokens.size() - 1) {
                push(tokens.get(j + 1) instanceof Integer ? ARRAY : OBJECT, t);
            }
        }
    }

    private void push(int k, Object member) {
        depth++;
        if (depth == kind.length) {
            kind = Arrays.copyOf(kind, depth * 2);
            count = Arrays.copyOf(count, depth * 2);
            entered = Arrays.copyOf(entered, depth * 2);
        }
        kind[depth] = k;
        count[depth] = 0;
        entered[depth] = member;
        out.append(k == OBJECT ? '{' : '[');
    }

    private void quote(String s) {
        out.append('"');
        escape(s);
        out.append('"');
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /**
     * The tokens of a JSON path: names ({@code .name}, {@code ['name']}, {@code ["name"]}) as Strings, indexes
     * ({@code [3]}) as Integers. The leading {@code $} is optional.
     */
    static List<Object> parse(String path) {
        List<Object> tokens = new ArrayList<>(4);
        int i = path.startsWith("$") ? 1 : 0;
        int n = path.length();
        if (i == 0 && n > 0 && path.charAt(0) != '.' && path.charAt(0) != '[') {
            i = -1; // a bare name: "recipe.steps[0]"
        }
        while (i < n) {
            char c = i < 0 ? '.' : path.charAt(i);
            if (c == '.') {
                int start = i + 1;
                int end = start;
                while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                if (end == start) {
                    throw new PathException("an empty name in the path " + path);
                }
                tokens.add(path.substring(start, end));
                i = end;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new PathException("an unclosed [ in the path " + path);
                }
                String inside = path.substring(i + 1, close).strip();
                if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
                        && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
                    String name = inside.substring(1, inside.length() - 1);
                    tokens.add(name);
                } else {
                    try {
                        int index = Integer.parseInt(inside);
                        if (index < 0) {
                            throw new NumberFormatException();
                        }
                        tokens.add(index);
                    } catch (NumberFormatException e) {
                        throw new PathException("a bad index [" + inside + "] in the path " + path);
                    }
                }
                i = close + 1;
            } else {
                throw new PathException("an unexpected '" + c + "' in the path " + path);
            }
        }
        return tokens;
    }

    private static String describe(List<Object> tokens) {
        StringBuilder sb = new StringBuilder("$");
        for (Object t : tokens) {
            sb.append(t instanceof Integer ? "[" + t + "]" : "." + t);
        }
        return sb.toString();
    }
}
