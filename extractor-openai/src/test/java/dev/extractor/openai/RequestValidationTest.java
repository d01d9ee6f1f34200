package dev.extractor.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.Element;
import dev.extractor.ElementStream;
import dev.extractor.ElementValidationException;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.Violation;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.InvalidOutputException;
import dev.extractor.client.Mode;
import dev.extractor.openai.RequestCandidates.Candidates;
import dev.extractor.openai.RequestCandidates.OneOfTheCandidates;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.core.type.TypeReference;

/**
 * Request-scoped validation through the client (issue 12 items 2 and 3): a request's validation payload and groups
 * reach the user's constraint validator in every call, re-ask and repair; and the same invalid answer gets the same
 * violations, in the one path format, from every call, in the re-ask prompt and in the exception's message.
 */
class RequestValidationTest {

    record Pick(@OneOfTheCandidates String productId, @Min(1) int rank) {}

    interface Strict {}

    record Ranked(@OneOfTheCandidates String productId, @Min(value = 1, groups = Strict.class) int rank) {}

    static final Candidates P1_P2 = new Candidates(Set.of("P-1", "P-2"));

    private SimulatedModel model;
    private OpenAiExtractor ai;

    @BeforeEach
    void start() {
        RequestCandidates.SEEN.clear();
        model = SimulatedModel.start().respondWith(RequestValidationTest::answer);
        ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim").model("sim-1").build();
    }

    @AfterEach
    void stop() {
        ai.close();
        model.close();
    }

    /**
     * A model that first recommends P-9 (a candidate of no request here but {@link #anotherRequestsCandidates}),
     * then, asked again or to repair, P-2.
     */
    static Reply answer(RecordedRequest r) {
        String last = r.lastUserMessage();
        boolean list = r.body().contains("\"items\"");
        boolean reask = last.contains("could not be used");
        boolean repair = !reask && last.contains("is invalid");
        String json;
        if (!list) {
            json = reask ? "{\"productId\":\"P-2\",\"rank\":1}" : "{\"productId\":\"P-9\",\"rank\":1}";
        } else if (repair) {
            json = "{\"items\":[{\"productId\":\"P-2\",\"rank\":2}]}";
        } else {
            json = "{\"items\":[{\"productId\":\"P-1\",\"rank\":1},{\"productId\":\"" + (reask ? "P-2" : "P-9")
                    + "\",\"rank\":2}]}";
        }
        return (r.bodyJson().containsKey("tools") ? Reply.toolCall("Pick", json) : Reply.content(json))
                .chunkChars(1, 5);
    }

    static ChatRequest request(Object payload, InvalidElementPolicy policy) {
        ChatRequest.Builder b = ChatRequest.builder().user("Recommend two products").validationPayload(payload);
        return (policy == null ? b : b.onInvalid(policy)).build();
    }

    static Pick pick(String id, int rank) {
        return new Pick(id, rank);
    }

    /** Every payload the validator saw since the last call of this: each the request's own. */
    static void onlyThisRequestsPayloadWasSeen(Object payload, String call) {
        List<Object> seen = List.copyOf(RequestCandidates.SEEN);
        RequestCandidates.SEEN.clear();
        assertFalse(seen.isEmpty(), call + ": the validator was called");
        for (Object s : seen) {
            assertEquals(payload, s, call + ": " + seen);
        }
    }

    @Test
    void thePayloadReachesTheValidatorInEveryCallAndRound() throws Exception {
        ChatRequest req = request(P1_P2, null);
        assertEquals(List.of(pick("P-1", 1), pick("P-2", 2)), ai.list(Pick.class, req));
        onlyThisRequestsPayloadWasSeen(P1_P2, "list, re-asked");
        Extraction<List<Pick>> listed = ai.listResult(new TypeReference<Pick>() { }, req);
        assertEquals(2, listed.attempts());
        assertEquals(List.of(new Violation("/productId", "is not one of this request's candidates", "P-9")),
                listed.failedAttempts().get(0).invalidElements().get(0).violations());
        onlyThisRequestsPayloadWasSeen(P1_P2, "listResult");
        assertEquals(List.of(pick("P-1", 1), pick("P-2", 2)), ai.listAsync(Pick.class, req).get(5, TimeUnit.SECONDS));
        onlyThisRequestsPayloadWasSeen(P1_P2, "listAsync");
        assertEquals(pick("P-2", 1), ai.one(Pick.class, req));
        onlyThisRequestsPayloadWasSeen(P1_P2, "one, re-asked");
        assertEquals(2, ai.oneResult(Pick.class, req).attempts());
        onlyThisRequestsPayloadWasSeen(P1_P2, "oneResult");
        assertEquals(pick("P-2", 1), ai.oneAsync(new TypeReference<Pick>() { }, req).get(5, TimeUnit.SECONDS));
        onlyThisRequestsPayloadWasSeen(P1_P2, "oneAsync");

        try (ElementStream<Pick> s = ai.stream(Pick.class, request(P1_P2, InvalidElementPolicy.SKIP))) {
            assertEquals(List.of(pick("P-1", 1)), s.toList());
            assertEquals("P-9", s.result().skipped().get(0).violations().get(0).invalidValue());
        }
        onlyThisRequestsPayloadWasSeen(P1_P2, "stream");
        try (ElementStream<Pick> s = ai.stream(Pick.class, request(P1_P2, InvalidElementPolicy.REPAIR))) {
            List<String> got = new ArrayList<>();
            for (Element<Pick> e : s.elements()) {
                got.add(e.index() + " " + e.value().productId());
            }
            assertEquals(List.of("0 P-1", "1 P-2"), got, "P-9 repaired, the repair validated with the payload");
        }
        onlyThisRequestsPayloadWasSeen(P1_P2, "stream, repaired");
        try (PartialStream<Pick> s = ai.partials(Pick.class, request(P1_P2, InvalidElementPolicy.SKIP))) {
            for (Partial<Pick> p : s) {
                assertFalse(p.isComplete(), "P-9 is no candidate: no final snapshot");
            }
            assertEquals("/productId", s.result().skipped().get(0).violations().get(0).path());
        }
        onlyThisRequestsPayloadWasSeen(P1_P2, "partials");
        CancellationTest.Probe<Pick> probe = new CancellationTest.Probe<>();
        ai.publisher(Pick.class, request(P1_P2, InvalidElementPolicy.SKIP)).subscribe(probe);
        probe.subscription.get().request(10);
        assertTrue(probe.done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(pick("P-1", 1)), probe.items);
        onlyThisRequestsPayloadWasSeen(P1_P2, "publisher");
    }

    @Test
    void anotherRequestsCandidatesOnTheSameExtractor() throws Exception {
        Candidates p1p9 = new Candidates(Set.of("P-1", "P-9"));
        // both at once on the same extractor (and its cached readers): each validated with its own candidates
        CompletableFuture<Extraction<List<Pick>>> a = CompletableFuture.supplyAsync(
                () -> ai.listResult(Pick.class, request(p1p9, null)));
        CompletableFuture<Extraction<List<Pick>>> b = CompletableFuture.supplyAsync(
                () -> ai.listResult(Pick.class, request(P1_P2, null)));
        assertEquals(List.of(pick("P-1", 1), pick("P-9", 2)), a.get(5, TimeUnit.SECONDS).value());
        assertEquals(1, a.get().attempts(), "P-9 is one of this request's candidates");
        assertEquals(List.of(pick("P-1", 1), pick("P-2", 2)), b.get(5, TimeUnit.SECONDS).value());
        assertEquals(2, b.get().attempts());
        // and a request without a payload: no id is a candidate
        InvalidOutputException e = assertThrows(InvalidOutputException.class,
                () -> ai.list(Pick.class, ChatRequest.builder().user("Recommend").maxRetries(0).build()));
        assertEquals(2, e.attempts().get(0).invalidElements().size());
        assertTrue(RequestCandidates.SEEN.contains("none"));
    }

    @Test
    void groupsOfTheRequestChooseTheConstraints() {
        String zero = "{\"items\":[{\"productId\":\"P-1\",\"rank\":0}]}";
        model.enqueue(Reply.content(zero)).enqueue(Reply.content(zero));
        assertEquals(List.of(new Ranked("P-1", 0)), ai.list(Ranked.class, request(P1_P2, null)),
                "the default group: the rank rule is in Strict");
        ChatRequest strict = ChatRequest.builder().user("Recommend").validationPayload(P1_P2)
                .validationGroups(Strict.class).maxRetries(0).build();
        InvalidOutputException e = assertThrows(InvalidOutputException.class, () -> ai.list(Ranked.class, strict));
        assertEquals("/rank", e.attempts().get(0).invalidElements().get(0).violations().get(0).path());
        assertEquals(List.of(Strict.class), strict.validationGroups());
        assertEquals(strict, strict.toBuilder().build());
        assertFalse(strict.equals(strict.toBuilder().validationPayload(null).build()));
        assertTrue(strict.toString().contains("validationPayload=Candidates, validationGroups=[Strict]")
                && !strict.toString().contains("P-1"), strict.toString());
    }

    @Test
    void aPayloadWithAValidatorThatCannotCarryOneFailsBeforeAnythingIsSent() {
        try (ValidatorFactory f = Validation.buildDefaultValidatorFactory();
             OpenAiExtractor plain = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                     .model("sim-1").validator(f.getValidator()).build();
             OpenAiExtractor factory = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim")
                     .model("sim-1").validatorFactory(f).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> plain.list(Pick.class, request(P1_P2, null)));
            assertTrue(e.getMessage().contains("validatorFactory(...)"), e.getMessage());
            assertEquals(0, model.requestCount(), "nothing was sent");
            assertEquals(List.of(pick("P-1", 1), pick("P-2", 2)), factory.list(Pick.class, request(P1_P2, null)));
        }
    }

    // ------------------------------------------------------------------ one rule, one format (item 3)

    record Item(@Pattern(regexp = "P-\\d{3}") String id, @Min(1) int rank) {}

    /** {@code unchecked} has no {@code @Valid}: Bean Validation's rule, which every call follows, skips it. */
    record Basket(@NotBlank String title, List<@Valid Item> picks, Item unchecked) {}

    static final String BASKET = "{\"title\":\"\",\"picks\":[{\"id\":\"P-101\",\"rank\":1},{\"id\":\"Q-1\","
            + "\"rank\":0}],\"unchecked\":{\"id\":\"nonsense\",\"rank\":-4}}";

    static final List<Violation> EXPECTED = List.of(
            new Violation("/picks/1/id", "must match \"P-\\d{3}\"", "Q-1"),
            new Violation("/picks/1/rank", "must be greater than or equal to 1", "0"),
            new Violation("/title", "must not be blank", ""));

    static Reply basketReply(Mode mode, boolean list) {
        String json = list ? "{\"items\":[" + BASKET + "]}" : BASKET;
        return (mode == Mode.TOOLS ? Reply.toolCall(list ? "Basket_list" : "Basket", json) : Reply.content(json))
                .chunkChars(1, 4);
    }

    static ChatRequest basketRequest(Mode mode, InvalidElementPolicy policy) {
        return ChatRequest.builder().user("A basket").mode(mode).onInvalid(policy).maxRetries(0).build();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyCallGivesTheSameViolationsForTheSameAnswer(Mode mode) throws Exception {
        List<Supplier<List<Violation>>> calls = List.of(
                () -> {
                    model.enqueue(basketReply(mode, false));
                    return ((InvalidOutputException) assertThrows(InvalidOutputException.class,
                            () -> ai.one(Basket.class, basketRequest(mode, null)))).attempts().get(0)
                            .invalidElements().get(0).violations();
                },
                () -> {
                    model.enqueue(basketReply(mode, true));
                    return assertThrows(InvalidOutputException.class,
                            () -> ai.listResult(Basket.class, basketRequest(mode, null))).attempts().get(0)
                            .invalidElements().get(0).violations();
                },
                () -> {
                    model.enqueue(basketReply(mode, true));
                    try (ElementStream<Basket> s = ai.stream(Basket.class, basketRequest(mode,
                            InvalidElementPolicy.SKIP))) {
                        assertEquals(List.of(), s.toList());
                        return s.result().skipped().get(0).violations();
                    }
                },
                () -> {
                    model.enqueue(basketReply(mode, true));
                    try (ElementStream<Basket> s = ai.stream(Basket.class, basketRequest(mode,
                            InvalidElementPolicy.FAIL))) {
                        return messageAndViolations(assertThrows(ElementValidationException.class, s::toList));
                    }
                },
                () -> {
                    model.enqueue(basketReply(mode, false));
                    try (PartialStream<Basket> s = ai.partials(Basket.class, basketRequest(mode,
                            InvalidElementPolicy.SKIP))) {
                        List<Partial<Basket>> snaps = new ArrayList<>();
                        s.forEach(snaps::add);
                        List<Violation> got = s.result().skipped().get(0).violations();
                        for (Partial<Basket> p : snaps) {
                            assertFalse(p.isComplete());
                            assertTrue(got.containsAll(p.violations()), "a snapshot says only what the element"
                                    + " gets: " + p.violations());
                        }
                        return got;
                    }
                },
                () -> {
                    model.enqueue(basketReply(mode, false));
                    try (PartialStream<Basket> s = ai.partials(Basket.class, basketRequest(mode,
                            InvalidElementPolicy.FAIL))) {
                        return messageAndViolations(assertThrows(ElementValidationException.class,
                                () -> s.forEach(p -> { })));
                    }
                },
                () -> {
                    model.enqueue(basketReply(mode, true));
                    CancellationTest.Probe<Basket> probe = new CancellationTest.Probe<>();
                    ai.publisher(Basket.class, basketRequest(mode, null)).subscribe(probe);
                    probe.subscription.get().request(10);
                    try {
                        assertTrue(probe.done.await(5, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    return messageAndViolations(assertInstanceOf(ElementValidationException.class,
                            probe.error.get()));
                },
                () -> {
                    model.enqueue(basketReply(mode, true));
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> ai.listAsync(Basket.class, basketRequest(mode, null)).get(5, TimeUnit.SECONDS));
                    return assertInstanceOf(InvalidOutputException.class, e.getCause()).attempts().get(0)
                            .invalidElements().get(0).violations();
                });
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(EXPECTED, calls.get(i).get(), mode + ", call " + i);
        }
    }

    static List<Violation> messageAndViolations(ElementValidationException e) {
        for (Violation v : EXPECTED) {
            assertTrue(e.getMessage().contains(v.toString()), e.getMessage());
        }
        assertFalse(e.getMessage().contains("picks[1]") || e.getMessage().contains("/unchecked"), e.getMessage());
        return e.element().violations();
    }

    @Test
    void theReaskPromptQuotesTheSameViolations() {
        model.enqueue(basketReply(Mode.JSON_SCHEMA, false));
        String fixed = "{\"title\":\"Mine\",\"picks\":[],\"unchecked\":{\"id\":\"nonsense\",\"rank\":-4}}";
        model.enqueue(Reply.content(fixed));
        Basket b = ai.one(Basket.class, ChatRequest.of("A basket"));
        assertEquals(-4, b.unchecked().rank(), "not cascaded: accepted, as Bean Validation's rule says");
        model.takeRequest(Duration.ofSeconds(5));
        String reask = model.takeRequest(Duration.ofSeconds(5)).lastUserMessage();
        for (Violation v : EXPECTED) {
            assertTrue(reask.contains("  - " + v + "\n"), "missing '" + v + "' in:\n" + reask);
        }
        assertFalse(reask.contains("/unchecked"), reask);
    }
}
