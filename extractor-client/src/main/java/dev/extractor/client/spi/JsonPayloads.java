package dev.extractor.client.spi;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads a stream's event payloads (one JSON value each) token by token with Jackson's streaming parser, one
 * non-blocking parser reused for the whole stream: a parser made per event was most of what decoding allocated.
 *
 * <p>A payload the shared parser cannot read as one complete JSON object (truncated, malformed, a scalar, bytes
 * after the object) is read again by a parser of its own, which reports it exactly; the shared parser is then
 * replaced. A {@link Reader} may therefore run twice on the same payload: it must collect what it reads into state
 * it resets when it starts, and act on it only after {@link #read} returns.
 *
 * <p>Part of the wire-format SPI. Not thread-safe.
 */
public final class JsonPayloads implements AutoCloseable {

    /** Reads one payload; the parser is positioned before its first token. */
    @FunctionalInterface
    public interface Reader {
        /**
         * Reads the payload, with {@link JsonPayloads#next} and {@link JsonPayloads#nextName} for every token.
         *
         * @param parser the parser, before the payload's first token
         */
        void read(JsonParser parser);
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final BiFunction<String, Throwable, RuntimeException> malformed;
    private JsonParser shared;

    /**
     * @param malformed makes the exception thrown for a payload that is not valid JSON, from a message (which
     *     quotes the start of the payload) and the parser's exception
     * @throws NullPointerException if {@code malformed} is null
     */
    public JsonPayloads(BiFunction<String, Throwable, RuntimeException> malformed) {
        this.malformed = Objects.requireNonNull(malformed, "malformed");
    }

    /**
     * Reads {@code data[off..off+len)} (surrounding whitespace ignored) with {@code reader}.
     *
     * @throws RuntimeException what {@code reader} throws, or the {@code malformed} exception for invalid JSON
     * @param data the bytes
     * @param off where they start
     * @param len how many
     * @param reader reads the payload
     */
    public void read(byte[] data, int off, int len, Reader reader) {
        int from = off;
        int to = off + len;
        while (from < to && isSpace(data[from])) {
            from++;
        }
        while (to > from && isSpace(data[to - 1])) {
            to--;
        }
        if (readShared(data, from, to - from, reader)) {
            return;
        }
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), data, from, to - from)) {
            reader.read(p);
        } catch (JacksonException e) {
            throw malformed.apply("An event payload is not valid JSON (" + e.getOriginalMessage() + "): "
                    + excerpt(data, from, to - from), e);
        }
    }

    private boolean readShared(byte[] data, int off, int len, Reader reader) {
        if (len == 0 || data[off] != '{') {
            return false;
        }
        if (shared == null) {
            shared = FACTORY.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        }
        ByteArrayFeeder feeder = (ByteArrayFeeder) shared.nonBlockingInputFeeder();
        try {
            feeder.feedInput(data, off, off + len);
            reader.read(shared);
        } catch (RuntimeException e) {
            close();
            return false;
        }
        if (!feeder.needMoreInput() || shared.streamReadContext().inObject()) {
            // bytes after the object (ignored, as a parser of its own ignores them, but they would be read as the
            // start of the next payload), or a reader that stopped inside the object
            close();
        }
        return true;
    }

    /** Releases the shared parser; the next payload gets a new one. */
    @Override
    public void close() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /**
     * The next token. The shared parser answers {@code NOT_AVAILABLE} when the payload ends inside its value: that
     * ends the reading (the payload is then read by a parser of its own) instead of being taken for a token.
     *
     * @param p the parser, on the value
     * @return the token
     */
    public static JsonToken next(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) {
            throw Incomplete.INSTANCE;
        }
        return t;
    }

    /**
     * The next property name, or null at the end of the object; see {@link #next}.
     *
     * @param p the parser, on the value
     * @return the name, or null at the end of the object
     */
    public static String nextName(JsonParser p) {
        String name = p.nextName();
        if (name == null && p.currentToken() == JsonToken.NOT_AVAILABLE) {
            throw Incomplete.INSTANCE;
        }
        return name;
    }

    /**
     * Skips the value the parser is on (its children too, for an object or an array); see {@link #next}.
     *
     * @param p the parser, on the value
     */
    public static void skip(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken n = next(p);
            if (n == JsonToken.START_OBJECT || n == JsonToken.START_ARRAY) {
                depth++;
            } else if (n == JsonToken.END_OBJECT || n == JsonToken.END_ARRAY) {
                depth--;
            }
        }
    }

    /**
     * The current string value if it is a non-empty string, else null.
     *
     * @param p the parser, on the value
     * @return the string, or null
     */
    public static String string(JsonParser p) {
        return p.currentToken() == JsonToken.VALUE_STRING && p.getStringLength() > 0 ? p.getString() : null;
    }

    /**
     * Whether the current string value equals {@code known}, compared without making a String.
     *
     * @param p the parser, on the value
     * @param known the string to compare with, or null
     * @return whether they are equal
     */
    public static boolean same(JsonParser p, String known) {
        if (known == null || p.currentToken() != JsonToken.VALUE_STRING) {
            return false;
        }
        int n = p.getStringLength();
        if (n != known.length()) {
            return false;
        }
        char[] chars = p.getStringCharacters();
        int off = p.getStringOffset();
        for (int i = 0; i < n; i++) {
            if (chars[off + i] != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value the parser is on (an object or array with its children) as compact JSON text. Numbers are copied as
     * written ({@code 2.50} stays {@code 2.50}, digits beyond a double's precision are kept).
     *
     * @param p the parser, on the value
     * @return the JSON text
     */
    public static String copy(JsonParser p) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), w)) {
            JsonToken t = p.currentToken();
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                copyEvent(p, g);
            } else {
                int depth = 0;
                do {
                    copyEvent(p, g);
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        depth++;
                    } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                        depth--;
                    }
                    if (depth > 0) {
                        t = next(p);
                    }
                } while (depth > 0);
            }
        }
        return w.toString();
    }

    private static void copyEvent(JsonParser p, JsonGenerator g) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            g.writeNumber(p.getString());
        } else {
            g.copyCurrentEvent(p);
        }
    }

    /**
     * The first 200 bytes of {@code data[off..off+len)} as text, for messages.
     *
     * @param data the bytes
     * @param off where they start
     * @param len how many
     * @return the text
     */
    public static String excerpt(byte[] data, int off, int len) {
        String s = new String(data, off, Math.min(len, 200), StandardCharsets.UTF_8);
        return len > 200 ? s + "..." : s;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** The payload ended inside its value; never leaves {@link #readShared}. */
    private static final class Incomplete extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super("incomplete payload", null, false, false);
        }
    }
}
