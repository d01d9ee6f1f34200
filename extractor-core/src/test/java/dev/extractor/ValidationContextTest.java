package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.CandidateRule.Candidates;
import dev.extractor.CandidateRule.HasId;
import dev.extractor.CandidateRule.InCandidates;
import dev.extractor.CandidateRule.Strict;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorFactory;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidationException;
import jakarta.validation.ValidatorContext;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.groups.ConvertGroup;
import jakarta.validation.groups.Default;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Request-scoped validation in the core: a {@link ValidationContext} (payload, groups) applied to a shared reader
 * with {@link ElementReader#with}, reaching the user's constraint validator through every entry point.
 */
class ValidationContextTest {

    @InCandidates
    record Pick(String id, @Min(value = 1, groups = Strict.class) int rank) implements HasId {}

    record Basket(@NotBlank String title, List<@Valid Pick> picks) {}

    static final String PICKS = "{\"items\":[{\"id\":\"a\",\"rank\":1},{\"id\":\"b\",\"rank\":0},"
            + "{\"id\":\"c\",\"rank\":3}]}";

    static final ElementReader<Pick> READER = ElementReader.builder(Pick.class)
            .onInvalid(InvalidElementPolicy.SKIP).build();

    static ValidationContext candidates(String... ids) {
        return ValidationContext.none().withPayload(new Candidates(Set.of(ids)));
    }

    /** What an entry point made of {@link #PICKS}: the ids delivered, and each skipped element's violations. */
    record Seen(List<String> delivered, List<String> skipped) {
        static Seen of(List<Pick> delivered, StreamResult r) {
            return new Seen(delivered.stream().map(Pick::id).toList(),
                    r.skipped().stream().map(e -> e.index() + " " + e.violations()).toList());
        }
    }

    static DeltaSource source(String text) {
        List<Delta> deltas = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 7) {
            deltas.add(new Delta.Text(text.substring(i, Math.min(text.length(), i + 7))));
        }
        return DeltaSource.of(deltas.iterator());
    }

    /** Every entry point of the core, over {@link #PICKS}, with {@code reader}. */
    static List<Seen> everyEntryPoint(ElementReader<Pick> reader) {
        List<Seen> out = new ArrayList<>();
        try (ElementStream<Pick> s = reader.stream(source(PICKS))) {
            out.add(Seen.of(s.toList(), s.result()));
        }
        List<Pick> pushed = new ArrayList<>();
        ElementParser<Pick> p = reader.parser(pushed::add);
        p.feed(PICKS);
        out.add(Seen.of(pushed, p.finish()));
        List<Pick> indexed = new ArrayList<>();
        ElementParser<Pick> q = reader.indexedParser(e -> indexed.add(e.value()));
        byte[] utf8 = PICKS.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        q.feed(utf8, 0, 10).feed(utf8, 10, utf8.length - 10);
        out.add(Seen.of(indexed, q.finish()));
        try (PartialStream<Pick> s = reader.partials(source(PICKS))) {
            List<Pick> finals = new ArrayList<>();
            for (Partial<Pick> snap : s) {
                if (snap.isComplete()) {
                    finals.add(snap.value());
                }
            }
            out.add(Seen.of(finals, s.result()));
        }
        List<Pick> finals = new ArrayList<>();
        ElementParser<Pick> pp = reader.partialParser(snap -> {
            if (snap.isComplete()) {
                finals.add(snap.value());
            }
        });
        pp.feed(PICKS);
        out.add(Seen.of(finals, pp.finish()));
        return out;
    }

    @Test
    void thePayloadReachesTheConstraintValidatorThroughEveryEntryPoint() {
        List<Seen> ac = everyEntryPoint(READER.with(candidates("a", "c")));
        Seen expected = new Seen(List.of("a", "c"), List.of("1 [/id: is not one of this request's candidates"
                + " (was: Pick[id=b, rank=0])]"));
        for (Seen s : ac) {
            assertEquals(expected, s);
        }
        for (Seen s : everyEntryPoint(READER.with(candidates("b")))) {
            assertEquals(List.of("b"), s.delivered(), "another view of the same reader: its own candidates");
        }
        for (Seen s : everyEntryPoint(READER)) {
            assertEquals(List.of(), s.delivered(), "the reader itself has no payload: " + s);
            assertTrue(s.skipped().get(0).contains("/id: no candidates were given"), s.toString());
        }
        // readAll too, under FAIL: the exception names the element and the rule
        ElementValidationException e = assertThrows(ElementValidationException.class,
                () -> READER.toBuilder().onInvalid(InvalidElementPolicy.FAIL).build().with(candidates("a"))
                        .readAll(PICKS));
        assertTrue(e.getMessage().startsWith("Element 1 (/items/1) is invalid: /id: is not one of this request's"
                + " candidates"), e.getMessage());
    }

    @Test
    void repairRoundsValidateWithThePayloadToo() {
        ElementReader<Pick> reader = READER.toBuilder().onInvalid(InvalidElementPolicy.REPAIR).build()
                .with(candidates("a", "c", "x"));
        List<String> asked = new ArrayList<>();
        Repairer repairer = (invalid, round) -> {
            asked.add(round + ":" + invalid.get(0).violations().get(0).path());
            // round 1 answers "b" again (still not a candidate), round 2 a candidate
            return source(round == 1 ? "{\"items\":[{\"id\":\"b\",\"rank\":1}]}"
                    : "{\"items\":[{\"id\":\"x\",\"rank\":2}]}");
        };
        try (ElementStream<Pick> s = reader.stream(source(PICKS), repairer)) {
            List<Element<Pick>> got = new ArrayList<>();
            s.elements().forEach(got::add);
            assertEquals(List.of("0 a", "2 c", "1 x"), got.stream().map(e -> e.index() + " " + e.value().id())
                    .toList());
            assertEquals(List.of("1:/id", "2:/id"), asked);
            assertEquals(1, s.result().repaired().size());
        }
    }

    @Test
    void viewsOfOneReaderValidateConcurrentlyEachWithItsOwnPayload() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        Function<String, CompletableFuture<Void>> run = id -> CompletableFuture.runAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(List.of(id), READER.with(candidates(id)).readAll(PICKS).stream().map(Pick::id)
                        .toList());
            }
        });
        CompletableFuture<Void> a = run.apply("a");
        CompletableFuture<Void> b = run.apply("b");
        CompletableFuture<Void> c = run.apply("c");
        start.countDown();
        CompletableFuture.allOf(a, b, c).get();
    }

    @Test
    void groupsChooseWhichConstraintsAreChecked() {
        ElementReader<Pick> all = READER.with(candidates("a", "b", "c"));
        assertEquals(3, all.readAll(PICKS).size(), "the default group: the rank rule (group Strict) is not checked");
        ElementReader<Pick> strict = READER.with(ValidationContext.none().withGroups(Strict.class));
        ElementParser<Pick> p = strict.parser(x -> { });
        p.feed(PICKS);
        StreamResult r = p.finish();
        assertEquals(2, r.delivered(), "only Strict: no candidate check (it is in Default), the rank rule is");
        assertEquals("/rank", r.skipped().get(0).violations().get(0).path());
        ElementReader<Pick> both = READER.with(candidates("a").withGroups(Strict.class, Default.class));
        assertEquals(List.of("a"), both.readAll(PICKS).stream().map(Pick::id).toList());
        assertEquals(List.of(Strict.class, Default.class), both.validationContext().groups());
    }

    @Test
    void constraintValidatorsAreCreatedOnceNotPerPayload() {
        READER.with(candidates("a")).readAll(PICKS);
        int before = CandidateRule.CREATED.get();
        for (int i = 0; i < 50; i++) {
            READER.with(candidates("a", "id" + i)).readAll(PICKS);
        }
        assertEquals(before, CandidateRule.CREATED.get(), "the factory's cached validator serves every payload");
    }

    @Test
    void aViewIsTheSameReaderWithAnotherContext() {
        ValidationContext ctx = candidates("a");
        ElementReader<Pick> view = READER.with(ctx);
        assertSame(READER, READER.with(ValidationContext.none()));
        assertSame(view, view.with(candidates("a")), "an equal context: the same view");
        assertNotSame(view, READER.with(ctx));
        assertEquals(ctx, view.validationContext());
        assertEquals(ValidationContext.none(), READER.validationContext(), "the reader itself is unchanged");
        assertEquals(ctx, view.toBuilder().build().validationContext(), "toBuilder keeps the context");
        ElementReader<Pick> built = ElementReader.builder(Pick.class).validationContext(ctx).build();
        assertEquals(List.of("a"), built.readAll("{\"items\":[{\"id\":\"a\",\"rank\":1}]}").stream().map(Pick::id)
                .toList());
        assertEquals(view.type(), READER.type());
        assertEquals(view.selection(), READER.selection());
        assertEquals(view.invalidElementPolicy(), READER.invalidElementPolicy());
    }

    @Test
    void aPayloadNeedsAFactoryAndSaysSo() {
        try (ValidatorFactory f = Validation.buildDefaultValidatorFactory()) {
            ElementReader<Pick> plain = ElementReader.builder(Pick.class).validator(f.getValidator()).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> plain.with(candidates("a")));
            assertTrue(e.getMessage().contains("A validation payload needs a ValidatorFactory")
                    && e.getMessage().contains("validatorFactory(...)"), e.getMessage());
            assertEquals(2, plain.with(ValidationContext.none().withGroups(Strict.class)).toBuilder()
                    .onInvalid(InvalidElementPolicy.SKIP).build().readAll(PICKS).size(), "groups need no factory");
            // validator(...) given a factory (as Spring's LocalValidatorFactoryBean is both): payloads work
            ElementReader<Pick> both = ElementReader.builder(Pick.class).onInvalid(InvalidElementPolicy.SKIP)
                    .validator(validatorAndFactory(f)).build();
            assertEquals(List.of("c"), both.with(candidates("c")).readAll(PICKS).stream().map(Pick::id).toList());
        }
    }

    @Test
    void aFactoryThatIsNotHibernateValidatorsFailsClearlyWithAPayload() {
        try (ValidatorFactory hv = Validation.buildDefaultValidatorFactory()) {
            ValidatorFactory foreign = (ValidatorFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ValidatorFactory.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "usingContext" -> Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ValidatorContext.class}, (p2, m2, a2) -> {
                                    throw new UnsupportedOperationException();
                                });
                        case "unwrap" -> throw new ValidationException("not mine: " + args[0]);
                        default -> invoke(hv, m, args);
                    });
            ElementReader<Pick> reader = ElementReader.builder(Pick.class).validatorFactory(foreign)
                    .onInvalid(InvalidElementPolicy.SKIP).build();
            assertEquals(0, reader.readAll(PICKS).size(), "without a payload its validator is used as it is");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.with(candidates("a")));
            assertTrue(e.getMessage().startsWith("A validation payload needs Hibernate Validator")
                    && e.getMessage().contains("does not unwrap to it"), e.getMessage());
        }
    }

    @Test
    void aFactorysOwnConstraintValidatorFactoryMakesTheValidatorsOfEveryPayload() {
        AtomicInteger made = new AtomicInteger();
        ConstraintValidatorFactory injecting = new ConstraintValidatorFactory() {
            @Override
            public <V extends ConstraintValidator<?, ?>> V getInstance(Class<V> key) {
                made.incrementAndGet(); // as Spring's factory creates validators as beans
                try {
                    return key.getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void releaseInstance(ConstraintValidator<?, ?> instance) {
            }
        };
        try (ValidatorFactory f = Validation.byDefaultProvider().configure().constraintValidatorFactory(injecting)
                .buildValidatorFactory()) {
            ElementReader<Pick> reader = ElementReader.builder(Pick.class).validatorFactory(f)
                    .onInvalid(InvalidElementPolicy.SKIP).build();
            for (String id : List.of("a", "b", "c", "a")) {
                assertEquals(List.of(id), reader.with(candidates(id)).readAll(PICKS).stream().map(Pick::id).toList());
            }
            assertTrue(made.get() >= 1, "the factory's constraint validator factory made them");
            int after = made.get();
            reader.with(candidates("b")).readAll(PICKS);
            assertEquals(after, made.get(), "and made none for another payload");
        }
    }

    @Test
    void snapshotsValidateTheCascadedRecordsWithThePayloadAsTheyClose() {
        ElementReader<Basket> reader = ElementReader.builder(Basket.class).selection(Selection.root())
                .onInvalid(InvalidElementPolicy.SKIP).build();
        String answer = "{\"title\":\"t\",\"picks\":[{\"id\":\"a\",\"rank\":1},{\"id\":\"z\",\"rank\":2}]}";
        List<Partial<Basket>> snaps = new ArrayList<>();
        ElementParser<Basket> p = reader.with(candidates("a")).partialParser(snaps::add);
        for (int i = 0; i < answer.length(); i++) {
            p.feed(answer.substring(i, i + 1));
        }
        StreamResult r = p.finish();
        for (Partial<Basket> s : snaps) {
            boolean closed = s.state("/picks/1") == Partial.State.COMPLETE;
            assertEquals(closed, !s.violations().isEmpty(), "pick 1 is reported exactly once it closed: " + s);
            assertFalse(s.isComplete(), "the basket is invalid: no final snapshot");
        }
        List<Violation> last = snaps.get(snaps.size() - 1).violations();
        assertEquals(List.of("/picks/1/id"), last.stream().map(Violation::path).toList());
        assertEquals(last, r.skipped().get(0).violations(), "what the snapshots said is what the element got");
        List<Partial<Basket>> ok = new ArrayList<>();
        ElementParser<Basket> q = reader.with(candidates("a", "z")).partialParser(ok::add);
        q.feed(answer).finish();
        assertTrue(ok.get(ok.size() - 1).isComplete());
        assertTrue(ok.stream().allMatch(s -> s.violations().isEmpty()), ok.toString());
    }

    record Order(@Valid @ConvertGroup(from = Default.class, to = Strict.class) Pick pick, int n) {}

    @Test
    void snapshotsConvertGroupsWhereTheCascadeDoes() {
        // Default converted to Strict for the pick: its rank is checked, its candidates are not
        ElementReader<Order> reader = ElementReader.builder(Order.class).selection(Selection.root())
                .onInvalid(InvalidElementPolicy.SKIP).build();
        List<Partial<Order>> snaps = new ArrayList<>();
        ElementParser<Order> p = reader.partialParser(snaps::add);
        p.feed("{\"pick\":{\"id\":\"nobody\",\"rank\":0},");
        assertEquals(List.of("/pick/rank"), snaps.get(snaps.size() - 1).violations().stream().map(Violation::path)
                .toList());
        p.feed("\"n\":1}");
        assertEquals(snaps.get(snaps.size() - 1).violations(), p.finish().skipped().get(0).violations());
    }

    @Test
    void aContextIsASmallImmutableValue() {
        ValidationContext none = ValidationContext.none();
        assertSame(none, none.withPayload(null).withGroups());
        assertEquals(candidates("a"), candidates("a"));
        assertEquals(candidates("a").hashCode(), candidates("a").hashCode());
        assertFalse(candidates("a").equals(candidates("b")));
        assertEquals(List.of(Strict.class), none.withGroups(Strict.class, Strict.class).groups());
        assertThrows(IllegalArgumentException.class, () -> none.withGroups(String.class));
        assertThrows(NullPointerException.class, () -> none.withGroups((Class<?>) null));
        String s = candidates("secret-id").withGroups(Strict.class).toString();
        assertEquals("ValidationContext[payload=Candidates, groups=Strict]", s, "the payload's content is not shown");
        assertEquals("ValidationContext[payload=none, groups=Default]", none.toString());
        assertThrows(UnsupportedOperationException.class, () -> candidates("a").groups().add(Strict.class));
    }

    /** A validator that is also its factory, like Spring's {@code LocalValidatorFactoryBean}. */
    static jakarta.validation.Validator validatorAndFactory(ValidatorFactory f) {
        jakarta.validation.Validator v = f.getValidator();
        return (jakarta.validation.Validator) Proxy.newProxyInstance(ValidationContextTest.class.getClassLoader(),
                new Class<?>[] {jakarta.validation.Validator.class, ValidatorFactory.class}, (proxy, m, args) ->
                        invoke(m.getDeclaringClass() == ValidatorFactory.class ? f : v, m, args));
    }

    static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
