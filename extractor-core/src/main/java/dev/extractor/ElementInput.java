package dev.extractor;

import java.io.InputStream;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * One blocking parser for all the elements of a document: Jackson reads root-level values one after the other
 * from a stream, and this stream serves each element's bytes, then a newline, when the element is complete.
 * The parser never reads past a value it is asked for (the newline ends a number or literal), so it never meets
 * the end of the stream; creating and closing a parser per element is spared.
 */
final class ElementInput {

    private final JsonFactory factory;
    private final Bytes in = new Bytes();
    private JsonParser parser;

    ElementInput(JsonFactory factory) {
        this.factory = factory;
    }

    /** The parser, positioned before the element {@code bytes[off, off + len)}. */
    JsonParser parserFor(byte[] bytes, int off, int len) {
        in.serve(bytes, off, len);
        if (parser == null || parser.isClosed()) {
            parser = factory.createParser(ObjectReadContext.empty(), in);
        } else {
            parser.clearCurrentToken();
        }
        return parser;
    }

    /** After a failure the parser may stand inside the element: the next element gets a new one. */
    void discard() {
        if (parser != null) {
            parser.close();
            parser = null;
        }
    }

    /** The element's bytes, then one newline; then nothing (never the end of the stream while in use). */
    private static final class Bytes extends InputStream {
        private byte[] b;
        private int off;
        private int end;
        private boolean newline;

        void serve(byte[] bytes, int from, int len) {
            this.b = bytes;
            this.off = from;
            this.end = from + len;
            this.newline = true;
        }

        @Override
        public int read(byte[] dst, int at, int n) {
            if (n == 0) {
                return 0;
            }
            if (off < end) {
                int k = Math.min(n, end - off);
                System.arraycopy(b, off, dst, at, k);
                off += k;
                return k;
            }
            if (newline) {
                newline = false;
                dst[at] = '\n';
                return 1;
            }
            return -1;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }
    }
}
