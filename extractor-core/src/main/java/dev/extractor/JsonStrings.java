package dev.extractor;

/** JSON string text: field names decoded from their bytes (which the {@link TokenFeed} has validated). */
final class JsonStrings {

    private JsonStrings() { }

    /** The value of a quoted JSON string ({@code "a\u0062"} is {@code ab}). */
    static String unquote(String quoted) {
        String s = quoted.length() >= 2 ? quoted.substring(1, quoted.length() - 1) : "";
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 < s.length()) {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    /** The field name whose opening quote is at {@code quoteAt} in the window, decoded. */
    static String nameAt(ByteWindow window, long quoteAt) {
        long end = quoteAt + 1;
        long limit = window.end();
        boolean escaped = false;
        while (end < limit) {
            int c = window.byteAt(end++);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                return unquote(window.text(quoteAt, end));
            }
        }
        return unquote(window.text(quoteAt, end) + "\"");
    }
}
