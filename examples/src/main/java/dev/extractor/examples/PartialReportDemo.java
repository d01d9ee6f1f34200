package dev.extractor.examples;

import dev.extractor.ElementReader;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.JsonSchemas;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.Selection;
import dev.extractor.StreamResult;
import dev.extractor.client.ChatRequest;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * One big object, shown as it fills in: the headline as soon as it is complete, the summary growing word by word,
 * the score once its last digit has arrived, each region the moment it closes (validated), all from one stream of
 * {@link Partial} snapshots.
 *
 * <p>Run it with {@code mvn -q -B -pl examples -am compile exec:java
 * -Dexec.mainClass=dev.extractor.examples.PartialReportDemo}; like the main demo, it uses the simulated model unless
 * {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set.
 */
public final class PartialReportDemo {

    /** The simulated model's pace, in tokens per second. */
    static final double TOKENS_PER_SECOND = 60;

    static final String PROMPT = "Write the Q3 sales report for the online shop from these figures: online revenue"
            + " +18%, returns -9%, Europe +24%, North America +11%, Asia-Pacific -3% (supply problems).";

    private final PrintStream out;

    PartialReportDemo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.setProperty("org.jboss.logging.provider", "slf4j"); // keep Hibernate Validator's banner quiet
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (DemoModel model = DemoModel.fromEnvironment(() -> simulated(TOKENS_PER_SECOND))) {
            out.println(model.description());
            new PartialReportDemo(out).run(model.extractor());
        }
    }

    /** A simulated model that answers {@link #PROMPT} at {@code tokensPerSecond}. */
    static DemoModel simulated(double tokensPerSecond) {
        return DemoModel.simulated(SimulatedModel.start().respondWith(r -> simulatedAnswer(tokensPerSecond)),
                tokensPerSecond);
    }

    /** Streams the report, printing each part the moment it is there; returns the final, validated report. */
    SalesReport run(OpenAiExtractor ai) {
        warmUp();
        out.println();
        out.println("A quarterly report, shown as it fills in (one stream of partial snapshots):");
        out.println();
        long start = System.nanoTime();
        int summaryShown = 0;
        boolean summaryDone = false;
        SalesReport done = null;
        StreamResult result;
        try (PartialStream<SalesReport> report = ai.partials(SalesReport.class, ChatRequest.of(PROMPT))) {
            for (Partial<SalesReport> p : report) {
                SalesReport r = p.value();
                if (p.completed().contains("/headline")) {
                    out.printf("%6.2fs  headline  %s%n", seconds(start), r.headline());
                }
                if (!summaryDone && r != null && r.summary() != null) {
                    if (summaryShown == 0) {
                        out.printf("%6.2fs  summary   ", seconds(start));
                    }
                    out.print(r.summary().substring(summaryShown)); // the typewriter: only what is new
                    summaryShown = r.summary().length();
                    if (p.state("/summary") == Partial.State.COMPLETE) {
                        out.println();
                        summaryDone = true;
                    }
                }
                if (p.completed().contains("/healthScore")) {
                    out.printf("%6.2fs  score     %d/100  (a number appears only once its last digit is there)%n",
                            seconds(start), r.healthScore());
                }
                for (SalesReport.Region region : p.completedElements("/regions", SalesReport.Region.class)) {
                    out.printf("%6.2fs  region    %-14s %+5.1f%%  %s%n", seconds(start), region.name(),
                            region.growthPercent(), region.finding());
                }
                if (p.isComplete()) {
                    done = r;
                    out.printf("%n%6.2fs  complete: the whole report is validated (%d regions)%n", seconds(start),
                            r.regions().size());
                }
            }
            result = report.result();
        }
        if (done == null) {
            throw new IllegalStateException("the report ended without a complete snapshot");
        }
        out.printf("          %s%n", result.usage().map(u -> "usage " + u.totalTokens() + " tokens ("
                + u.promptTokens() + " prompt + " + u.completionTokens() + " completion)").orElse("no usage reported"));
        return done;
    }

    /** The once-per-JVM work (schema generation, validator bootstrap), done before the clock starts. */
    static void warmUp() {
        JsonSchemas.strictSchema(SalesReport.class);
        ElementReader.builder(SalesReport.class).selection(Selection.root())
                .onInvalid(InvalidElementPolicy.SKIP).build()
                .readAll("{\"headline\":\"x\",\"summary\":\"y\",\"healthScore\":1,\"regions\":[]}");
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** What a good model writes for {@link #PROMPT}. */
    static final SalesReport REPORT = new SalesReport(
            "Q3: online sales up 18%, returns down 9%",
            "Online revenue grew 18% on the quarter, led by Europe, while returns fell 9% after the new size"
                    + " guides. North America grew steadily. Asia-Pacific slipped 3% because of supply problems"
                    + " that are now being fixed. Overall a strong quarter with one region to watch.",
            82,
            List.of(new SalesReport.Region("Europe", 24.0, "Strongest growth, driven by the autumn campaign.",
                            List.of("Extend the campaign to the winter season")),
                    new SalesReport.Region("North America", 11.0, "Steady growth in all categories.",
                            List.of("Keep pricing stable", "Test free returns")),
                    new SalesReport.Region("Asia-Pacific", -3.0, "Stock-outs cost sales in August.",
                            List.of("Add a second supplier", "Raise safety stock"))));

    /** {@link #REPORT} streamed like a hosted model at {@code tokensPerSecond}, starting a little sooner. */
    static Reply simulatedAnswer(double tokensPerSecond) {
        return SimulatedShop.paced(SimulatedShop.json(REPORT), tokensPerSecond).timeToFirstToken(Duration.ofMillis(300));
    }
}
