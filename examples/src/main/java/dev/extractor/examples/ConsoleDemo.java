package dev.extractor.examples;

import dev.extractor.Element;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.InvalidElement;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.StreamResult;
import dev.extractor.Usage;
import dev.extractor.Violation;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.Extractor;
import dev.extractor.testing.SimulatedModel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The README's demo: an LLM ranks ten candidate products for a customer, and each recommendation is printed the
 * moment it has arrived and passed validation, long before the response ends. Then the two figures that matter:
 * time to the first result, and time to the full response (what a client that waits for the whole answer would
 * have made the user wait). Then, briefly, a single-object extraction and an invalid element being repaired.
 *
 * <p>Runs on the simulated model with no set-up. {@code -Dprovider=openai|responses|anthropic|gemini} picks the
 * provider (default {@code openai}); with its key set ({@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL}, {@code
 * ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY}) the same code runs against the real one, else
 * the simulated model speaks that provider's wire format (see {@link DemoModel}).
 */
public final class ConsoleDemo {

    /** The free-text note of the single-object extraction. */
    static final String CUSTOMER_NOTE = "Hi! I need running shoes for my sister's birthday next week, nothing over"
            + " $150. She likes light, breathable ones and won't wear Adidas.";

    /**
     * The figures of the streaming part, both measured from the moment the request was sent.
     *
     * @param firstResult when the first validated recommendation was in hand
     * @param fullResponse when the response had been read to its end
     * @param delivered how many recommendations were delivered
     */
    record Timings(Duration firstResult, Duration fullResponse, int delivered) {
    }

    /** The width the output is wrapped to: it fits an 80-column terminal. */
    private static final int WIDTH = 80;

    private final Terminal out;

    ConsoleDemo(Terminal out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.setProperty("org.jboss.logging.provider", "slf4j"); // keeps Hibernate Validator's start-up banner out
        int status = run();
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The whole demo, on the terminal; 0 if it ran to its end, else 1 (the failure said on stderr). */
    static int run() {
        CompletableFuture<Void> warmUp = CompletableFuture.runAsync(DemoModel::warmUp); // while the model starts
        try (Terminal out = Terminal.system(); DemoModel model = DemoModel.fromEnvironment()) {
            ConsoleDemo demo = new ConsoleDemo(out);
            demo.printWrapped("", model.description());
            warmUp.join();
            demo.streamRecommendations(model.extractor(), CustomerProfile.DEFAULT);
            demo.extractOneObject(model.extractor());
            try (SimulatedModel scripted = SimulatedShop.startWithAnInvalidElement(SimulatedShop.TOKENS_PER_SECOND);
                 DemoModel repairing = DemoModel.simulated(scripted)) {
                demo.repairAnInvalidElement(repairing.extractor());
            }
        } catch (ExtractionException e) {
            System.err.println("The demo failed: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** Part 1: streams the ranking, printing each recommendation as it is validated, then the timings. */
    Timings streamRecommendations(Extractor ai, CustomerProfile customer) {
        out.println("");
        out.println("1) Ten ranked recommendations, each printed the moment it is validated");
        out.println("");
        Candidates candidates = Shop.candidatesFor(customer); // this request's: the validator checks against them
        long start = System.nanoTime();
        Duration first = null;
        int delivered = 0;
        out.waiting("waiting for the first recommendation", start);
        try (ElementStream<ProductRecommendation> recs = ai.stream(ProductRecommendation.class,
                Shop.recommendationRequest(customer, candidates, 10))) {
            for (ProductRecommendation r : recs) {
                Duration now = since(start);
                if (first == null) {
                    first = now;
                }
                delivered++;
                out.println(line(now, r, candidates));
                printWrapped("             ", r.reason());
                out.waiting(delivered + " so far, waiting for the next one", start);
            }
            Duration full = since(start);
            out.doneWaiting();
            StreamResult result = recs.result();
            for (InvalidElement skipped : result.skipped()) {
                printWrapped("   skipped as invalid: ", skipped.json() + " " + skipped.violations());
            }
            out.println("");
            if (first == null) {
                out.println("   No valid recommendation arrived; the response took " + seconds(full) + ".");
                return new Timings(full, full, 0);
            }
            printWrapped("   ", "First recommendation after " + seconds(first) + "; the full response took "
                    + seconds(full) + ".");
            printWrapped("   ", String.format("Waiting for the whole response would have shown nothing for %s"
                    + " (%.1fx).", seconds(full), (double) full.toNanos() / first.toNanos()));
            printWrapped("   ", delivered + " delivered, " + result.skipped().size() + " skipped; "
                    + usage(result.usage()));
            return new Timings(first, full, delivered);
        }
    }

    /** Part 2: one object from free text, with {@code oneResult} (valid, or re-asked with the errors). */
    ShoppingIntent extractOneObject(Extractor ai) {
        out.println("");
        out.println("2) One object: ai.oneResult(ShoppingIntent.class, ...) on a customer's note");
        printWrapped("   ", "\"" + CUSTOMER_NOTE + "\"");
        long start = System.nanoTime();
        out.waiting("waiting for the object", start);
        Extraction<ShoppingIntent> intent = ai.oneResult(ShoppingIntent.class, ChatRequest.builder()
                .system("Extract what the customer is shopping for.")
                .user(CUSTOMER_NOTE)
                .build());
        out.doneWaiting();
        printWrapped("  " + String.format("%6s", seconds(since(start))) + "  ", intent.value().toString());
        printWrapped("          ", intent.attempts() + (intent.attempts() == 1 ? " call; " : " calls; ")
                + usage(intent.usage()));
        return intent.value();
    }

    /**
     * Part 3: a stream under {@link InvalidElementPolicy#REPAIR} where the model invents a product: the invalid
     * element is held back while the valid ones keep coming, then the model is asked to correct just that one.
     */
    StreamResult repairAnInvalidElement(Extractor ai) {
        out.println("");
        out.println("3) An invalid element under policy REPAIR (scripted: models don't err on cue)");
        Candidates candidates = Shop.candidatesFor(CustomerProfile.DEFAULT);
        ChatRequest request = Shop.recommendationRequest(CustomerProfile.DEFAULT, candidates, 3).toBuilder()
                .onInvalid(InvalidElementPolicy.REPAIR) // the repair round is validated with the same candidates
                .build();
        long start = System.nanoTime();
        out.waiting("waiting for the first recommendation", start);
        try (ElementStream<ProductRecommendation> recs = ai.stream(ProductRecommendation.class, request)) {
            for (Element<ProductRecommendation> e : recs.elements()) {
                Duration now = since(start);
                Optional<InvalidElement> rejected = recs.result().repaired().stream()
                        .filter(bad -> bad.index() == e.index())
                        .findFirst();
                if (rejected.isPresent()) {
                    InvalidElement bad = rejected.get();
                    out.println("          " + bad.pointer() + " was rejected as it arrived:");
                    printWrapped("            ", bad.json());
                    for (Violation v : bad.violations()) {
                        printWrapped("            ", v.path() + ": " + v.message());
                    }
                    printWrapped("          ", "the others went on streaming; then the model was asked to"
                            + " correct it:");
                }
                out.println(line(now, e.value(), candidates) + (rejected.isPresent() ? "  (corrected)" : ""));
                out.waiting("waiting for the next one", start);
            }
            out.doneWaiting();
            StreamResult result = recs.result();
            printWrapped("   ", result.delivered() + " delivered (" + result.repaired().size() + " after repair), "
                    + result.skipped().size() + " skipped; " + usage(result.usage()));
            return result;
        }
    }

    /**
     * Prints {@code text} wrapped at {@value #WIDTH} columns: the first line starts with {@code prefix}, the others
     * with as many spaces.
     */
    private void printWrapped(String prefix, String text) {
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() > prefix.length() && line.length() + 1 + word.length() > WIDTH) {
                out.println(line.toString());
                line.setLength(0);
                line.append(" ".repeat(prefix.length()));
            }
            line.append(line.length() > prefix.length() ? " " : "").append(word);
        }
        out.println(line.toString());
    }

    /** {@code "  1.21s  #1  Kindle Paperwhite (16 GB)          $149"}: the price is the candidate's, not the model's. */
    private static String line(Duration at, ProductRecommendation r, Candidates candidates) {
        String price = candidates.find(r.productId()).map(p -> "$" + p.priceUsd()).orElse("");
        return String.format("  %6s  #%-2d %-34s %6s", seconds(at), r.rank(), r.productName(), price);
    }

    private static String usage(Optional<Usage> usage) {
        return usage.map(u -> String.format("usage %,d tokens (%,d prompt + %,d completion)", u.totalTokens(),
                u.promptTokens(), u.completionTokens())).orElse("no usage reported");
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String seconds(Duration d) {
        return String.format("%.2fs", d.toNanos() / 1e9);
    }
}
