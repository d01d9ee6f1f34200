package dev.extractor.fuzz;

import dev.extractor.Limits;
import java.util.Arrays;

/**
 * The oracle's own JSON recognizer, written from RFC 8259 and RFC 3629 (not from the library): it reads the
 * answer's bytes once and says, byte-exactly, whether they are a complete JSON text, a viable prefix of one
 * (incomplete), or where the first byte is that no continuation can make valid (malformed), or where a limit is
 * crossed. On the way it records events in byte order, for the selection rules of {@link Oracle}:
 * value starts, container ends, property names (decoded), and scalar completions, each with its position.
 *
 * <p>Completion follows the contract's order rule (CORE-CONTRACT.md, "Decisions"): a string or a property name
 * completes at its closing quote, a bracket at itself, a number or a literal at the delimiter byte after it
 * (whitespace, {@code ,} or the enclosing container's closing bracket; whitespace only after a root value) or at
 * the end of input (a literal, or a root number: a number inside an open container is never complete at the end of
 * input, contract 1). A byte after a number or literal that is not such a delimiter is non-viable, and that
 * failure comes first: the token never completes ({@code [1x}, {@code [false\uFEFF}, {@code 1[}: no element).
 */
final class Scan {

    // event kinds
    static final byte OBJ = 1, END_OBJ = 2, ARR = 3, END_ARR = 4, NAME = 5, SCALAR_BEGIN = 6, STR = 7, NUM = 8,
            LIT = 9;

    enum Status { OK, EMPTY, INCOMPLETE, MALFORMED, LIMIT }

    /** Why the bytes are malformed, for telling the oracle's cross-check what Jackson may accept. */
    enum Why { NONE, SYNTAX, UTF8, TRAILING, DELIMITER }

    private final byte[] b;
    private final int to;
    private final Limits lim;
    private final boolean stopAtRootEnd;
    private int i;
    private int depth;

    // events
    int n;
    byte[] kind = new byte[32];
    int[] pos = new int[32]; // position of the event (start byte for begins, last or terminating byte for ends)
    int[] start = new int[32]; // for completions: the value's first byte
    int[] end = new int[32]; // for completions: just past the value's last byte
    String[] name = new String[32];

    Status status = Status.OK;
    Why why = Why.NONE;
    int failAt = -1;
    String limit;
    int rootStart = -1;
    int rootEnd = -1; // exclusive

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private static final Stop STOP = new Stop();

    Scan(byte[] b, int from, int to, Limits lim, boolean stopAtRootEnd) {
        this.b = b;
        this.i = from;
        this.to = to;
        this.lim = lim;
        this.stopAtRootEnd = stopAtRootEnd;
    }

    Scan run() {
        try {
            ws();
            if (i >= to) {
                status = Status.EMPTY;
                return this;
            }
            rootStart = i;
            value(0);
            rootEnd = i;
            if (stopAtRootEnd) {
                return this;
            }
            ws();
            if (i < to) {
                malformed(i, Why.TRAILING);
            }
        } catch (Stop s) {
            // status set
        }
        return this;
    }

    // ------------------------------------------------------------------ grammar

    /** @param closer the enclosing container's closing bracket, or 0 for the root value */
    private void value(int closer) {
        if (i >= to) {
            incomplete();
        }
        int c = b[i] & 0xFF;
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> {
                event(SCALAR_BEGIN, i, i, null);
                int s = i;
                string(false, null);
                event(STR, i - 1, s, null);
                end[n - 1] = i;
            }
            case 't' -> literal("true", closer);
            case 'f' -> literal("false", closer);
            case 'n' -> literal("null", closer);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number(closer);
                } else {
                    malformed(i, Why.SYNTAX);
                }
            }
        }
    }

    private void object() {
        open();
        event(OBJ, i, i, null);
        i++;
        ws();
        need();
        if (b[i] == '}') {
            close(END_OBJ);
            return;
        }
        while (true) {
            need();
            if (b[i] != '"') {
                malformed(i, Why.SYNTAX);
            }
            int s = i;
            StringBuilder nm = new StringBuilder();
            string(true, nm);
            event(NAME, i - 1, s, nm.toString());
            ws();
            need();
            if (b[i] != ':') {
                malformed(i, Why.SYNTAX);
            }
            i++;
            ws();
            value('}');
            ws();
            need();
            if (b[i] == ',') {
                i++;
                ws();
            } else if (b[i] == '}') {
                close(END_OBJ);
                return;
            } else {
                malformed(i, Why.SYNTAX);
            }
        }
    }

    private void array() {
        open();
        event(ARR, i, i, null);
        i++;
        ws();
        need();
        if (b[i] == ']') {
            close(END_ARR);
            return;
        }
        while (true) {
            value(']');
            ws();
            need();
            if (b[i] == ',') {
                i++;
                ws();
            } else if (b[i] == ']') {
                close(END_ARR);
                return;
            } else {
                malformed(i, Why.SYNTAX);
            }
        }
    }

    private void open() {
        if (depth + 1 > lim.maxDepth()) {
            limit(i, "maxDepth");
        }
        depth++;
    }

    private void close(byte k) {
        depth--;
        event(k, i, -1, null);
        end[n - 1] = i + 1;
        i++;
    }

    /**
     * A string from its opening quote; leaves {@code i} after the closing quote.
     *
     * <p>In property names, surrogate escapes must pair up (decision U3, as Jackson does; a lone one in a value
     * is accepted): a name is non-viable at the hex digit that makes a low half ({@code \\uDC..}) with no high half
     * before it, or at the first byte after a high half ({@code \\uD8..}..{@code \\uDB..}) that cannot begin its low
     * half (not {@code \\}, then not {@code u}, then not {@code D}, then not {@code C}..{@code F}).
     *
     * <p>Limits: a value's length counts chars (UTF-16 units, as Jackson does), crossed at the byte that completes
     * the (max+1)-th char; a name's length counts the UTF-8 bytes of its decoded text (decision U1), crossed at
     * the (max+1)-th byte: a raw byte as it arrives, an escape's bytes at its last hex digit (a surrogate pair's
     * four at the low half's last digit).
     */
    private void string(boolean isName, StringBuilder out) {
        int max = isName ? lim.maxNameLength() : lim.maxStringLength();
        String limitName = isName ? "maxNameLength" : "maxStringLength";
        long chars = 0;
        long utf8 = 0;
        boolean pendingHigh = false;
        i++;
        while (true) {
            need();
            int c = b[i] & 0xFF;
            if (pendingHigh && c != '\\') {
                malformed(i, Why.SYNTAX); // a high surrogate escape in a name must be followed by a low one
            }
            if (c == '"') {
                i++;
                return;
            }
            if (c == '\\') {
                i++;
                need();
                int e = b[i] & 0xFF;
                char decoded;
                if (pendingHigh && e != 'u') {
                    malformed(i, Why.SYNTAX);
                }
                switch (e) {
                    case '"' -> decoded = '"';
                    case '\\' -> decoded = '\\';
                    case '/' -> decoded = '/';
                    case 'b' -> decoded = '\b';
                    case 'f' -> decoded = '\f';
                    case 'n' -> decoded = '\n';
                    case 'r' -> decoded = '\r';
                    case 't' -> decoded = '\t';
                    case 'u' -> {
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            i++;
                            need();
                            int h = Character.digit(b[i] & 0xFF, 16);
                            if (h < 0 || (b[i] & 0xFF) >= 0x80) {
                                malformed(i, Why.SYNTAX);
                            }
                            if (isName && k == 0 && pendingHigh && h != 0xD) {
                                malformed(i, Why.SYNTAX);
                            }
                            if (isName && k == 1 && v == 0xD) {
                                boolean low = h >= 0xC;
                                if (low != pendingHigh) {
                                    malformed(i, Why.SYNTAX); // a lone low half, or a high one not followed by a low
                                }
                            }
                            v = v * 16 + h;
                        }
                        decoded = (char) v;
                    }
                    default -> {
                        malformed(i, Why.SYNTAX);
                        return;
                    }
                }
                if (isName) {
                    int bytes = Character.isHighSurrogate(decoded) ? 0 : Character.isLowSurrogate(decoded) ? 4
                            : decoded < 0x80 ? 1 : decoded < 0x800 ? 2 : 3;
                    pendingHigh = Character.isHighSurrogate(decoded);
                    utf8 += bytes;
                    if (utf8 > max) {
                        limit(i, limitName);
                    }
                } else {
                    chars++;
                    if (chars > max) {
                        limit(i, limitName);
                    }
                }
                if (out != null) {
                    out.append(decoded);
                }
                i++;
                continue;
            }
            if (c < 0x20) {
                malformed(i, Why.SYNTAX);
            }
            if (c < 0x80) {
                if (isName ? ++utf8 > max : ++chars > max) {
                    limit(i, limitName);
                }
                if (out != null) {
                    out.append((char) c);
                }
                i++;
                continue;
            }
            int crossAt = isName && utf8 + 4 > max ? i + (int) (max - utf8) : -1;
            int from = i;
            int cp = utf8(crossAt, limitName);
            if (isName) {
                utf8 += i - from + 1;
            } else {
                chars += Character.charCount(cp);
                if (chars > max) {
                    limit(i, limitName);
                }
            }
            if (out != null) {
                out.appendCodePoint(cp);
            }
            i++;
        }
    }

    /**
     * Decodes one multi-byte UTF-8 sequence starting at {@code i} (RFC 3629: no overlong forms, no encoded
     * surrogates, nothing above U+10FFFF, each byte checked as it arrives); leaves {@code i} on its last byte.
     * When the byte at {@code crossAt} is reached and valid, the limit {@code limitName} is crossed there.
     */
    private int utf8(int crossAt, String limitName) {
        int c = b[i] & 0xFF;
        int more;
        int lo = 0x80;
        int hi = 0xBF;
        int cp;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            cp = c & 0x0F;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            cp = c & 0x07;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            malformed(i, Why.UTF8);
            return 0;
        }
        if (i == crossAt) {
            limit(i, limitName);
        }
        for (int k = 0; k < more; k++) {
            i++;
            need();
            int d = b[i] & 0xFF;
            if (d < lo || d > hi) {
                malformed(i, Why.UTF8);
            }
            if (i == crossAt) {
                limit(i, limitName);
            }
            lo = 0x80;
            hi = 0xBF;
            cp = (cp << 6) | (d & 0x3F);
        }
        return cp;
    }

    /**
     * Whether a number's text was longer than {@code maxStringLength}: Jackson's blocking parser then says its
     * string limit, while the contract limits numbers by {@code maxNumberLength} only (decision U2). Only for the
     * cross-check.
     */
    boolean numberOverStringLimit;

    private void number(int closer) {
        int s = i;
        try {
            number0(closer, s);
        } finally {
            if (i - s > lim.maxStringLength()) {
                numberOverStringLimit = true;
            }
        }
    }

    private void number0(int closer, int s) {
        event(SCALAR_BEGIN, i, i, null);
        long digits = 0;
        boolean complete;
        if (b[i] == '-') {
            i++;
        }
        // integer part
        if (i >= to) {
            incomplete();
        }
        int c = b[i] & 0xFF;
        if (c == '0') {
            digits = digit(digits);
            i++;
            if (i < to && isDigit(b[i])) {
                malformed(i, Why.SYNTAX); // leading zero
            }
        } else if (c >= '1' && c <= '9') {
            while (i < to && isDigit(b[i])) {
                digits = digit(digits);
                i++;
            }
        } else {
            malformed(i, Why.SYNTAX);
        }
        complete = true;
        if (i < to && b[i] == '.') {
            i++;
            complete = false;
            if (i < to && !isDigit(b[i])) {
                malformed(i, Why.SYNTAX);
            }
            while (i < to && isDigit(b[i])) {
                digits = digit(digits);
                i++;
                complete = true;
            }
        }
        if (complete && i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            complete = false;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (i < to && !isDigit(b[i])) {
                malformed(i, Why.SYNTAX);
            }
            while (i < to && isDigit(b[i])) {
                digits = digit(digits);
                i++;
                complete = true;
            }
        }
        if (i >= to) {
            if (closer == 0 && complete) {
                event(NUM, to, s, null); // a root number is complete at the end of input
                end[n - 1] = i;
                return;
            }
            incomplete(); // inside a container, never complete at the end of input (contract 1)
        }
        event(NUM, delimiter(closer), s, null); // complete at the delimiter byte after it
        end[n - 1] = i;
    }

    /**
     * The position where a number or literal ending at {@code i} completes: the delimiter byte after it, or the end
     * of input; any other byte is non-viable, and fails before the token completes.
     */
    private int delimiter(int closer) {
        if (i >= to) {
            return to;
        }
        int c = b[i] & 0xFF;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || closer != 0 && (c == ',' || c == closer)) {
            return i;
        }
        malformed(i, Why.DELIMITER); // Jackson's blocking parser may return the token first (a root one: and stop)
        return -1;
    }

    private long digit(long digits) {
        long d = digits + 1;
        if (d > lim.maxNumberLength()) {
            limit(i, "maxNumberLength");
        }
        return d;
    }

    private static boolean isDigit(byte x) {
        return x >= '0' && x <= '9';
    }

    /** A literal: complete at the delimiter after it or at the end of input (decisions N6, N7). */
    private void literal(String word, int closer) {
        int s = i;
        event(SCALAR_BEGIN, i, i, null);
        for (int k = 0; k < word.length(); k++) {
            need();
            if (b[i] != word.charAt(k)) {
                malformed(i, Why.SYNTAX);
            }
            i++;
        }
        event(LIT, delimiter(closer), s, null);
        end[n - 1] = i;
    }

    private void ws() {
        while (i < to) {
            byte c = b[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else {
                return;
            }
        }
    }

    private void need() {
        if (i >= to) {
            incomplete();
        }
    }

    // ------------------------------------------------------------------ outcomes

    private void incomplete() {
        status = Status.INCOMPLETE;
        failAt = to;
        throw STOP;
    }

    private void malformed(int at, Why w) {
        status = Status.MALFORMED;
        why = w;
        failAt = at;
        throw STOP;
    }

    private void limit(int at, String which) {
        status = Status.LIMIT;
        limit = which;
        failAt = at;
        throw STOP;
    }

    private void event(byte k, int p, int s, String nm) {
        if (n == kind.length) {
            int cap = n * 2;
            kind = Arrays.copyOf(kind, cap);
            pos = Arrays.copyOf(pos, cap);
            start = Arrays.copyOf(start, cap);
            end = Arrays.copyOf(end, cap);
            name = Arrays.copyOf(name, cap);
        }
        kind[n] = k;
        pos[n] = p;
        start[n] = s;
        name[n] = nm;
        end[n] = -1;
        n++;
    }
}
