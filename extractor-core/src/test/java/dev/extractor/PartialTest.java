package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Partial snapshots: every rule of the contract, checked for every way of cutting the answer. */
class PartialTest {

    enum Status { DRAFT, PUBLISHED }

    record Section(@NotBlank String title, @Size(min = 1) List<String> items) { }

    record Report(String headline, @Streamed String summary, int score, Status status, List<Section> sections,
            List<@Atomic Section> appendix, Optional<String> note) { }

    static final String ANSWER = "{\"headline\":\"Q3 \u00e9t\u00e9 \ud83d\udcc8\",\"summary\":\"Sales grew \\\"fast\\\" \\u2014 "
            + "caf\u00e9 \ud83d\ude00 \\uD83D\\uDE80 done.\\n\",\"score\":123,\"status\":\"PUBLISHED\",\"sections\":["
            + "{\"title\":\"North\",\"items\":[\"a\",\"b\"]},{\"title\":\"\",\"items\":[]},{\"title\":\"South\",\"items\":[\"c\"]}],"
            + "\"appendix\":[{\"title\":\"A1\",\"items\":[\"x\"]}],\"note\":null,\"extra\":{\"ignored\":[1,2]}}";

    static final ElementReader<Report> READER = ElementReader.builder(Report.class)
            .selection(Selection.root()).build();

    static final Report FINAL = READER.readAll(ANSWER).get(0);

    static List<Partial<Report>> run(ElementReader<Report> reader, List<Object> chunks) {
        List<Partial<Report>> out = new ArrayList<>();
        ElementParser<Report> p = reader.partialParser(out::add);
        for (Object c : chunks) {
            p.feed((CharSequence) c);
        }
        p.finish();
        return out;
    }

    @Test
    void everyRuleHoldsWhateverTheCut() {
        for (Cuts.Cut cut : Cuts.allCuts(ANSWER, 5)) {
            if (cut.chunks().get(0) instanceof byte[]) {
                continue;
            }
            List<Partial<Report>> snaps = run(READER, cut.chunks());
            try {
                checkContract(snaps);
            } catch (AssertionError e) {
                throw new AssertionError("cut " + cut.name() + ": " + e.getMessage(), e);
            }
        }
    }

    static void checkContract(List<Partial<Report>> snaps) {
        Partial<Report> last = snaps.get(snaps.size() - 1);
        assertTrue(last.isComplete(), "the last snapshot is the complete element");
        assertEquals(FINAL, last.value(), "the final snapshot is the validated element");
        for (int i = 0; i < snaps.size() - 1; i++) {
            Partial<Report> s = snaps.get(i);
            assertFalse(s.isComplete());
            assertFalse(s.changed().isEmpty(), "a snapshot is emitted only when something changed");
            Report r = s.value();
            assertNotNull(r);
            // numbers and enums only when complete
            assertTrue(r.score() == 0 || r.score() == 123, "score " + r.score());
            assertEquals(r.score() == 123, s.state("/score") == Partial.State.COMPLETE);
            assertTrue(r.status() == null || r.status() == Status.PUBLISHED);
            // atomic strings: all or nothing
            assertTrue(r.headline() == null || r.headline().equals(FINAL.headline()), "headline " + r.headline());
            // streamed string: a prefix, never half a character
            if (r.summary() != null) {
                assertTrue(FINAL.summary().startsWith(r.summary()), "summary " + r.summary());
                assertFalse(!r.summary().isEmpty()
                        && Character.isHighSurrogate(r.summary().charAt(r.summary().length() - 1)));
            }
            // lists grow; completed sections are whole and never change
            List<Section> sections = r.sections();
            if (sections != null) {
                for (int k = 0; k < sections.size(); k++) {
                    Section sec = sections.get(k);
                    if (s.state("/sections/" + k) == Partial.State.COMPLETE) {
                        assertEquals(FINAL.sections().get(k), sec);
                    } else {
                        assertEquals(sections.size() - 1, k, "only the last section can be in progress");
                        assertTrue(sec == null || sec.title() == null || sec.title().equals(FINAL.sections().get(k).title()));
                    }
                }
            }
            // atomic list elements: whole or absent
            if (r.appendix() != null) {
                for (Section a : r.appendix()) {
                    assertEquals(FINAL.appendix().get(0), a);
                }
            }
            // Bean Validation's rule: the sections are not cascaded (no @Valid), so the blank title of section 1 is
            // never a violation, as the element's own validation, which accepts it, does not reach it (see
            // ValidationRuleTest and cascadedSectionsAreValidatedAsTheyCloseWhateverTheCut for @Valid)
            assertEquals(List.of(), s.violations(), "no violation where validation does not cascade");
        }
        // each section reported complete exactly once, in order
        List<String> sectionCompletions = new ArrayList<>();
        for (Partial<Report> s : snaps) {
            for (String c : s.completed()) {
                if (c.matches("/sections/\\d+")) {
                    sectionCompletions.add(c);
                }
            }
        }
        assertEquals(List.of("/sections/0", "/sections/1", "/sections/2"), sectionCompletions);
    }

    /** {@link Report} with its sections cascaded: section 1 of {@link #ANSWER} (a blank title) makes it invalid. */
    record CheckedReport(String headline, @Streamed String summary, int score, Status status,
            List<@Valid Section> sections, List<@Atomic Section> appendix, Optional<String> note) { }

    @Test
    void cascadedSectionsAreValidatedAsTheyCloseWhateverTheCut() {
        ElementReader<CheckedReport> reader = ElementReader.builder(CheckedReport.class).selection(Selection.root())
                .onInvalid(InvalidElementPolicy.SKIP).build();
        List<Violation> expected = List.of(new Violation("/sections/1/items", "size must be between 1 and 2147483647",
                "[]"), new Violation("/sections/1/title", "must not be blank", ""));
        for (Cuts.Cut cut : Cuts.allCuts(ANSWER, 5)) {
            if (cut.chunks().get(0) instanceof byte[]) {
                continue;
            }
            List<Partial<CheckedReport>> snaps = new ArrayList<>();
            ElementParser<CheckedReport> p = reader.partialParser(snaps::add);
            cut.chunks().forEach(c -> p.feed((CharSequence) c));
            StreamResult r = p.finish();
            assertEquals(expected, r.skipped().get(0).violations(), cut.name());
            for (Partial<CheckedReport> s : snaps) {
                assertFalse(s.isComplete(), "no final snapshot of an invalid element");
                boolean closed = s.state("/sections/1") == Partial.State.COMPLETE;
                assertEquals(closed ? expected : List.of(), s.violations(),
                        cut.name() + ": section 1's violations appear exactly when it closes");
            }
        }
    }

    @Test
    void statesOfFieldsNotStartedInProgressAndComplete() {
        List<Partial<Report>> snaps = run(READER, Cuts.chars(ANSWER, 1));
        Partial<Report> early = snaps.stream().filter(s -> s.value().headline() != null).findFirst().orElseThrow();
        assertEquals(Partial.State.COMPLETE, early.state("/headline"));
        assertEquals(Partial.State.NOT_STARTED, early.state("/score"));
        assertEquals(Partial.State.NOT_STARTED, early.state("/sections/0/title"));
        assertEquals(Partial.State.IN_PROGRESS, early.state(""));
        Partial<Report> growing = snaps.stream().filter(s -> s.value().summary() != null).findFirst().orElseThrow();
        assertEquals(Partial.State.IN_PROGRESS, growing.state("/summary"));
        Partial<Report> midSections = snaps.stream()
                .filter(s -> s.value().sections() != null && s.value().sections().size() == 2).findFirst().orElseThrow();
        assertEquals(Partial.State.COMPLETE, midSections.state("/sections/0"));
        assertEquals(Partial.State.IN_PROGRESS, midSections.state("/sections/1"));
        assertEquals(Partial.State.NOT_STARTED, midSections.state("/sections/2"));
        assertEquals(Partial.State.IN_PROGRESS, midSections.state("/sections"));
        assertEquals(Partial.State.COMPLETE, snaps.get(snaps.size() - 1).state("/note"));
    }

    @Test
    void aSnapshotReusesCompletedPartsInsteadOfRebuildingThem() {
        List<Partial<Report>> snaps = run(READER, Cuts.chars(ANSWER, 3));
        Map<Integer, Section> firstSeen = new HashMap<>();
        for (Partial<Report> s : snaps) {
            if (s.isComplete() || s.value().sections() == null) {
                continue;
            }
            for (int k = 0; k < s.value().sections().size(); k++) {
                if (s.state("/sections/" + k) == Partial.State.COMPLETE) {
                    Section sec = s.value().sections().get(k);
                    Section before = firstSeen.putIfAbsent(k, sec);
                    if (before != null) {
                        assertSame(before, sec, "a completed section is the same object in later snapshots");
                    }
                }
            }
        }
        assertEquals(3, firstSeen.size());
    }

    @Test
    void nestedListElementsCanBeHandledAsTheyCompleteWhileTheHeaderIsAlreadyThere() {
        List<String> order = new ArrayList<>();
        try (PartialStream<Report> report = READER.partials(DeltaSource.ofText(
                Cuts.chars(ANSWER, 4).stream().map(o -> (String) o).toList()))) {
            for (Partial<Report> p : report) {
                if (p.value() != null && p.value().headline() != null && !order.contains("headline")) {
                    order.add("headline");
                }
                for (Section s : p.completedElements("/sections", Section.class)) {
                    order.add("section " + s.title());
                }
            }
            assertEquals(1, report.result().delivered());
        }
        assertEquals(List.of("headline", "section North", "section ", "section South"), order);
    }

    @Test
    void streamStringsOptionGrowsEveryString() {
        ElementReader<Report> all = READER.toBuilder().streamStrings(true).build();
        List<Partial<Report>> snaps = run(all, Cuts.chars(ANSWER, 2));
        Set<String> headlines = new HashSet<>();
        snaps.forEach(s -> headlines.add(s.value().headline()));
        assertTrue(headlines.size() > 3, "the headline grew: " + headlines);
        checkPrefixes(snaps.stream().map(s -> s.value().headline()).toList(), FINAL.headline());
    }

    static void checkPrefixes(List<String> values, String whole) {
        String prev = "";
        for (String v : values) {
            if (v == null) {
                continue;
            }
            assertTrue(whole.startsWith(v) && v.startsWith(prev), v);
            prev = v;
        }
    }

    @Test
    void invalidElementUnderFailThrowsAfterTheSnapshotsBeforeIt() {
        ElementReader<Section> reader = ElementReader.builder(Section.class).build();
        List<Partial<Section>> snaps = new ArrayList<>();
        ElementParser<Section> p = reader.partialParser(snaps::add);
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> p.feed("[{\"title\":\"ok\",\"items\":[\"a\"]},{\"title\":\" \",\"items\":[\"b\"]}]"));
        assertEquals(1, e.element().index());
        assertTrue(snaps.stream().anyMatch(s -> s.isComplete() && s.index() == 0));
        assertFalse(snaps.stream().anyMatch(s -> s.isComplete() && s.index() == 1));
    }

    @Test
    void eachListElementHasItsOwnSnapshots() {
        ElementReader<Section> reader = ElementReader.builder(Section.class).build();
        List<Partial<Section>> snaps = new ArrayList<>();
        ElementParser<Section> p = reader.partialParser(snaps::add);
        for (Object c : Cuts.chars("{\"items\":[{\"title\":\"a\",\"items\":[\"1\",\"2\"]},{\"title\":\"b\",\"items\":[\"3\"]}]}", 1)) {
            p.feed((CharSequence) c);
        }
        p.finish();
        assertEquals(List.of(0, 1), snaps.stream().filter(Partial::isComplete).map(Partial::index).toList());
        Partial<Section> growing = snaps.stream().filter(s -> s.index() == 0 && !s.isComplete()
                && s.value().items() != null && s.value().items().size() == 1).findFirst().orElseThrow();
        assertEquals(List.of("1"), growing.value().items());
        assertNull(snaps.get(0).value().items(), "nothing of the list before it starts");
    }

    @Test
    void listenerSeesFirstByteElementsSnapshotsAndFinish() {
        List<String> events = new ArrayList<>();
        ExtractionListener l = new ExtractionListener() {
            @Override
            public void onFirstByte(java.time.Duration sinceStart) {
                events.add("first byte");
            }

            @Override
            public void onElement(int index, java.time.Duration sinceStart) {
                events.add("element " + index);
            }

            @Override
            public void onSnapshot(Partial<?> snapshot, java.time.Duration sinceStart) {
                if (snapshot.isComplete()) {
                    events.add("final snapshot " + snapshot.index());
                }
            }

            @Override
            public void onFinish(StreamResult result, java.time.Duration firstElement, java.time.Duration total) {
                events.add("finish " + result.finishReason().orElse("?") + " " + (firstElement.compareTo(total) <= 0));
            }
        };
        ElementReader<Section> reader = ElementReader.builder(Section.class).listener(l).build();
        try (PartialStream<Section> s = reader.partials(DeltaSource.of(List.<Delta>of(
                Delta.text("[{\"title\":\"a\",\"items\":[\"1\"]}"), Delta.text("]"), new Delta.Finish("stop")).iterator()))) {
            s.forEach(x -> { });
        }
        assertEquals(List.of("first byte", "element 0", "final snapshot 0", "finish stop true"), events);
    }
}
