package dev.extractor.examples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The entry points the README tells a new user to run, run as they are: the other tests drive the demos' parts,
 * these the {@code main} methods' own wiring (the warm-up, the quickstart's own data), which no other test reaches.
 */
class MainsTest {

    @BeforeAll
    static void quietValidator() {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    @Test
    void theConsoleDemosWarmUpReadsAValidRecommendation() {
        assertDoesNotThrow(DemoModel::warmUp);
    }

    @Test
    void theQuickstartsMainReadsItsOwnAnswerPulledAndPushed() {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Quickstart.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertEquals(2, text.split("1\\. MacBook Air: ", -1).length - 1,
                "rendered once pulled, once pushed: " + text);
    }

    @Test
    void theColdStartTrainingRunMakesItsExtraction() {
        assertDoesNotThrow(() -> ColdStartTraining.main(new String[0]));
    }

    @Test
    void theReadmesFirstCommandRunsTheWholeConsoleDemoWithNoKey() {
        assumeFalse(DemoModel.Provider.fromSystemProperty().configured(System.getenv()),
                "a provider key is set: the demo would call the real server");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = ConsoleDemo.run(); // what main runs, without its System.exit
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertEquals(0, status, text);
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("10 delivered, 0 skipped")
                && text.contains("(corrected)"), "the three parts ran to their end:\n" + text);
    }
}
