package dev.extractor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.extractor.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The oracle is checked too: the recognizer against the contract's own examples (viable prefixes, first
 * non-viable bytes, limits), the selection rules against hand-made answers, and the recognizer's verdicts against
 * Jackson's blocking parser and nst/JSONTestSuite.
 */
class OracleSelfTest {

    private static Scan scan(byte[] b, Limits l) {
        int from = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        return new Scan(b, from, b.length, l, false).run();
    }

    /** Hex when it starts with {@code 0x}, else UTF-8 text. */
    private static byte[] bytes(String s) {
        return s.startsWith("0x") ? HexFormat.of().parseHex(s.substring(2)) : s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"items\":[{\"a\":tr|INCOMPLETE|-1",
        "tru|INCOMPLETE|-1",
        "\"abc|INCOMPLETE|-1",
        "{\"a\":1|INCOMPLETE|-1",
        "[1,2|INCOMPLETE|-1",
        "12|OK|-1",
        "{\"items\":[fl|MALFORMED|11",
        "[tx|MALFORMED|2",
        "0x7b2280|MALFORMED|2",
        "0x5b22f009|MALFORMED|3",
        "0x5b22c080|MALFORMED|2",
        "0x5b22eda080|MALFORMED|3",
        "0x5b22f4908080|MALFORMED|3",
        "0x5b22e6|INCOMPLETE|-1",
        "{\"a\":}|MALFORMED|5",
        "{\"a\":1,}|MALFORMED|7",
        "[1,]|MALFORMED|3",
        "1[|MALFORMED|1",
        "12x|MALFORMED|2",
        "null[|MALFORMED|4",
        "\"a\"[|MALFORMED|3",
        "[1]x|MALFORMED|3",
        "{}{}|MALFORMED|2",
        "00|MALFORMED|1",
        "[01]|MALFORMED|2",
        "[-]|MALFORMED|2",
        "[1.]|MALFORMED|3",
        "[1e]|MALFORMED|3",
        "[.5]|MALFORMED|1",
        "[NaN]|MALFORMED|1",
        "['a']|MALFORMED|1",
        "[1]/*c*/|MALFORMED|3",
        "0xefbbbf5b315d|OK|-1",
        "0xefbbbfefbbbf5b315d|MALFORMED|3",
        "[\"\\q\"]|MALFORMED|3",
        "[\"\\u12x4\"]|MALFORMED|6",
        "{\"\\ud83d\":1}|MALFORMED|8",
        "[\"\\ud83d\"]|OK|-1",
        "[true\u2014]|MALFORMED|5",
        "0x20200a|EMPTY|-1"})
    void theRecognizerFindsTheFirstNonViableByte(String input, Scan.Status status, int at) {
        Scan s = scan(bytes(input), Limits.defaults());
        assertEquals(status, s.status, input);
        if (at >= 0) {
            assertEquals(at, s.failAt, input);
        }
    }

    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @CsvSource(delimiter = '|', value = {
        "123456|maxNumberLength|4",
        "-1.2345|maxNumberLength|6",
        "[[[[1]]]]|maxDepth|3",
        "\"abcdef\"|maxStringLength|5",
        "\"ab\\u0063def\"|maxStringLength|10",
        "\"abc😀\"|maxStringLength|7",
        "{\"abcde\":1}|maxNameLength|6"})
    void limitsAreCrossedAtTheByteThatCrossesThem(String input, String limit, int at) {
        Scan s = scan(bytes(input), new Limits(3, 4, 4, 4, 100, 100));
        assertEquals(Scan.Status.LIMIT, s.status, input);
        assertEquals(limit, s.limit, input);
        assertEquals(at, s.failAt, input);
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "Integer|items|{\"items\":[1,2],\"items\":[3]}|element 0: Integer 1,element 1: Integer 2,"
                + "failure UnexpectedShapeException pointer '/items'",
        "Integer|items|[1,2|element 0: Integer 1,failure IncompleteJsonException",
        "String|root|\"a\"[|element 0: String \"a\",failure MalformedJsonException at byte 3",
        "Integer|root|1[|failure MalformedJsonException at byte 1",
        "Integer|items|{\"x\":1}|failure UnexpectedShapeException pointer ''",
        "Integer|items|{\"items\":{}}|failure UnexpectedShapeException pointer '/items'",
        "Integer|array|{\"n\":1,\"r\":[5],\"s\":[6]}|element 0: Integer 5",
        "Integer|path:$.a[*].b[*]|{\"a\":[{\"b\":[1]},{\"b\":[2,3]}]}|element 0: Integer 1,element 1: Integer 2,"
                + "element 2: Integer 3",
        "Integer|path:$.a[*].b[*]|{\"a\":[{\"b\":[1],\"b\":[2]}]}|element 0: Integer 1,"
                + "failure UnexpectedShapeException pointer '/a/0/b'",
        "String|items|{\"items\":[-0,1e2]}|element 0: String \"-0\",element 1: String \"1e2\"",
        "Item|items|\uFEFF{\"items\":[{\"qty\":1}]}|element 0: Item {\"name\":null,\"qty\":1,\"price\":0.0,"
                + "\"tags\":null,\"color\":null}",
        "Person|items|{\"items\":[{\"name\":\" \",\"age\":1}]}|failure ElementValidationException element 0 "
                + "'/items/0' {\"name\":\" \",\"age\":1} violations [/name]"})
    void theSelectionRulesAsDocumented(String type, String selection, String answer, String expected) {
        String config = type + "|" + selection + "|FAIL|JSON|256,4000000,1000,50000,16777216,1000000";
        assertEquals(expected.replace(",element", "\nelement").replace(",failure", "\nfailure") + "\n",
                FuzzRepro.expected(config, List.of(answer)));
    }

    @Test
    void theRecognizerAgreesWithJacksonOnGeneratedValidAnswers() {
        Gen g = new Gen(new java.util.SplittableRandom(42));
        int checked = 0;
        for (int i = 0; i < 3000; i++) {
            Config c = g.config();
            Config plain = new Config(c.type(), c.selection(), c.policy(), dev.extractor.TextFormat.JSON,
                    Limits.defaults());
            String text = g.answer(plain);
            byte[] b = Fragments.utf8(text);
            Outcome o = Oracle.expect(plain, b);
            assertTrue(o.notes.stream().noneMatch(n -> n.startsWith("conflict:")), () -> text + " " + o.notes);
            checked++;
        }
        assertEquals(3000, checked);
    }

    /** nst/JSONTestSuite (beside the checkout, as in CI): y_ accepted, n_ rejected, and Jackson agrees. */
    @Test
    void theRecognizerGivesJsonTestSuitesVerdicts() throws IOException {
        Path dir = Paths.get(Objects.requireNonNullElse(System.getProperty("extractor.conformance.dir"),
                "../../shared/conformance")).resolve("JSONTestSuite/test_parsing");
        assumeTrue(Files.isDirectory(dir), "JSONTestSuite not found at " + dir + ": skipped");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<String> wrong = new ArrayList<>();
        Config c = Config.parse("JsonNode|root|SKIP|JSON|256,4000000,1000,50000,16777216,1000000");
        for (Path f : files) {
            String name = f.getFileName().toString();
            byte[] b = Files.readAllBytes(f);
            Scan s = scan(b, Limits.defaults());
            boolean ok = s.status == Scan.Status.OK;
            if (name.startsWith("y_") && !ok || name.startsWith("n_") && ok) {
                wrong.add(name + ": " + s.status + " " + s.why + " at " + s.failAt);
            }
            Outcome o = Oracle.expect(c, b);
            o.notes.stream().filter(n -> n.startsWith("conflict:")).forEach(n -> wrong.add(name + ": " + n));
        }
        assertEquals(List.of(), wrong);
    }

    private static Arguments row(String what, String config, List<String> fragments, String expected) {
        return Arguments.of(what, config, fragments, expected);
    }

    /**
     * The lead's decisions on the fuzzer's undecided points (CORE-CONTRACT.md, "Decisions"), each with the
     * contract's own example where it gives one: fragments in the corpus format, the outcome in
     * {@link FuzzRepro#expected}'s words (lines joined by " / ").
     */
    static Stream<Arguments> decisions() {
        return Stream.of(
            row("the order rule: a number completes at the delimiter after it; a non-delimiter fails first",
                    "Integer|array|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[1x\""),
                    "failure MalformedJsonException at byte 2"),
            row("the order rule: a number completes at the whitespace after it",
                    "Integer|array|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[1 x\""),
                    "element 0: Integer 1 / failure MalformedJsonException at byte 3"),
            row("the order rule: a literal followed by a bracket is no element",
                    "Boolean|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"items\\\":[false{\""),
                    "failure MalformedJsonException at byte 15"),
            row("the order rule: the wrong closing bracket after a number",
                    "Integer|array|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[1}\""),
                    "failure MalformedJsonException at byte 2"),
            row("the order rule: a string completes at its closing quote, before the wrong bracket",
                    "String|array|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[\\\"a\\\"}\""),
                    "element 0: String \"a\" / failure MalformedJsonException at byte 4"),
            row("the order rule: a root literal followed by a bracket",
                    "Boolean|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"true]\""),
                    "failure MalformedJsonException at byte 4"),
            row("U1: maxNameLength counts UTF-8 bytes, crossed at the (max+1)-th byte",
                    "Map|root|FAIL|JSON|256,4000000,8,4,80,3",
                    List.of("t:\"{\\\"\\u672c\\u8a9e\\\":1}\""),
                    "failure LimitExceededException at byte 6 limit maxNameLength"),
            row("U1: three chars of nine bytes over a limit of 8",
                    "Map|root|FAIL|JSON|256,4000000,8,8,80,3",
                    List.of("t:\"{\\\"\\u2022\\u1d25\\u2022\\\":0}\""),
                    "failure LimitExceededException at byte 10 limit maxNameLength"),
            row("U1: an escape's bytes count at its last hex digit",
                    "Map|root|FAIL|JSON|256,4000000,8,4,80,3",
                    List.of("t:\"{\\\"abc\\\\u00e9\\\":1}\""),
                    "failure LimitExceededException at byte 10 limit maxNameLength"),
            row("U1: a name of exactly maxNameLength bytes",
                    "Map|root|FAIL|JSON|256,4000000,8,4,80,3",
                    List.of("t:\"{\\\"abcd\\\":1}\""),
                    "element 0: LinkedHashMap {\"abcd\":1}"),
            row("U2: a number is never limited by maxStringLength",
                    "Double|root|SKIP|JSON|4,6,1000,5,80,1",
                    List.of("t:\"4.9e-324\""),
                    "element 0: Double 4.9E-324"),
            row("U3: a lone low surrogate escape in a name, at its second hex digit",
                    "JsonNode|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"\\\\uDC\""),
                    "failure MalformedJsonException at byte 5"),
            row("U3: a high half followed by the closing quote",
                    "JsonNode|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"\\\\uD83D\\\"\""),
                    "failure MalformedJsonException at byte 8"),
            row("U3: a high half followed by another escape",
                    "JsonNode|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"\\\\uD83D\\\\n\""),
                    "failure MalformedJsonException at byte 9"),
            row("U3: a high half followed by a non-surrogate escape",
                    "JsonNode|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"\\\\uD83D\\\\u0041\""),
                    "failure MalformedJsonException at byte 10"),
            row("U3: a high half followed by a high half",
                    "JsonNode|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"\\\\uD83D\\\\uD83D\""),
                    "failure MalformedJsonException at byte 11"),
            row("U3: a pair of escapes in a name is fine",
                    "JsonNode|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"\\\\uD83D\\\\uDE00\\\":1}\""),
                    "element 0: JsonNode {\"\ud83d\ude00\":1}"),
            row("U4: no selection is known when the top-level value closes, before trailing content",
                    "JsonNode|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("b:7b22223a5b5d7d74"),
                    "failure UnexpectedShapeException pointer ''"),
            row("U5: a duplicate path field fails at its name's closing quote",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"items\\\":[],\\\"items\\\"}\""),
                    "failure UnexpectedShapeException pointer '/items'"),
            row("U5: a scalar on the path fails when it completes (cut short: incomplete)",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"items\\\":\\\"ab\""),
                    "failure IncompleteJsonException"),
            row("U5: a scalar on the path followed by a non-delimiter",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"items\\\":12x\""),
                    "failure MalformedJsonException at byte 11"),
            row("U5: maxElements is crossed at the first byte of element max+1",
                    "Long|array|FAIL|JSON|256,12,12,8,20,1",
                    List.of("t:\"[1,2]\""),
                    "element 0: Long 1 / failure LimitExceededException at byte 3 limit maxElements"),
            row("U5: maxElementBytes applies to scalar elements",
                    "String|array|FAIL|JSON|4,40,1000,8,20,2",
                    List.of("t:\"{\\\"\\\":2,\\\"\\\":[\\\"\\\\u0061b009\\\\u0068ere\\\"]}\""),
                    "failure LimitExceededException at byte 30 limit maxElementBytes"),
            row("U5: a path is found at its first [*]: no sections is a valid empty answer",
                    "Integer|path:$.a[*].b[*]|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"a\\\":[]}\""),
                    ""),
            row("U5: an element without b has no elements",
                    "Integer|path:$.a[*].b[*]|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"a\\\":[{\\\"c\\\":1}]}\""),
                    ""),
            row("U5: nothing matched",
                    "Integer|path:$.a[*].b[*]|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"z\\\":1}\""),
                    "failure UnexpectedShapeException pointer ''"),
            row("U5: a path without [*] must be found in full",
                    "Integer|path:$.a.b|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"a\\\":{}}\""),
                    "failure UnexpectedShapeException pointer ''"),
            row("U5: a path without [*] selects one value",
                    "Integer|path:$.a.b|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"a\\\":{\\\"b\\\":7}}\""),
                    "element 0: Integer 7"),
            row("U5: a path without [*], its last field repeated",
                    "Integer|path:$.a.b|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"{\\\"a\\\":{\\\"b\\\":7,\\\"b\\\":8}}\""),
                    "element 0: Integer 7 / failure UnexpectedShapeException pointer '/a/b'"),
            row("U6: root scalars of several calls complete at the end, in the order the calls opened",
                    "BigInteger|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("c:1:extract:\"1\"", "c:0:extract:\"0\""),
                    "element 0: BigInteger 1 / element 1: BigInteger 0"),
            row("U7: a call with empty arguments is the empty object, complete at the end",
                    "Map|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("c:1:extract:\"\"", "c:0:extract:\"{\\\"a\\\":1}\""),
                    "element 0: LinkedHashMap {\"a\":1} / element 1: LinkedHashMap {}"),
            row("U7: whitespace arguments are the empty object, which has no items",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("c:0:extract:\" \""),
                    "failure UnexpectedShapeException pointer ''"),
            row("U8: markdown: an indented bracket line starts the JSON",
                    "Integer|items|FAIL|MARKDOWN|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"Here:\\n  {\\\"items\\\":[1]}\\nbye\""),
                    "element 0: Integer 1 / prose \"Here:\\n  \\nbye\""),
            row("U8: markdown: a tab before the bracket",
                    "Integer|items|FAIL|MARKDOWN|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"Here:\\n\\t[2]\""),
                    "element 0: Integer 2 / prose \"Here:\\n\\t\""),
            row("N5: above U+10FFFF is malformed inside strings too",
                    "String|root|SKIP|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("b:22efbfbdf490808022"),
                    "failure MalformedJsonException at byte 5"),
            row("N5: an encoded surrogate is malformed at its second byte",
                    "String|root|SKIP|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("b:22eda08022"),
                    "failure MalformedJsonException at byte 2"),
            row("N6: a literal ending the input inside a container is complete",
                    "Boolean|array|SKIP|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[true\""),
                    "element 0: Boolean true / failure IncompleteJsonException"),
            row("N6: a null ending the input is rejected, then incomplete",
                    "Integer|array|SKIP|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[null\""),
                    "skipped 0 '/0' null violations [(element)] / failure IncompleteJsonException"),
            row("N7: a literal followed by a BOM is no element",
                    "Boolean|array|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[false\\ufeff\""),
                    "failure MalformedJsonException at byte 6"),
            row("N7: nullx",
                    "Integer|root|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"nullx\""),
                    "failure MalformedJsonException at byte 4"),
            row("N8: a binding exception rejects the element",
                    "BigDecimal|items|SKIP|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[92233720e36854775808,1]\""),
                    "element 1: BigDecimal 1 / skipped 0 '/0' 92233720e36854775808 violations [(element)]"),
            row("several documents: the offset is relative to the call's arguments",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("c:0:extract:\"{\\\"items\\\":[1]}\"", "c:1:extract:\"{\\\"items\\\":x\""),
                    "element 0: Integer 1 / failure MalformedJsonException at byte 9"),
            row("several documents: elements in completion order across interleaved calls",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("c:0:extract:\"{\\\"items\\\":[1\"", "c:1:extract:\"{\\\"items\\\":[2]}\"", "c:0::\"]}\""),
                    "element 0: Integer 2 / element 1: Integer 1"),
            row("contract 11: prose and no JSON",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("p:\"I think the answer is 3.\""),
                    "prose \"I think the answer is 3.\" / failure UnexpectedShapeException pointer ''"),
            row("contract 11: prose and thinking between fragments are never parsed",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("c:0:extract:\"{\\\"items\\\":[\"", "p:\"]}\"", "th:\"hmm\"", "c:0::\"1]}\""),
                    "element 0: Integer 1 / prose \"]}\" / thinking \"hmm\""),
            row("JSON_IN_TEXT: the first bracket starts the JSON; what follows is ignored",
                    "Integer|items|FAIL|JSON_IN_TEXT|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"Sure: {\\\"items\\\":[1]} more {\""),
                    "element 0: Integer 1 / prose \"Sure:  more {\""),
            row("JSON_IN_TEXT: no bracket at all",
                    "Integer|items|FAIL|JSON_IN_TEXT|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"no json here\""),
                    "prose \"no json here\" / failure IncompleteJsonException"),
            row("JSON_IN_TEXT: the first bracket, even in prose",
                    "Integer|items|FAIL|JSON_IN_TEXT|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"see [x] {\\\"items\\\":[1]}\""),
                    "prose \"see \" / failure MalformedJsonException at byte 5"),
            row("finish kinds: LENGTH whatever the word",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[1,\"", "f:max_tokens:LENGTH"),
                    "element 0: Integer 1 / finish max_tokens/LENGTH / failure TruncatedOutputException"),
            row("finish kinds: an OpenAI max_tokens is no OpenAI length",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[1,\"", "f:max_tokens"),
                    "element 0: Integer 1 / finish max_tokens/OTHER / failure IncompleteJsonException"),
            row("finish kinds: CONTENT_FILTER",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,1000000",
                    List.of("t:\"[1,\"", "f:SAFETY:CONTENT_FILTER"),
                    "element 0: Integer 1 / finish SAFETY/CONTENT_FILTER / failure ContentFilterException"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void theDecisionsAsTheContractWritesThem(String what, String config, List<String> fragments, String expected) {
        List<Object> f = fragments.stream().map(Fragments::parseCorpusLine).toList();
        assertEquals(expected.isEmpty() ? "" : expected.replace(" / ", "\n") + "\n", FuzzRepro.expected(config, f),
                what);
    }

    @Test
    void aLoneSurrogateEscapeInAValueIsAccepted() {
        String config = "String|array|FAIL|JSON|256,4000000,1000,50000,16777216,1000000";
        assertEquals("element 0: String \"\udc00\"\n", FuzzRepro.expected(config, List.of("[\"\\uDC00\"]")));
    }

    @Test
    void noUndecidedNoteRemains() {
        Gen g = new Gen(new java.util.SplittableRandom(7));
        for (int i = 0; i < 2000; i++) {
            Config c = g.config();
            String text = g.mutateText(g.answer(c));
            Outcome o = Oracle.expect(c, List.of(text));
            assertTrue(o.notes.stream().noneMatch(n -> n.startsWith("undecided:")), () -> text + " " + o.notes);
        }
    }

    /**
     * Two limits crossed by the same byte (second round, item 2): the token's own limit, then maxElementBytes, then
     * maxElements. Nothing else is accepted.
     */
    @Test
    void twoLimitsCrossedByOneByteReportTheTokensOwnLimitFirst() {
        // {"id":"","v\u0061lu// : byte 20 is the name's 6th byte (maxNameLength 5) and the element's 21st (20)
        Outcome a = Oracle.expect(Config.parse("Bean|root|FAIL|JSON|4,12,8,5,20,1"),
                List.<Object>of(bytes("0x7b226964223a22222c22765c75303036316c752f2f")));
        assertEquals(20L, a.failure.offset());
        assertEquals("maxNameLength", a.failure.limit());
        // [1,[2]] with maxDepth 1 and maxElements 1: the second [ opens depth 2 and would begin element 2
        Outcome b = Oracle.expect(Config.parse("Long|array|FAIL|JSON|1,12,12,8,20,1"), List.<Object>of("[1,[2]]"));
        assertEquals(3L, b.failure.offset());
        assertEquals("maxDepth", b.failure.limit());
        // a string's (max+1)-th char is also the element's (max+1)-th byte: the string's limit
        Outcome c = Oracle.expect(Config.parse("String|array|FAIL|JSON|4,4,12,8,5,9"), List.<Object>of("[\"abcde\"]"));
        assertEquals(6L, c.failure.offset());
        assertEquals("maxStringLength", c.failure.limit());
        // a number's (max+1)-th digit and the element's (max+1)-th byte
        Outcome d = Oracle.expect(Config.parse("Long|array|FAIL|JSON|4,4,3,8,3,9"), List.<Object>of("[1234]"));
        assertEquals(4L, d.failure.offset());
        assertEquals("maxNumberLength", d.failure.limit());
        // a bracket that opens depth max+1 as the element's (max+1)-th byte
        Outcome e = Oracle.expect(Config.parse("ListObj|array|FAIL|JSON|2,4,3,8,1,9"), List.<Object>of("[[[1]]]"));
        assertEquals(2L, e.failure.offset());
        assertEquals("maxDepth", e.failure.limit());
        // only the element's limit crossed
        Outcome f = Oracle.expect(Config.parse("ListObj|array|FAIL|JSON|4,4,3,8,1,9"), List.<Object>of("[[[1]]]"));
        assertEquals(2L, f.failure.offset());
        assertEquals("maxElementBytes", f.failure.limit());
    }

    // ------------------------------------------------------------------ the second round of decisions

    private static final String DEFAULTS = "256,4000000,1000,50000,16777216,1000000";

    private static Object t(String text) {
        return text;
    }

    private static Object call(int index, String name, String arguments) {
        return new dev.extractor.Delta.ToolCall(index, null, name, arguments);
    }

    private static Object prose(String text) {
        return new dev.extractor.Delta.Prose(text);
    }

    private static Object refusal(String text) {
        return new dev.extractor.Delta.Refusal(text);
    }

    private static Object finish(String word, dev.extractor.FinishReason kind) {
        return new dev.extractor.Delta.Finish(word, kind);
    }

    private static Arguments row2(String what, String config, List<Object> fragments, String expected) {
        return Arguments.of(what, config, fragments, expected);
    }

    /**
     * The lead's second round of decisions (CORE-CONTRACT.md, "Second round of decisions"), each modelled exactly:
     * no outcome is "either".
     */
    static Stream<Arguments> secondRound() {
        dev.extractor.FinishReason length = dev.extractor.FinishReason.LENGTH;
        dev.extractor.FinishReason filter = dev.extractor.FinishReason.CONTENT_FILTER;
        return Stream.of(
            row2("1: empty arguments at a LENGTH finish were cut short",
                    "Item|root|FAIL|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", ""), finish("length", length)),
                    "finish length/LENGTH / failure TruncatedOutputException"),
            row2("1: blank arguments at a LENGTH finish, whatever the word",
                    "Map|root|FAIL|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", " \n"), finish("MAX_TOKENS", length)),
                    "finish MAX_TOKENS/LENGTH / failure TruncatedOutputException"),
            row2("1: empty arguments at a CONTENT_FILTER finish",
                    "Map|root|FAIL|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", ""), finish("SAFETY", filter)),
                    "finish SAFETY/CONTENT_FILTER / failure ContentFilterException"),
            row2("1: empty arguments at a normal finish are {}",
                    "Map|root|FAIL|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", ""), finish("tool_calls", dev.extractor.FinishReason.TOOL_CALLS)),
                    "element 0: LinkedHashMap {} / finish tool_calls/TOOL_CALLS"),
            row2("1: the calls before the empty one are delivered, then truncated",
                    "Map|root|FAIL|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", "{\"a\":1}"), call(1, "extract", ""), finish("length", length)),
                    "element 0: LinkedHashMap {\"a\":1} / finish length/LENGTH / failure TruncatedOutputException"),
            row2("1: with prose beside the empty call: still truncated (the model called the tool)",
                    "Map|root|FAIL|JSON|" + DEFAULTS,
                    List.of(prose("Calling."), call(0, "extract", ""), finish("length", length)),
                    "prose \"Calling.\" / finish length/LENGTH / failure TruncatedOutputException"),
            row2("1: an invalid {} of empty arguments: its json is \"{}\"",
                    "Person|root|SKIP|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", "  ")),
                    "skipped 0 '' {} violations [/name]"),
            row2("2: a name's limit before the element's, crossed by one byte",
                    "Bean|root|FAIL|JSON|4,12,8,5,20,1",
                    List.of((Object) HexFormat.of().parseHex("7b226964223a22222c22765c75303036316c752f2f")),
                    "failure LimitExceededException at byte 20 limit maxNameLength"),
            row2("2: maxDepth before maxElements, crossed by one bracket",
                    "Long|array|FAIL|JSON|1,12,12,8,20,1",
                    List.of(t("[1,[2]]")),
                    "element 0: Long 1 / failure LimitExceededException at byte 3 limit maxDepth"),
            row2("2: maxStringLength before maxElementBytes",
                    "String|array|FAIL|JSON|4,4,12,8,5,9",
                    List.of(t("[\"abcde\"]")),
                    "failure LimitExceededException at byte 6 limit maxStringLength"),
            row2("2: maxNumberLength before maxElementBytes",
                    "Long|array|FAIL|JSON|4,4,3,8,3,9",
                    List.of(t("[1234]")),
                    "failure LimitExceededException at byte 4 limit maxNumberLength"),
            row2("3: the name limit is crossed at the (max+1)-th byte, inside a character",
                    "Map|root|FAIL|JSON|256,4000000,8,3,80,3",
                    List.of(t("{\"\u00e9\u672c\":1}")),
                    "failure LimitExceededException at byte 5 limit maxNameLength"),
            row2("3: ... or at its first byte",
                    "Map|root|FAIL|JSON|256,4000000,8,2,80,3",
                    List.of(t("{\"\u00e9\u672c\":1}")),
                    "failure LimitExceededException at byte 4 limit maxNameLength"),
            row2("3: ... after an invalid continuation byte is checked: malformed first",
                    "Map|root|FAIL|JSON|256,4000000,8,3,80,3",
                    List.of((Object) HexFormat.of().parseHex("7b22c3a9e641223a317d")),
                    "failure MalformedJsonException at byte 5"),
            row2("4: [1} is malformed at the } with no element",
                    "Integer|array|FAIL|JSON|" + DEFAULTS,
                    List.of(t("[1}")),
                    "failure MalformedJsonException at byte 2"),
            row2("4: [null} too",
                    "Integer|array|SKIP|JSON|" + DEFAULTS,
                    List.of(t("[null}")),
                    "failure MalformedJsonException at byte 5"),
            row2("5: maxElements counts the elements of all calls together",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,2",
                    List.of(call(0, "extract", "{\"items\":[1]}"), call(1, "extract", "{\"items\":[2,3]}")),
                    "element 0: Integer 1 / element 1: Integer 2 / failure LimitExceededException at byte 12 limit "
                            + "maxElements"),
            row2("5: ... in the order they start, across interleaved calls",
                    "Integer|items|FAIL|JSON|256,4000000,1000,50000,16777216,2",
                    List.of(call(0, "extract", "{\"items\":[1"), call(1, "extract", "{\"items\":[2]}"),
                            call(0, null, ",3]}")),
                    "element 0: Integer 2 / element 1: Integer 1 / failure LimitExceededException at byte 12 limit "
                            + "maxElements"),
            row2("5: root scalars start at their first byte (and complete at the end)",
                    "Integer|root|FAIL|JSON|256,4000000,1000,50000,16777216,1",
                    List.of(call(0, "extract", "1"), call(1, "extract", "2")),
                    "failure LimitExceededException at byte 0 limit maxElements"),
            row2("5: the {} of empty arguments starts at the end of its arguments",
                    "Map|root|FAIL|JSON|256,4000000,1000,50000,16777216,1",
                    List.of(call(0, "extract", "{}"), call(1, "extract", " ")),
                    "element 0: LinkedHashMap {} / failure LimitExceededException at byte 1 limit maxElements"),
            row2("5: a refusal with an incomplete answer",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(t("{\"items\":[1,"), refusal("I can't help with that.")),
                    "element 0: Integer 1 / failure RefusalException refusal \"I can't help with that.\""),
            row2("5: a refusal and no JSON at all, whatever the finish",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(refusal("No."), prose("Sorry"), finish("length", length)),
                    "prose \"Sorry\" / finish length/LENGTH / failure RefusalException refusal \"No.\""),
            row2("5: a refusal with an incomplete answer at a LENGTH finish: the finish kind first (as today)",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(t("[1,"), refusal("No."), finish("length", length)),
                    "element 0: Integer 1 / finish length/LENGTH / failure TruncatedOutputException"),
            row2("5: a refusal beside a complete answer changes nothing",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(refusal("No."), t("[1]")),
                    "element 0: Integer 1"),
            row2("5: a refusal beside an incomplete tool call",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", "{\"items\":["), refusal("No.")),
                    "failure RefusalException refusal \"No.\""),
            row2("third round: a REFUSAL finish with the JSON cut short refuses, with no text",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(t("[1,"), finish("refusal", dev.extractor.FinishReason.REFUSAL)),
                    "element 0: Integer 1 / finish refusal/REFUSAL / failure RefusalException refusal \"\""),
            row2("third round: a REFUSAL finish and no JSON at all refuses, before the prose rule",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(prose("Sorry"), finish("refusal", dev.extractor.FinishReason.REFUSAL)),
                    "prose \"Sorry\" / finish refusal/REFUSAL / failure RefusalException refusal \"\""),
            row2("third round: a REFUSAL finish beside a complete answer changes nothing",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(t("[1]"), finish("refusal", dev.extractor.FinishReason.REFUSAL)),
                    "element 0: Integer 1 / finish refusal/REFUSAL"),
            row2("5: Delta.Prose inside a text answer is only collected",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(t("{\"items\":["), prose("]} not JSON"), t("1]}")),
                    "element 0: Integer 1 / prose \"]} not JSON\""),
            row2("5: ... and comes before the text-format prose",
                    "Integer|items|FAIL|MARKDOWN|" + DEFAULTS,
                    List.of(t("intro\n[1]\nbye"), prose("A")),
                    "element 0: Integer 1 / prose \"Aintro\\n\\nbye\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secondRound")
    void theSecondRoundOfDecisions(String what, String config, List<Object> fragments, String expected) {
        assertEquals(expected.isEmpty() ? "" : expected.replace(" / ", "\n") + "\n",
                FuzzRepro.expected(config, fragments), what);
    }

    /**
     * Violation paths are JSON Pointers relative to the element (issue 12 item 3), from Bean Validation's nodes and
     * Jackson's path references; {@code StreamResult.prose()} of text formats is the text around the JSON.
     */
    static Stream<Arguments> pointersAndProse() {
        return Stream.of(
            row2("pointer: every kind of Bean Validation node, sorted by pointer",
                    "Person|root|FAIL|JSON|" + DEFAULTS,
                    List.of(t("{\"name\":\"\",\"tags\":[\"a\",\" \"],\"address\":{\"city\":\"x\",\"zip_code\":"
                            + "\"123456\"},\"scores\":{\"a~b/\":-1,\"ok\":2}}")),
                    "failure ElementValidationException element 0 '' {\"name\":\"\",\"tags\":[\"a\",\" \"],\"address\":"
                            + "{\"city\":\"x\",\"zip_code\":\"123456\"},\"scores\":{\"a~b/\":-1,\"ok\":2}} violations "
                            + "[/address/city, /address/zip_code, /name, /scores/a~0b~1, /tags/1]"),
            row2("pointer: a list's own constraint",
                    "Person|root|SKIP|JSON|" + DEFAULTS,
                    List.of(t("{\"name\":\"A\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}")),
                    "skipped 0 '' {\"name\":\"A\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]} violations [/tags]"),
            row2("pointer: a binding error at an index",
                    "ListInt|root|FAIL|JSON|" + DEFAULTS,
                    List.of(t("[\"i\",7]")),
                    "failure ElementValidationException element 0 '' [\"i\",7] violations [/0]"),
            row2("pointer: a binding error at a map key, escaped",
                    "Person|root|SKIP|JSON|" + DEFAULTS,
                    List.of(t("{\"name\":\"A\",\"scores\":{\"x/y~\":\"a\"}}")),
                    "skipped 0 '' {\"name\":\"A\",\"scores\":{\"x/y~\":\"a\"}} violations [/scores/x~1y~0]"),
            row2("pointer: a binding error names the JSON property",
                    "Person|root|SKIP|JSON|" + DEFAULTS,
                    List.of(t("{\"name\":\"A\",\"address\":{\"zip_code\":[]}}")),
                    "skipped 0 '' {\"name\":\"A\",\"address\":{\"zip_code\":[]}} violations [/address/zip_code]"),
            row2("pointer: the element itself is \"\"",
                    "Integer|array|SKIP|JSON|" + DEFAULTS,
                    List.of(t("[\"x\"]")),
                    "skipped 0 '/0' \"x\" violations [(element)]"),
            row2("prose: none in TextFormat.JSON",
                    "Integer|items|FAIL|JSON|" + DEFAULTS,
                    List.of(t(" {\"items\":[1]} ")),
                    "element 0: Integer 1"),
            row2("prose: markdown, fence lines included",
                    "Integer|items|FAIL|MARKDOWN|" + DEFAULTS,
                    List.of(t("Sure:\n```json\n{\"items\":[1]}\n```\nDone.")),
                    "element 0: Integer 1 / prose \"Sure:\\n```json\\n\\n```\\nDone.\""),
            row2("prose: markdown without JSON is all prose",
                    "Integer|items|FAIL|MARKDOWN|" + DEFAULTS,
                    List.of(t("\"")),
                    "prose \"\\\"\" / failure IncompleteJsonException"),
            row2("prose: a leading BOM is not prose",
                    "Integer|items|FAIL|JSON_IN_TEXT|" + DEFAULTS,
                    List.of(t("\ufeffHi [1] x")),
                    "element 0: Integer 1 / prose \"Hi  x\""),
            row2("prose: a BOM elsewhere is",
                    "Integer|items|FAIL|JSON_IN_TEXT|" + DEFAULTS,
                    List.of(t("Hi \ufeff[1]")),
                    "element 0: Integer 1 / prose \"Hi \\ufeff\""),
            row2("prose: invalid UTF-8 as U+FFFD, before and after",
                    "Integer|items|FAIL|JSON_IN_TEXT|" + DEFAULTS,
                    List.of((Object) HexFormat.of().parseHex("6162ff205b315dc3")),
                    "element 0: Integer 1 / prose \"ab\\ufffd \\ufffd\""),
            row2("prose: the text before and the text after are decoded apart",
                    "Integer|items|FAIL|JSON_IN_TEXT|" + DEFAULTS,
                    List.of((Object) HexFormat.of().parseHex("e65b315d97a5")),
                    "element 0: Integer 1 / prose \"\\ufffd\\ufffd\\ufffd\""),
            row2("prose: the JSON never closed: only the text before",
                    "Integer|items|FAIL|JSON_IN_TEXT|" + DEFAULTS,
                    List.of(t("Hi [1,")),
                    "element 0: Integer 1 / prose \"Hi \" / failure IncompleteJsonException"),
            row2("a surrogate pair cut between two fragments of one call is joined, whatever comes between",
                    "String|root|FAIL|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", "\"\ud83d"), call(1, "extract", "\"b\""), call(0, null, "\ude00\"")),
                    "element 0: String \"b\" / element 1: String \"\ud83d\ude00\""),
            row2("a high surrogate ending a call's arguments is U+FFFD at the end",
                    "String|root|FAIL|JSON|" + DEFAULTS,
                    List.of(call(0, "extract", "\"a\ud83d")),
                    "failure IncompleteJsonException"),
            row2("prose: tool-call arguments are never prose",
                    "Integer|items|FAIL|MARKDOWN|" + DEFAULTS,
                    List.of(call(0, "extract", "{\"items\":[1]} trailing")),
                    "element 0: Integer 1 / failure MalformedJsonException at byte 14"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pointersAndProse")
    void violationPointersAndTextFormatProse(String what, String config, List<Object> fragments, String expected) {
        assertEquals(expected.isEmpty() ? "" : expected.replace(" / ", "\n") + "\n",
                FuzzRepro.expected(config, fragments), what);
    }

    @Test
    void proseIsBoundedAtAMillionChars() {
        String before = "x".repeat(Oracle.MAX_TEXT - 3) + "\ud83d\ude00" + "tail";
        Outcome o = Oracle.expect(Config.parse("Integer|items|FAIL|JSON_IN_TEXT|" + DEFAULTS),
                List.<Object>of(new dev.extractor.Delta.Prose("ab"), before + "[1] after"));
        assertEquals(Oracle.MAX_TEXT - 1, o.prose.length()); // the pair the bound would cut is left out whole
        assertTrue(o.prose.startsWith("abxx"));
        assertTrue(o.prose.endsWith("x"));
        Outcome p = Oracle.expect(Config.parse("Integer|items|FAIL|JSON_IN_TEXT|" + DEFAULTS),
                List.<Object>of("y".repeat(Oracle.MAX_TEXT + 5) + "[1]"));
        assertEquals(Oracle.MAX_TEXT, p.prose.length());
    }

    /** Java names become JSON names in pointers only where they differ: checked on the types themselves. */
    @Test
    void jsonNamesOfTheFuzzTypes() {
        assertEquals("zip_code", Oracle.jsonName(FuzzTypes.Address.class, "zip"));
        assertEquals("city", Oracle.jsonName(FuzzTypes.Address.class, "city"));
        assertEquals("id", Oracle.jsonName(FuzzTypes.Bean.class, "id"));
    }
}
