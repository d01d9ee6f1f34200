package dev.extractor.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1.1 response framing against the model each response was generated from (status, headers, body, how it
 * ends), whatever the cuts: generated responses (every framing, chunk sizes in either case with extensions and
 * trailers, CRLF or bare LF, interim 1xx responses, bodies of every byte value) read whole, byte by byte and in
 * random pieces must give the model's body exactly; mutated ones must end the same way at every cut (the same body
 * bytes and the same failure, always an {@link IOException}).
 */
class Http1ParserTest {

    /** What a read gave: the head, the body's bytes, whether it ended, the failure's message. */
    record Outcome(int status, Headers headers, byte[] body, boolean ended, boolean reusable, String failure) {
        String describe() {
            return "status " + status + ", " + body.length + " body bytes, ended " + ended + ", reusable " + reusable
                    + ", failure " + failure;
        }
    }

    /** A generated response: the bytes on the wire and what a reader must make of them. */
    record Generated(byte[] wire, int status, List<String[]> headers, byte[] body, boolean closeDelimited,
            boolean reusable) { }

    static Outcome read(byte[] wire, int[] cuts, boolean thenEof) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = {0};
        Headers[] headers = {null};
        boolean[] ended = {false};
        Http1Parser p = new Http1Parser(new Http1Parser.Handler() {
            @Override
            public void head(int s, Headers h) {
                if (headers[0] != null) {
                    fail("two heads");
                }
                status[0] = s;
                headers[0] = h;
            }

            @Override
            public void body(byte[] b, int off, int len) {
                assertTrue(len > 0, "no empty body pieces");
                if (ended[0]) {
                    fail("body after the end");
                }
                body.write(b, off, len);
            }

            @Override
            public void end() {
                if (ended[0]) {
                    fail("two ends");
                }
                ended[0] = true;
            }
        });
        String failure = null;
        try {
            int from = 0;
            for (int cut : cuts) {
                byte[] piece = new byte[cut - from + 8];
                System.arraycopy(wire, from, piece, 4, cut - from); // not at offset 0: offsets must be honoured
                p.feed(piece, 4, cut - from);
                from = cut;
            }
            byte[] last = new byte[wire.length - from];
            System.arraycopy(wire, from, last, 0, last.length);
            p.feed(last, 0, last.length);
            if (thenEof) {
                p.eof();
            }
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new Outcome(status[0], headers[0], body.toByteArray(), ended[0], p.reusable(), failure);
    }

    static Generated generate(SplittableRandom r) {
        boolean lf = r.nextInt(8) == 0; // bare LF line ends
        String eol = lf ? "\n" : "\r\n";
        StringBuilder head = new StringBuilder();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int k = r.nextInt(6) == 0 ? 1 + r.nextInt(2) : 0; k > 0; k--) {
            head.append("HTTP/1.1 ").append(r.nextBoolean() ? "100 Continue" : "103 Early Hints").append(eol);
            if (r.nextBoolean()) {
                head.append("Link: </style.css>; rel=preload").append(eol);
            }
            head.append(eol);
        }
        int[] codes = {200, 200, 200, 201, 400, 401, 404, 429, 500, 503, 204};
        int status = codes[r.nextInt(codes.length)];
        boolean http10 = r.nextInt(12) == 0;
        head.append(http10 ? "HTTP/1.0 " : "HTTP/1.1 ").append(status).append(r.nextInt(5) == 0 ? "" : " Reason here")
                .append(eol);
        List<String[]> headers = new ArrayList<>();
        String[] names = {"Content-Type", "x-request-id", "openai-processing-ms", "Cache-Control", "Set-Cookie",
            "Date", "X-Empty"};
        for (int k = r.nextInt(6); k > 0; k--) {
            String name = names[r.nextInt(names.length)];
            String value = name.equals("X-Empty") ? "" : "v" + r.nextInt(1000) + (r.nextBoolean() ? "; a=b" : "");
            headers.add(new String[] {name, value});
        }
        byte[] body = new byte[status == 204 ? 0 : r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 40 : 3000)];
        for (int k = 0; k < body.length; k++) {
            body[k] = (byte) r.nextInt(256);
        }
        int framing = status == 204 ? 1 : r.nextInt(3); // 0 chunked, 1 length, 2 until close
        boolean connectionClose = r.nextInt(6) == 0;
        if (connectionClose) {
            headers.add(new String[] {"Connection", "close"});
        }
        if (framing == 0) {
            headers.add(new String[] {"Transfer-Encoding", r.nextBoolean() ? "chunked" : "Chunked"});
        } else if (framing == 1 && status != 204) {
            headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        }
        java.util.Collections.shuffle(headers, new java.util.Random(r.nextLong()));
        for (String[] h : headers) {
            head.append(h[0]).append(':').append(r.nextBoolean() ? " " : r.nextBoolean() ? "" : "  ").append(h[1])
                    .append(r.nextInt(6) == 0 ? " " : "").append(eol);
        }
        head.append(eol);
        wire.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (framing == 0) {
            int at = 0;
            while (at < body.length) {
                int n = Math.min(body.length - at, 1 + r.nextInt(r.nextBoolean() ? 8 : 700));
                String size = Integer.toHexString(n);
                size = r.nextBoolean() ? size.toUpperCase(Locale.ROOT) : size;
                if (r.nextInt(10) == 0) {
                    size = "000".substring(r.nextInt(3)) + size;
                }
                wire.writeBytes((size + (r.nextInt(8) == 0 ? ";ext=1" : "") + eol)
                        .getBytes(StandardCharsets.US_ASCII));
                wire.write(body, at, n);
                wire.writeBytes(eol.getBytes(StandardCharsets.US_ASCII));
                at += n;
            }
            wire.writeBytes(("0" + eol).getBytes(StandardCharsets.US_ASCII));
            if (r.nextInt(4) == 0) {
                wire.writeBytes(("X-Trailer: t" + eol).getBytes(StandardCharsets.US_ASCII));
            }
            wire.writeBytes(eol.getBytes(StandardCharsets.US_ASCII));
        } else {
            wire.writeBytes(body);
        }
        boolean reusable = framing != 2 && !connectionClose && !http10;
        return new Generated(wire.toByteArray(), status, headers, body, framing == 2, reusable);
    }

    static int[] randomCuts(SplittableRandom r, int length) {
        int n = length < 2 ? 0 : r.nextInt(Math.min(length, 40));
        int[] cuts = r.ints(n, 0, length + 1).sorted().distinct().toArray();
        return cuts;
    }

    static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    private static void assertModel(Generated g, Outcome o, String where) {
        assertEquals(null, o.failure(), where);
        assertEquals(g.status(), o.status(), where);
        for (String[] h : g.headers()) {
            assertTrue(o.headers().values(h[0]).contains(h[1].strip()), where + ": header " + h[0]);
        }
        assertArrayEquals(g.body(), o.body(), where + ": the body");
        assertTrue(o.ended(), where + ": the end");
        assertEquals(g.reusable(), o.reusable(), where + ": reusable");
    }

    @Test
    void generatedResponsesReadTheSameAtAnyCut() {
        SplittableRandom seeds = new SplittableRandom(20261201);
        for (int run = 0; run < 3000; run++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            Generated g = generate(r);
            String where = "seed " + seed;
            assertModel(g, read(g.wire(), new int[0], g.closeDelimited()), where + ", whole");
            assertModel(g, read(g.wire(), randomCuts(r, g.wire().length), g.closeDelimited()), where + ", cut");
            if (g.wire().length < 400) {
                assertModel(g, read(g.wire(), everyByte(g.wire().length), g.closeDelimited()),
                        where + ", byte by byte");
            }
        }
    }

    @Test
    void aResponseCutShortIsADisconnectAtEveryLength() {
        SplittableRandom seeds = new SplittableRandom(7);
        for (int run = 0; run < 300; run++) {
            long seed = seeds.nextLong();
            Generated g = generate(new SplittableRandom(seed));
            if (g.closeDelimited()) {
                continue;
            }
            for (int len = 0; len < g.wire().length; len += 1 + len / 16) {
                byte[] prefix = java.util.Arrays.copyOf(g.wire(), len);
                Outcome o = read(prefix, new int[0], true);
                String where = "seed " + seed + ", first " + len + " bytes";
                assertTrue(o.failure() != null && o.failure().startsWith("EOFException: unexpected end of stream"),
                        where + ": " + o.describe());
                assertTrue(!o.ended(), where);
                byte[] got = o.body();
                assertArrayEquals(java.util.Arrays.copyOf(g.body(), got.length), got,
                        where + ": what arrived is the body's start");
            }
        }
    }

    @Test
    void mutatedResponsesEndTheSameWayAtEveryCut() {
        SplittableRandom seeds = new SplittableRandom(42);
        int failures = 0;
        for (int run = 0; run < 2000; run++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            Generated g = generate(r);
            byte[] w = g.wire().clone();
            int at = r.nextInt(Math.min(w.length, 200)); // mostly the head and the first chunk lines
            byte[] alphabet = "\r\n :;0aFzG-\t\u0000".getBytes(StandardCharsets.ISO_8859_1);
            w[at] = r.nextBoolean() ? alphabet[r.nextInt(alphabet.length)] : (byte) r.nextInt(256);
            Outcome whole = read(w, new int[0], true);
            if (whole.failure() != null) {
                failures++;
                assertTrue(whole.failure().startsWith("IOException: Malformed")
                        || whole.failure().startsWith("EOFException: unexpected end of stream"),
                        "seed " + seed + ": " + whole.failure());
            }
            for (int k = 0; k < 3; k++) {
                Outcome cut = read(w, randomCuts(r, w.length), true);
                assertEquals(whole.describe(), cut.describe(), "seed " + seed);
                assertArrayEquals(whole.body(), cut.body(), "seed " + seed);
            }
            if (w.length < 300) {
                Outcome bytes = read(w, everyByte(w.length), true);
                assertEquals(whole.describe(), bytes.describe(), "seed " + seed + ", byte by byte");
            }
        }
        assertTrue(failures > 200, "the mutations break the framing often enough to test it: " + failures);
    }

    @Test
    void malformedFramingIsNamed() {
        assertEquals("IOException: Malformed HTTP status line: HTTP/1.1 2x0 OK",
                read(bytes("HTTP/1.1 2x0 OK\r\n\r\n"), new int[0], true).failure());
        assertEquals("IOException: Malformed HTTP status line: <html>",
                read(bytes("<html>\r\n"), new int[0], true).failure());
        assertEquals("IOException: Malformed chunked body: expected a chunk size, got 'z'",
                read(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), new int[0], true)
                        .failure());
        assertEquals("IOException: Malformed chunked body: 'x' where a chunk's CRLF was due",
                read(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabx\r\n"), new int[0], true)
                        .failure());
        assertEquals("IOException: Malformed HTTP response: two different Content-Length headers",
                read(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab"), new int[0], true)
                        .failure());
        assertEquals("IOException: Malformed HTTP response: 101 Switching Protocols was not asked for",
                read(bytes("HTTP/1.1 101 Switching Protocols\r\n\r\n"), new int[0], true).failure());
        String big = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(Http1Parser.MAX_HEAD) + "\r\n\r\n";
        assertEquals("IOException: Malformed HTTP response: headers longer than 65536 bytes",
                read(bytes(big), new int[0], true).failure());
        assertEquals("EOFException: unexpected end of stream: no response", read(new byte[0], new int[0], true)
                .failure());
    }

    @Test
    void bytesAfterTheResponseMakeTheConnectionUnfitForReuse() {
        Outcome o = read(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"), new int[0], false);
        assertArrayEquals(bytes("ok"), o.body());
        assertTrue(o.ended());
        assertEquals(false, o.reusable());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
