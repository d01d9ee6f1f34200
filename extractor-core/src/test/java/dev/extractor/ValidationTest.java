package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bean Validation per element: FAIL, SKIP, REPAIR, and the same outcome whatever the cuts. */
class ValidationTest {

    record Rec(@NotBlank @Pattern(regexp = "P-\\d{3}") String id, @Size(min = 3, max = 20) String reason,
            @Min(1) @Max(10) int rank) { }

    static final String ANSWER = "{\"items\":["
            + "{\"id\":\"P-001\",\"reason\":\"fits the budget\",\"rank\":1},"
            + "{\"id\":\"P-2\",\"reason\":\"no\",\"rank\":11},"
            + "{\"id\":\"P-003\",\"reason\":\"great for yoga\",\"rank\":3},"
            + "{\"id\":\"P-004\",\"reason\":\"\u00e9l\u00e9gant \ud83d\udc5f\",\"rank\":\"four\"},"
            + "{\"id\":\"P-005\",\"reason\":\"gold member pick\",\"rank\":5}]}";

    @Test
    void failStopsAtTheFirstInvalidElementWithEverythingAboutIt() {
        List<Rec> got = new ArrayList<>();
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> ElementReader.of(Rec.class).parser(got::add).feed(ANSWER));
        assertEquals(1, got.size(), "element 0 was delivered before element 1 failed");
        InvalidElement bad = e.element();
        assertEquals(1, bad.index());
        assertEquals("/items/1", bad.pointer());
        assertEquals("{\"id\":\"P-2\",\"reason\":\"no\",\"rank\":11}", bad.json());
        assertEquals(List.of(
                new Violation("/id", "must match \"P-\\d{3}\"", "P-2"),
                new Violation("/rank", "must be less than or equal to 10", "11"),
                new Violation("/reason", "size must be between 3 and 20", "no")), bad.violations());
        assertTrue(e.getMessage().startsWith("Element 1 (/items/1) is invalid: /id: must match"), e.getMessage());
        assertTrue(e.getMessage().contains("JSON: {\"id\":\"P-2\""), e.getMessage());
        assertEquals(1, e.elementsDelivered());
    }

    @Test
    void skipDropsInvalidElementsAndListsThem() {
        ElementReader<Rec> reader = ElementReader.builder(Rec.class).onInvalid(InvalidElementPolicy.SKIP).build();
        List<Rec> got = new ArrayList<>();
        ElementParser<Rec> p = reader.parser(got::add);
        p.feed(ANSWER);
        StreamResult r = p.finish();
        assertEquals(List.of("P-001", "P-003", "P-005"), got.stream().map(Rec::id).toList());
        assertEquals(3, r.delivered());
        assertEquals(List.of(1, 3), r.skipped().stream().map(InvalidElement::index).toList());
        InvalidElement typeError = r.skipped().get(1);
        assertEquals("/rank", typeError.violations().get(0).path());
        assertTrue(typeError.json().contains("\u00e9l\u00e9gant \ud83d\udc5f"), typeError.json());
    }

    @Test
    void validationOutcomeDoesNotDependOnTheCuts() {
        ElementReader<Rec> skip = ElementReader.builder(Rec.class).onInvalid(InvalidElementPolicy.SKIP).build();
        Cuts.assertInvariant(skip, ANSWER, o -> o.elements().size() == 3 && o.skipped().equals(List.of(1, 3))
                ? null : "expected 3 elements and 2 skipped");
        Cuts.assertInvariant(ElementReader.of(Rec.class), ANSWER,
                o -> o.delivered() == 1 && o.error().startsWith("ElementValidationException") ? null
                        : "expected a failure after one element");
    }

    @Test
    void repairAsksForCorrectionsAndDeliversThemWithTheirOriginalIndex() {
        List<Integer> events = new ArrayList<>();
        ElementReader<Rec> reader = ElementReader.builder(Rec.class).onInvalid(InvalidElementPolicy.REPAIR)
                .listener(new ExtractionListener() {
                    @Override
                    public void onElement(int index, java.time.Duration sinceStart) {
                        events.add(index);
                    }
                }).build();
        List<List<Integer>> asked = new ArrayList<>();
        Repairer repairer = (invalid, round) -> {
            asked.add(invalid.stream().map(InvalidElement::index).toList());
            if (round == 1) {
                // fixes element 1, returns element 3 still broken
                return DeltaSource.ofText("{\"items\":[{\"id\":\"P-002\",\"reason\":\"now valid\",\"rank\":2},",
                        "{\"id\":\"P-004\",\"reason\":\"x\",\"rank\":4}]}");
            }
            if (round == 2) {
                return DeltaSource.ofText("[{\"id\":\"P-004\",\"reason\":\"fixed at last\",\"rank\":4}]");
            }
            return null;
        };
        List<Element<Rec>> got = new ArrayList<>();
        try (ElementStream<Rec> s = reader.stream(DeltaSource.ofText(ANSWER), repairer)) {
            s.elements().forEach(got::add);
            StreamResult r = s.result();
            assertEquals(List.of(0, 2, 4, 1, 3), got.stream().map(Element::index).toList(),
                    "valid elements first, in order; then the repaired ones with their original index");
            assertEquals("P-002", got.get(3).value().id());
            assertEquals("P-004", got.get(4).value().id());
            assertEquals(List.of(List.of(1, 3), List.of(3)), asked, "round 2 asks only for what is still invalid");
            assertEquals(5, r.delivered());
            assertEquals(List.of(), r.skipped());
            assertEquals(List.of(1, 3), r.repaired().stream().map(InvalidElement::index).toList());
        }
        assertEquals(List.of(0, 2, 4, 1, 3), events, "events name the original index of repaired elements");
    }

    @Test
    void repairThatGivesUpLeavesTheElementsSkippedWithTheLastViolations() {
        ElementReader<Rec> reader = ElementReader.builder(Rec.class).onInvalid(InvalidElementPolicy.REPAIR).build();
        Repairer once = (invalid, round) -> round == 1
                ? DeltaSource.ofText("{\"items\":[{\"id\":\"P-002\",\"reason\":\"ok now\",\"rank\":99}]}") : null;
        try (ElementStream<Rec> s = reader.stream(DeltaSource.ofText(ANSWER), once)) {
            assertEquals(3, s.toList().size());
            StreamResult r = s.result();
            assertEquals(List.of(1, 3), r.skipped().stream().map(InvalidElement::index).toList());
            InvalidElement one = r.skipped().get(0);
            assertEquals("{\"id\":\"P-002\",\"reason\":\"ok now\",\"rank\":99}", one.json(), "the corrected JSON");
            assertEquals("/items/1", one.pointer(), "the original place");
            InvalidElement three = r.skipped().get(1);
            assertTrue(three.violations().get(three.violations().size() - 1).message()
                    .contains("returned no correction"), three.violations().toString());
        }
    }

    @Test
    void aBrokenRepairAnswerDoesNotLoseTheOriginalElements() {
        ElementReader<Rec> reader = ElementReader.builder(Rec.class).onInvalid(InvalidElementPolicy.REPAIR).build();
        Repairer broken = (invalid, round) -> round == 1 ? DeltaSource.ofText("{\"items\":[{\"id\":") : null;
        try (ElementStream<Rec> s = reader.stream(DeltaSource.ofText(ANSWER), broken)) {
            assertEquals(3, s.toList().size());
            assertEquals(2, s.result().skipped().size());
            assertTrue(s.result().skipped().get(0).violations().stream()
                    .anyMatch(v -> v.message().contains("repair round 1 failed")));
        }
    }

    @Test
    void validationCanBeTurnedOff() {
        List<Rec> all = ElementReader.builder(Rec.class).validation(false).onInvalid(InvalidElementPolicy.SKIP)
                .build().readAll(ANSWER);
        assertEquals(4, all.size(), "only the element that cannot be bound is dropped");
    }
}
