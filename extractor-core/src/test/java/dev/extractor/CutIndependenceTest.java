package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.constraints.Max;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The regressions of issue 9: each finding of the differential check, as the smallest answer that showed it, with
 * the outcome the contract (CORE-CONTRACT.md) asks for, whatever the cut.
 */
class CutIndependenceTest {

    static final ElementReader<JsonNode> ITEMS = ElementReader.builder(JsonNode.class).build();
    static final ElementReader<JsonNode> ROOT = ElementReader.builder(JsonNode.class)
            .selection(Selection.root()).build();
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final ElementReader<Map<String, Object>> MAPS = (ElementReader) ElementReader.builder(Map.class)
            .selection(Selection.root()).build();

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The outcome of the bytes fed whole, then cut at every position (and at every pair, for short ones). */
    static Cuts.Outcome sameWhateverTheByteCut(ElementReader<?> reader, byte[] answer) {
        Cuts.Outcome whole = Cuts.run(reader, List.of(answer));
        for (int i = 1; i < answer.length; i++) {
            Cuts.Outcome o = Cuts.run(reader, List.of(Cuts.slice(answer, 0, i), Cuts.slice(answer, i, answer.length)));
            assertEquals(whole, o, "cut at byte " + i + " of " + new String(answer, StandardCharsets.UTF_8));
            if (answer.length <= 40) {
                for (int j = i + 1; j < answer.length; j++) {
                    Cuts.Outcome o3 = Cuts.run(reader, List.of(Cuts.slice(answer, 0, i), Cuts.slice(answer, i, j),
                            Cuts.slice(answer, j, answer.length)));
                    assertEquals(whole, o3, "cut at bytes " + i + "," + j);
                }
            }
        }
        List<Object> oneByOne = Cuts.bytes(answer, 1);
        assertEquals(whole, Cuts.run(reader, oneByOne), "one byte at a time");
        return whole;
    }

    // ------------------------------------------------------------------ 1: no value invented at a resume point

    @Test
    void aFragmentEndingRightAfterAColonInventsNoValue() {
        List<Map<String, Object>> got = new ArrayList<>();
        ElementParser<Map<String, Object>> p = MAPS.parser(got::add);
        p.feed("{\"a\":");
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> p.feed("}"));
        assertEquals(List.of(), got);
        assertEquals(5, e.byteOffset());
        record Named(String name) { }
        try (ElementStream<Named> s = ElementReader.of(Named.class).stream(
                DeltaSource.ofText("{\"items\":[{\"name\":", "}]}"))) {
            assertThrows(MalformedJsonException.class, s::toList);
        }
    }

    /** Every resume point of Jackson's non-blocking parser where it was more lenient than the blocking one. */
    @ParameterizedTest(name = "{0} is malformed at byte {1} whatever the cut")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\":}|5", "{\"a\":1,}|7", "[1,]|3", "[,1]|1", "{,\"a\":1}|1", "{\"a\" 1}|5", "{\"a\":1 \"b\":2}|7",
        "{\"a\"}|4", "[1 2]|3", "{\"a\":1]|6", "[1}|2", "{\"a\":[}|6", "{\"a\":{]}|6", "{\"a\":,1}|5",
        "[1,,2]|3", "{\"a\"::1}|5", "{\"a\":1,,\"b\":2}|7", "[[],]|4", "{\"a\":[],}|8", "[{}:1]|3", "{\"a\":1:}|6",
        "[\"a\":1]|4", "{1:2}|1", "{\"a\":1}}|7", "[1]]|3", "{\"items\":[{\"a\":1},]}|18", "[tru e]|4",
        "[nul]|4", "[-]|2", "[1.]|3", "[1e]|3", "[1e+]|4", "[01]|2", "[-01]|3", "[.5]|1", "[+1]|1",
        "[\"a\\x\"]|4", "[\"\\u12G4\"]|6", "{\"a\\q\":1}|4"})
    void aCutAtAnyResumePointGivesTheWholeTextsVerdict(String json, long offset) {
        Cuts.Outcome o = sameWhateverTheByteCut(ROOT, utf8(json));
        assertTrue(o.error() != null && o.error().startsWith("MalformedJsonException"), o.toString());
        assertEquals(offset, o.errorOffset(), o.toString());
        Cuts.Outcome items = sameWhateverTheByteCut(ITEMS, utf8(json));
        assertTrue(items.error() != null, items.toString());
    }

    // ------------------------------------------------------------------ 2: a leading BOM is skipped and counted

    record Small(@Max(5) int n) { }

    @Test
    void aLeadingByteOrderMarkIsSkippedAndCountedInEveryOffset() {
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, utf8("\uFEFF{\"items\":[1,{}]}"));
        assertEquals(List.of("0:1", "1:{}"), o.elements());
        assertEquals(null, o.error());
        Cuts.assertInvariant(ITEMS, "\uFEFF{\"items\":[1,{}]}", x -> x.error() == null ? null : "no error");
        ElementReader<Small> skip = ElementReader.builder(Small.class).onInvalid(InvalidElementPolicy.SKIP).build();
        ElementParser<Small> p = skip.parser(x -> { });
        p.feed("\uFEFF{\"items\":[{\"n\":9}]}");
        InvalidElement bad = p.finish().skipped().get(0);
        assertEquals("{\"n\":9}", bad.json());
        assertEquals("/items/0", bad.pointer());
        Cuts.Outcome malformed = sameWhateverTheByteCut(ITEMS, utf8("\uFEFF[1,x]"));
        assertEquals(6, malformed.errorOffset(), "3 bytes of BOM, then [1, then the x");
        Cuts.Outcome later = sameWhateverTheByteCut(ITEMS, utf8("[1,\uFEFF2]"));
        assertEquals(3, later.errorOffset(), "a BOM anywhere else is content");
    }

    @Test
    void aByteOrderMarkBeforeMarkdownIsNotProse() {
        ElementReader<Integer> md = ElementReader.builder(Integer.class).textFormat(TextFormat.MARKDOWN).build();
        assertEquals(List.of(1, 2), md.readAll("\uFEFF{\"items\":[1,2]}"));
    }

    // ------------------------------------------------------------------ 4: what a reader read before changes nothing

    @Test
    void whatTheReaderReadBeforeDoesNotChangeTheVerdict() {
        byte[] bad = concat(utf8("{\""), bytes(0xFF), utf8("xo3\":1}"));
        MalformedJsonException fresh = assertThrows(MalformedJsonException.class,
                () -> ROOT.parser(x -> { }).feed(bad, 0, bad.length));
        ElementParser<JsonNode> first = ROOT.parser(x -> { });
        byte[] good = utf8("{\"xo3\":1}");
        first.feed(good, 0, good.length).finish();
        MalformedJsonException after = assertThrows(MalformedJsonException.class,
                () -> ROOT.parser(x -> { }).feed(bad, 0, bad.length));
        assertEquals(fresh.getMessage(), after.getMessage());
        assertEquals(2, after.byteOffset());
        byte[] within = concat(utf8("{\"xo3\":1,\"b\":{\""), bytes(0xFF), utf8("xo3\":2}}"));
        Cuts.Outcome o = sameWhateverTheByteCut(ROOT, within);
        assertEquals(15, o.errorOffset(), o.toString());
    }

    // ------------------------------------------------------------------ 5, 6: limits at the byte that crosses them

    static LimitExceededException limitOf(Cuts.Outcome o, ElementReader<?> reader, byte[] answer) {
        ElementParser<?> p = reader.parser(x -> { });
        return assertThrows(LimitExceededException.class, () -> {
            p.feed(answer, 0, answer.length);
            p.finish();
        });
    }

    @Test
    void aLimitIsReportedAtTheByteThatCrossesItWhateverTheCut() {
        ElementReader<JsonNode> numbers = ITEMS.toBuilder().limits(Limits.defaults().withMaxNumberLength(12)).build();
        byte[] answer = utf8("{\"items\":[{\"a\":1},{\"n\":1234567890123456789},{\"b\":2}],\"pad\":\"" + "x".repeat(30)
                + "\"}");
        Cuts.Outcome o = sameWhateverTheByteCut(numbers, answer);
        assertTrue(o.error().startsWith("LimitExceededException"), o.toString());
        LimitExceededException e = limitOf(o, numbers, answer);
        assertEquals("maxNumberLength", e.limit());
        assertEquals(35, e.byteOffset(), "the 13th digit");
        ElementReader<JsonNode> strings = ITEMS.toBuilder().limits(Limits.defaults().withMaxStringLength(5)).build();
        byte[] s = utf8("[\"abcdefgh\"]");
        sameWhateverTheByteCut(strings, s);
        assertEquals(7, limitOf(null, strings, s).byteOffset(), "the 6th char");
        ElementReader<JsonNode> depth = ITEMS.toBuilder().limits(Limits.defaults().withMaxDepth(3)).build();
        byte[] d = utf8("[[[[[1]]]]]");
        sameWhateverTheByteCut(depth, d);
        LimitExceededException de = limitOf(null, depth, d);
        assertEquals("maxDepth", de.limit());
        assertEquals(3, de.byteOffset(), "the bracket that opens depth 4");
        byte[] deep = utf8("[".repeat(300));
        assertEquals(256, limitOf(null, ITEMS, deep).byteOffset());
    }

    @Test
    void theElementSizeLimitIsCheckedAtEveryByteNotAtFragmentEnds() {
        ElementReader<JsonNode> small = ITEMS.toBuilder().limits(Limits.defaults().withMaxElementBytes(20)).build();
        byte[] answer = utf8("{\"items\":[{\"a\":1},{\"s\":\"abcdefghijklmnopqrstuvwxyz\"},{\"b\":2}]}");
        Cuts.Outcome o = sameWhateverTheByteCut(small, answer);
        assertEquals(List.of("0:{\"a\":1}"), o.elements());
        LimitExceededException e = limitOf(o, small, answer);
        assertEquals("maxElementBytes", e.limit());
        assertEquals(18 + 20, e.byteOffset(), "the 21st byte of element 1");
    }

    // ------------------------------------------------------------------ 7: messages depend on the bytes only

    @Test
    void theMessageDoesNotDependOnWhereTheFragmentsWereCut() {
        ElementParser<Map<String, Object>> whole = MAPS.parser(x -> { });
        String w = assertThrows(MalformedJsonException.class, () -> whole.feed("{\"a\":]")).getMessage();
        ElementParser<Map<String, Object>> cut = MAPS.parser(x -> { });
        cut.feed("{\"a\":");
        assertEquals(w, assertThrows(MalformedJsonException.class, () -> cut.feed("]")).getMessage());
        byte[] c080 = concat(utf8("[\""), bytes(0xC0, 0x80), utf8("\"]"));
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, c080);
        assertEquals(2, o.errorOffset(), "C0 can start no UTF-8 sequence");
        assertFalse(o.error().contains("CTRL-CHAR"), o.error());
    }

    record Tagged(String tag) { }

    @Test
    void theThreeApisGiveTheSameExceptionForTheSameBytes() {
        // cut after the colon: where a parser that resumes per fragment and one fed the element at once differ
        List<String> fragments = List.of("{\"items\":[{\"x\":1,", "\"tag\":", "]}");
        ElementReader<Tagged> reader = ElementReader.of(Tagged.class);
        ElementParser<Tagged> parser = reader.parser(x -> { });
        MalformedJsonException push = assertThrows(MalformedJsonException.class, () -> {
            for (String f : fragments) {
                parser.feed(f);
            }
        });
        MalformedJsonException pull;
        try (ElementStream<Tagged> s = reader.stream(DeltaSource.ofText(fragments.toArray(String[]::new)))) {
            pull = assertThrows(MalformedJsonException.class, s::toList);
        }
        MalformedJsonException partial;
        try (PartialStream<Tagged> s = reader.partials(DeltaSource.ofText(fragments.toArray(String[]::new)))) {
            partial = assertThrows(MalformedJsonException.class, () -> s.forEach(x -> { }));
        }
        assertEquals(push.getMessage(), pull.getMessage());
        assertEquals(push.getMessage(), partial.getMessage());
        assertEquals(push.byteOffset(), partial.byteOffset());
    }

    // ------------------------------------------------------------------ 8: invalid UTF-8 at its first bad byte

    @Test
    void invalidUtf8IsReportedAtTheFirstByteThatCannotContinueASequence() {
        byte[] answer = concat(utf8("[\"" + "\u00e9".repeat(10)), bytes(0xF0, 0x09), utf8("\",1,2]"));
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, answer);
        assertTrue(o.error().startsWith("MalformedJsonException"), o.toString());
        assertEquals(23, o.errorOffset());
        for (int[] bad : new int[][] {{0x80}, {0xC1, 0xBF}, {0xE0, 0x80, 0x80}, {0xED, 0xA0, 0x80},
                {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xFF}}) {
            byte[] a = concat(utf8("[\"ab"), bytes(bad), utf8("\"]"));
            Cuts.Outcome x = sameWhateverTheByteCut(ITEMS, a);
            long expected = bad[0] == 0xE0 || bad[0] == 0xED || bad[0] == 0xF4 ? 5 : 4;
            assertEquals(expected, x.errorOffset(), x.toString());
        }
    }

    // ------------------------------------------------------------------ 9: number text kept

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-0", "1.0", "1e2", "-0.0", "123456789012345678901234567890", "1.5E-7", "0.10", "-1E+2"})
    void aNumberBindsAsOneShotBindingOfItsTextDoes(String number) {
        String answer = "{\"items\":[" + number + "]}";
        for (Class<?> type : List.of(String.class, BigDecimal.class, BigInteger.class, double.class, Double.class,
                JsonNode.class, Object.class)) {
            Object expected;
            try {
                expected = Cuts.MAPPER.readValue(number, type);
            } catch (RuntimeException e) {
                continue; // 1.0 is no BigInteger: both reject it (checked by the fuzzer)
            }
            List<?> got = ElementReader.builder(type).build().readAll(answer);
            assertEquals(List.of(expected), got, type.getSimpleName());
            if (expected instanceof BigDecimal b) {
                assertEquals(b.scale(), ((BigDecimal) got.get(0)).scale(), "scale of " + number);
            }
        }
        record Holder(String s, BigDecimal d, JsonNode n) { }
        String element = "{\"s\":" + number + ",\"d\":" + number + ",\"n\":" + number + "}";
        assertEquals(Cuts.MAPPER.readValue(element, Holder.class),
                ElementReader.of(Holder.class).readAll("[" + element + "]").get(0));
    }

    // ------------------------------------------------------------------ 10: incomplete vs malformed at the end

    @ParameterizedTest(name = "{0} is malformed at byte {1}")
    @CsvSource(delimiter = '|', value = {"{\"items\":[fl|11", "[tx|2", "{\"items\":[nulx|13", "[1,fax|5"})
    void aPrefixNoContinuationCanMakeValidIsMalformedNotIncomplete(String json, long offset) {
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, utf8(json));
        assertTrue(o.error().startsWith("MalformedJsonException"), o.toString());
        assertEquals(offset, o.errorOffset());
    }

    @Test
    void aNonAsciiByteAfterAQuoteOfAFieldNameIsMalformed() {
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, concat(utf8("{\""), bytes(0x80)));
        assertTrue(o.error().startsWith("MalformedJsonException"), o.toString());
        assertEquals(2, o.errorOffset());
    }

    @ParameterizedTest(name = "{0} is only cut short")
    @CsvSource({"t", "tru", "fals", "nul", "-", "\"abc", "1.", "1e", "1e-", "[1", "{\"a\":1", "{\"items\":[{\"a\":tr"})
    void aViablePrefixIsIncompleteNotMalformed(String json) {
        Cuts.Outcome o = sameWhateverTheByteCut(ROOT, utf8(json));
        assertTrue(o.error() != null && o.error().startsWith("IncompleteJsonException"), o.toString());
    }

    @Test
    void aRootValueFollowedByGarbageIsMalformedAtTheGarbageAfterWhatCompletedBeforeIt() {
        Cuts.Outcome n = sameWhateverTheByteCut(ROOT, utf8("null["));
        assertEquals(List.of(), n.elements(), "a literal is complete at a delimiter: [ is none (the order rule)");
        assertEquals(4, n.errorOffset());
        Cuts.Outcome s = sameWhateverTheByteCut(ROOT, utf8("\"a\"["));
        assertEquals(List.of("0:\"a\""), s.elements());
        assertEquals(3, s.errorOffset());
        Cuts.Outcome a = sameWhateverTheByteCut(ROOT, utf8("[1]x"));
        assertEquals(List.of("0:[1]"), a.elements());
        assertEquals(3, a.errorOffset());
        Cuts.Outcome two = sameWhateverTheByteCut(ROOT, utf8("{}{}"));
        assertEquals(List.of("0:{}"), two.elements());
        assertEquals(2, two.errorOffset());
        Cuts.Outcome num = sameWhateverTheByteCut(ROOT, utf8("12x"));
        assertEquals(List.of(), num.elements(), "12 may have been 123: not complete before the x");
        assertEquals(2, num.errorOffset());
        Cuts.Outcome ok = sameWhateverTheByteCut(ROOT, utf8(" 12 "));
        assertEquals(List.of("0:12"), ok.elements());
    }

    // ------------------------------------------------------------------ 11: interleaved tool calls

    record City(String city) { }

    @Test
    void parallelToolCallsWhoseFragmentsInterleaveAreEachTheirOwnDocument() {
        ElementReader<City> reader = ElementReader.builder(City.class).selection(Selection.root()).build();
        List<Delta> deltas = List.of(
                new Delta.ToolCall(0, "c0", "weather", "{\""),
                new Delta.ToolCall(1, "c1", "weather", "{\"city\":\"Ro"),
                new Delta.ToolCall(0, null, null, "city\":\"Paris\""),
                new Delta.ToolCall(1, null, null, "me\"}"),
                new Delta.ToolCall(0, null, null, "}"),
                new Delta.Finish("tool_calls"));
        List<Element<City>> got = new ArrayList<>();
        try (ElementStream<City> s = reader.stream(DeltaSource.of(deltas.iterator()))) {
            s.elements().forEach(got::add);
            assertEquals(2, s.result().delivered());
        }
        assertEquals(List.of(new Element<>(0, new City("Rome")), new Element<>(1, new City("Paris"))), got,
                "in the order they complete");
        ElementParser<City> p = reader.parser(x -> { });
        p.accept(new Delta.ToolCall(0, "c0", "weather", "{\"city\":\"Oslo\"}"));
        p.accept(new Delta.ToolCall(1, "c1", "weather", "{\"city\":"));
        IncompleteJsonException e = assertThrows(IncompleteJsonException.class, p::finish);
        assertTrue(e.getMessage().startsWith("Tool call 1 (weather)'s arguments ended inside a JSON value"),
                e.getMessage());
    }

    @Test
    void severalToolCallsEachCarryingAListDeliverEveryCallsElements() {
        ElementReader<Integer> reader = ElementReader.of(Integer.class);
        List<Integer> got = new ArrayList<>();
        ElementParser<Integer> p = reader.parser(got::add);
        p.accept(new Delta.ToolCall(0, "a", "f", "{\"items\":[1,"));
        p.accept(new Delta.ToolCall(1, "b", "f", "{\"items\":[3]}"));
        p.accept(new Delta.ToolCall(0, null, null, "2]}"));
        p.finish();
        assertEquals(List.of(1, 3, 2), got);
    }

    // ------------------------------------------------------------------ 12: duplicate wrapper keys

    @Test
    void aSecondOccurrenceOfAFieldOnTheSelectionPathFailsTheAnswer() {
        List<Integer> got = new ArrayList<>();
        UnexpectedShapeException e = assertThrows(UnexpectedShapeException.class,
                () -> ElementReader.of(Integer.class).parser(got::add).feed("{\"items\":[1,2],\"items\":[3]}"));
        assertEquals(List.of(1, 2), got, "what was delivered stays delivered");
        assertEquals("/items", e.pointer());
        assertTrue(e.getMessage().contains("\"items\""), e.getMessage());
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, utf8("{\"items\":[1],\"x\":0,\"items\":[]}"));
        assertTrue(o.error().startsWith("UnexpectedShapeException"), o.toString());
        ElementReader<Integer> nested = ElementReader.builder(Integer.class)
                .selection(Selection.path("$.a[*].b[*]")).build();
        assertThrows(UnexpectedShapeException.class, () -> nested.readAll("{\"a\":[{\"b\":[1],\"b\":[2]}]}"));
        assertEquals(List.of(1, 2), nested.readAll("{\"a\":[{\"b\":[1]},{\"b\":[2]}]}"),
                "the same name in two elements of an array is no duplicate");
        assertEquals(List.of(1), ElementReader.of(Integer.class).readAll("{\"items\":[1],\"meta\":{\"items\":2}}"),
                "nor is the name off the path");
    }

    @Test
    void duplicateFieldsInsideAnElementBindAsOneShotBindingDoes() {
        record Point(int x) { }
        assertEquals(List.of(Cuts.MAPPER.readValue("{\"x\":1,\"x\":2}", Point.class)),
                ElementReader.of(Point.class).readAll("[{\"x\":1,\"x\":2}]"));
    }

    // ------------------------------------------------------------------ issue 10 item 4; violation paths

    record Counted(int count, String name) { }

    @Test
    void aNumberOutOfRangeIsAFieldViolationWordedLikeTheOthers() {
        ElementReader<Counted> reader = ElementReader.builder(Counted.class).onInvalid(InvalidElementPolicy.SKIP)
                .build();
        ElementParser<Counted> p = reader.parser(x -> { });
        p.feed("{\"items\":[{\"count\":614512007128,\"name\":\"a\"}]}");
        Violation v = p.finish().skipped().get(0).violations().get(0);
        assertEquals("/count", v.path());
        assertEquals("must be between -2147483648 and 2147483647", v.message());
        assertEquals("614512007128", v.invalidValue());
    }

    @Test
    void bindingErrorsAreShortViolationsWithoutJacksonsSourceText() {
        ElementReader<Counted> reader = ElementReader.builder(Counted.class).onInvalid(InvalidElementPolicy.SKIP)
                .build();
        ElementParser<Counted> p = reader.parser(x -> { });
        p.feed("[{\"count\":\"many\"},{\"count\":1,\"name\":{\"a\":1}},{\"count\":[1]}]");
        List<InvalidElement> skipped = p.finish().skipped();
        assertEquals(3, skipped.size());
        for (InvalidElement e : skipped) {
            Violation v = e.violations().get(0);
            assertFalse(v.message().contains("Source"), v.message());
            assertFalse(v.message().contains("`"), v.message());
            assertTrue(v.path().startsWith("/"), v.path());
        }
        assertEquals("/count", skipped.get(0).violations().get(0).path());
        assertEquals("/name", skipped.get(1).violations().get(0).path());
    }

    @Test
    void aNumberJacksonCannotRepresentIsAnInvalidElementNotAnEscapingException() {
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> ElementReader.of(BigDecimal.class).readAll("[1,214e7483647483647]"));
        assertEquals(1, e.element().index());
        assertEquals("214e7483647483647", e.element().json());
        assertEquals(1, e.elementsDelivered());
    }

    // ------------------------------------------------------------------ what the differential fuzzer found

    @ParameterizedTest(name = "{0}: no element, malformed at byte {1}")
    @CsvSource(delimiter = '|', value = {"[0x]|2", "[-0X1]|3", "[1.5.3]|4", "{\"a\":0x}|6", "[truex]|5", "[true1]|5",
        "[null_]|5"})
    void whatTheBlockingParserReadsAsNoNumberOrNoLiteralIsNoElement(String json, long offset) {
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, utf8(json));
        assertEquals(List.of(), o.elements(), o.toString());
        assertEquals(offset, o.errorOffset(), o.toString());
    }

    @ParameterizedTest(name = "{0}: {2}, then malformed at byte {1}")
    @CsvSource(delimiter = '|', value = {"[1x]|2|", "[1}|2|", "[1.5e3.]|6|", "[true[|5|", "[1,null:|7|0:1",
        "[false\u00a0]|6|", "[true\ud83d\ude00]|5|", "{\"a\":1]|6|", "[1 x]|3|0:1", "[1,x|3|0:1"})
    void aNumberOrLiteralIsCompleteOnlyAtADelimiterThatMayFollowIt(String json, long offset, String last) {
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, utf8(json));
        assertEquals(last == null ? List.of() : List.of(last), o.elements(), o.toString());
        assertEquals(offset, o.errorOffset(), o.toString());
    }

    @Test
    void noSelectionIsKnownWhenTheTopLevelValueCloses() {
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, utf8("{\"\":[]}t"));
        assertTrue(o.error().startsWith("UnexpectedShapeException"), o.toString());
        ElementReader<Integer> nested = ElementReader.builder(Integer.class)
                .selection(Selection.path("$.a[*].b[*]")).build();
        assertEquals(List.of(), nested.readAll("{\"a\":[]}"), "found at its first [*]: an answer with no a");
        assertEquals(List.of(), nested.readAll("{\"a\":[{\"c\":1}]}"), "an element of a without b has no b");
        assertThrows(UnexpectedShapeException.class, () -> nested.readAll("{\"c\":[]}"));
        ElementReader<Integer> noArray = ElementReader.builder(Integer.class)
                .selection(Selection.path("$.a.b")).build();
        assertEquals(List.of(3), noArray.readAll("{\"a\":{\"b\":3}}"));
        assertThrows(UnexpectedShapeException.class, () -> noArray.readAll("{\"a\":{}}"),
                "a path without [*] is found in full");
    }

    @Test
    void aToolCallWithEmptyArgumentsIsTheEmptyObject() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        ElementReader<Map<String, Object>> maps = (ElementReader) ElementReader.builder(Map.class)
                .selection(Selection.root()).build();
        List<Element<Map<String, Object>>> got = new ArrayList<>();
        ElementParser<Map<String, Object>> p = maps.indexedParser(got::add);
        p.accept(new Delta.ToolCall(1, "c1", "now", ""));
        p.accept(new Delta.ToolCall(0, "c0", "f", "{\"a\":1}"));
        p.accept(new Delta.ToolCall(2, "c2", "g", " \n"));
        p.finish();
        assertEquals(List.of(new Element<>(0, Map.<String, Object>of("a", 1)), new Element<>(1, Map.<String, Object>of()),
                new Element<>(2, Map.<String, Object>of())), got, "complete at the end, in the order the calls opened");
    }

    @Test
    void aLiteralFollowedByALetterOfAnotherScriptIsNoToken() {
        Cuts.Outcome o = sameWhateverTheByteCut(ITEMS, utf8("[true\u00e9]"));
        assertEquals(List.of(), o.elements());
        assertEquals(5, o.errorOffset());
        assertEquals(List.of("0:true"), sameWhateverTheByteCut(ITEMS, utf8("[true")).elements(),
                "at the end of the input a literal is complete (the array is not)");
    }

    @ParameterizedTest(name = "{0}: malformed at byte {1}")
    @CsvSource(delimiter = '|', value = {"{\"\\uD83D\":1}|8", "{\"\\uDC00\":1}|5", "{\"\\uD83D\\u0041\":1}|10",
        "{\"a\\uD83Dx\":1}|9"})
    void surrogateEscapesInFieldNamesComeInPairs(String json, long offset) {
        Cuts.Outcome o = sameWhateverTheByteCut(ROOT, utf8(json));
        assertTrue(o.error().startsWith("MalformedJsonException"), o.toString());
        assertEquals(offset, o.errorOffset(), o.toString());
        assertEquals(List.of("0:{\"\ud83d\ude00\":1}"),
                sameWhateverTheByteCut(ROOT, utf8("{\"\\uD83D\\uDE00\":1}")).elements());
        assertEquals(List.of("0:[\"\ud83d\"]"), sameWhateverTheByteCut(ROOT, utf8("[\"\\uD83D\"]")).elements(),
                "in values a lone half is kept");
    }

    @Test
    void theClosingByteOfAnElementCountsAgainstItsSize() {
        ElementReader<JsonNode> small = ITEMS.toBuilder().limits(Limits.defaults().withMaxElementBytes(7)).build();
        assertEquals(List.of("0:{\"a\":1}"), sameWhateverTheByteCut(small, utf8("[{\"a\":1}]")).elements());
        Cuts.Outcome o = sameWhateverTheByteCut(small, utf8("[{\"a\":12}]"));
        assertEquals(List.of(), o.elements());
        assertTrue(o.error().startsWith("LimitExceededException"), o.toString());
        ElementParser<JsonNode> p = small.parser(x -> { });
        assertEquals(8, assertThrows(LimitExceededException.class, () -> p.feed("[{\"a\":12}]")).byteOffset());
        assertEquals(List.of("0:1234567"), sameWhateverTheByteCut(small, utf8("[1234567]")).elements(),
                "a number's ending byte is not part of it");
        assertTrue(sameWhateverTheByteCut(small, utf8("[\"abcdefg\"]")).error().startsWith("LimitExceeded"),
                "scalar elements too");
    }

    @Test
    void theElementCountLimitIsAtTheFirstByteOfTheElementTooMany() {
        ElementReader<JsonNode> two = ITEMS.toBuilder().limits(Limits.defaults().withMaxElements(2)).build();
        ElementParser<JsonNode> p = two.parser(x -> { });
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> p.feed("[1, 2, {\"a\":3}]"));
        assertEquals("maxElements", e.limit());
        assertEquals(7, e.byteOffset());
    }

    @Test
    void atTheEndToolCallsCompleteInTheOrderTheyOpenedAndTheFirstFailureStopsTheRest() {
        ElementReader<Boolean> reader = ElementReader.builder(Boolean.class).selection(Selection.root()).build();
        List<Element<Boolean>> got = new ArrayList<>();
        ElementParser<Boolean> p = reader.indexedParser(got::add);
        p.accept(new Delta.ToolCall(1, "b", "f", "false"));
        p.accept(new Delta.ToolCall(0, "a", "f", "true"));
        p.finish();
        assertEquals(List.of(new Element<>(0, false), new Element<>(1, true)), got, "call 1 opened first");
        got.clear();
        ElementParser<Boolean> q = reader.indexedParser(got::add);
        q.accept(new Delta.ToolCall(0, "a", "f", "tr"));
        q.accept(new Delta.ToolCall(1, "b", "f", "false"));
        IncompleteJsonException e = assertThrows(IncompleteJsonException.class, q::finish);
        assertEquals(List.of(), got, "call 0 opened first and is incomplete: call 1's false never completes");
        assertTrue(e.getMessage().startsWith("Tool call 0 (f)'s arguments"), e.getMessage());
    }

    @Test
    void aSurrogatePairSplitBetweenToolCallFragmentsIsOneCharacter() {
        ElementReader<City> reader = ElementReader.builder(City.class).selection(Selection.root()).build();
        List<City> got = new ArrayList<>();
        ElementParser<City> p = reader.parser(got::add);
        p.accept(new Delta.ToolCall(0, "a", "f", "{\"city\":\"\ud83d"));
        p.accept(new Delta.ToolCall(1, "b", "f", "{\"city\":\"x\"}"));
        p.accept(new Delta.ToolCall(0, null, null, "\ude00\"}"));
        p.finish();
        assertEquals(List.of(new City("x"), new City("\ud83d\ude00")), got);
    }

    @Test
    void aNumberJacksonCannotRepresentInASnapshotIsAViolationOfThatField() {
        record Amount(BigDecimal bd, int n) { }
        ElementReader<Amount> reader = ElementReader.builder(Amount.class).selection(Selection.root()).build();
        List<Partial<Amount>> snaps = new ArrayList<>();
        ElementParser<Amount> p = reader.partialParser(snaps::add);
        p.feed("{\"bd\":3e9234567890,");
        p.feed("\"n\":1");
        assertThrows(IncompleteJsonException.class, p::finish);
        assertTrue(snaps.stream().anyMatch(s -> s.violations().stream().anyMatch(v -> v.path().equals("/bd"))),
                snaps.toString());
    }

    // ------------------------------------------------------------------ prose of the text formats

    @Test
    void theTextAroundTheJsonOfAMarkdownAnswerIsKeptAsProse() {
        ElementReader<Integer> md = ElementReader.builder(Integer.class).textFormat(TextFormat.MARKDOWN).build();
        String answer = "Sure! Here:\n```json\n[1]\n```\nBye \ud83d\ude00";
        ElementParser<Integer> p = md.parser(x -> { });
        p.feed(answer);
        assertEquals("Sure! Here:\n```json\n\n```\nBye \ud83d\ude00", p.finish().prose());
        for (Cuts.Cut cut : Cuts.allCuts(answer, 3)) {
            ElementParser<Integer> q = md.parser(x -> { });
            for (Object c : cut.chunks()) {
                if (c instanceof byte[] b) {
                    q.feed(b, 0, b.length);
                } else {
                    q.feed((CharSequence) c);
                }
            }
            assertEquals("Sure! Here:\n```json\n\n```\nBye \ud83d\ude00", q.finish().prose(), cut.name());
        }
        ElementReader<Integer> inText = ElementReader.builder(Integer.class).textFormat(TextFormat.JSON_IN_TEXT)
                .build();
        ElementParser<Integer> t = inText.parser(x -> { });
        t.feed("The list: {\"items\":[1]} as asked.");
        assertEquals("The list:  as asked.", t.finish().prose());
    }

    @Test
    void proseFromDeltasIsStillKeptBesideToolCalls() {
        ElementReader<City> reader = ElementReader.builder(City.class).selection(Selection.root()).build();
        ElementParser<City> p = reader.parser(x -> { });
        p.accept(new Delta.Prose("Let me check. "));
        p.accept(new Delta.ToolCall(0, "c", "weather", "{\"city\":\"Oslo\"}"));
        assertEquals("Let me check. ", p.finish().prose());
        assertInstanceOf(StreamResult.class, p.result());
    }
}
