package dev.extractor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.extractor.testing.Gate;
import dev.extractor.testing.SimulatedModel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser demo end to end, in headless Chromium: the first card is on the page while the model still holds
 * back the rest of its answer, and all ten end up in rank order. Saves {@code target/screenshots/demo.png}.
 *
 * <p>Uses the system's Chromium and chromedriver (Debian's {@code chromium} and {@code chromium-driver}; other
 * paths with {@code -Dchromium=...} and {@code -Dchromedriver=...}); skipped where they are not installed. Nothing is
 * downloaded: the driver and the browser are given explicitly, so Selenium Manager is never asked.
 */
class BrowserDemoTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final double TOKENS_PER_SECOND = 400;
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String NOT_INSTALLED = "BrowserDemoTest skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
            + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them)";

    /** Held here: JUL keeps loggers weakly, and the level would go with a collected one. */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    private final Gate gate = new Gate();
    private SimulatedModel model;
    private DemoModel simulated;
    private WebDemo web;
    private Path profileDir;
    private ChromeDriver browser;

    @BeforeAll
    static void quietLogs() {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        SELENIUM_LOG.setLevel(Level.SEVERE); // not "no CDP implementation for Chromium N": the test needs no CDP
    }

    @BeforeEach
    void start() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.err.println(NOT_INSTALLED);
        }
        assumeTrue(installed, NOT_INSTALLED);
        String answer = SimulatedShop.recommendationsJson();
        model = SimulatedModel.start().respondWith(request -> SimulatedShop.paced(answer, TOKENS_PER_SECOND)
                .holdAfterChars(answer.indexOf('}') + 1, gate)); // everything after the first element waits
        simulated = DemoModel.simulated(model);
        web = WebDemo.start(simulated.extractor(), 0);

        profileDir = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--user-data-dir=" + profileDir, "--window-size=1280,1500");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterEach
    void stop() throws IOException {
        gate.open(); // never leave the model's reply parked
        if (browser != null) {
            browser.quit();
        }
        if (web != null) {
            web.close();
        }
        if (simulated != null) {
            simulated.close();
        }
        if (profileDir != null) {
            try (Stream<Path> files = Files.walk(profileDir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void firstCardShowsBeforeTheStreamEndsAndAllTenEndInRankOrder() throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        browser.get(web.uri().toString());
        wait.until(b -> !b.findElement(By.name("searches")).getDomProperty("value").isEmpty()); // profile loaded
        browser.findElement(By.id("recommend")).click();

        List<WebElement> cards = wait.until(b -> {
            List<WebElement> found = b.findElements(By.cssSelector("#cards .card"));
            return found.isEmpty() ? null : found;
        });
        assertEquals(1, cards.size());
        assertEquals("1", cards.get(0).getDomAttribute("data-rank"));
        assertEquals("Kindle Paperwhite (16 GB)", cards.get(0).findElement(By.className("name")).getText());
        assertEquals("streaming", results().getDomAttribute("data-state"));
        assertFalse(model.lastReplyTimeline().isComplete(), "the first card is there before the stream has finished");
        screenshot("first-card.png");

        gate.open();
        wait.until(b -> "done".equals(results().getDomAttribute("data-state")));
        List<String> ranks = browser.findElements(By.cssSelector("#cards .card")).stream()
                .map(card -> card.getDomAttribute("data-rank"))
                .toList();
        assertEquals(IntStream.rangeClosed(1, 10).mapToObj(String::valueOf).toList(), ranks);
        assertNotEquals(browser.findElement(By.id("first")).getText(), browser.findElement(By.id("last")).getText(),
                "the timer shows the first card before the last");
        screenshot("demo.png");
    }

    private WebElement results() {
        return browser.findElement(By.id("results"));
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File png = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
