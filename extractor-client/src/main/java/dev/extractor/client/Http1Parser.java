package dev.extractor.client;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import okhttp3.Headers;

/**
 * The framing of one HTTP/1.1 response, read incrementally from whatever pieces the socket gives: the status line
 * and headers (1xx interim responses skipped), then the body by its framing (chunked, {@code Content-Length}, or
 * until the connection closes), handed to the {@link Handler} as slices of the caller's own array (no copy). The
 * outcome does not depend on where the pieces were cut. Used by {@link LoopHttp} only; one parser per response.
 */
final class Http1Parser {

    /** What the parser found; called on the thread that feeds it. */
    interface Handler {
        /**
         * The final response's status and headers.
         *
         * @param status the status code
         * @param headers the headers
         */
        void head(int status, Headers headers);

        /**
         * The next piece of the body (chunk framing removed).
         *
         * @param b the array
         * @param off where the piece starts
         * @param len its length
         */
        void body(byte[] b, int off, int len);

        /** The body ended where its framing says. */
        void end();
    }

    /** The most bytes the status line and headers (or a chunked body's trailers) may take. */
    static final int MAX_HEAD = 64 * 1024;

    private static final int STATUS = 0;
    private static final int HEADERS = 1;
    private static final int LENGTH_BODY = 2;
    private static final int CLOSE_BODY = 3;
    private static final int CHUNK_SIZE = 4;
    private static final int CHUNK_EXT = 5;
    private static final int CHUNK_SIZE_LF = 6;
    private static final int CHUNK_DATA = 7;
    private static final int CHUNK_DATA_CR = 8;
    private static final int CHUNK_DATA_LF = 9;
    private static final int TRAILERS = 10;
    private static final int DONE = 11;
    private static final int STOPPED = 12;
    /** Between the head and the body, while the handler looks at the head. */
    private static final int HEADERS_SEEN = 13;

    private final Handler handler;
    private int state = STATUS;
    /** The head line being read (bytes as Latin-1 chars); null between lines. */
    private StringBuilder line;
    private int headBytes;
    private int status;
    private Headers.Builder headers;
    private long remaining;
    private int sizeDigits;
    private boolean started;
    private boolean reusable = true;
    private boolean extra;
    private boolean stopped;

    Http1Parser(Handler handler) {
        this.handler = handler;
    }

    /** Whether any byte of the response arrived. */
    boolean started() {
        return started;
    }

    /** Whether the response ended where its framing says. */
    boolean done() {
        return state == DONE;
    }

    /** Whether the connection may carry another request: the response ended by its framing, nothing after it. */
    boolean reusable() {
        return state == DONE && reusable && !extra;
    }

    /** Stops the parser: what is fed after this is ignored (the handler asked for it). */
    void stop() {
        stopped = true;
        state = STOPPED;
    }

    /**
     * Reads {@code len} bytes of the response.
     *
     * @throws IOException where the bytes break HTTP/1.1's framing
     */
    void feed(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
            started = true;
        }
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case STATUS, HEADERS, TRAILERS -> i = headLine(b, i, end);
                case LENGTH_BODY -> {
                    int n = (int) Math.min(remaining, end - i);
                    remaining -= n;
                    handler.body(b, i, n);
                    i += n;
                    if (remaining == 0 && state == LENGTH_BODY) {
                        finish();
                    }
                }
                case CLOSE_BODY -> {
                    handler.body(b, i, end - i);
                    i = end;
                }
                case CHUNK_SIZE -> {
                    byte c = b[i++];
                    int d = Character.digit((char) (c & 0xff), 16); // no Latin-1 char but 0-9a-fA-F is one
                    if (d >= 0) {
                        if (++sizeDigits > 15) {
                            throw new IOException("Malformed chunked body: a chunk size of more than 15 hex digits");
                        }
                        remaining = remaining << 4 | d;
                    } else if (sizeDigits == 0) {
                        throw new IOException("Malformed chunked body: expected a chunk size, got " + show(c));
                    } else if (c == ';' || c == ' ' || c == '\t') {
                        state = CHUNK_EXT;
                    } else if (c == '\r') {
                        state = CHUNK_SIZE_LF;
                    } else if (c == '\n') {
                        chunkStarts();
                    } else {
                        throw new IOException("Malformed chunked body: " + show(c) + " in a chunk size");
                    }
                }
                case CHUNK_EXT -> {
                    byte c = b[i++];
                    if (c == '\n') {
                        chunkStarts();
                    } else if (++headBytes > MAX_HEAD) {
                        throw new IOException("Malformed chunked body: a chunk extension longer than " + MAX_HEAD);
                    }
                }
                case CHUNK_SIZE_LF -> {
                    byte c = b[i++];
                    if (c != '\n') {
                        throw new IOException("Malformed chunked body: " + show(c) + " after a chunk size's CR");
                    }
                    chunkStarts();
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    remaining -= n;
                    if (remaining == 0) {
                        state = CHUNK_DATA_CR;
                    }
                    handler.body(b, i, n);
                    i += n;
                }
                case CHUNK_DATA_CR -> {
                    byte c = b[i++];
                    if (c == '\r') {
                        state = CHUNK_DATA_LF;
                    } else if (c == '\n') {
                        nextChunk();
                    } else {
                        throw new IOException("Malformed chunked body: " + show(c) + " where a chunk's CRLF was due");
                    }
                }
                case CHUNK_DATA_LF -> {
                    byte c = b[i++];
                    if (c != '\n') {
                        throw new IOException("Malformed chunked body: " + show(c) + " where a chunk's LF was due");
                    }
                    nextChunk();
                }
                case DONE -> {
                    extra = true; // bytes after the response: the connection is not reused
                    return;
                }
                default -> {
                    return; // STOPPED
                }
            }
        }
    }

    /**
     * The peer closed the connection: the end of a body read until close, else a disconnect.
     *
     * @throws EOFException where more was due
     */
    void eof() throws EOFException {
        if (state == CLOSE_BODY) {
            finish();
            return;
        }
        if (state == DONE || state == STOPPED) {
            return;
        }
        throw new EOFException(started ? "unexpected end of stream" : "unexpected end of stream: no response");
    }

    private void chunkStarts() {
        headBytes = 0;
        if (remaining == 0) {
            state = TRAILERS;
        } else {
            state = CHUNK_DATA;
        }
    }

    private void nextChunk() {
        state = CHUNK_SIZE;
        remaining = 0;
        sizeDigits = 0;
    }

    private void finish() {
        state = DONE;
        handler.end();
    }

    /** Reads head bytes up to the end of a line (or of the input); acts on a whole line. */
    private int headLine(byte[] b, int i, int end) throws IOException {
        if (line == null) {
            line = new StringBuilder(64);
        }
        while (i < end) {
            byte c = b[i++];
            if (++headBytes > MAX_HEAD) {
                throw new IOException("Malformed HTTP response: " + (state == TRAILERS ? "trailers" : "headers")
                        + " longer than " + MAX_HEAD + " bytes");
            }
            if (c == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                String l = line.toString();
                line.setLength(0);
                onLine(l);
                if (state != STATUS && state != HEADERS && state != TRAILERS) {
                    line = null;
                }
                return i;
            }
            line.append((char) (c & 0xff));
        }
        return i;
    }

    private void onLine(String l) throws IOException {
        switch (state) {
            case STATUS -> {
                if (l.isEmpty()) {
                    return; // a stray empty line before the status line (RFC 9112 §2.2 allows ignoring it)
                }
                status = statusCode(l);
                if (l.startsWith("HTTP/1.0")) {
                    reusable = false;
                }
                headers = new Headers.Builder();
                state = HEADERS;
            }
            case HEADERS -> {
                if (!l.isEmpty()) {
                    header(l);
                    return;
                }
                if (status / 100 == 1) {
                    if (status == 101) {
                        throw new IOException("Malformed HTTP response: 101 Switching Protocols was not asked for");
                    }
                    state = STATUS; // an interim response (100 Continue, 103 Early Hints): the final one follows
                    headBytes = 0;
                    return;
                }
                bodyStarts();
            }
            default -> { // TRAILERS
                if (l.isEmpty()) {
                    line = null;
                    finish();
                }
            }
        }
    }

    private static int statusCode(String l) throws IOException {
        if (!l.startsWith("HTTP/1.") || l.length() < 12 || l.charAt(8) != ' ') {
            throw new IOException("Malformed HTTP status line: " + shorten(l));
        }
        int code = 0;
        for (int k = 9; k < 12; k++) {
            char c = l.charAt(k);
            if (c < '0' || c > '9') {
                throw new IOException("Malformed HTTP status line: " + shorten(l));
            }
            code = code * 10 + (c - '0');
        }
        if (l.length() > 12 && l.charAt(12) != ' ') {
            throw new IOException("Malformed HTTP status line: " + shorten(l));
        }
        if (code < 100) {
            throw new IOException("Malformed HTTP status line: " + shorten(l));
        }
        return code;
    }

    private void header(String l) throws IOException {
        if ((l.charAt(0) == ' ' || l.charAt(0) == '\t')) {
            throw new IOException("Malformed HTTP response: an obsolete folded header line");
        }
        int colon = l.indexOf(':');
        if (colon <= 0) {
            throw new IOException("Malformed HTTP header line: " + shorten(l));
        }
        String name = l.substring(0, colon);
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c <= ' ' || c >= 0x7f) {
                throw new IOException("Malformed HTTP header name: " + shorten(name));
            }
        }
        // header values are Latin-1 on the wire; UTF-8 ones are decoded as such where they are valid
        String value = l.substring(colon + 1).strip();
        headers.addUnsafeNonAscii(name, utf8(value));
    }

    private void bodyStarts() throws IOException {
        Headers h = headers.build();
        headers = null;
        String te = h.get("Transfer-Encoding");
        String cl = h.get("Content-Length");
        String connection = h.get("Connection");
        if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
            reusable = false;
        }
        long length = -1;
        if (te == null && cl != null) {
            for (String v : h.values("Content-Length")) {
                long n = contentLength(v);
                if (length >= 0 && n != length) {
                    throw new IOException("Malformed HTTP response: two different Content-Length headers");
                }
                length = n;
            }
        }
        headBytes = 0;
        line = null;
        int next;
        if (te != null) {
            if (te.toLowerCase(Locale.ROOT).strip().endsWith("chunked")) {
                next = CHUNK_SIZE;
            } else {
                reusable = false; // a transfer coding other than chunked: the body ends with the connection
                next = CLOSE_BODY;
            }
        } else if (status == 204 || status == 304 || length == 0) {
            next = DONE;
        } else if (length > 0) {
            next = LENGTH_BODY;
        } else {
            reusable = false;
            next = CLOSE_BODY;
        }
        state = next == DONE ? DONE : HEADERS_SEEN;
        handler.head(status, h);
        if (stopped) {
            return;
        }
        if (next == DONE) {
            handler.end();
            return;
        }
        state = next;
        remaining = next == LENGTH_BODY ? length : 0;
        sizeDigits = 0;
    }

    private static long contentLength(String v) throws IOException {
        if (v.isEmpty() || v.length() > 18) {
            throw new IOException("Malformed HTTP response: Content-Length " + shorten(v));
        }
        long n = 0;
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c < '0' || c > '9') {
                throw new IOException("Malformed HTTP response: Content-Length " + shorten(v));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static String utf8(String latin1) {
        for (int k = 0; k < latin1.length(); k++) {
            if (latin1.charAt(k) >= 0x80) {
                byte[] raw = latin1.getBytes(StandardCharsets.ISO_8859_1);
                String s = new String(raw, StandardCharsets.UTF_8);
                return s.indexOf('\uFFFD') >= 0 ? latin1 : s;
            }
        }
        return latin1;
    }

    private static String show(byte c) {
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c & 0xff);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
