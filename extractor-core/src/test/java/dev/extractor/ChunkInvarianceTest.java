package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The core property: the same answer cut anywhere (every split point, pairs of split points, one char or one
 * byte at a time, random cuts, inside surrogate pairs, escapes and numbers) gives the same elements and the same
 * error. Each reference outcome is itself checked against Jackson's one-shot parse, so the property is not
 * merely self-consistency.
 */
class ChunkInvarianceTest {

    static final ElementReader<JsonNode> ITEMS = ElementReader.builder(JsonNode.class).build();
    static final ElementReader<JsonNode> ROOT =
            ElementReader.builder(JsonNode.class).selection(Selection.root()).build();
    static final ElementReader<JsonNode> NESTED =
            ElementReader.builder(JsonNode.class).selection(Selection.path("$.sections[*].items[*]")).build();

    /** Valid answers: the elements must equal what a one-shot parse finds at the selection. */
    static Stream<Arguments> valid() {
        return Stream.of(
                v("simple wrapper", "{\"items\":[{\"a\":1},{\"a\":2},{\"a\":3}]}"),
                v("bare array", "[{\"a\":1},{\"b\":[1,2,{\"c\":null}]}]"),
                v("empty array", "{\"items\":[]}"),
                v("empty bare array", "[]"),
                v("empty objects", "{\"items\":[{},{},{\"x\":{}}]}"),
                v("whitespace everywhere", " \n\t{ \"items\" :\r\n [ { \"a\" : 1 } ,\n\t{ \"a\" :\t2 } ] \n}\n "),
                v("nested", "{\"items\":[{\"p\":{\"q\":{\"r\":[[],[[1]],{\"s\":\"t\"}]}}}]}"),
                v("fields before and after", "{\"title\":\"x\",\"items\":[{\"a\":1}],\"count\":1,\"more\":[1,2]}"),
                v("unicode", "{\"items\":[{\"name\":\"caf\u00e9 \u5317\u4eac \u0645\u0631\u062d\u0628\u0627\"},"
                        + "{\"emoji\":\"\ud83d\ude00\ud83c\udf89\ud83d\udc4d\ud83c\udffd x\"},{\"cjk\":\"\u65e5\u672c\u8a9e\"}]}"),
                v("astral keys", "{\"items\":[{\"\ud83d\udd11\":\"\ud800\udf48\",\"k\u00e9\":1}]}"),
                v("escapes", "{\"items\":[{\"s\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t u\\u0041\\u00e9\\u20ac\\uD83D\\uDE00\"}]}"),
                v("lone surrogate escapes", "{\"items\":[{\"s\":\"\\uD800\"},{\"s\":\"\\uDC00x\"}]}"),
                v("structural chars in strings", "{\"items\":[{\"s\":\"{[,:]}\\\"```json\\n\"},\"],}\"]}"),
                v("numbers", "{\"items\":[0,-0,1,-1,123456789,12345678901234567890123,1.5,-0.25,1e10,1E-10,"
                        + "1.7976931348623157e308,4.9e-324,0.1,123.456e+7,-9223372036854775808,9223372036854775807]}"),
                v("literals", "[true,false,null,\"null\",[true],{\"t\":true}]"),
                v("strings as elements", "{\"items\":[\"a\",\"\",\"b c\",\"\ud83d\ude00\"]}"),
                v("long string", "{\"items\":[{\"s\":\"" + "lorem ipsum ".repeat(50) + "\"}]}"),
                v("deep", "[" + "[".repeat(30) + "1" + "]".repeat(30) + "]"),
                v("array under other field (bare-array leniency)", "[[1,2],[3]]"),
                v("single object root", "{\"a\":1,\"b\":[1,2],\"c\":{\"d\":\"e\"}}", ROOT),
                v("scalar root", "\"just a string \ud83d\ude00\"", ROOT),
                v("number root", "  12345  ", ROOT),
                v("nested path", "{\"sections\":[{\"items\":[1,2]},{\"title\":\"t\",\"items\":[]},{\"items\":[{\"x\":3}]}]}",
                        NESTED));
    }

    /** Invalid answers: the same error whatever the cut. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                e("trailing comma in object", "{\"items\":[{\"a\":1,}]}", "MalformedJsonException", 0),
                e("trailing comma in root object", "{\"a\":1,}", "MalformedJsonException", 0, ROOT),
                e("trailing comma after items", "{\"items\":[{\"a\":1}],}", "MalformedJsonException", 1),
                e("trailing comma in array", "{\"items\":[{\"a\":1},]}", "MalformedJsonException", 1),
                e("trailing comma with whitespace", "{\"items\":[{\"a\":1 , \n } ]}", "MalformedJsonException", 0),
                e("double comma", "[1,,2]", "MalformedJsonException", 1),
                e("missing comma", "{\"items\":[{\"a\":1}{\"a\":2}]}", "MalformedJsonException", 1),
                e("garbage after value", "{\"items\":[{\"a\":1}]} trailing", "MalformedJsonException", 1),
                e("second value", "[1][2]", "MalformedJsonException", 1),
                e("bad escape", "{\"items\":[{\"s\":\"\\x\"}]}", "MalformedJsonException", 0),
                e("leading zero", "[1,01]", "MalformedJsonException", 1),
                e("unquoted key", "{\"items\":[{a:1}]}", "MalformedJsonException", 0),
                e("single quotes", "['a']", "MalformedJsonException", 0),
                e("control char in string", "[\"a\u0001b\"]", "MalformedJsonException", 0),
                e("cut inside element", "{\"items\":[{\"a\":1},{\"a\":", "IncompleteJsonException", 1),
                e("cut inside string", "{\"items\":[{\"a\":\"hel", "IncompleteJsonException", 0),
                e("cut inside number", "[12", "IncompleteJsonException", 0),
                e("cut inside escape", "[\"\\u00", "IncompleteJsonException", 0),
                e("cut after comma", "[1,", "IncompleteJsonException", 1),
                e("cut inside literal", "[tru", "IncompleteJsonException", 0),
                e("nothing", "   ", "IncompleteJsonException", 0),
                e("wrong wrapper", "{\"recommendations\":[{\"a\":1}]}", "UnexpectedShapeException", 0),
                e("scalar where array expected", "{\"items\":null}", "UnexpectedShapeException", 0),
                e("object where array expected", "{\"items\":{\"a\":1}}", "UnexpectedShapeException", 0),
                e("scalar root for list", "42", "UnexpectedShapeException", 0));
    }

    static Arguments v(String name, String text) {
        return v(name, text, ITEMS);
    }

    static Arguments v(String name, String text, ElementReader<JsonNode> reader) {
        return Arguments.of(name, text, reader);
    }

    static Arguments e(String name, String text, String error, int delivered) {
        return e(name, text, error, delivered, ITEMS);
    }

    static Arguments e(String name, String text, String error, int delivered, ElementReader<JsonNode> reader) {
        return Arguments.of(name, text, reader, error, delivered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validAnswerGivesTheSameElementsWhateverTheCut(String name, String text, ElementReader<JsonNode> reader) {
        List<String> expected = expectedElements(text, reader.selection());
        Cuts.assertInvariant(reader, text, o -> o.error() == null && o.elements().equals(expected) ? null
                : "expected elements " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidAnswerGivesTheSameErrorWhateverTheCut(String name, String text, ElementReader<JsonNode> reader,
            String error, int delivered) {
        Cuts.assertInvariant(reader, text, o -> o.error() != null && o.error().startsWith(error + ":")
                && o.delivered() == delivered ? null : "expected " + error + " after " + delivered + " element(s)");
    }

    /** The elements a one-shot Jackson parse finds at the selection, as "index:json". */
    static List<String> expectedElements(String text, Selection selection) {
        JsonNode root = Cuts.MAPPER.readTree(text);
        List<JsonNode> values = new ArrayList<>();
        if (selection.equals(Selection.root())) {
            values.add(root);
        } else if (selection.equals(Selection.items())) {
            JsonNode arr = root.isArray() ? root : root.get("items");
            arr.forEach(values::add);
        } else {
            for (JsonNode section : root.get("sections")) {
                JsonNode items = section.get("items");
                if (items != null) {
                    items.forEach(values::add);
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(i + ":" + values.get(i));
        }
        assertEquals(values.size(), out.size());
        return out;
    }
}
