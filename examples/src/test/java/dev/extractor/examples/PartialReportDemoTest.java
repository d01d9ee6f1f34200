package dev.extractor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.client.ChatRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The partial-report demo against the simulated model, fast-forwarded. */
class PartialReportDemoTest {

    private static final double TOKENS_PER_SECOND = 2_000;

    @BeforeAll
    static void quietValidator() {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    @Test
    void printsTheHeadlineTheGrowingSummaryTheScoreAndEachRegionInOrderThenTheValidatedReport() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SalesReport report;
        try (DemoModel simulated = PartialReportDemo.simulated(TOKENS_PER_SECOND)) {
            report = new PartialReportDemo(new PrintStream(printed, true, StandardCharsets.UTF_8))
                    .run(simulated.extractor());
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        List<String> order = List.of("headline  Q3: online sales", "summary   Online revenue grew 18%",
                "Overall a strong quarter with one region to watch.", "score     82/100", "region    Europe",
                "region    North America", "region    Asia-Pacific", "complete: the whole report is validated (3",
                "usage ");
        int at = -1;
        for (String part : order) {
            int next = out.indexOf(part, at + 1);
            assertTrue(next > at, "'" + part + "' after the previous part in:\n" + out);
            at = next;
        }
        assertEquals(3, report.regions().size());
        assertEquals(82, report.healthScore());
    }

    @Test
    void theSummaryGrowsOverManySnapshotsAndTheHeadlineIsThereBeforeTheEnd() {
        List<Partial<SalesReport>> snapshots = new ArrayList<>();
        try (DemoModel simulated = PartialReportDemo.simulated(TOKENS_PER_SECOND);
             PartialStream<SalesReport> stream = simulated.extractor().partials(SalesReport.class,
                     ChatRequest.of(PartialReportDemo.PROMPT))) {
            stream.forEach(snapshots::add);
        }
        long growing = snapshots.stream().filter(s -> s.changed().contains("/summary")
                && s.state("/summary") == Partial.State.IN_PROGRESS).count();
        assertTrue(growing > 5, "the summary grew in " + growing + " snapshots");
        int headline = indexOf(snapshots, "/headline");
        int lastRegion = indexOf(snapshots, "/regions/2");
        assertTrue(headline < lastRegion && lastRegion < snapshots.size(), headline + " < " + lastRegion);
        assertTrue(snapshots.get(snapshots.size() - 1).isComplete());
    }

    private static int indexOf(List<Partial<SalesReport>> snapshots, String completed) {
        for (int i = 0; i < snapshots.size(); i++) {
            if (snapshots.get(i).completed().contains(completed)) {
                return i;
            }
        }
        return -1;
    }
}
