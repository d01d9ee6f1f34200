package dev.extractor;

/**
 * The token feed of one document: reads its bytes once, in order, whatever the fragments, and checks them against
 * the JSON grammar (RFC 8259), UTF-8 (RFC 3629: the shortest form, no surrogates, at most U+10FFFF) and the
 * {@link Limits}, byte by byte. It is the one judge of syntax: nothing else decides whether bytes are valid JSON,
 * where they stop being valid, or whether an ending is cut short.
 *
 * <p>Because it is a state machine over bytes, its verdict and the offsets it reports depend on the bytes alone:
 * a fragment may end anywhere (after a colon, inside a name, an escape, a number, a character) and the next one
 * resumes exactly where it stopped. At the first byte that no continuation can make valid it fails, at that byte
 * ({@link Failures#malformed}); at the end of the input it tells a viable prefix (cut short) from a complete value.
 *
 * <p>It tells its {@link Events} where values start and end and where field names are, but only down to the
 * {@linkplain #watch(int) watched depth}: inside an element nothing is reported until the element's own end, so
 * the per-byte work there is this loop alone. Names and strings are not decoded here: who needs one decodes its
 * bytes.
 *
 * <p>The order rule: bytes are judged as they arrive, tokens as they complete. A name or string is complete at its
 * closing quote, a container at its closing bracket, a number or literal at the delimiter after it (whitespace, a
 * comma, the bracket that closes its container) or at the end of the input (a literal anywhere, a number at the
 * root only: {@code [1,2} may have been {@code [1,23}). A byte that makes the input non-viable fails it before
 * any token that would complete at that byte ({@code [1x} and <code>[1&#125;</code> deliver nothing). Anything but
 * whitespace after the root value is malformed. As in the blocking parser, surrogate escapes in field names come
 * in pairs.
 */
final class TokenFeed {

    /** What the selector hears. Depths: a root value has depth 0; the members of a root object depth 1. */
    interface Events {
        /** A value of {@code kind} starts at {@code at}, at {@link #depth()} (at most the watched depth). */
        void valueStart(int kind, long at);

        /** The value that started at this depth ended; {@code end} is just past its last byte. */
        void valueEnd(int kind, long end);

        /** A field name at member depth {@link #depth()}: {@code [start, end)} includes its quotes. */
        void name(long start, long end);
    }

    /** Builds the exceptions (the document knows where it is and what was delivered). */
    interface Failing {
        RuntimeException malformed(long at, String what);

        RuntimeException limit(long at, String limit, String what);
    }

    static final int OBJECT = 1;
    static final int ARRAY = 2;
    static final int STRING = 3;
    static final int NUMBER = 4;
    static final int TRUE = 5;
    static final int FALSE = 6;
    static final int NULL = 7;

    // states
    private static final int START = 0; // first byte of the document: a byte order mark may come
    private static final int BOM1 = 1;
    private static final int BOM2 = 2;
    private static final int VALUE = 3; // after ':' or ',' in an array, or at the root
    private static final int ARRAY_FIRST = 4; // after '['
    private static final int OBJECT_FIRST = 5; // after '{'
    private static final int NAME = 6; // after ',' in an object
    private static final int COLON = 7; // after a name
    private static final int AFTER = 8; // after a value inside a container
    private static final int ROOT_AFTER = 9; // after the root value
    private static final int STR = 10;
    private static final int ESCAPE = 11;
    private static final int HEX = 12; // in a \\u escape; hexLeft digits to go
    private static final int UTF8 = 13; // in a multi-byte character; utf8Left bytes to go
    private static final int MINUS = 14;
    private static final int ZERO = 15;
    private static final int INT = 16;
    private static final int DOT = 17;
    private static final int FRAC = 18;
    private static final int EXP = 19;
    private static final int EXP_SIGN = 20;
    private static final int EXP_DIGITS = 21;
    private static final int LITERAL = 22;
    private static final int LITERAL_END = 23;
    private static final int LOW_ESCAPE = 24; // in a name, after a high-surrogate escape: its low half must follow

    private static final String[] LITERALS = {null, null, null, null, null, "true", "false", "null"};
    /** Bytes that stand for themselves in a string: printable ASCII but the quote and the backslash. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    private final Events events;
    private final Failing failing;
    private final int maxDepth;
    private final int maxStringLength;
    private final int maxNumberLength;
    private final int maxNameLength;

    private int state = START;
    private int watch;
    private long stopAt = Long.MAX_VALUE;
    private boolean stopAtRoot;

    // the open containers: kind, values started (arrays) or names read (objects), start of the current name
    private int depth;
    private byte[] kinds = new byte[16];
    private int[] counts = new int[16];
    private long[] nameAt = new long[16];
    /** Outside elements, below the watched depth: the current name's bytes (they are not kept in the window). */
    private byte[][] deepNames = new byte[16][];

    // the token in progress
    private boolean inName;
    private long tokenStart;
    private int length; // chars of a string, bytes of a name, digits of a number
    private int utf8Left;
    private int utf8Lo;
    private int utf8Hi;
    private int utf8Chars;
    private int hexLeft;
    private int hexValue;
    private boolean needLow; // in a name: the \\u escape being read must be a low surrogate
    private int literal;
    private int literalPos;

    // the buffer being scanned: absolute offset = index + delta
    private byte[] b;
    private long delta;

    TokenFeed(Events events, Failing failing, Limits limits) {
        this.events = events;
        this.failing = failing;
        this.maxDepth = limits.maxDepth();
        this.maxStringLength = limits.maxStringLength();
        this.maxNumberLength = limits.maxNumberLength();
        this.maxNameLength = limits.maxNameLength();
    }

    /** The document's JSON does not start at its first byte (text formats): no byte order mark is looked for. */
    void startsInText() {
        if (state == START) {
            state = VALUE;
        }
    }

    /** Values down to this depth are reported (set by the selector once it knows its path). */
    void watch(int depth) {
        this.watch = depth;
    }

    /** The element in progress may not reach this absolute offset: the byte there fails it. */
    void stopAt(long absolute) {
        this.stopAt = absolute;
    }

    /** Number of open containers. */
    int depth() {
        return depth;
    }

    /**
     * The first byte still needed to read on, of those read up to {@code end}: the start of a field name in
     * progress (its bytes are decoded when it ends), else {@code end}.
     */
    long holdFrom(long end) {
        return inName ? tokenStart : end;
    }

    /** Whether the root value is complete. */
    boolean rootDone() {
        return state == ROOT_AFTER;
    }

    /** Whether nothing but whitespace (after a whole byte order mark, if any) was read. */
    boolean blank() {
        return depth == 0 && (state == START || state == VALUE);
    }

    /**
     * Whether nothing but whitespace (or a whole byte order mark) was read. The first bytes of a byte order mark are
     * something: an answer that ends inside one ended inside what could still have been its JSON (incomplete, not
     * "no JSON at all").
     */
    boolean nothingYet() {
        return depth == 0 && (state == START || state == VALUE);
    }

    // ------------------------------------------------------------------ the pointer

    /** Where the feed is, as a JSON Pointer: the innermost value started and not complete. */
    String pointer(NameSource names) {
        StringBuilder sb = new StringBuilder();
        for (int level = 1; level <= depth; level++) {
            boolean innermost = level == depth;
            if (kinds[level] == ARRAY) {
                if (!innermost || (counts[level] > 0 && state != AFTER && state != VALUE)) {
                    sb.append('/').append(counts[level] - 1);
                }
            } else if (counts[level] > 0 && (!innermost || (state != AFTER && state != NAME && !inName))) {
                String n = deepNames[level] != null ? JsonStrings.unquote(new String(deepNames[level],
                        java.nio.charset.StandardCharsets.UTF_8)) : names.name(level, nameAt[level]);
                sb.append('/').append(escape(n));
            }
        }
        return sb.toString();
    }

    /** Field names of open levels, from the selector or the bytes. */
    interface NameSource {
        String name(int level, long quoteAt);
    }

    static String escape(String segment) {
        return segment.indexOf('~') < 0 && segment.indexOf('/') < 0 ? segment
                : segment.replace("~", "~0").replace("/", "~1");
    }

    // ------------------------------------------------------------------ the end

    /**
     * The input has ended. A root number or literal still open completes here; returns whether the bytes were a
     * complete value ({@code false}: a viable prefix, cut short, or nothing at all: see {@link #nothingYet()}).
     */
    boolean end(long at) {
        if (state == LITERAL_END) {
            valueDone(literal, at); // nothing can continue it (inside a container, the container is still open)
        } else if (depth == 0 && (state == ZERO || state == INT || state == FRAC || state == EXP_DIGITS)) {
            valueDone(NUMBER, at); // a root number: nothing can follow it (inside a container, 12 may be 123)
        }
        return state == ROOT_AFTER;
    }

    // ------------------------------------------------------------------ the loop

    /**
     * Reads {@code bytes[from, to)}, whose first byte is at absolute offset {@code absolute}; returns the index it
     * stopped at: {@code to}, or just past the root value after {@link #stopAtRoot()}.
     */
    int scan(byte[] bytes, int from, int to, long absolute) {
        this.b = bytes;
        this.delta = absolute - from;
        int i = from;
        while (i < to) {
            // bytes before the element's stop byte may take the fast path; the stop byte itself is judged below
            int end = to;
            if (stopAt != Long.MAX_VALUE && stopAt - delta < to) {
                end = (int) Math.max(stopAt - delta, i);
            }
            i = fast(bytes, i, end);
            if (i >= to) {
                break;
            }
            step(bytes[i] & 0xFF, i);
            if (i + delta >= stopAt) {
                throw failing.limit(i + delta, "maxElementBytes", null);
            }
            i++;
            if (state == ROOT_AFTER && stopAtRoot) {
                return i;
            }
        }
        return to;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The index of the first byte in {@code [i, end)} that does not stand for itself in a string (a quote, a
     * backslash, a control or a non-ASCII byte), or {@code end}: eight bytes at a time.
     */
    private static int plain(byte[] bytes, int i, int end) {
        while (i + 8 <= end) {
            long w = (long) LONGS.get(bytes, i);
            long quote = w ^ (0x22 * ONES);
            long backslash = w ^ (0x5C * ONES);
            long special = (w & HIGHS) // >= 0x80
                    | ((w - 0x20 * ONES) & ~w & HIGHS) // < 0x20
                    | ((quote - ONES) & ~quote & HIGHS)
                    | ((backslash - ONES) & ~backslash & HIGHS);
            if (special != 0) {
                return i + (Long.numberOfTrailingZeros(special) >>> 3); // the first one is exact
            }
            i += 8;
        }
        while (i < end && PLAIN[bytes[i] & 0xFF]) {
            i++;
        }
        return i;
    }

    /**
     * The transitions that make up the inside of an element, inline: string bodies, quotes, colons, commas,
     * whitespace, digits. Only where no event is due (below the watched depth) and no limit is near; returns the
     * index of the first byte it leaves to {@link #step}.
     */
    private int fast(byte[] bytes, int i, int end) {
        if (depth <= watch) {
            return i;
        }
        int st = state;
        loop:
        while (i < end) {
            int c = bytes[i];
            switch (st) {
                case STR -> {
                    int s = i;
                    i = plain(bytes, i, end);
                    c = i < end ? bytes[i] : 0;
                    if (i > s) {
                        int n = i - s;
                        if (length + n > (inName ? maxNameLength : maxStringLength)) {
                            i = s; // near the limit: byte by byte
                            break loop;
                        }
                        length += n;
                        if (i == end) {
                            break loop;
                        }
                    }
                    if (c != '"' || (inName && stopAt == Long.MAX_VALUE)) {
                        break loop; // an escape, a control or non-ASCII byte, a name kept outside elements
                    }
                    st = inName ? COLON : AFTER;
                    inName = false;
                }
                case COLON -> {
                    if (c == ':') {
                        st = VALUE;
                    } else if (!isSpace(c)) {
                        break loop;
                    }
                }
                case AFTER -> {
                    if (c == ',') {
                        st = kinds[depth] == ARRAY ? VALUE : NAME;
                    } else if (!isSpace(c)) {
                        break loop;
                    }
                }
                case NAME, OBJECT_FIRST -> {
                    if (c == '"') {
                        inName = true;
                        length = 0;
                        tokenStart = i + delta;
                        counts[depth]++;
                        nameAt[depth] = i + delta;
                        deepNames[depth] = null;
                        st = STR;
                    } else if (!isSpace(c)) {
                        break loop;
                    }
                }
                case VALUE, ARRAY_FIRST -> {
                    if (c == '"') {
                        if (kinds[depth] == ARRAY) {
                            counts[depth]++;
                        }
                        tokenStart = i + delta;
                        inName = false;
                        length = 0;
                        st = STR;
                    } else if (!isSpace(c)) {
                        break loop;
                    }
                }
                case INT, FRAC, EXP_DIGITS -> {
                    if (c < '0' || c > '9' || length >= maxNumberLength) {
                        break loop;
                    }
                    length++;
                }
                default -> {
                    break loop;
                }
            }
            i++;
        }
        state = st;
        return i;
    }

    /** Text formats: reading stops once the root value is complete (what follows is not parsed). */
    void stopAtRoot() {
        stopAtRoot = true;
    }

    private RuntimeException tooLong(long at) {
        return inName ? failing.limit(at, "maxNameLength", "a field name longer than " + maxNameLength + " bytes")
                : failing.limit(at, "maxStringLength", "a string longer than " + maxStringLength + " chars");
    }

    /** One byte, at index {@code i}. */
    private void step(int c, int i) {
        switch (state) {
            case START -> {
                if (c == 0xEF) {
                    state = BOM1;
                } else {
                    state = VALUE;
                    step(c, i);
                }
            }
            case BOM1 -> expect(c == 0xBB, BOM2, i, c, "the byte order mark EF BB BF");
            case BOM2 -> expect(c == 0xBF, VALUE, i, c, "the byte order mark EF BB BF");
            case VALUE -> value(c, i, false);
            case ARRAY_FIRST -> value(c, i, true);
            case OBJECT_FIRST -> {
                if (c == '"') {
                    startName(i);
                } else if (c == '}') {
                    close(OBJECT, i);
                } else if (!isSpace(c)) {
                    throw unexpected(i, c, "'\"' to start a field name, or '}'");
                }
            }
            case NAME -> {
                if (c == '"') {
                    startName(i);
                } else if (!isSpace(c)) {
                    throw unexpected(i, c, "'\"' to start a field name");
                }
            }
            case COLON -> {
                if (c == ':') {
                    state = VALUE;
                } else if (!isSpace(c)) {
                    throw unexpected(i, c, "':' after the field name");
                }
            }
            case AFTER -> after(c, i);
            case ROOT_AFTER -> {
                if (!isSpace(c)) {
                    throw failing.malformed(i + delta, "unexpected " + describe(c)
                            + " after the end of the top-level value");
                }
            }
            case STR -> string(c, i);
            case ESCAPE -> escape(c, i);
            case HEX -> hex(c, i);
            case LOW_ESCAPE -> {
                if (c != '\\') {
                    throw lowExpected(i, c);
                }
                state = ESCAPE;
            }
            case UTF8 -> utf8(c, i);
            case MINUS -> {
                if (c == '0') {
                    digit(i, ZERO);
                } else if (c >= '1' && c <= '9') {
                    digit(i, INT);
                } else {
                    throw failing.malformed(i + delta, "unexpected " + describe(c) + " after '-', expected a digit");
                }
            }
            case ZERO -> {
                if (c >= '0' && c <= '9') {
                    throw failing.malformed(i + delta, "a number with a leading zero");
                }
                afterInt(c, i);
            }
            case INT -> {
                if (c >= '0' && c <= '9') {
                    digit(i, INT);
                } else {
                    afterInt(c, i);
                }
            }
            case DOT -> {
                if (c >= '0' && c <= '9') {
                    digit(i, FRAC);
                } else {
                    throw failing.malformed(i + delta, "unexpected " + describe(c)
                            + " after the decimal point of a number, expected a digit");
                }
            }
            case FRAC -> {
                if (c >= '0' && c <= '9') {
                    digit(i, FRAC);
                } else if (c == 'e' || c == 'E') {
                    state = EXP;
                } else {
                    numberEnd(c, i);
                }
            }
            case EXP -> {
                if (c >= '0' && c <= '9') {
                    digit(i, EXP_DIGITS);
                } else if (c == '+' || c == '-') {
                    state = EXP_SIGN;
                } else {
                    throw failing.malformed(i + delta, "unexpected " + describe(c)
                            + " in the exponent of a number, expected a digit, '+' or '-'");
                }
            }
            case EXP_SIGN -> {
                if (c >= '0' && c <= '9') {
                    digit(i, EXP_DIGITS);
                } else {
                    throw failing.malformed(i + delta, "unexpected " + describe(c)
                            + " in the exponent of a number, expected a digit");
                }
            }
            case EXP_DIGITS -> {
                if (c >= '0' && c <= '9') {
                    digit(i, EXP_DIGITS);
                } else {
                    numberEnd(c, i);
                }
            }
            case LITERAL -> {
                String word = LITERALS[literal];
                if (c != word.charAt(literalPos)) {
                    throw failing.malformed(i + delta, "unexpected " + describe(c) + " in the literal " + word
                            + ", expected '" + word.charAt(literalPos) + "'");
                }
                if (++literalPos == word.length()) {
                    state = LITERAL_END;
                }
            }
            case LITERAL_END -> {
                if (!delimits(c)) {
                    throw afterValue(i, c, "the literal " + LITERALS[literal]);
                }
                valueDone(literal, i + delta);
                step(c, i);
            }
            default -> throw new IllegalStateException("state " + state);
        }
    }

    /**
     * Whether {@code c}, which cannot continue a number or literal, may follow it here: whitespace, a comma or the
     * bracket that closes the container (at the root: whitespace). Only then is the number or literal complete
     * (the order rule: a byte that makes the input non-viable fails before any token completing at it).
     */
    private boolean delimits(int c) {
        return isSpace(c) || depth > 0 && (c == ',' || c == (kinds[depth] == ARRAY ? ']' : '}'));
    }

    private RuntimeException afterValue(int i, int c, String what) {
        return failing.malformed(i + delta, "unexpected " + describe(c) + " after " + what + ", expected "
                + (depth == 0 ? "nothing but whitespace after the top-level value"
                        : kinds[depth] == ARRAY ? "',' or ']'" : "',' or '}'"));
    }

    private void expect(boolean ok, int next, int i, int c, String what) {
        if (!ok) {
            throw unexpected(i, c, what);
        }
        state = next;
    }

    /** Where a value is expected ({@code orClose}: just after '[', where ']' may close the array). */
    private void value(int c, int i, boolean orClose) {
        switch (c) {
            case ' ', '\t', '\n', '\r' -> { }
            case '{' -> open(OBJECT, i);
            case '[' -> open(ARRAY, i);
            case '"' -> {
                begin(STRING, i);
                inName = false;
                length = 0;
                state = STR;
            }
            case '-' -> {
                begin(NUMBER, i);
                length = 0;
                state = MINUS;
            }
            case 't', 'f', 'n' -> {
                int kind = c == 't' ? TRUE : c == 'f' ? FALSE : NULL;
                begin(kind, i);
                literal = kind;
                literalPos = 1;
                state = LITERAL;
            }
            default -> {
                if (c >= '0' && c <= '9') {
                    begin(NUMBER, i);
                    length = 0;
                    digit(i, c == '0' ? ZERO : INT);
                } else if (c == ']' && orClose) {
                    close(ARRAY, i);
                } else {
                    throw unexpected(i, c, orClose ? "a value or ']'" : "a value");
                }
            }
        }
    }

    private void after(int c, int i) {
        if (c == ',') {
            state = kinds[depth] == ARRAY ? VALUE : NAME;
        } else if (c == '}' || c == ']') {
            int kind = c == '}' ? OBJECT : ARRAY;
            if (kinds[depth] != kind) {
                throw unexpected(i, c, kinds[depth] == ARRAY ? "',' or ']'" : "',' or '}'");
            }
            close(kind, i);
        } else if (!isSpace(c)) {
            throw unexpected(i, c, kinds[depth] == ARRAY ? "',' or ']'" : "',' or '}'");
        }
    }

    /** A scalar value starts: counted in its array, reported if watched. */
    private void begin(int kind, int i) {
        if (kinds[depth] == ARRAY) {
            counts[depth]++;
        }
        tokenStart = i + delta;
        if (depth <= watch) {
            events.valueStart(kind, i + delta);
        }
    }

    private void open(int kind, int i) {
        if (depth + 1 > maxDepth) {
            throw failing.limit(i + delta, "maxDepth", "'" + (kind == OBJECT ? '{' : '[') + "' opens depth "
                    + (depth + 1) + ", more than " + maxDepth);
        }
        begin(kind, i);
        depth++;
        if (depth == kinds.length) {
            kinds = java.util.Arrays.copyOf(kinds, depth * 2);
            counts = java.util.Arrays.copyOf(counts, depth * 2);
            nameAt = java.util.Arrays.copyOf(nameAt, depth * 2);
            deepNames = java.util.Arrays.copyOf(deepNames, depth * 2);
        }
        kinds[depth] = (byte) kind;
        counts[depth] = 0;
        deepNames[depth] = null;
        state = kind == OBJECT ? OBJECT_FIRST : ARRAY_FIRST;
    }

    private void close(int kind, int i) {
        depth--;
        valueDone(kind, i + 1 + delta);
    }

    /** The value at the current depth is complete. */
    private void valueDone(int kind, long end) {
        state = depth == 0 ? ROOT_AFTER : AFTER;
        if (depth <= watch) {
            events.valueEnd(kind, end);
        }
    }

    private void startName(int i) {
        inName = true;
        length = 0;
        tokenStart = i + delta;
        counts[depth]++;
        nameAt[depth] = i + delta;
        deepNames[depth] = null;
        state = STR;
    }

    // ------------------------------------------------------------------ strings

    private void string(int c, int i) {
        if (c == '"') {
            if (inName) {
                inName = false;
                state = COLON;
                if (depth <= watch) {
                    events.name(tokenStart, i + 1 + delta);
                } else if (stopAt == Long.MAX_VALUE) {
                    // outside elements the window keeps nothing this deep: keep the name for pointers
                    deepNames[depth] = java.util.Arrays.copyOfRange(b, (int) (tokenStart - delta), i + 1);
                }
            } else {
                valueDone(STRING, i + 1 + delta);
            }
        } else if (c == '\\') {
            state = ESCAPE;
        } else if (c < 0x20) {
            throw failing.malformed(i + delta, "control character " + hex2(c) + " in a string (it must be escaped)");
        } else if (c < 0x80) {
            add(1, i);
        } else {
            // the lead byte of a multi-byte character; the ranges of its second byte (Unicode, table 3-7)
            utf8Lo = 0x80;
            utf8Hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                utf8Left = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                utf8Left = 2;
                if (c == 0xE0) {
                    utf8Lo = 0xA0;
                } else if (c == 0xED) {
                    utf8Hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                utf8Left = 3;
                if (c == 0xF0) {
                    utf8Lo = 0x90;
                } else if (c == 0xF4) {
                    utf8Hi = 0x8F;
                }
            } else {
                throw failing.malformed(i + delta, "invalid UTF-8: byte " + hex2(c) + " cannot start a character");
            }
            if (inName) {
                add(1, i);
            }
            utf8Chars = c >= 0xF0 ? 2 : 1;
            state = UTF8;
        }
    }

    private void utf8(int c, int i) {
        if (c < utf8Lo || c > utf8Hi) {
            throw failing.malformed(i + delta, "invalid UTF-8: byte " + hex2(c) + " cannot continue the character");
        }
        utf8Lo = 0x80;
        utf8Hi = 0xBF;
        if (inName) {
            add(1, i);
        }
        if (--utf8Left == 0) {
            if (!inName) {
                add(utf8Chars, i);
            }
            state = STR;
        }
    }

    private void escape(int c, int i) {
        if (needLow && c != 'u') {
            throw lowExpected(i, c);
        }
        switch (c) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                add(1, i);
                state = STR;
            }
            case 'u' -> {
                hexLeft = 4;
                hexValue = 0;
                state = HEX;
            }
            default -> throw failing.malformed(i + delta, "invalid escape: unexpected " + describe(c)
                    + " after '\\', expected one of \" \\ / b f n r t u");
        }
    }

    private void hex(int c, int i) {
        int d = Character.digit(c, 16);
        if (d < 0 || c >= 0x80) {
            throw failing.malformed(i + delta, "unexpected " + describe(c) + " in a \\u escape, expected a hex digit");
        }
        if (inName) {
            // as the blocking parser: in a name, surrogate escapes come in pairs (high, then low)
            if (hexLeft == 4 && needLow && d != 0xD) {
                throw lowExpected(i, c);
            }
            if (hexLeft == 3 && hexValue == 0xD && (d >= 0xC) != needLow) {
                throw needLow ? lowExpected(i, c) : failing.malformed(i + delta,
                        "a \\u escape of a low surrogate without a high one before it, in a field name");
            }
        }
        hexValue = hexValue << 4 | d;
        if (--hexLeft == 0) {
            if (!inName) {
                add(1, i);
                state = STR;
            } else if (Character.isHighSurrogate((char) hexValue)) {
                needLow = true;
                state = LOW_ESCAPE;
            } else {
                add(needLow ? 4 : hexValue < 0x80 ? 1 : hexValue < 0x800 ? 2 : 3, i);
                needLow = false;
                state = STR;
            }
        }
    }

    private RuntimeException lowExpected(int i, int c) {
        return failing.malformed(i + delta, "unexpected " + describe(c)
                + ", expected the \\u escape of a low surrogate (\\uDC00 to \\uDFFF) after a high one, in a field name");
    }

    /**
     * A string's char (1 or 2 UTF-16 units) completed at index {@code i}, or a name's byte (an escape's UTF-8 bytes
     * at its last hex digit): Jackson's units for {@link Limits#maxStringLength()} and
     * {@link Limits#maxNameLength()}.
     */
    private void add(int n, int i) {
        length += n;
        if (length > (inName ? maxNameLength : maxStringLength)) {
            throw tooLong(i + delta);
        }
    }

    // ------------------------------------------------------------------ numbers

    private void digit(int i, int next) {
        if (++length > maxNumberLength) {
            throw failing.limit(i + delta, "maxNumberLength", "a number longer than " + maxNumberLength + " digits");
        }
        state = next;
    }

    private void afterInt(int c, int i) {
        if (c == '.') {
            state = DOT;
        } else if (c == 'e' || c == 'E') {
            state = EXP;
        } else {
            numberEnd(c, i);
        }
    }

    /** {@code c} cannot continue the number: it is complete if {@code c} may follow it (see {@link #delimits}). */
    private void numberEnd(int c, int i) {
        if (!delimits(c)) {
            throw afterValue(i, c, "a number");
        }
        valueDone(NUMBER, i + delta);
        step(c, i);
    }

    // ------------------------------------------------------------------ messages

    private RuntimeException unexpected(int i, int c, String expected) {
        return failing.malformed(i + delta, "unexpected " + describe(c) + ", expected " + expected);
    }

    /** A byte as the message shows it: {@code 'x'} for printable ASCII, else {@code byte 0xC3}. */
    static String describe(int c) {
        return c > 0x20 && c < 0x7F ? "'" + (char) c + "'" : c == 0x20 ? "' '" : "byte " + hex2(c);
    }

    private static String hex2(int c) {
        return String.format("0x%02X", c);
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
