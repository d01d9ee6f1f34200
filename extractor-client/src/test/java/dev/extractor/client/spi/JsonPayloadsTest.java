package dev.extractor.client.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

class JsonPayloadsTest {

    /** Collects the payload's top-level names and string values; copies objects. */
    private static final class Names implements JsonPayloads.Reader {
        final List<String> got = new ArrayList<>();

        @Override
        public void read(JsonParser p) {
            got.clear();
            if (JsonPayloads.next(p) != JsonToken.START_OBJECT) {
                throw new IllegalStateException("not an object");
            }
            String name;
            while ((name = JsonPayloads.nextName(p)) != null) {
                JsonToken t = JsonPayloads.next(p);
                got.add(name + "=" + (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? JsonPayloads.copy(p)
                        : p.getString()));
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsEachPayloadWithOneParserAndRecoversFromABadOne() {
        JsonPayloads payloads = new JsonPayloads((m, e) -> new IllegalArgumentException(m, e));
        Names names = new Names();
        payloads.read(b("  {\"type\":\"a\",\"x\":{\"y\":[1, 2.5, \"z\"]}}      \n"), 0, 42, names);
        assertEquals(List.of("type=a", "x={\"y\":[1,2.5,\"z\"]}"), names.got);
        payloads.read(b("{\"type\":\"message_stop\"      }"), 0, 29, names);
        assertEquals(List.of("type=message_stop"), names.got);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> payloads.read(b("{\"type\":\"cut"), 0, 12, names));
        assertTrue(e.getMessage().contains("{\"type\":\"cut"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> payloads.read(b("[1]"), 0, 3, names));
        payloads.read(b("{\"type\":\"b\"} trailing"), 0, 21, names);
        assertEquals(List.of("type=b"), names.got, "bytes after the object are ignored");
        payloads.read(b("{\"type\":\"c\"}"), 0, 12, names);
        assertEquals(List.of("type=c"), names.got);
    }
}
