package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * One validation rule everywhere, Bean Validation's own: validation cascades into a nested record only through
 * {@code @Valid}. Generated answers, with invalid values in cascaded and in non-cascaded places, go through every
 * entry point of the core (pull and push streams, one-shot reading, partial snapshots pulled and pushed, each cut
 * at random places, a list and a root selection); each must give the violations an independent oracle (this test's
 * own bookkeeping of what it made invalid) predicts, in the one path format (JSON Pointers relative to the element),
 * and the snapshots must report only violations the element gets.
 */
class ValidationRuleTest {

    record Item(@Pattern(regexp = "P-\\d{3}") String id, @Min(1) int rank) {}

    /** Cascaded: the picks, {@code featured}, {@code extra}; not cascaded: {@code unchecked} (no {@code @Valid}). */
    record Basket(@NotBlank String title, List<@Valid Item> picks, @Valid Item featured, Item unchecked,
            Optional<@Valid Item> extra) {}

    static final String BAD_ID = "must match \"P-\\d{3}\"";
    static final String BAD_RANK = "must be greater than or equal to 1";
    static final String BLANK = "must not be blank";

    /** A generated answer and the violations it must get: {@code path: message}, sorted. */
    record Case(String json, Set<String> expected) {}

    static Case generate(Random rnd) {
        Set<String> expected = new TreeSet<>();
        StringBuilder sb = new StringBuilder("{");
        boolean blank = rnd.nextInt(4) == 0;
        sb.append("\"title\":\"").append(blank ? "" : "Basket " + rnd.nextInt(100)).append('"');
        if (blank) {
            expected.add("/title: " + BLANK);
        }
        int n = rnd.nextInt(4);
        sb.append(",\"picks\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(item(rnd, "/picks/" + i, expected));
        }
        sb.append(']');
        if (rnd.nextBoolean()) {
            sb.append(",\"featured\":").append(item(rnd, "/featured", expected));
        }
        if (rnd.nextBoolean()) {
            sb.append(",\"unchecked\":").append(item(rnd, "/unchecked", null)); // never validated
        }
        if (rnd.nextBoolean()) {
            sb.append(",\"extra\":").append(item(rnd, "/extra", expected));
        }
        return new Case(sb.append('}').toString(), expected);
    }

    /** An item, valid or not; its violations go to {@code expected} (null: it is not validated). */
    static String item(Random rnd, String at, Set<String> expected) {
        boolean badId = rnd.nextInt(3) == 0;
        boolean badRank = rnd.nextInt(3) == 0;
        if (expected != null && badId) {
            expected.add(at + "/id: " + BAD_ID);
        }
        if (expected != null && badRank) {
            expected.add(at + "/rank: " + BAD_RANK);
        }
        return "{\"id\":\"" + (badId ? "X-" + rnd.nextInt(10) : "P-" + (100 + rnd.nextInt(900))) + "\",\"rank\":"
                + (badRank ? -rnd.nextInt(3) : 1 + rnd.nextInt(9)) + "}";
    }

    static Set<String> paths(List<Violation> vs) {
        Set<String> out = new TreeSet<>();
        for (Violation v : vs) {
            out.add(v.path() + ": " + v.message());
        }
        return out;
    }

    static final ElementReader<Basket> ROOT_SKIP = ElementReader.builder(Basket.class).selection(Selection.root())
            .onInvalid(InvalidElementPolicy.SKIP).build();
    static final ElementReader<Basket> ROOT_FAIL = ROOT_SKIP.toBuilder().onInvalid(InvalidElementPolicy.FAIL).build();
    static final ElementReader<Basket> ITEMS_SKIP = ROOT_SKIP.toBuilder().selection(Selection.items()).build();

    static List<Object> cut(String s, Random rnd) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int next = Math.min(s.length(), i + 1 + rnd.nextInt(8));
            out.add(s.substring(i, next));
            i = next;
        }
        return out;
    }

    static DeltaSource source(List<Object> chunks) {
        List<Delta> deltas = new ArrayList<>();
        chunks.forEach(c -> deltas.add(new Delta.Text((String) c)));
        return DeltaSource.of(deltas.iterator());
    }

    /**
     * The violations of the one element of {@code c}, through one entry point; null if the element was accepted.
     * Every entry point must give the same list (same paths, messages, invalid values, order).
     */
    interface EntryPoint {
        List<Violation> run(Case c, Random rnd);
    }

    static final List<EntryPoint> ENTRY_POINTS = List.of(
            // the pull stream, SKIP: the skipped element
            (c, rnd) -> {
                try (ElementStream<Basket> s = ROOT_SKIP.stream(source(cut(c.json(), rnd)))) {
                    List<Basket> got = s.toList();
                    return outcome(got.size(), s.result());
                }
            },
            // the pull stream, FAIL: the exception's element
            (c, rnd) -> {
                try (ElementStream<Basket> s = ROOT_FAIL.stream(source(cut(c.json(), rnd)))) {
                    s.toList();
                    return null;
                } catch (ElementValidationException e) {
                    return failed(e);
                }
            },
            // a list selection: the element is /items/0, its violations the same, relative to it
            (c, rnd) -> {
                List<Basket> got = new ArrayList<>();
                ElementParser<Basket> p = ITEMS_SKIP.parser(got::add);
                for (Object chunk : cut("{\"items\":[" + c.json() + "]}", rnd)) {
                    p.feed((CharSequence) chunk);
                }
                StreamResult r = p.finish();
                if (!r.skipped().isEmpty()) {
                    assertEquals("/items/0", r.skipped().get(0).pointer());
                }
                return outcome(got.size(), r);
            },
            // one-shot reading, FAIL
            (c, rnd) -> {
                try {
                    ROOT_FAIL.readAll(c.json());
                    return null;
                } catch (ElementValidationException e) {
                    return failed(e);
                }
            },
            // the push parser fed UTF-8 bytes, SKIP
            (c, rnd) -> {
                List<Basket> got = new ArrayList<>();
                ElementParser<Basket> p = ROOT_SKIP.indexedParser(e -> got.add(e.value()));
                byte[] b = c.json().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int at = rnd.nextInt(b.length);
                p.feed(b, 0, at).feed(b, at, b.length - at);
                return outcome(got.size(), p.finish());
            },
            // partial snapshots, pulled, SKIP
            (c, rnd) -> {
                try (PartialStream<Basket> s = ROOT_SKIP.partials(source(cut(c.json(), rnd)))) {
                    List<Partial<Basket>> snaps = new ArrayList<>();
                    s.forEach(snaps::add);
                    return snapshots(snaps, s.result());
                }
            },
            // partial snapshots, pushed, FAIL
            (c, rnd) -> {
                List<Partial<Basket>> snaps = new ArrayList<>();
                ElementParser<Basket> p = ROOT_FAIL.partialParser(snaps::add);
                try {
                    for (Object chunk : cut(c.json(), rnd)) {
                        p.feed((CharSequence) chunk);
                    }
                    StreamResult r = p.finish();
                    return snapshots(snaps, r);
                } catch (ElementValidationException e) {
                    List<Violation> v = failed(e);
                    checkSnapshots(snaps, v);
                    return v;
                }
            });

    static List<Violation> outcome(int delivered, StreamResult r) {
        if (r.skipped().isEmpty()) {
            assertEquals(1, delivered);
            return null;
        }
        assertEquals(0, delivered);
        return r.skipped().get(0).violations();
    }

    /** The exception's element, and its message in the one format: each violation as {@code path: message}. */
    static List<Violation> failed(ElementValidationException e) {
        List<Violation> v = e.element().violations();
        for (Violation x : v) {
            assertTrue(e.getMessage().contains(x.toString()), e.getMessage());
        }
        return v;
    }

    /** Snapshots report only what the element gets; the final one exactly when it is valid, with no violation. */
    static List<Violation> snapshots(List<Partial<Basket>> snaps, StreamResult r) {
        List<Violation> v = r.skipped().isEmpty() ? null : r.skipped().get(0).violations();
        checkSnapshots(snaps, v);
        return v;
    }

    static void checkSnapshots(List<Partial<Basket>> snaps, List<Violation> element) {
        Partial<Basket> last = snaps.isEmpty() ? null : snaps.get(snaps.size() - 1);
        for (Partial<Basket> s : snaps) {
            if (element == null) {
                assertEquals(List.of(), s.violations(), "an element that is accepted had no violation: " + s);
            } else {
                assertTrue(element.containsAll(s.violations()), s.violations() + " not all in " + element);
            }
        }
        if (element == null) {
            assertTrue(last != null && last.isComplete(), "the final snapshot of the valid element");
        } else {
            assertTrue(last == null || !last.isComplete(), "no final snapshot for an invalid element");
        }
    }

    @Test
    void everyEntryPointGivesTheSameViolationsInTheOneFormat() {
        Random rnd = new Random(12);
        int invalid = 0;
        int uncheckedOnly = 0;
        for (int k = 0; k < 300; k++) {
            Case c = generate(rnd);
            List<Violation> first = null;
            for (int e = 0; e < ENTRY_POINTS.size(); e++) {
                List<Violation> got;
                try {
                    got = ENTRY_POINTS.get(e).run(c, new Random(k * 31L + e));
                } catch (AssertionError | RuntimeException x) {
                    throw new AssertionError("entry point " + e + " on " + c.json() + ": " + x, x);
                }
                if (c.expected().isEmpty()) {
                    assertNull(got, "entry point " + e + " accepts " + c.json());
                    continue;
                }
                assertEquals(c.expected(), paths(got), "entry point " + e + " on " + c.json());
                if (first == null) {
                    first = got;
                } else {
                    assertEquals(first, got, "entry point " + e + " agrees with the first on " + c.json());
                }
            }
            invalid += c.expected().isEmpty() ? 0 : 1;
            uncheckedOnly += c.expected().isEmpty() && c.json().contains("\"unchecked\":{\"id\":\"X") ? 1 : 0;
        }
        assertTrue(invalid > 100 && uncheckedOnly > 5, "the cases cover both: " + invalid + ", " + uncheckedOnly);
    }

    @Test
    void aNestedRecordWithoutValidIsNotValidatedByAnyEntryPoint() {
        String json = "{\"title\":\"ok\",\"picks\":[],\"unchecked\":{\"id\":\"nonsense\",\"rank\":-1}}";
        Case c = new Case(json, Set.of());
        for (int e = 0; e < ENTRY_POINTS.size(); e++) {
            assertNull(ENTRY_POINTS.get(e).run(c, new Random(e)), "entry point " + e);
        }
        assertEquals(-1, ROOT_FAIL.readAll(json).get(0).unchecked().rank());
    }

    @Test
    void theMessageOfAnInvalidElementUsesTheJsonPointers() {
        String json = "{\"title\":\" \",\"picks\":[{\"id\":\"P-101\",\"rank\":1},{\"id\":\"Q\",\"rank\":0}]}";
        ElementValidationException e = assertThrows(ElementValidationException.class, () -> ROOT_FAIL.readAll(json));
        assertEquals("Element 0 is invalid: /picks/1/id: must match \"P-\\d{3}\" (was: Q); /picks/1/rank: must be"
                + " greater than or equal to 1 (was: 0); /title: must not be blank (was:  ). JSON: " + json,
                e.getMessage());
        assertFalse(e.getMessage().contains("picks[1]"), "never Bean Validation's property paths");
    }
}
