package dev.extractor.client.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A leading UTF-8 byte order mark is dropped, as the SSE specification says, however the body is cut. */
class SseFramerTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    record Event(String type, String data) {}

    /** The events of {@code body}, fed in pieces cut at {@code cuts} (sorted offsets). */
    static List<Event> frame(byte[] body, int... cuts) {
        List<Event> out = new ArrayList<>();
        SseFramer f = new SseFramer((type, data, length, hasData, id) ->
                out.add(new Event(type, new String(data, 0, length, StandardCharsets.UTF_8))));
        int from = 0;
        for (int cut : cuts) {
            f.feed(body, from, cut - from);
            from = cut;
        }
        f.feed(body, from, body.length - from);
        f.end();
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Test
    void aLeadingByteOrderMarkIsDropped_atEveryCutAndByteByByte() {
        byte[] events = "data: {\"items\":[1]}\n\nevent: x\ndata: 2\n\n".getBytes(StandardCharsets.UTF_8);
        List<Event> want = List.of(new Event(null, "{\"items\":[1]}"), new Event("x", "2"));
        assertEquals(want, frame(events));
        byte[] body = concat(BOM, events);
        assertEquals(want, frame(body), "whole");
        for (int a = 0; a <= body.length; a++) {
            for (int b = a; b <= Math.min(body.length, a + 5); b++) {
                assertEquals(want, frame(body, a, b), "cut at " + a + " and " + b);
            }
        }
        int[] every = new int[body.length - 1];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertEquals(want, frame(body, every), "byte by byte");
    }

    @Test
    void onlyAtTheStart_andOnlyAWholeOne() {
        byte[] later = concat("data: a\n\n".getBytes(StandardCharsets.UTF_8),
                concat(BOM, "data: b\n\n".getBytes(StandardCharsets.UTF_8)));
        // a byte order mark later on is part of a field name: that line is not a data line
        assertEquals(List.of(new Event(null, "a")), frame(later));
        byte[] twice = concat(BOM, concat(BOM, "data: c\n\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), frame(twice), "one byte order mark is dropped, not two");
        // the first two bytes of a byte order mark, then something else: those bytes are content
        byte[] partial = concat(new byte[] {(byte) 0xEF, (byte) 0xBB}, "x\ndata: d\n\n".getBytes(StandardCharsets.UTF_8));
        for (int cut = 0; cut <= partial.length; cut++) {
            assertEquals(List.of(new Event(null, "d")), frame(partial, cut), "cut at " + cut);
        }
        byte[] dataWithMark = concat("data: ".getBytes(StandardCharsets.UTF_8),
                concat(BOM, "e\n\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(new Event(null, "\uFEFFe")), frame(dataWithMark), "inside a value it is kept");
    }
}
