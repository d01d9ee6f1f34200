package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Object elements are bound one after the other by one parser per document: each must still bind exactly as its
 * own text does alone, whatever came before it (elements that fail to bind, in the middle of an object or at its
 * start, unknown fields, nulls, big numbers) and wherever the fragments are cut.
 */
class BindingSequenceTest {

    record Item(String name, int qty, List<String> tags, Inner inner) { }

    record Inner(long id, boolean ok) { }

    private static final String[] ELEMENTS = {
        "{\"name\":\"a\",\"qty\":1,\"tags\":[\"x\",\"y\"],\"inner\":{\"id\":7,\"ok\":true}}",
        "{\"qty\":2}",
        "{}",
        "{\"name\":\"é\\u00e9\\ud83d\\ude00\",\"qty\":-3,\"tags\":[]}",
        "{\"name\":\"bad qty\",\"qty\":\"many\"}", // fails at a scalar
        "{\"name\":\"bad tags\",\"tags\":{\"a\":1},\"qty\":4}", // fails at a container, in the middle
        "{\"inner\":{\"id\":\"x\"},\"name\":\"bad inner\"}", // fails one level down
        "{\"name\":\"unknown\",\"extra\":{\"deep\":[1,2,{\"z\":null}]},\"qty\":5}", // unknown field
        "{\"name\":null,\"qty\":null,\"tags\":null,\"inner\":null}",
        "{\"qty\":12345678901234567890}", // out of range for int
        "{\"qty\":1.5e3,\"inner\":{\"id\":9007199254740993,\"ok\":false}}",
        "{\"name\":\"dup\",\"name\":\"twice\"}",
        "{\"inner\":[1,2]}", // an array where an object goes
    };

    @Test
    void everyObjectBindsAsItsOwnTextWhateverPrecededItAndWhereverItIsCut() {
        for (boolean failOnUnknown : new boolean[] {false, true}) {
            ElementReader<Item> reader = ElementReader.builder(Item.class).onInvalid(InvalidElementPolicy.SKIP)
                    .failOnUnknownProperties(failOnUnknown).build();
            ObjectReader alone = JsonMapper.builder().configure(
                    tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, failOnUnknown)
                    .build().readerFor(Item.class);
            for (long seed = 0; seed < 150; seed++) {
                Random rnd = new Random(seed);
                int n = 1 + rnd.nextInt(30);
                List<String> texts = new ArrayList<>();
                StringBuilder answer = new StringBuilder("[");
                for (int i = 0; i < n; i++) {
                    String e = ELEMENTS[rnd.nextInt(ELEMENTS.length)];
                    texts.add(e);
                    answer.append(i > 0 ? (rnd.nextBoolean() ? ", " : ",") : "").append(e);
                }
                answer.append(']');
                List<Object> expected = new ArrayList<>(); // each element's own outcome: its value, or its index
                for (int i = 0; i < n; i++) {
                    try {
                        expected.add(alone.readValue(texts.get(i)));
                    } catch (RuntimeException e) {
                        expected.add(i);
                    }
                }
                List<Object> got = new ArrayList<>();
                ElementParser<Item> parser = reader.parser(got::add);
                String text = answer.toString();
                for (int at = 0; at < text.length(); ) {
                    int next = Math.min(text.length(), at + 1 + rnd.nextInt(rnd.nextInt(3) == 0 ? 40 : 6));
                    if (next < text.length() && Character.isHighSurrogate(text.charAt(next - 1))) {
                        next++;
                    }
                    parser.feed(text.substring(at, next));
                    at = next;
                }
                StreamResult result = parser.finish();
                assertEquals(expected.toString(), order(got, result).toString(), "seed " + seed + ": " + text);
            }
        }
    }

    /**
     * The binder itself, with and without the document's sequence, over the same bytes: the same values delivered,
     * the same rejections (pointer, text, violations with their offending values), in the same order.
     */
    @Test
    void theSequenceBindsAndRejectsExactlyAsAParserPerElement() {
        for (boolean failOnUnknown : new boolean[] {false, true}) {
            ElementReader<Item> reader = ElementReader.builder(Item.class).onInvalid(InvalidElementPolicy.SKIP)
                    .failOnUnknownProperties(failOnUnknown).build();
            for (long seed = 0; seed < 200; seed++) {
                Random rnd = new Random(seed);
                ByteWindow window = new ByteWindow(true);
                List<long[]> spans = new ArrayList<>();
                int n = 1 + rnd.nextInt(30);
                for (int i = 0; i < n; i++) {
                    String e = ELEMENTS[rnd.nextInt(ELEMENTS.length)];
                    window.appendUtf8(i > 0 ? "," : "[", 0, 1);
                    long start = window.end();
                    window.appendUtf8(e, 0, e.length());
                    spans.add(new long[] {start, window.end()});
                }
                List<String> withSequence = bindAll(reader, window, spans, new ElementBinder.Sequence());
                List<String> alone = bindAll(reader, window, spans, null);
                assertEquals(alone, withSequence, "seed " + seed);
            }
        }
    }

    private static List<String> bindAll(ElementReader<Item> reader, ByteWindow window, List<long[]> spans,
            ElementBinder.Sequence sequence) {
        List<String> out = new ArrayList<>();
        ElementBinder<Item> binder = new ElementBinder<>(reader, (i, v) -> out.add(i + " " + v), false,
                new AnswerReport(null));
        TokenFeed.Failing failing = new TokenFeed.Failing() {
            @Override
            public RuntimeException malformed(long at, String what) {
                return new IllegalStateException(what);
            }

            @Override
            public RuntimeException limit(long at, String limit, String what) {
                return new IllegalStateException(what);
            }
        };
        for (long[] s : spans) {
            binder.started(s[0], failing);
            binder.bind(reader.objectReader, window, s[0], s[1], () -> "/" + out.size(), null, TokenFeed.OBJECT,
                    sequence);
        }
        for (InvalidElement e : binder.invalid()) {
            out.add("invalid " + e);
            for (Violation v : e.violations()) {
                out.add("violation " + v.path() + " " + v.message() + " " + v.invalidValue());
            }
        }
        return out;
    }

    /** The delivered values with the skipped indexes put back at their places. */
    private static List<Object> order(List<Object> got, StreamResult result) {
        List<Object> out = new ArrayList<>(got);
        for (InvalidElement skipped : result.skipped()) {
            out.add(skipped.index(), skipped.index());
        }
        return out;
    }
}
