package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The differential fuzzer's findings against the staged engine (fuzz-findings.md, "Against the engine branch"),
 * and the third round of contract decisions (CORE-CONTRACT.md), each as the smallest answer that showed it, with
 * the outcome the contract asks for, at every cut where cuts matter.
 */
class ThirdRoundTest {

    // ------------------------------------------------------------------ A: violation pointers use JSON names

    record Address(@Size(min = 2) String city, @JsonProperty("zip_code") @Size(max = 5) String zip) { }

    record Person(@NotBlank String name, List<@NotBlank String> tags, @Valid Address address,
            Map<@Size(max = 3) String, @Min(0) Integer> scores) { }

    record Pick(@JsonProperty("product_id") @NotBlank String productId) { }

    record Picks(@Valid List<Pick> picks, @Valid Map<String, Pick> byName) { }

    record Home(String city, @Size(max = 5) String zipCode) { }

    record Owner(@Valid Home home) { }

    static List<String> paths(InvalidElement e) {
        return e.violations().stream().map(Violation::path).toList();
    }

    static <T> InvalidElement skipped(ElementReader<T> reader, String json) {
        ElementParser<T> p = reader.toBuilder().onInvalid(InvalidElementPolicy.SKIP).build().parser(x -> { });
        p.feed(json);
        List<InvalidElement> skipped = p.finish().skipped();
        assertEquals(1, skipped.size(), skipped::toString);
        return skipped.get(0);
    }

    @Test
    void aViolationPointsAtTheJsonNameTheModelWroteNotTheJavaName() {
        ElementReader<Person> reader = ElementReader.builder(Person.class).selection(Selection.root()).build();
        InvalidElement e = skipped(reader, "{\"name\":\"\",\"tags\":[\"a\",\" \"],\"address\":{\"city\":\"x\","
                + "\"zip_code\":\"123456\"},\"scores\":{\"a~b/\":-1,\"ok\":2}}");
        assertEquals(List.of("/address/city", "/address/zip_code", "/name", "/scores/a~0b~1", "/scores/a~0b~1",
                "/tags/1"), paths(e), "the key a~b/ is too long and its value too small: both point at the entry");
        InvalidElement binding = skipped(reader, "{\"name\":\"n\",\"address\":{\"zip_code\":[]}}");
        assertEquals(List.of("/address/zip_code"), paths(binding),
                "a binding error on the same value has the same pointer");
    }

    @Test
    void aViolationInsideAListOrMapElementPointsAtTheElementsJsonName() {
        ElementReader<Picks> reader = ElementReader.builder(Picks.class).selection(Selection.root()).build();
        InvalidElement e = skipped(reader, "{\"picks\":[{\"product_id\":\"P1\"},{\"product_id\":\" \"}],"
                + "\"byName\":{\"x/y\":{\"product_id\":\"\"}}}");
        assertEquals(List.of("/byName/x~1y/product_id", "/picks/1/product_id"), paths(e));
    }

    @Test
    void aMapKeyViolationPointsAtTheEntry() {
        ElementReader<Person> reader = ElementReader.builder(Person.class).selection(Selection.root()).build();
        InvalidElement e = skipped(reader, "{\"name\":\"n\",\"scores\":{\"long key\":1}}");
        assertEquals(List.of("/scores/long key"), paths(e));
    }

    @Test
    void aNamingStrategyOfTheCallersMapperNamesThePointer() {
        JsonMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        ElementReader<Owner> reader = ElementReader.builder(Owner.class).mapper(snake).selection(Selection.root())
                .build();
        InvalidElement e = skipped(reader, "{\"home\":{\"city\":\"Oslo\",\"zip_code\":\"1234567\"}}");
        assertEquals(List.of("/home/zip_code"), paths(e));
    }

    @Test
    void aSnapshotsViolationPointsAtTheJsonNameToo() {
        ElementReader<Person> reader = ElementReader.builder(Person.class).selection(Selection.root()).build();
        List<Partial<Person>> snaps = new ArrayList<>();
        ElementParser<Person> p = reader.partialParser(snaps::add);
        p.feed("{\"name\":\"n\",\"address\":{\"city\":\"Oslo\",\"zip_code\":\"1234567\"},");
        assertTrue(snaps.stream().flatMap(s -> s.violations().stream()).anyMatch(
                v -> v.path().equals("/address/zip_code")), snaps::toString);
        assertTrue(snaps.stream().flatMap(s -> s.violations().stream()).noneMatch(
                v -> v.path().endsWith("/zip")), snaps::toString);
    }

    // ------------------------------------------------------------------ B: blank arguments at a token limit

    @SuppressWarnings({"unchecked", "rawtypes"})
    static final ElementReader<Map<String, Object>> MAPS = (ElementReader) ElementReader.builder(Map.class)
            .selection(Selection.root()).build();

    @Test
    void blankArgumentsAtATokenLimitAreTruncatedNotTheEmptyObject() {
        for (String blank : List.of("", " ", "\n\t")) {
            List<Map<String, Object>> got = new ArrayList<>();
            ElementParser<Map<String, Object>> p = MAPS.parser(got::add);
            p.accept(new Delta.ToolCall(0, "c", "extract", blank));
            p.accept(new Delta.Finish("length"));
            TruncatedOutputException e = assertThrows(TruncatedOutputException.class, p::finish);
            assertEquals(List.of(), got, "no {} invented");
            assertTrue(e.getMessage().contains("tool call 0 (extract)'s arguments"), e.getMessage());

            ElementParser<Map<String, Object>> q = MAPS.parser(got::add);
            q.accept(new Delta.ToolCall(0, "c", "extract", blank));
            q.accept(new Delta.Finish("SAFETY", FinishReason.CONTENT_FILTER));
            assertThrows(ContentFilterException.class, q::finish);
            assertEquals(List.of(), got);

            ElementParser<Map<String, Object>> ok = MAPS.parser(got::add);
            ok.accept(new Delta.ToolCall(0, "c", "extract", blank));
            ok.accept(new Delta.Finish("tool_calls"));
            ok.finish();
            assertEquals(List.of(Map.of()), got, "a normal end: the function without parameters");
        }
    }

    @Test
    void blankArgumentsOpenedFirstFailFirstAtTheEndOfATruncatedAnswer() {
        ElementReader<Person> reader = ElementReader.builder(Person.class).selection(Selection.root())
                .onInvalid(InvalidElementPolicy.SKIP).build();
        ElementParser<Person> p = reader.parser(x -> { });
        p.accept(new Delta.ToolCall(0, "a", "extract", "\n"));
        p.accept(new Delta.ToolCall(1, "b", "extract", "n"));
        p.accept(new Delta.Finish("MAX_TOKENS", FinishReason.LENGTH));
        TruncatedOutputException e = assertThrows(TruncatedOutputException.class, p::finish);
        assertTrue(e.getMessage().contains("tool call 0 (extract)"), e.getMessage());
        assertEquals(List.of(), p.result().skipped(), "call 1's null never completes");
    }

    // ------------------------------------------------------------------ C, F: the prose of text formats

    static final ElementReader<Integer> IN_TEXT = ElementReader.builder(Integer.class)
            .textFormat(TextFormat.JSON_IN_TEXT).build();

    /** The prose and the elements of {@code answer} fed whole, then cut at every byte and every pair of bytes. */
    static String proseWhateverTheCut(ElementReader<Integer> reader, byte[] answer, List<Integer> elements) {
        Supplier<String> whole = () -> run(reader, List.of(answer), elements);
        String prose = whole.get();
        for (int i = 1; i < answer.length; i++) {
            for (int j = i; j < answer.length; j++) {
                List<byte[]> cut = i == j ? List.of(Cuts.slice(answer, 0, i), Cuts.slice(answer, i, answer.length))
                        : List.of(Cuts.slice(answer, 0, i), Cuts.slice(answer, i, j), Cuts.slice(answer, j,
                                answer.length));
                assertEquals(prose, run(reader, cut, elements), "cut at " + i + "," + j);
            }
        }
        return prose;
    }

    private static String run(ElementReader<Integer> reader, List<byte[]> chunks, List<Integer> elements) {
        List<Integer> got = new ArrayList<>();
        ElementParser<Integer> p = reader.parser(got::add);
        for (byte[] c : chunks) {
            p.feed(c, 0, c.length);
        }
        try {
            p.finish();
        } catch (IncompleteJsonException e) {
            assertTrue(e.getMessage().contains("without any JSON value"), e.getMessage());
        }
        assertEquals(elements, got);
        return p.result().prose();
    }

    @Test
    void aPartialByteOrderMarkIsTextNotDropped() {
        assertEquals("\ufffd", proseWhateverTheCut(IN_TEXT, CutIndependenceTest.bytes(0xEF), List.of()));
        assertEquals("\ufffd", proseWhateverTheCut(IN_TEXT, CutIndependenceTest.bytes(0xEF, 0xBB), List.of()));
        assertEquals("\ufffdA", proseWhateverTheCut(IN_TEXT,
                CutIndependenceTest.bytes(0xEF, 0xBB, 'A', '[', '1', ']'), List.of(1)));
        assertEquals("\ufec5", proseWhateverTheCut(IN_TEXT,
                CutIndependenceTest.bytes(0xEF, 0xBB, 0x85, '[', '1', ']'), List.of(1)), "EF BB 85 is U+FEC5");
        assertEquals("", proseWhateverTheCut(IN_TEXT,
                CutIndependenceTest.bytes(0xEF, 0xBB, 0xBF, '[', '1', ']'), List.of(1)), "a whole mark is skipped");
    }

    @Test
    void aPartialByteOrderMarkBeforeAMarkdownBracketLineMakesItNoJsonLine() {
        ElementReader<Integer> md = ElementReader.builder(Integer.class).textFormat(TextFormat.MARKDOWN).build();
        assertEquals("", proseWhateverTheCut(md, CutIndependenceTest.bytes(0xEF, 0xBB, 0xBF, '[', '1', ']'),
                List.of(1)), "after a whole mark the line starts with [");
        assertEquals("\ufffd[1]", proseWhateverTheCut(md, CutIndependenceTest.bytes(0xEF, 0xBB, '[', '1', ']'),
                List.of()), "after EF BB it does not");
    }

    @Test
    void theTextBeforeAndTheTextAfterTheJsonAreDecodedApart() {
        // E6 before the JSON and 97 A5 after it would make U+65E5 if joined: three invalid sequences instead
        assertEquals("\ufffd\ufffd\ufffd", proseWhateverTheCut(IN_TEXT,
                CutIndependenceTest.bytes(0xE6, '[', '1', ']', 0x97, 0xA5), List.of(1)));
        assertEquals("\u65e5  and \u65e5", proseWhateverTheCut(IN_TEXT, "\u65e5 [1] and \u65e5".getBytes(
                StandardCharsets.UTF_8), List.of(1)), "whole characters on both sides, whatever the cut");
    }

    @Test
    void theProseBoundNeverKeepsHalfASurrogatePair() {
        int max = AnswerReport.MAX_TEXT;
        String a = "a".repeat(max - 1);
        ElementParser<Integer> p = ElementReader.builder(Integer.class).build().parser(x -> { });
        p.accept(new Delta.Prose(a + "\ud83d\ude00 more"));
        p.accept(new Delta.Thinking(a + "\ud83d\ude00"));
        p.feed("[1]");
        StreamResult r = p.finish();
        assertEquals(a, r.prose(), "Delta.Prose: the pair the bound would cut is dropped whole");
        assertEquals(a, r.thinking(), "Delta.Thinking alike");

        ElementParser<Integer> q = IN_TEXT.parser(x -> { });
        q.feed(a + "\ud83d\ude00 [1]");
        assertEquals(a, q.finish().prose(), "text-format prose alike");

        ElementParser<Integer> split = IN_TEXT.parser(x -> { });
        split.accept(new Delta.Prose(a + "\ud83d"));
        split.feed("x[1]");
        assertEquals(a + "\ud83d", split.finish().prose(), "a lone half within the bound is what the model sent");

        ElementParser<Integer> across = IN_TEXT.parser(x -> { });
        across.accept(new Delta.Prose(a + "\ud83d"));
        across.accept(new Delta.Prose("\ude00"));
        across.feed("[1]");
        assertEquals(a, across.finish().prose(), "a pair split between two Delta.Prose texts is one pair");

        ElementParser<Integer> lone = IN_TEXT.parser(x -> { });
        lone.accept(new Delta.Prose("x\ud83d"));
        lone.feed("[1]");
        assertEquals("x\ud83d", lone.finish().prose(), "nothing cut: nothing dropped");
    }

    // ------------------------------------------------------------------ D: bytes waiting at the end are read first

    @Test
    void atTheEndBytesStillWaitingAreReadBeforeAnythingTheEndCompletes() {
        ElementReader<Integer> reader = ElementReader.builder(Integer.class).selection(Selection.root()).build();
        for (List<String> call1 : List.of(List.of("{", "s"), List.of("{s"))) {
            List<Integer> got = new ArrayList<>();
            ElementParser<Integer> p = reader.parser(got::add);
            MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> {
                p.accept(new Delta.ToolCall(0, "a", "extract", "1"));
                for (int k = 0; k < call1.size(); k++) {
                    p.accept(new Delta.ToolCall(1, k == 0 ? "b" : null, k == 0 ? "extract" : null, call1.get(k)));
                }
                p.finish();
            });
            assertEquals(List.of(), got, "call 1's 's' came before the end completed call 0's 1: " + call1);
            assertEquals(1, e.byteOffset());
            assertTrue(e.getMessage().contains("tool call 1 (extract)"), e.getMessage());
        }
        ElementReader<Person> people = ElementReader.builder(Person.class).selection(Selection.root())
                .onInvalid(InvalidElementPolicy.SKIP).build();
        ElementParser<Person> p = people.parser(x -> { });
        p.accept(new Delta.ToolCall(0, "a", "extract", " "));
        p.accept(new Delta.ToolCall(1, "b", "extract", "{"));
        p.accept(new Delta.ToolCall(1, null, null, "s"));
        assertThrows(MalformedJsonException.class, p::finish);
        assertEquals(List.of(), p.result().skipped(), "call 0's {} never completes");
    }

    // ------------------------------------------------------------------ a refusal finish

    @Test
    void aRefusalFinishWithTheJsonCutShortIsARefusalWithNoText() {
        List<Integer> got = new ArrayList<>();
        ElementParser<Integer> p = ElementReader.builder(Integer.class).build().parser(got::add);
        p.feed("[1,");
        p.accept(new Delta.Finish("refusal"));
        RefusalException e = assertThrows(RefusalException.class, p::finish);
        assertEquals("", e.refusal());
        assertTrue(e.getMessage().contains("reported a refusal (finish_reason=refusal)"), e.getMessage());
        assertEquals(List.of(1), got, "what completed before stays delivered");
        assertEquals(1, e.elementsDelivered());
    }

    @Test
    void aRefusalFinishWithNoJsonIsARefusalInThePullFormToo() {
        ElementReader<Integer> reader = ElementReader.builder(Integer.class).build();
        DeltaSource source = DeltaSource.of(List.<Delta>of(new Delta.Finish("content_refused", FinishReason.REFUSAL)).iterator());
        try (ElementStream<Integer> s = reader.stream(source)) {
            RefusalException e = assertThrows(RefusalException.class, s::toList);
            assertTrue(e.getMessage().contains("finish_reason=content_refused"), e.getMessage());
            assertEquals("", e.refusal());
        }
    }

    @Test
    void aRefusalFinishAfterCompleteJsonIsNoFailure() {
        ElementParser<Integer> p = ElementReader.builder(Integer.class).build().parser(x -> { });
        p.feed("[1]");
        p.accept(new Delta.Finish("refusal"));
        assertEquals(FinishReason.REFUSAL, p.finish().finishKind().orElseThrow());
    }

    @Test
    void aTokenLimitStillComesBeforeARefusalWhenTheJsonWasCut() {
        ElementParser<Integer> p = ElementReader.builder(Integer.class).build().parser(x -> { });
        p.feed("[1,");
        p.accept(new Delta.Refusal("No."));
        p.accept(new Delta.Finish("length"));
        assertThrows(TruncatedOutputException.class, p::finish);
        ElementParser<Integer> q = ElementReader.builder(Integer.class).build().parser(x -> { });
        q.feed("[1,");
        q.accept(new Delta.Refusal("No."));
        q.accept(new Delta.Finish("refusal"));
        assertEquals("No.", assertInstanceOf(RefusalException.class, assertThrows(RefusalException.class,
                q::finish)).refusal(), "the model's text, when it sent one");
    }
}
