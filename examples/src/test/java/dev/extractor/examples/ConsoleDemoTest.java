package dev.extractor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.StreamResult;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidatorFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The console demo's three parts against the simulated model, fast-forwarded; output captured as plain lines. */
class ConsoleDemoTest {

    /** Fast enough for a test, slow enough that the first recommendation clearly precedes the end. */
    private static final double TOKENS_PER_SECOND = 1_500;

    private static final Pattern RECOMMENDATION_LINE = Pattern.compile("^ +(\\d+\\.\\d\\d)s  #(\\d+) +(.+?) +\\$\\d+.*$");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ConsoleDemo demo =
            new ConsoleDemo(Terminal.plain(new PrintStream(printed, true, StandardCharsets.UTF_8)));

    @BeforeAll
    static void quietValidator() {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    /** The same demo code, each provider's wire format: the simulated model speaks them all. */
    @ParameterizedTest
    @EnumSource(DemoModel.Provider.class)
    void printsTenValidatedRecommendationsAsTheyArriveThenBothTimings(DemoModel.Provider provider) {
        ConsoleDemo.Timings timings;
        try (SimulatedModel model = SimulatedModel.start()
                .respondWith(request -> SimulatedShop.answer(request, TOKENS_PER_SECOND));
             DemoModel simulated = DemoModel.simulated(model, TOKENS_PER_SECOND, provider)) {
            timings = demo.streamRecommendations(simulated.extractor(), CustomerProfile.DEFAULT);
        }

        assertEquals(10, timings.delivered());
        assertTrue(timings.firstResult().compareTo(timings.fullResponse()) < 0, timings.toString());
        List<Matcher> lines = matching(RECOMMENDATION_LINE);
        assertEquals(10, lines.size(), output());
        for (int i = 0; i < 10; i++) {
            assertEquals(String.valueOf(i + 1), lines.get(i).group(2), "ranks in order");
            assertEquals(SimulatedShop.RANKING.get(i).productName(), lines.get(i).group(3));
        }
        double first = Double.parseDouble(lines.get(0).group(1));
        double last = Double.parseDouble(lines.get(9).group(1));
        assertTrue(first < last, output());
        assertTrue(unwrapped().contains(String.format("First recommendation after %.2fs; the full response took %.2fs.",
                timings.firstResult().toNanos() / 1e9, timings.fullResponse().toNanos() / 1e9)), output());
        assertTrue(unwrapped().contains("Waiting for the whole response would have shown nothing for"), output());
        assertTrue(unwrapped().contains("10 delivered, 0 skipped; usage "), output());
    }

    @ParameterizedTest
    @EnumSource(DemoModel.Provider.class)
    void extractsOneObject(DemoModel.Provider provider) {
        try (SimulatedModel model = SimulatedModel.start()
                .respondWith(request -> SimulatedShop.answer(request, TOKENS_PER_SECOND));
             DemoModel simulated = DemoModel.simulated(model, TOKENS_PER_SECOND, provider)) {
            assertEquals(SimulatedShop.INTENT, demo.extractOneObject(simulated.extractor()));
        }
        assertTrue(unwrapped().contains(SimulatedShop.INTENT.toString()), output());
    }

    @ParameterizedTest
    @EnumSource(DemoModel.Provider.class)
    void showsTheInvalidElementAndItsCorrection(DemoModel.Provider provider) {
        StreamResult result;
        try (SimulatedModel model = SimulatedShop.startWithAnInvalidElement(TOKENS_PER_SECOND);
             DemoModel simulated = DemoModel.simulated(model, TOKENS_PER_SECOND, provider)) {
            result = demo.repairAnInvalidElement(simulated.extractor());
            assertEquals(2, model.requestCount(), "the answer, then the request to correct element 1");
        }

        assertEquals(3, result.delivered());
        assertEquals(1, result.repaired().size());
        assertEquals(List.of(), result.skipped());
        assertTrue(unwrapped().contains("/items/1 was rejected as it arrived: {\"productId\":\"P-111\""), output());
        assertTrue(unwrapped().contains("productId: is not one of the candidate products"), output());
        List<Matcher> lines = matching(RECOMMENDATION_LINE);
        assertEquals(List.of("1", "3", "2"), lines.stream().map(m -> m.group(2)).toList(), output());
        assertTrue(lines.get(2).group().endsWith("(corrected)"), output());
    }

    @Test
    void recommendationsOfProductsThatAreNotThisRequestsCandidatesAreInvalid() {
        HibernateValidatorFactory factory = Validation.buildDefaultValidatorFactory()
                .unwrap(HibernateValidatorFactory.class);
        Validator all = factory.usingContext().constraintValidatorPayload(Shop.candidatesFor(CustomerProfile.DEFAULT))
                .getValidator();
        assertEquals(List.of(), List.copyOf(all.validate(SimulatedShop.RANKING.get(0))));
        var violations = List.copyOf(all.validate(SimulatedShop.TOP_THREE_WITH_AN_INVENTED_PRODUCT.get(1)));
        assertEquals(1, violations.size());
        assertEquals("productId", violations.get(0).getPropertyPath().toString());
        assertEquals("is not one of the candidate products", violations.get(0).getMessage());
        // another request's candidates: the same recommendation is not one of them
        Validator books = factory.usingContext().constraintValidatorPayload(
                new Candidates(List.of(Shop.CATALOGUE.get(9)))).getValidator();
        assertEquals(1, books.validate(SimulatedShop.RANKING.get(0)).size());
        assertEquals(List.of(), List.copyOf(books.validate(SimulatedShop.RANKING.get(1))), "P-110 is its candidate");
        // no candidates at all: nothing can be checked, so nothing passes
        var unchecked = List.copyOf(factory.getValidator().validate(SimulatedShop.RANKING.get(0)));
        assertTrue(unchecked.get(0).getMessage().startsWith("cannot be checked: the request named no candidates"));
    }

    @Test
    void twoRequestsWithTheirOwnCandidatesStreamAtOnceFromOneExtractor() throws Exception {
        Candidates firstFive = new Candidates(Shop.CATALOGUE.subList(0, 5)); // P-101 to P-105
        try (SimulatedModel model = SimulatedModel.start()
                .respondWith(request -> SimulatedShop.answer(request, 20_000));
             DemoModel simulated = DemoModel.simulated(model, 20_000, DemoModel.Provider.OPENAI)) {
            var extractor = simulated.extractor();
            var few = java.util.concurrent.CompletableFuture.supplyAsync(() -> ids(extractor.stream(
                    ProductRecommendation.class, Shop.recommendationRequest(CustomerProfile.DEFAULT, firstFive, 10))));
            var every = java.util.concurrent.CompletableFuture.supplyAsync(() -> ids(extractor.stream(
                    ProductRecommendation.class, Shop.recommendationRequest(CustomerProfile.DEFAULT, 10))));
            assertEquals(List.of("P-104", "P-105", "P-101", "P-103", "P-102"), few.get(10, TimeUnit.SECONDS),
                    "the same answer, checked against this request's five candidates");
            assertEquals(SimulatedShop.RANKING.stream().map(ProductRecommendation::productId).toList(),
                    every.get(10, TimeUnit.SECONDS));
        }
    }

    private static List<String> ids(dev.extractor.ElementStream<ProductRecommendation> stream) {
        try (stream) {
            List<String> ids = stream.stream().map(ProductRecommendation::productId).toList();
            assertEquals(10 - ids.size(), stream.result().skipped().size());
            return ids;
        }
    }

    private List<Matcher> matching(Pattern pattern) {
        List<Matcher> out = new ArrayList<>();
        for (String line : output().split("\n")) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                out.add(m);
            }
        }
        return out;
    }

    /** The output with its lines joined: the demo wraps long lines at 80 columns. */
    private String unwrapped() {
        return output().replaceAll("\\s+", " ");
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
