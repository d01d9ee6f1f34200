package dev.extractor.examples.boot;

import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.time.Duration;
import java.util.Map;

/**
 * The simulated model the application talks to when no real server is configured: a good model's ranking, streamed
 * as a hosted model streams it (token-sized fragments at about 80 tokens/s after 400 ms), with one invented product
 * that {@link InCatalogue} rejects.
 */
public final class SimulatedShop {

    private SimulatedShop() {
    }

    /** Five recommendations, the fourth of a product the catalogue does not have. */
    public static final String ANSWER = "{\"items\":["
            + item("P-104", "Kindle Paperwhite (16 GB)", "Your sci-fi reading points to an e-reader, and at $149 it"
                    + " fits your budget.", 1)
            + "," + item("P-110", "Project Hail Mary by Andy Weir", "A much-loved sci-fi novel for just $18.", 2)
            + "," + item("P-106", "Manduka PRO Yoga Mat 6 mm", "A durable, cushioned mat for your yoga.", 3)
            + "," + item("P-999", "Kindle Scribe", "Reading and notes in one device (not sold here).", 4)
            + "," + item("P-105", "Allbirds Wool Runners", "Light, comfortable sneakers for your runs.", 5)
            + "]}";

    private static String item(String id, String name, String reason, int rank) {
        return "{\"productId\":\"" + id + "\",\"productName\":\"" + name.replace("\"", "\\\"") + "\",\"reason\":\""
                + reason + "\",\"rank\":" + rank + "}";
    }

    /** The answer, paced like a hosted model. */
    public static Reply paced(double tokensPerSecond) {
        return Reply.content(ANSWER).tokensPerSecond(tokensPerSecond).chunkChars(1, 6)
                .timeToFirstToken(Duration.ofMillis(400));
    }

    /** Starts the simulated model, answering every request with {@link #paced}. */
    public static SimulatedModel start() {
        return SimulatedModel.start().respondWith(request -> paced(80));
    }

    /** The properties that point the starter at {@code model}. */
    public static Map<String, Object> properties(SimulatedModel model) {
        return Map.of("extractor.base-url", model.baseUrl(), "extractor.api-key", "sk-simulated",
                "extractor.model", "simulated");
    }
}
