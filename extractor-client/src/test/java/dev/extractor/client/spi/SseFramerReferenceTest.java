package dev.extractor.client.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SseFramer} (which looks for line endings eight bytes at a time) against a plain reference written from the
 * framer's documented rules, over generated bodies: fields, comments, values of any bytes, LF, CR and CRLF
 * endings at every offset from a word boundary, runs of blank lines, a byte order mark or part of one; each fed
 * whole, in random pieces and byte by byte.
 */
class SseFramerReferenceTest {

    private static final String[] PIECES = {"data", "data:", "data: ", "data:  ", "event:", "event: message",
        "event: error", "id:", "id: 7", "id: a\u0000b", ":", ": comment", "retry: 1000", "x", "dat", "DATA: no", " data",
        "{\"a\":\"b\"}"};
    private static final String[] ENDINGS = {"\n", "\r", "\r\n", "\n\n", "\r\r", "\r\n\r\n", "\n\r"};

    /** The reference: the body as ISO-8859-1 text (one char per byte), split into lines, lines into events. */
    static List<String> reference(byte[] body) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        if (s.startsWith("\u00EF\u00BB\u00BF")) {
            s = s.substring(3);
        }
        List<String> events = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        boolean dataSeen = false;
        String type = null;
        boolean idSeen = false;
        String lastId = null;
        int i = 0;
        while (true) {
            int j = i;
            while (j < s.length() && s.charAt(j) != '\n' && s.charAt(j) != '\r') {
                j++;
            }
            if (j == s.length()) {
                break; // a line without its ending is dropped, and the event it belongs to
            }
            String line = s.substring(i, j);
            i = j + 1;
            if (s.charAt(j) == '\r' && i < s.length() && s.charAt(i) == '\n') {
                i++;
            }
            if (line.isEmpty()) {
                if (dataSeen || type != null || idSeen) {
                    events.add(utf8(type) + "|" + data + "|" + dataSeen + "|" + utf8(lastId));
                }
                data.setLength(0);
                dataSeen = false;
                type = null;
                idSeen = false;
            } else if (line.charAt(0) != ':') {
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (name) {
                    case "data" -> {
                        if (dataSeen) {
                            data.append('\n');
                        }
                        data.append(value);
                        dataSeen = true;
                    }
                    case "event" -> type = value;
                    case "id" -> {
                        if (value.indexOf('\u0000') < 0) {
                            lastId = value;
                            idSeen = true;
                        }
                    }
                    default -> { }
                }
            }
        }
        return events;
    }

    /** The framer's events, fed in pieces ending at {@code cuts}. */
    static List<String> framed(byte[] body, int[] cuts) {
        List<String> events = new ArrayList<>();
        SseFramer f = new SseFramer((type, data, length, hasData, id) -> events.add(type + "|"
                + new String(data, 0, length, StandardCharsets.ISO_8859_1) + "|" + hasData + "|" + id));
        int from = 0;
        for (int cut : cuts) {
            f.feed(body, from, cut - from);
            from = cut;
        }
        f.feed(body, from, body.length - from);
        f.end();
        return events;
    }

    /** The framer decodes the event type and id as UTF-8 (the data it hands over as bytes). */
    private static String utf8(String iso) {
        return iso == null ? null : new String(iso.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static byte[] body(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int bom = r.nextInt(6);
        byte[] mark = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        if (bom < 3) {
            out.write(mark, 0, bom == 0 ? 3 : bom); // a whole byte order mark, or the start of one
        }
        for (int n = r.nextInt(40); n > 0; n--) {
            int k = r.nextInt(10);
            if (k < 3) {
                write(out, PIECES[r.nextInt(PIECES.length)]);
            } else if (k < 5) {
                for (int m = r.nextInt(40); m > 0; m--) {
                    out.write(' ' + r.nextInt(95)); // printable ASCII runs, across word boundaries
                }
            } else if (k < 6) {
                for (int m = r.nextInt(12); m > 0; m--) {
                    out.write(r.nextInt(256)); // any byte, line endings included
                }
            } else if (k < 7) {
                // non-ASCII text and the bytes that differ from a line ending by one bit (0x0B, 0x0C, 0x8A, 0x8D...)
                byte[] near = {0x0B, 0x0C, 0x0E, 0x09, (byte) 0x8A, (byte) 0x8D, 0x1A, 0x2A, (byte) 0xC3, (byte) 0xA9};
                for (int m = r.nextInt(10); m > 0; m--) {
                    out.write(near[r.nextInt(near.length)]);
                }
            } else {
                write(out, ENDINGS[r.nextInt(ENDINGS.length)]);
            }
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
    }

    @Test
    void sameEventsAsTheReference_wholeInPiecesAndByteByByte() {
        Random r = new Random(20261201);
        int events = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] body = body(r);
            List<String> want = reference(body);
            events += want.size();
            assertEquals(want, framed(body, new int[0]), () -> "whole: " + show(body));
            for (int k = 0; k < 3; k++) {
                int[] cuts = r.ints(r.nextInt(6), 0, body.length + 1).sorted().toArray();
                assertEquals(want, framed(body, cuts), () -> "cut at " + java.util.Arrays.toString(cuts) + ": "
                        + show(body));
            }
            if (round % 10 == 0) {
                int[] every = new int[Math.max(0, body.length - 1)];
                for (int i = 0; i < every.length; i++) {
                    every[i] = i + 1;
                }
                assertEquals(want, framed(body, every), () -> "byte by byte: " + show(body));
            }
        }
        assertEquals(true, events > 1000, "events: " + events);
    }

    @Test
    void lineEnd_isTheFirstLineEnding_atEveryOffsetAndLength() {
        Random r = new Random(7);
        for (int round = 0; round < 20000; round++) {
            byte[] b = new byte[r.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int k = r.nextInt(20);
                b[i] = (byte) (k == 0 ? '\n' : k == 1 ? '\r' : k < 4 ? r.nextInt(256) : 'a' + r.nextInt(26));
            }
            int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            int to = from + (b.length == from ? 0 : r.nextInt(b.length - from + 1));
            int want = from;
            while (want < to && b[want] != '\n' && b[want] != '\r') {
                want++;
            }
            assertEquals(want, SseFramer.lineEnd(b, from, to), java.util.Arrays.toString(b) + " " + from + ".." + to);
        }
    }

    private static String show(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }
}
