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
 * <p>Completion follows what the blocking parser completes before it throws: a number inside a container is
 * complete at the byte that ends it (never at the end of input: contract 1); a root number only at the end of
 * input or before whitespace (contract 5); a literal followed by a Java identifier character is no token.
 */
final class Scan {

    // event kinds
    static final byte OBJ = 1, END_OBJ = 2, ARR = 3, END_ARR = 4, NAME = 5, SCALAR_BEGIN = 6, STR = 7, NUM = 8,
            LIT = 9;

    enum Status { OK, EMPTY, INCOMPLETE, MALFORMED, LIMIT }

    /** Why the bytes are malformed, for telling the oracle's cross-check what Jackson may accept. */
    enum Why { NONE, SYNTAX, UTF8, TRAILING }

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
            value(true);
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

    private void value(boolean root) {
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
            case 't' -> literal("true", root);
            case 'f' -> literal("false", root);
            case 'n' -> literal("null", root);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number(root);
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
            value(false);
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
            value(false);
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
     * Whether a name was longer than {@code maxNameLength} counted in the UTF-8 bytes of its decoded text (as
     * Jackson counts) but not in chars (as {@code Limits} documents): the outcome then depends on an undecided
     * unit.
     */
    boolean nameUnitMatters;
    /** Whether the scan failed on a lone surrogate escape in a property name (Jackson's rule, not RFC 8259's). */
    boolean nameSurrogate;

    /**
     * A string from its opening quote; leaves {@code i} after the closing quote. In property names, surrogate
     * escapes must pair up (Jackson's blocking parser rejects a lone one there, and accepts it in values).
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
                nameSurrogate = true;
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
                    nameSurrogate = true;
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
                                nameSurrogate = true;
                                malformed(i, Why.SYNTAX);
                            }
                            if (isName && k == 1 && v == 0xD) {
                                boolean low = h >= 0xC;
                                if (low != pendingHigh) {
                                    nameSurrogate = true;
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
                    pendingHigh = Character.isHighSurrogate(decoded);
                    utf8 += Character.isSurrogate(decoded) ? 2 : decoded < 0x80 ? 1 : decoded < 0x800 ? 2 : 3;
                }
                chars++;
                count(chars, utf8, max, limitName, isName);
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
                chars++;
                utf8++;
                count(chars, utf8, max, limitName, isName);
                if (out != null) {
                    out.append((char) c);
                }
                i++;
                continue;
            }
            int from = i;
            int cp = utf8();
            chars += Character.charCount(cp);
            utf8 += i - from + 1;
            count(chars, utf8, max, limitName, isName);
            if (out != null) {
                out.appendCodePoint(cp);
            }
            i++;
        }
    }

    private void count(long chars, long utf8, int max, String limitName, boolean isName) {
        if (chars > max) {
            limit(i, limitName);
        }
        if (isName && utf8 > max) {
            nameUnitMatters = true;
        }
    }

    /** Decodes one multi-byte UTF-8 sequence starting at {@code i}; leaves {@code i} on its last byte. */
    private int utf8() {
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
        for (int k = 0; k < more; k++) {
            i++;
            need();
            int d = b[i] & 0xFF;
            if (d < lo || d > hi) {
                malformed(i, Why.UTF8);
            }
            lo = 0x80;
            hi = 0xBF;
            cp = (cp << 6) | (d & 0x3F);
        }
        return cp;
    }

    /** Whether a number's text was longer than {@code maxStringLength} (Jackson then says the string limit). */
    boolean numberOverStringLimit;

    private void number(boolean root) {
        int s = i;
        try {
            number0(root, s);
        } finally {
            if (i - s > lim.maxStringLength()) {
                numberOverStringLimit = true;
            }
        }
    }

    private void number0(boolean root, int s) {
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
        boolean fraction = false;
        if (i < to && b[i] == '.') {
            i++;
            complete = false;
            fraction = true;
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
            if (root && complete) {
                event(NUM, i - 1, s, null); // a root number is complete at the end of input
                end[n - 1] = i;
                return;
            }
            incomplete();
        }
        int t0 = b[i] & 0xFF;
        boolean justZero = i == s + 1 && b[s] == '0' || i == s + 2 && b[s] == '-' && b[s + 1] == '0';
        if ((t0 == 'x' || t0 == 'X') && justZero) {
            malformed(i, Why.SYNTAX); // Jackson: "hexadecimal number literals require ...": no token
        }
        if (t0 == '.' && fraction) {
            malformed(i, Why.SYNTAX); // Jackson: "more than one decimal point": no token
        }
        if (root) {
            int t = b[i] & 0xFF;
            if (t != ' ' && t != '\t' && t != '\n' && t != '\r') {
                malformed(i, Why.SYNTAX); // Jackson: root-level values must be separated by whitespace
            }
        }
        event(NUM, i, s, null); // complete at the byte that ends it
        end[n - 1] = i;
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

    private void literal(String word, boolean root) {
        int s = i;
        event(SCALAR_BEGIN, i, i, null);
        for (int k = 0; k < word.length(); k++) {
            need();
            if (b[i] != word.charAt(k)) {
                malformed(i, Why.SYNTAX);
            }
            i++;
        }
        if (i < to && continuesToken(i)) {
            malformed(i, Why.SYNTAX); // "truex": no token
        }
        event(LIT, i - 1, s, null);
        end[n - 1] = i;
    }

    /** Whether the byte at {@code at} would make Jackson read the literal as a longer, unrecognized token. */
    private boolean continuesToken(int at) {
        int c = b[at] & 0xFF;
        if (c < '0' || c == ']' || c == '}') {
            return false;
        }
        if (c < 0x80) {
            return Character.isJavaIdentifierPart((char) c);
        }
        // decode strictly without failing the scan
        int save = i;
        Status st = status;
        try {
            i = at;
            int cp = utf8();
            return Character.isJavaIdentifierPart(cp);
        } catch (Stop s) {
            return true;
        } finally {
            i = save;
            status = st;
            why = Why.NONE;
            failAt = -1;
        }
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
