package dev.extractor;

/**
 * Rewrites a Java regular expression (a Bean Validation {@code @Pattern}, anchored {@code ^...$}) into the syntax that
 * every grammar engine compiles alike, and that matches the same strings:
 * <ul>
 * <li>llama.cpp's json-schema-to-grammar copies escapes it doesn't know into GBNF, whose parser only knows the
 * escapes {@code \x}, {@code \t}, {@code \r}, {@code \n}, {@code \\}, {@code \"}, {@code \[}, {@code \]} and the
 * Unicode ones: {@code \d}, {@code \w}, {@code \s} and {@code \-} make the grammar (and the
 * request) fail. They become character classes ({@code \d} is {@code [0-9]}, as in Java) and escaped punctuation
 * becomes the character itself, or a {@code \xNN} escape inside a class.</li>
 * <li>Non-capturing and named groups become plain groups, lazy quantifiers greedy ones (the same strings match).</li>
 * <li>Anything else that some engine lacks (lookaround, backreferences, word boundaries, Unicode or POSIX classes,
 * inline flags, possessive quantifiers, class intersections, anchors inside the pattern) makes the pattern
 * unportable: {@link #portable} returns null and the dialect leaves the pattern out (Bean Validation still checks
 * it).</li>
 * </ul>
 */
final class PortablePatterns {

    private static final String DIGIT = "0-9";
    private static final String WORD = "0-9A-Za-z_";
    private static final String SPACE = " \\t\\n\\r\\x0B\\x0C";
    /** Characters that keep their backslash outside a class (llama.cpp turns each into a literal). */
    private static final String META = "^$.[](){}|*+?\\";

    private PortablePatterns() {
    }

    /** {@code regex} (anchored {@code ^...$}) in the portable syntax, or null if it can't be written in it. */
    static String portable(String regex) {
        if (regex.length() < 2 || regex.charAt(0) != '^' || regex.charAt(regex.length() - 1) != '$'
                || isEscaped(regex, regex.length() - 1)) {
            return null;
        }
        String body = regex.substring(1, regex.length() - 1);
        StringBuilder out = new StringBuilder(body.length() + 8).append('^');
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= body.length()) {
                        return null;
                    }
                    int used = escapeOutside(body, i, out);
                    if (used < 0) {
                        return null;
                    }
                    i += used;
                }
                case '[' -> {
                    int end = characterClass(body, i, out);
                    if (end < 0) {
                        return null;
                    }
                    i = end;
                }
                case '(' -> {
                    if (i + 1 < body.length() && body.charAt(i + 1) == '?') {
                        if (i + 2 < body.length() && body.charAt(i + 2) == ':') {
                            i += 3;
                        } else if (i + 3 < body.length() && body.charAt(i + 2) == '<'
                                && Character.isLetter(body.charAt(i + 3))) {
                            int close = body.indexOf('>', i + 3);
                            if (close < 0) {
                                return null;
                            }
                            i = close + 1;
                        } else {
                            return null; // lookaround, inline flags, atomic groups
                        }
                    } else {
                        i++;
                    }
                    out.append('(');
                }
                case '^', '$' -> {
                    return null; // an anchor inside the pattern (e.g. "^a|b$" grouped): no engine agrees on it
                }
                case '*', '+', '?' -> {
                    out.append(c);
                    i = afterQuantifier(body, i + 1);
                    if (i < 0) {
                        return null;
                    }
                }
                case '{' -> {
                    int close = body.indexOf('}', i);
                    if (close < 0 || !body.substring(i + 1, close).matches("\\d+(,\\d*)?")) {
                        return null;
                    }
                    out.append(body, i, close + 1);
                    i = afterQuantifier(body, close + 1);
                    if (i < 0) {
                        return null;
                    }
                }
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
        return out.append('$').toString();
    }

    /** Skips a lazy marker ({@code ?}: the same strings match); -1 for a possessive one ({@code +}). */
    private static int afterQuantifier(String body, int i) {
        if (i < body.length() && body.charAt(i) == '?') {
            return i + 1;
        }
        if (i < body.length() && body.charAt(i) == '+') {
            return -1;
        }
        return i;
    }

    /** Writes the escape at {@code i} (outside a class); returns the characters it used, or -1 if unportable. */
    private static int escapeOutside(String body, int i, StringBuilder out) {
        char n = body.charAt(i + 1);
        switch (n) {
            case 'd' -> out.append('[').append(DIGIT).append(']');
            case 'D' -> out.append("[^").append(DIGIT).append(']');
            case 'w' -> out.append('[').append(WORD).append(']');
            case 'W' -> out.append("[^").append(WORD).append(']');
            case 's' -> out.append('[').append(SPACE).append(']');
            case 'S' -> out.append("[^").append(SPACE).append(']');
            case 't', 'n', 'r' -> out.append('\\').append(n);
            case 'f' -> out.append("\\x0C");
            case 'e' -> out.append("\\x1B");
            case 'a' -> out.append("\\x07");
            case 'x', 'u' -> {
                return hexEscape(body, i, out);
            }
            default -> {
                if (META.indexOf(n) >= 0) {
                    out.append('\\').append(n);
                } else if (!Character.isLetterOrDigit(n)) {
                    out.append(n); // escaped punctuation such as \- or \/ is the character itself
                } else {
                    return -1; // \b, \p{..}, \Q, backreferences, ...
                }
            }
        }
        return 2;
    }

    /** Copies a two-digit {@code \x} or four-digit Unicode escape; -1 for other forms ({@code \x{...}}). */
    private static int hexEscape(String body, int i, StringBuilder out) {
        int digits = body.charAt(i + 1) == 'x' ? 2 : 4;
        if (i + 2 + digits > body.length()) {
            return -1;
        }
        String hex = body.substring(i + 2, i + 2 + digits);
        if (!hex.matches("[0-9A-Fa-f]+")) {
            return -1;
        }
        out.append(body, i, i + 2 + digits);
        return 2 + digits;
    }

    /** Writes the class starting at {@code start}; returns the index after its {@code ]}, or -1 if unportable. */
    private static int characterClass(String body, int start, StringBuilder out) {
        int i = start + 1;
        out.append('[');
        if (i < body.length() && body.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        boolean first = true;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == ']' && !first) {
                out.append(']');
                return i + 1;
            }
            first = false;
            if (c == ']') {
                out.append("\\]"); // a ']' right after '[' or '[^' is a literal in Java
                i++;
            } else if (c == '[' || c == '&' && i + 1 < body.length() && body.charAt(i + 1) == '&') {
                return -1; // Java's nested classes and intersections
            } else if (c == '\\') {
                if (i + 1 >= body.length()) {
                    return -1;
                }
                char n = body.charAt(i + 1);
                switch (n) {
                    case 'd' -> out.append(DIGIT);
                    case 'w' -> out.append(WORD);
                    case 's' -> out.append(SPACE);
                    case 't', 'n', 'r', '\\', ']', '[' -> out.append('\\').append(n);
                    case 'f' -> out.append("\\x0C");
                    case 'e' -> out.append("\\x1B");
                    case 'a' -> out.append("\\x07");
                    case '-' -> out.append("\\x2D");
                    case '^' -> out.append("\\x5E");
                    case 'x', 'u' -> {
                        int used = hexEscape(body, i, out);
                        if (used < 0) {
                            return -1;
                        }
                        i += used;
                        continue;
                    }
                    default -> {
                        if (Character.isLetterOrDigit(n)) {
                            return -1; // \D, \W, \S, \p{..}, ... inside a class
                        }
                        out.append(n);
                    }
                }
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return -1; // unterminated
    }

    private static boolean isEscaped(String s, int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
