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
import org.junit.jupiter.params.provider.CsvSource;
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
                + "'/items/0' {\"name\":\" \",\"age\":1} violations [name]"})
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
}
