package dev.extractor.client.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonSplitterTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static List<String> split(byte[] body, int[] cuts) {
        List<String> out = new ArrayList<>();
        JsonSplitter s = new JsonSplitter((data, length) -> out.add(new String(data, 0, length, StandardCharsets.UTF_8)));
        int at = 0;
        for (int cut : cuts) {
            s.feed(body, at, cut - at);
            at = cut;
        }
        s.feed(body, at, body.length - at);
        s.end();
        return out;
    }

    /** A random JSON value with strings that hold brackets, quotes, escapes and non-ASCII text. */
    private static String value(Random r, int depth) {
        int k = depth > 3 ? r.nextInt(4) : r.nextInt(6);
        return switch (k) {
            case 0 -> Integer.toString(r.nextInt(2000) - 1000);
            case 1 -> new String[] {"true", "false", "null", "-1.5e3"}[r.nextInt(4)];
            case 2, 3 -> "\"" + new String[] {"a", "]}", "{[", "\\\"", "\\\\", "é😀", ",", "\\u005d"}[r.nextInt(8)]
                    + new String[] {"", "x", "\\\\\\\"", "]"}[r.nextInt(4)] + "\"";
            case 4 -> {
                StringBuilder sb = new StringBuilder("[");
                for (int i = r.nextInt(4); i > 0; i--) {
                    sb.append(value(r, depth + 1)).append(i > 1 ? "," : "");
                }
                yield sb.append(']').toString();
            }
            default -> {
                StringBuilder sb = new StringBuilder("{");
                for (int i = r.nextInt(4); i > 0; i--) {
                    sb.append("\"k").append(i).append("\":").append(value(r, depth + 1)).append(i > 1 ? "," : "");
                }
                yield sb.append('}').toString();
            }
        };
    }

    @Test
    void theElementsOfATopLevelArrayWhateverTheCuts() {
        Random r = new Random(7);
        for (int round = 0; round < 60; round++) {
            List<String> values = new ArrayList<>();
            StringBuilder body = new StringBuilder(round % 2 == 0 ? "[" : "\uFEFF[\n");
            int n = 1 + r.nextInt(5);
            for (int i = 0; i < n; i++) {
                String v = value(r, 0);
                values.add(v);
                body.append(v).append(i < n - 1 ? "\n,\r\n" : "\n]");
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            List<JsonNode> want = new ArrayList<>();
            for (String v : values) {
                want.add(MAPPER.readTree(v));
            }
            for (int cut = 0; cut <= bytes.length; cut++) {
                List<JsonNode> got = new ArrayList<>();
                for (String s : split(bytes, new int[] {cut})) {
                    got.add(MAPPER.readTree(s));
                }
                assertEquals(want, got, body + " cut at " + cut);
            }
            List<JsonNode> bytewise = new ArrayList<>();
            int[] all = new int[bytes.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            for (String s : split(bytes, all)) {
                bytewise.add(MAPPER.readTree(s));
            }
            assertEquals(want, bytewise, "byte by byte");
        }
    }

    @Test
    void aTopLevelObjectIsOneValueAndAnOpenOneIsNotDelivered() {
        byte[] pretty = "{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"a ] b }\"\n  }\n}\n"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(1, split(pretty, new int[] {5, 9}).size());
        List<String> out = new ArrayList<>();
        JsonSplitter s = new JsonSplitter((data, length) -> out.add(new String(data, 0, length)));
        s.feed(pretty, 0, pretty.length - 4);
        int open = s.end();
        assertEquals(0, out.size());
        assertEquals(pretty.length - 4, open);
    }
}
