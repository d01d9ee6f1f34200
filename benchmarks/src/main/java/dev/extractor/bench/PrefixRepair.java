package dev.extractor.bench;

/**
 * Closes a prefix of a JSON document so that it parses: the "repair" step of the naive approach.
 *
 * <p>The result is the longest clean cut of the prefix plus the closers of the containers open at that cut. A
 * clean cut is right after an opening bracket or brace, or right after a complete value (never after a comma or a
 * colon, nor inside a property name, a number or a literal); a string value that is still open is kept and closed
 * instead, minus any half-written escape, so partial text shows up as it streams. Assumes the prefix is a prefix
 * of valid JSON (a model's answer); garbage in gives garbage out.
 */
public final class PrefixRepair {

    private PrefixRepair() {
    }

    /** The repaired document, or {@code null} if no value has started yet. */
    public static String repair(CharSequence s) {
        int n = s.length();
        char[] stack = new char[32];
        int depth = 0;
        int cut = -1; // text[0, cut) is a clean cut
        int cutDepth = 0;
        boolean expectKey = false; // inside an object, before a property name
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            switch (c) {
                case '{', '[' -> {
                    if (depth == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, depth * 2);
                    }
                    stack[depth++] = c;
                    expectKey = c == '{';
                    cut = ++i;
                    cutDepth = depth;
                }
                case '}', ']' -> {
                    depth--;
                    expectKey = false;
                    cut = ++i;
                    cutDepth = depth;
                }
                case ',' -> {
                    expectKey = depth > 0 && stack[depth - 1] == '{';
                    i++;
                }
                case ':' -> {
                    expectKey = false;
                    i++;
                }
                case '"' -> {
                    boolean key = expectKey;
                    int j = i + 1;
                    int lastSafe = j; // end of the string's content without a half-written escape
                    boolean closed = false;
                    while (j < n) {
                        char d = s.charAt(j);
                        if (d == '"') {
                            closed = true;
                            break;
                        }
                        if (d == '\\') {
                            if (j + 1 >= n) {
                                break;
                            }
                            if (s.charAt(j + 1) == 'u') {
                                if (j + 6 > n) {
                                    break;
                                }
                                j += 6;
                            } else {
                                j += 2;
                            }
                        } else {
                            j++;
                        }
                        lastSafe = j;
                    }
                    if (!closed) {
                        if (key) {
                            return close(s, cut, stack, cutDepth, null);
                        }
                        // an open string value: keep what arrived and close it
                        return close(s, lastSafe, stack, depth, "\"");
                    }
                    i = j + 1;
                    if (!key) {
                        cut = i;
                        cutDepth = depth;
                    }
                    expectKey = false;
                }
                case ' ', '\n', '\r', '\t' -> i++;
                default -> {
                    // a number or a literal: complete only once a delimiter follows it
                    int j = i;
                    while (j < n && "{}[],: \n\r\t\"".indexOf(s.charAt(j)) < 0) {
                        j++;
                    }
                    if (j == n) {
                        return close(s, cut, stack, cutDepth, null);
                    }
                    i = j;
                    cut = i;
                    cutDepth = depth;
                }
            }
        }
        return close(s, cut, stack, cutDepth, null);
    }

    private static String close(CharSequence s, int cut, char[] stack, int depth, String infix) {
        if (cut < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(cut + depth + 1);
        sb.append(s, 0, cut);
        if (infix != null) {
            sb.append(infix);
        }
        for (int k = depth - 1; k >= 0; k--) {
            sb.append(stack[k] == '{' ? '}' : ']');
        }
        return sb.toString();
    }
}
