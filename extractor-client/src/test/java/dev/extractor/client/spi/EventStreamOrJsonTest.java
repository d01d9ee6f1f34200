package dev.extractor.client.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamOrJsonTest {

    /** What one body gave: "event:<data>" per event, "json:<value>" per JSON value. */
    private static List<String> read(byte[] body, int cut) {
        List<String> out = new ArrayList<>();
        SseFramer framer = new SseFramer(new SseFramer.Listener() {
            @Override
            public void event(String name, byte[] bytes, int length, boolean hasData, String lastEventId) {
                out.add("event:" + new String(bytes, 0, length, StandardCharsets.UTF_8));
            }

            @Override
            public RuntimeException lineTooLong(int maxBytes) {
                return new IllegalStateException("line too long");
            }
        });
        EventStreamOrJson reader = new EventStreamOrJson(framer,
                new JsonSplitter((data, length) -> out.add("json:" + new String(data, 0, length, StandardCharsets.UTF_8))));
        reader.feed(body, 0, cut);
        reader.feed(body, cut, body.length - cut);
        reader.end();
        out.add(reader.isJson() ? "was json" : "was events");
        return out;
    }

    private static void sameAtEveryCut(String body, List<String> expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertEquals(expected, read(bytes, cut), "cut at " + cut);
        }
    }

    @Test
    void anEventStreamAfterABomAndBlankLinesGoesToTheFramer() {
        sameAtEveryCut("\uFEFF\n\ndata: {\"a\":1}\n\ndata: [DONE]\n\n",
                List.of("event:{\"a\":1}", "event:[DONE]", "was events"));
    }

    @Test
    void aJsonBodyGoesToTheSplitterEvenAfterWhitespace() {
        sameAtEveryCut(" \r\n\t{\"error\":{\"code\":429}}", List.of("json:{\"error\":{\"code\":429}}", "was json"));
        sameAtEveryCut("[{\"a\":1},{\"b\":2}]", List.of("json:{\"a\":1}", "json:{\"b\":2}", "was json"));
    }

    @Test
    void anEmptyBodyIsNeither() {
        sameAtEveryCut("\n \n", List.of("was events"));
    }
}
