package dev.extractor.openai;

import dev.extractor.Delta;
import dev.extractor.Usage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path of {@link ChunkDecoder}: reads one {@code chat.completion.chunk} payload straight from its bytes,
 * without a JSON parser. What the decoder does not use (the envelope's {@code object}, {@code created},
 * {@code system_fingerprint}, {@code service_tier}, {@code obfuscation}, {@code logprobs}, a chunk's {@code role},
 * any unknown field) is stepped over byte by byte, validated but not decoded; the id and model are compared with the
 * ones already known without making a {@code String}; only a delta's text (and a tool call's id, name and
 * arguments, a finish reason, a new id or model) is decoded, straight from the UTF-8 bytes, into the one
 * {@code String} its {@link Delta} needs.
 *
 * <p><b>Exactness.</b> {@link #read} either fills the decoder's per-chunk state exactly as {@link ChunkDecoder}'s
 * Jackson path would for the same bytes, or answers false, having emitted nothing, and the decoder reads the
 * payload with Jackson. It answers false for anything it does not handle with certainty: JSON that is not valid,
 * or valid only by a rule it does not check (it accepts strictly well-formed UTF-8 only, nesting to
 * {@value #MAX_DEPTH} levels, numbers of up to {@value #MAX_NUMBER} characters, names of up to
 * {@value #MAX_NAME} bytes, all within Jackson's default limits); an escape in a property name the decoder
 * dispatches on; an {@code index} that is negative or has more than nine digits; usage counts that are not
 * plain integers or null; an {@code error} that is not null; tool-call {@code arguments} sent as JSON instead of a
 * string (copied byte for byte by the Jackson path); bytes after the object. Every one of these the Jackson path
 * decodes (or reports) itself, so the two paths give the same deltas and the same exceptions for every input:
 * {@code ChunkDecoderDifferentialTest} checks it over recorded streams, generated chunks and every prefix of them.
 *
 * <p>One per decoder, not thread-safe; allocates nothing but the deltas (and their strings) of the chunk.
 */
final class ChunkScanner {

    static final int MAX_DEPTH = 64; // Jackson's default limit: 500
    static final int MAX_NUMBER = 500; // Jackson's default limit: 1000
    static final int MAX_NAME = 1000; // Jackson's default limit: 50,000
    private static final int MAX_STRING = 1 << 24; // Jackson's default limit: 100,000,000

    private static final int FAIL = -1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int ESCAPED = 1;
    private static final int NON_ASCII = 2;

    private static final byte[] ID = ascii("id");
    private static final byte[] MODEL = ascii("model");
    private static final byte[] CHOICES = ascii("choices");
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] INDEX = ascii("index");
    private static final byte[] DELTA = ascii("delta");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] FINISH_REASON = ascii("finish_reason");
    private static final byte[] CONTENT = ascii("content");
    private static final byte[] REFUSAL = ascii("refusal");
    private static final byte[] TOOL_CALLS = ascii("tool_calls");
    private static final byte[] FUNCTION_CALL = ascii("function_call");
    private static final byte[] FUNCTION = ascii("function");
    private static final byte[] NAME = ascii("name");
    private static final byte[] ARGUMENTS = ascii("arguments");
    private static final byte[] PROMPT_TOKENS = ascii("prompt_tokens");
    private static final byte[] COMPLETION_TOKENS = ascii("completion_tokens");
    private static final byte[] TOTAL_TOKENS = ascii("total_tokens");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");

    private final ChunkDecoder decoder;

    private byte[] b;
    private int end;

    // the last property name read: b[kFrom..kFrom+kLen)
    private int kFrom;
    private int kLen;

    // the last string read: b[sFrom..sTo), and whether it has escapes or non-ASCII bytes
    private int sFrom;
    private int sTo;
    private int sFlags;

    // the last number read
    private boolean nInt;
    private boolean nNegative;
    private int nDigits; // of the integer part
    private long nValue; // when nInt and nDigits <= 18

    private char[] chars = new char[128];

    // the id and model known so far (the decoder's), and their ASCII bytes for comparing without decoding
    private String knownId;
    private byte[] knownIdBytes;
    private String knownModel;
    private byte[] knownModelBytes;

    ChunkScanner(ChunkDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Reads {@code data[off..off+len)} (no surrounding whitespace) into the decoder's per-chunk state; false if
     * the Jackson path must read it (the state is then meaningless, and nothing was emitted).
     */
    boolean read(byte[] data, int off, int len) {
        decoder.pending.clear();
        decoder.newModel = null;
        decoder.newResponseId = null;
        decoder.usage = null;
        decoder.error = false;
        if (len == 0 || data[off] != '{') {
            return false;
        }
        b = data;
        end = off + len;
        try {
            return top(off) == end;
        } finally {
            b = null;
        }
    }

    // ------------------------------------------------------------------ the chunk's objects

    /** The chunk object at {@code i} ('{'); the position after it, or FAIL. */
    private int top(int i) {
        i = ws(i + 1);
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            int v = name(i, true);
            if (v < 0) {
                return FAIL;
            }
            if (is(ID)) {
                i = id(v);
            } else if (is(MODEL)) {
                i = model(v);
            } else if (is(CHOICES)) {
                i = b[v] == '[' ? choices(v) : skip(v, 1);
            } else if (is(USAGE)) {
                i = b[v] == '{' ? usage(v) : skip(v, 1);
            } else if (is(ERROR)) {
                i = literal(v, NULL); // an error: the Jackson path reads it and throws
            } else {
                i = skip(v, 1);
            }
            i = next(i, '}');
            if (i <= 0) {
                return -i - 1;
            }
        }
    }

    private int id(int v) {
        if (b[v] != '"') {
            return skip(v, 1);
        }
        int i = string(v);
        if (i > 0 && sTo > sFrom && !sameId(decoder.responseId())) {
            decoder.newResponseId = text();
        }
        return i;
    }

    private int model(int v) {
        if (b[v] != '"') {
            return skip(v, 1);
        }
        int i = string(v);
        if (i > 0 && sTo > sFrom && !sameModel(decoder.model())) {
            decoder.newModel = text();
        }
        return i;
    }

    private int choices(int i) {
        i = ws(i + 1);
        if (i < end && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            if (i >= end) {
                return FAIL;
            }
            i = b[i] == '{' ? choice(i) : skip(i, 2);
            i = next(i, ']');
            if (i <= 0) {
                return -i - 1;
            }
        }
    }

    private int choice(int i) {
        List<Object> pending = decoder.pending;
        int start = pending.size();
        int index = 0;
        String finish = null;
        i = ws(i + 1);
        if (i < end && b[i] == '}') {
            i++;
        } else {
            while (true) {
                int v = name(i, true);
                if (v < 0) {
                    return FAIL;
                }
                if (is(INDEX)) {
                    i = index(v, 3);
                    if (i > 0 && nInt) {
                        index = (int) nValue;
                    }
                } else if (is(DELTA) || is(MESSAGE)) {
                    i = b[v] == '{' ? delta(v) : skip(v, 3);
                } else if (is(FINISH_REASON)) {
                    if (b[v] == '"') {
                        i = string(v);
                        if (i > 0 && sTo > sFrom) {
                            finish = text();
                        }
                    } else {
                        i = skip(v, 3);
                    }
                } else {
                    i = skip(v, 3);
                }
                i = next(i, '}');
                if (i <= 0) {
                    i = -i - 1;
                    break;
                }
            }
            if (i < 0) {
                return FAIL;
            }
        }
        if (index != decoder.choice()) {
            pending.subList(start, pending.size()).clear();
        } else if (finish != null) {
            pending.add(new Delta.Finish(finish));
        }
        return i;
    }

    /**
     * An {@code index} value: a number is read into {@code n*} (nInt false for a fraction or exponent, which the
     * Jackson path ignores); FAIL for a negative or too long integer (Jackson's {@code getIntValue} has the last word
     * there). Anything else is skipped, with nInt false.
     */
    private int index(int v, int depth) {
        byte c = b[v];
        if (c == '-' || c >= '0' && c <= '9') {
            int i = number(v);
            if (i > 0 && nInt && (nNegative || nDigits > 9)) {
                return FAIL;
            }
            return i;
        }
        int i = skip(v, depth);
        nInt = false; // after the skip: the numbers inside an array or object are not the index
        return i;
    }

    private int delta(int i) {
        i = ws(i + 1);
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            int v = name(i, true);
            if (v < 0) {
                return FAIL;
            }
            if (is(CONTENT)) {
                if (b[v] == '"') {
                    i = string(v);
                    if (i > 0 && sTo > sFrom) {
                        decoder.pending.add(new Delta.Text(text()));
                    }
                } else {
                    i = skip(v, 4);
                }
            } else if (is(REFUSAL)) {
                if (b[v] == '"') {
                    i = string(v);
                    if (i > 0 && sTo > sFrom) {
                        decoder.pending.add(new Delta.Refusal(text()));
                    }
                } else {
                    i = skip(v, 4);
                }
            } else if (is(TOOL_CALLS)) {
                i = b[v] == '[' ? toolCalls(v) : skip(v, 4);
            } else if (is(FUNCTION_CALL)) {
                i = b[v] == '{' ? function(v, 0, null) : skip(v, 4);
            } else {
                i = skip(v, 4);
            }
            i = next(i, '}');
            if (i <= 0) {
                return -i - 1;
            }
        }
    }

    private int toolCalls(int i) {
        i = ws(i + 1);
        if (i < end && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            if (i >= end) {
                return FAIL;
            }
            i = b[i] == '{' ? toolCall(i) : skip(i, 5);
            i = next(i, ']');
            if (i <= 0) {
                return -i - 1;
            }
        }
    }

    private int toolCall(int i) {
        List<Object> pending = decoder.pending;
        int index = -1;
        String id = null;
        boolean sawFunction = false;
        i = ws(i + 1);
        if (i < end && b[i] == '}') {
            i++;
        } else {
            while (true) {
                int v = name(i, true);
                if (v < 0) {
                    return FAIL;
                }
                if (is(INDEX)) {
                    i = index(v, 6);
                    if (i > 0 && nInt) {
                        index = (int) nValue;
                    }
                } else if (is(ID)) {
                    if (b[v] == '"') {
                        i = string(v);
                        if (i > 0 && sTo > sFrom) {
                            id = text();
                        }
                    } else {
                        i = skip(v, 6);
                    }
                } else if (is(FUNCTION)) {
                    if (b[v] == '{') {
                        i = function(v, index, id);
                        sawFunction = true;
                    } else {
                        i = skip(v, 6);
                    }
                } else {
                    i = skip(v, 6);
                }
                i = next(i, '}');
                if (i <= 0) {
                    i = -i - 1;
                    break;
                }
            }
            if (i < 0) {
                return FAIL;
            }
        }
        // as ChunkDecoder.toolCalls
        if (!sawFunction) {
            pending.add(new ChunkDecoder.RawToolCall(index, id, null, ""));
        } else if (index >= 0 || id != null) {
            ChunkDecoder.RawToolCall last = (ChunkDecoder.RawToolCall) pending.get(pending.size() - 1);
            if (last.index() != index || last.id() == null && id != null) {
                pending.set(pending.size() - 1, new ChunkDecoder.RawToolCall(index, id != null ? id : last.id(),
                        last.name(), last.arguments()));
            }
        }
        return i;
    }

    private int function(int i, int index, String id) {
        String fn = null;
        String args = "";
        i = ws(i + 1);
        if (i < end && b[i] == '}') {
            i++;
        } else {
            while (true) {
                int v = name(i, true);
                if (v < 0) {
                    return FAIL;
                }
                if (is(NAME)) {
                    if (b[v] == '"') {
                        i = string(v);
                        if (i > 0 && sTo > sFrom) {
                            fn = text();
                        }
                    } else {
                        i = skip(v, 7);
                    }
                } else if (is(ARGUMENTS)) {
                    byte c = b[v];
                    if (c == '"') {
                        i = string(v);
                        if (i > 0) {
                            args = sTo > sFrom ? text() : "";
                        }
                    } else if (c == '{' || c == '[') {
                        return FAIL; // arguments as JSON: copied byte for byte by the Jackson path
                    } else {
                        i = skip(v, 7);
                    }
                } else {
                    i = skip(v, 7);
                }
                i = next(i, '}');
                if (i <= 0) {
                    i = -i - 1;
                    break;
                }
            }
            if (i < 0) {
                return FAIL;
            }
        }
        decoder.pending.add(new ChunkDecoder.RawToolCall(index, id, fn, args));
        return i;
    }

    private int usage(int i) {
        long prompt = 0;
        long completion = 0;
        long total = -1;
        i = ws(i + 1);
        if (i < end && b[i] == '}') {
            i++;
        } else {
            while (true) {
                int v = name(i, true);
                if (v < 0) {
                    return FAIL;
                }
                if (is(PROMPT_TOKENS)) {
                    i = count(v);
                    prompt = Math.max(0, nValue);
                } else if (is(COMPLETION_TOKENS)) {
                    i = count(v);
                    completion = Math.max(0, nValue);
                } else if (is(TOTAL_TOKENS)) {
                    if (b[v] == 'n') {
                        i = literal(v, NULL);
                        total = -1;
                    } else {
                        i = count(v);
                        total = nValue;
                    }
                } else {
                    i = skip(v, 2);
                }
                i = next(i, '}');
                if (i <= 0) {
                    i = -i - 1;
                    break;
                }
            }
            if (i < 0) {
                return FAIL;
            }
        }
        decoder.usage = Usage.of(prompt, completion, total < 0 ? prompt + completion : total);
        return i;
    }

    /** A usage count: an integer of at most 18 digits, or null (0); anything else FAIL (Jackson coerces it). */
    private int count(int v) {
        if (b[v] == 'n') {
            nValue = 0;
            return literal(v, NULL);
        }
        int i = number(v);
        return i > 0 && nInt && nDigits <= 18 ? i : FAIL;
    }

    // ------------------------------------------------------------------ JSON, strictly

    /**
     * After a member or element ending at {@code i}: a comma and whitespace (the position after them, positive), or
     * {@code close} ({@code -(position after it) - 1}, not positive); FAIL (-1 after the mapping: 0) otherwise.
     */
    private int next(int i, char close) {
        if (i < 0) {
            return 0; // -0 - 1 = FAIL
        }
        i = ws(i);
        if (i < end) {
            byte c = b[i];
            if (c == ',') {
                return ws(i + 1); // positive: i + 1 > 0
            }
            if (c == close) {
                return -(i + 1) - 1;
            }
        }
        return 0;
    }

    /**
     * A property name at {@code i} and its colon: the position of the value (whitespace skipped, inside the
     * payload), or FAIL. {@code dispatch}: the name is compared with the decoder's names, so an escape in it FAILs
     * (it could spell one of them).
     */
    private int name(int i, boolean dispatch) {
        if (i >= end || b[i] != '"') {
            return FAIL;
        }
        int j = string(i);
        if (j < 0 || sTo - sFrom > MAX_NAME || dispatch && (sFlags & ESCAPED) != 0) {
            return FAIL;
        }
        kFrom = sFrom;
        kLen = sTo - sFrom;
        j = ws(j);
        if (j >= end || b[j] != ':') {
            return FAIL;
        }
        j = ws(j + 1);
        return j < end ? j : FAIL;
    }

    private boolean is(byte[] name) {
        if (kLen != name.length) {
            return false;
        }
        for (int k = 0; k < name.length; k++) {
            if (b[kFrom + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    private int ws(int i) {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }

    /** Steps over the value at {@code i} (inside a container at {@code depth}); the position after it, or FAIL. */
    private int skip(int i, int depth) {
        if (i >= end) {
            return FAIL;
        }
        switch (b[i]) {
            case '"':
                return string(i);
            case '{':
                return skipObject(i, depth + 1);
            case '[':
                return skipArray(i, depth + 1);
            case 't':
                return literal(i, TRUE);
            case 'f':
                return literal(i, FALSE);
            case 'n':
                return literal(i, NULL);
            default:
                return number(i);
        }
    }

    private int skipObject(int i, int depth) {
        if (depth > MAX_DEPTH) {
            return FAIL;
        }
        i = ws(i + 1);
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            int v = name(i, false);
            if (v < 0) {
                return FAIL;
            }
            i = next(skip(v, depth), '}');
            if (i <= 0) {
                return -i - 1;
            }
        }
    }

    private int skipArray(int i, int depth) {
        if (depth > MAX_DEPTH) {
            return FAIL;
        }
        i = ws(i + 1);
        if (i < end && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = next(skip(i, depth), ']');
            if (i <= 0) {
                return -i - 1;
            }
        }
    }

    private int literal(int i, byte[] word) {
        if (end - i < word.length) {
            return FAIL;
        }
        for (int k = 0; k < word.length; k++) {
            if (b[i + k] != word[k]) {
                return FAIL;
            }
        }
        return i + word.length; // what follows is checked by the caller: "nullx" fails there
    }

    /** A JSON number at {@code i}, strictly ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}), into {@code n*}. */
    private int number(int i) {
        int start = i;
        boolean negative = false;
        if (i < end && b[i] == '-') {
            negative = true;
            i++;
        }
        if (i >= end) {
            return FAIL;
        }
        byte c = b[i];
        int digitsFrom = i;
        long value = 0;
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            while (i < end && (c = b[i]) >= '0' && c <= '9') {
                value = value * 10 + (c - '0'); // overflows past 18 digits: not used then
                i++;
            }
        } else {
            return FAIL;
        }
        int digits = i - digitsFrom;
        boolean integer = true;
        if (i < end && b[i] == '.') {
            i++;
            int from = i;
            while (i < end && (c = b[i]) >= '0' && c <= '9') {
                i++;
            }
            if (i == from) {
                return FAIL;
            }
            integer = false;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int from = i;
            while (i < end && (c = b[i]) >= '0' && c <= '9') {
                i++;
            }
            if (i == from) {
                return FAIL;
            }
            integer = false;
        }
        if (i - start > MAX_NUMBER) {
            return FAIL;
        }
        nInt = integer;
        nNegative = negative;
        nDigits = digits;
        nValue = negative ? -value : value;
        return i; // a digit right after a leading 0 ("01") is not a delimiter: the caller fails
    }

    /**
     * A JSON string at {@code i} ('"'), strictly: valid escapes, no control characters, well-formed UTF-8 (no
     * overlong forms, no surrogates, nothing above U+10FFFF). Its body goes to {@code s*}; the position after the
     * closing quote, or FAIL.
     */
    private int string(int i) {
        byte[] b = this.b;
        int end = this.end;
        int j = i + 1;
        int flags = 0;
        while (true) {
            while (j <= end - 8) { // eight bytes at a time to the next quote, backslash, control or non-ASCII byte
                long x = (long) LONGS.get(b, j);
                long q = x ^ 0x2222222222222222L;
                long e = x ^ 0x5C5C5C5C5C5C5C5CL;
                // the lowest flagged byte is exact (a borrow may flag bytes above it, which are not looked at)
                long special = (q - ONES & ~q | e - ONES & ~e | x - 0x2020202020202020L & ~x | x) & HIGH_BITS;
                if (special != 0) {
                    j += Long.numberOfTrailingZeros(special) >>> 3;
                    break;
                }
                j += 8;
            }
            if (j >= end) {
                return FAIL;
            }
            byte c = b[j];
            if (c >= 0x20 && c != '"' && c != '\\') { // printable ASCII (bytes above 0x7F are negative)
                j++;
                continue;
            }
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (j + 1 >= end) {
                    return FAIL;
                }
                switch (b[j + 1]) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> j += 2;
                    case 'u' -> {
                        if (j + 5 >= end || hex(b[j + 2]) < 0 || hex(b[j + 3]) < 0 || hex(b[j + 4]) < 0
                                || hex(b[j + 5]) < 0) {
                            return FAIL;
                        }
                        j += 6;
                    }
                    default -> {
                        return FAIL;
                    }
                }
                flags |= ESCAPED;
                continue;
            }
            if (c >= 0) {
                return FAIL; // an unescaped control character
            }
            int n = utf8(b, j, end);
            if (n < 0) {
                return FAIL;
            }
            j += n;
            flags |= NON_ASCII;
        }
        if (j - i - 1 > MAX_STRING) {
            return FAIL;
        }
        sFrom = i + 1;
        sTo = j;
        sFlags = flags;
        return j + 1;
    }

    /** The length of the well-formed UTF-8 sequence at {@code j} (its lead byte is not ASCII), or -1. */
    static int utf8(byte[] b, int j, int end) {
        int c = b[j] & 0xFF;
        if (c >= 0xC2 && c <= 0xDF) {
            return j + 1 < end && cont(b[j + 1]) ? 2 : -1;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            if (j + 2 >= end) {
                return -1;
            }
            int c1 = b[j + 1] & 0xFF;
            boolean ok = c == 0xE0 ? c1 >= 0xA0 && c1 <= 0xBF : c == 0xED ? c1 >= 0x80 && c1 <= 0x9F : cont(b[j + 1]);
            return ok && cont(b[j + 2]) ? 3 : -1;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (j + 3 >= end) {
                return -1;
            }
            int c1 = b[j + 1] & 0xFF;
            boolean ok = c == 0xF0 ? c1 >= 0x90 && c1 <= 0xBF : c == 0xF4 ? c1 >= 0x80 && c1 <= 0x8F : cont(b[j + 1]);
            return ok && cont(b[j + 2]) && cont(b[j + 3]) ? 4 : -1;
        }
        return -1;
    }

    private static boolean cont(byte c) {
        return (c & 0xC0) == 0x80;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    // ------------------------------------------------------------------ decoding the strings the decoder keeps

    /** The last string read, decoded. */
    private String text() {
        int n = sTo - sFrom;
        if (sFlags == 0) {
            return new String(b, sFrom, n, StandardCharsets.ISO_8859_1); // ASCII: one copy
        }
        if (sFlags == NON_ASCII) {
            return new String(b, sFrom, n, StandardCharsets.UTF_8); // well-formed: decodes as Jackson does
        }
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        char[] out = chars;
        int o = 0;
        int j = sFrom;
        while (j < sTo) {
            int c = b[j];
            if (c == '\\') {
                byte e = b[j + 1];
                j += 2;
                switch (e) {
                    case 'b' -> out[o++] = '\b';
                    case 'f' -> out[o++] = '\f';
                    case 'n' -> out[o++] = '\n';
                    case 'r' -> out[o++] = '\r';
                    case 't' -> out[o++] = '\t';
                    case 'u' -> {
                        out[o++] = (char) (hex(b[j]) << 12 | hex(b[j + 1]) << 8 | hex(b[j + 2]) << 4 | hex(b[j + 3]));
                        j += 4;
                    }
                    default -> out[o++] = (char) e; // " \ /
                }
            } else if (c >= 0) {
                out[o++] = (char) c;
                j++;
            } else {
                int n1 = utf8Length(c);
                if (n1 == 2) {
                    out[o++] = (char) ((c & 0x1F) << 6 | b[j + 1] & 0x3F);
                } else if (n1 == 3) {
                    out[o++] = (char) ((c & 0x0F) << 12 | (b[j + 1] & 0x3F) << 6 | b[j + 2] & 0x3F);
                } else {
                    int cp = (c & 0x07) << 18 | (b[j + 1] & 0x3F) << 12 | (b[j + 2] & 0x3F) << 6 | b[j + 3] & 0x3F;
                    out[o++] = Character.highSurrogate(cp);
                    out[o++] = Character.lowSurrogate(cp);
                }
                j += n1;
            }
        }
        return new String(out, 0, o);
    }

    private static int utf8Length(int lead) {
        int c = lead & 0xFF;
        return c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }

    /** Whether the last string read equals the response id known so far, without making a String. */
    private boolean sameId(String known) {
        if (known != knownId) {
            knownId = known;
            knownIdBytes = asciiBytes(known);
        }
        return same(known, knownIdBytes);
    }

    /** Whether the last string read equals the model known so far, without making a String. */
    private boolean sameModel(String known) {
        if (known != knownModel) {
            knownModel = known;
            knownModelBytes = asciiBytes(known);
        }
        return same(known, knownModelBytes);
    }

    /** Whether the last string read equals {@code known} ({@code bytes}: its ASCII bytes, or null). */
    private boolean same(String known, byte[] bytes) {
        if (known == null) {
            return false;
        }
        if (sFlags != 0 || bytes == null) {
            return text().equals(known);
        }
        return Arrays.equals(b, sFrom, sTo, bytes, 0, bytes.length);
    }

    /** The bytes of {@code s} if it is ASCII, else null. */
    private static byte[] asciiBytes(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return null;
            }
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The end (exclusive) of the object or array starting at {@code b[from]}, found by its brackets (strings and
     * their escapes respected); for JSON already checked by a parser. -1 if it does not end before {@code end}.
     */
    static int valueEnd(byte[] b, int from, int end) {
        int depth = 0;
        int i = from;
        while (i < end) {
            byte c = b[i++];
            if (c == '"') {
                while (i < end) {
                    byte d = b[i++];
                    if (d == '\\') {
                        i++;
                    } else if (d == '"') {
                        break;
                    }
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
