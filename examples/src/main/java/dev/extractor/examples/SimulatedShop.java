package dev.extractor.examples;

import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated model's side of the demos: what a good model answers to the shop's requests, streamed the way a
 * hosted model streams it (token-sized fragments at about 80 tokens/s, after a short time to first token).
 *
 * <p>The answers are real JSON, as a model in structured-output mode writes it (compact, fields in schema order),
 * so the client, parser and validation run exactly as they would against a real server.
 */
public final class SimulatedShop {

    private SimulatedShop() {
    }

    /** Fragments per second; one fragment is 1 to 6 characters, about a token. */
    public static final double TOKENS_PER_SECOND = 80;

    /** The delay before the first fragment, as a hosted model takes to start answering. */
    public static final Duration TIME_TO_FIRST_TOKEN = Duration.ofMillis(400);

    /** The ranking a good model gives {@link CustomerProfile#DEFAULT}: all ten candidates, best first. */
    public static final List<ProductRecommendation> RANKING = List.of(
            new ProductRecommendation("P-104", "Kindle Paperwhite (16 GB)", "Your sci-fi searches and book"
                    + " browsing point to an e-reader, and at $149 it sits well inside your budget.", 1),
            new ProductRecommendation("P-110", "Project Hail Mary by Andy Weir", "A much-loved sci-fi novel that"
                    + " matches your recent book searches, for just $18.", 2),
            new ProductRecommendation("P-106", "Manduka PRO Yoga Mat 6 mm", "You searched for yoga mats and browse"
                    + " fitness, and this durable, cushioned mat is a long-term favourite.", 3),
            new ProductRecommendation("P-105", "Allbirds Wool Runners", "Allbirds is one of your preferred brands,"
                    + " and these light, comfortable sneakers suit your fitness interest.", 4),
            new ProductRecommendation("P-107", "Bench Hooded Rain Jacket", "A practical jacket from Bench, a brand"
                    + " you like, at a price that leaves plenty of room in your budget.", 5),
            new ProductRecommendation("P-101", "Apple MacBook Air 13\" (M3)", "Apple is a favourite and you searched"
                    + " for laptops, but you just bought one and this is over your monthly budget.", 6),
            new ProductRecommendation("P-103", "Apple Watch Series 9", "It fits your Apple and fitness interests,"
                    + " though you bought a smart watch recently.", 7),
            new ProductRecommendation("P-108", "GoPro HERO12 Black", "An action camera suits an active life, but"
                    + " nothing in your history asks for one.", 8),
            new ProductRecommendation("P-102", "Sony WH-1000XM5 Headphones", "Superb noise cancelling, but you"
                    + " bought wireless headphones recently and rated them 4/5.", 9),
            new ProductRecommendation("P-109", "Philips LatteGo Espresso Machine", "Philips is on your list of"
                    + " brands to avoid, and at $599 it is over your monthly budget.", 10));

    /** What the demo's customer note asks for, as a good model extracts it. */
    public static final ShoppingIntent INTENT = new ShoppingIntent("running shoes", "their sister, for her birthday",
            150, List.of("light", "breathable"), List.of("Adidas"));

    /** A top three whose second element names a product the shop does not have: rejected by validation. */
    public static final List<ProductRecommendation> TOP_THREE_WITH_AN_INVENTED_PRODUCT = List.of(
            RANKING.get(0),
            new ProductRecommendation("P-111", "Project Hail Mary (hardcover)", "A much-loved sci-fi novel that"
                    + " matches your recent book searches, now in hardcover.", 2),
            RANKING.get(2));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Starts a simulated model that answers the demos' requests (see {@link #answer}) at the usual pace. */
    public static SimulatedModel start() {
        return SimulatedModel.start().respondWith(request -> answer(request, TOKENS_PER_SECOND));
    }

    /** The answer to a request: {@link #INTENT} when asked for a {@code ShoppingIntent}, else {@link #RANKING}. */
    public static Reply answer(RecordedRequest request, double tokensPerSecond) {
        // the schema's name, or (for the wire formats that send no name: Anthropic's, Gemini's) its first property
        boolean intent = request.body().contains(ShoppingIntent.class.getSimpleName())
                || request.body().contains("\"lookingFor\"");
        return paced(intent ? json(INTENT) : recommendationsJson(), tokensPerSecond);
    }

    /** {@code {"items":[...]}} with all of {@link #RANKING}, as a model in structured-output mode writes it. */
    public static String recommendationsJson() {
        return json(Map.of("items", RANKING));
    }

    /** {@code json} streamed like a hosted model: token-sized fragments at {@code tokensPerSecond}. */
    public static Reply paced(String json, double tokensPerSecond) {
        return Reply.content(json)
                .tokensPerSecond(tokensPerSecond)
                .chunkChars(1, 6)
                .timeToFirstToken(TIME_TO_FIRST_TOKEN);
    }

    /**
     * Starts a simulated model scripted for the REPAIR demo: its first answer is {@link
     * #TOP_THREE_WITH_AN_INVENTED_PRODUCT}; its second, to the request to correct the invalid element, is that
     * element corrected.
     */
    public static SimulatedModel startWithAnInvalidElement(double tokensPerSecond) {
        return SimulatedModel.start()
                .enqueue(paced(json(Map.of("items", TOP_THREE_WITH_AN_INVENTED_PRODUCT)), tokensPerSecond))
                .enqueue(paced(json(Map.of("items", List.of(RANKING.get(1)))), tokensPerSecond));
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
