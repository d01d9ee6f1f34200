package dev.extractor;

/**
 * The library's own messages, one per failure kind, worded from the bytes: what was found, what was expected,
 * where (byte offset and JSON Pointer), never from where a parser happened to resume.
 */
final class Failures {

    private Failures() { }

    /**
     * {@code Malformed JSON at byte 14 of the answer, after 2 element(s), at /items/2/id: unexpected ']', expected
     * a value. Near: ...>>>}
     */
    static MalformedJsonException malformed(String document, long at, int delivered, String pointer, String what,
            ByteWindow window) {
        String excerpt = excerpt(window, at);
        return new MalformedJsonException("Malformed JSON at byte " + at + " of " + document + ", after " + delivered
                + " element(s)" + at(pointer) + ": " + what + ". Near: " + excerpt, at, excerpt, null);
    }

    /** {@code The answer exceeds Limits.maxDepth (256) at byte 300 of the answer, at /a/b: '[' opens depth 257}. */
    static LimitExceededException limit(String document, String limit, long value, long at, String pointer,
            String what) {
        return new LimitExceededException("The answer exceeds Limits." + limit + " (" + value + ") at byte " + at
                + " of " + document + at(pointer) + ": " + what, limit, at, null);
    }

    private static String at(String pointer) {
        return pointer == null || pointer.isEmpty() ? "" : ", at " + pointer;
    }

    /**
     * Up to 40 bytes before the offset, then a marker. Nothing after it: what follows may not have arrived yet, and
     * the excerpt must not depend on how the text was cut. The window always holds these bytes.
     */
    static String excerpt(ByteWindow window, long at) {
        return printable(window.text(at - 40, at)) + ">>>";
    }

    static String printable(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    static String abbreviate(String s, int max) {
        return Violations.abbreviate(s, max);
    }

    /** {@code Element 1 (/items/1) is invalid: /id: must match "P-\d{3}". JSON: {...}}. */
    static String describe(InvalidElement e) {
        StringBuilder sb = new StringBuilder("Element ").append(e.index());
        if (!e.pointer().isEmpty()) {
            sb.append(" (").append(e.pointer()).append(')');
        }
        sb.append(" is invalid: ");
        for (int i = 0; i < e.violations().size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(e.violations().get(i));
        }
        return sb.append(". JSON: ").append(abbreviate(e.json(), 500)).toString();
    }
}
