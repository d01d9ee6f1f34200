package dev.extractor.examples;

import dev.extractor.ElementReader;
import dev.extractor.JsonSchemas;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.SimulatedModel;
import java.util.function.Supplier;

/**
 * The model the demos talk to: a real OpenAI-compatible server when one is configured, the simulated model
 * otherwise. Either way the demos get an {@link OpenAiExtractor}, and run the same code.
 *
 * <p>A real server is used when {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} is set (a local server such as
 * Ollama or vLLM needs no key). The model is {@code -Dmodel=...}, else {@code OPENAI_MODEL}, else {@value
 * #DEFAULT_MODEL}. The key is never printed.
 */
public final class DemoModel implements AutoCloseable {

    /** The model asked when none is configured. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini";

    private final OpenAiExtractor extractor;
    private final SimulatedModel simulated;
    private final String description;

    private DemoModel(OpenAiExtractor extractor, SimulatedModel simulated, String description) {
        this.extractor = extractor;
        this.simulated = simulated;
        this.description = description;
    }

    /** A real server if the environment names one, else the {@link SimulatedShop simulated model}. */
    public static DemoModel fromEnvironment() {
        return fromEnvironment(() -> simulated(SimulatedShop.start()));
    }

    /** A real server if the environment names one, else {@code simulated}'s model. */
    public static DemoModel fromEnvironment(Supplier<DemoModel> simulated) {
        String key = System.getenv("OPENAI_API_KEY");
        String baseUrl = System.getenv("OPENAI_BASE_URL");
        if (isBlank(key) && isBlank(baseUrl)) {
            return simulated.get();
        }
        String model = firstNonBlank(System.getProperty("model"), System.getenv("OPENAI_MODEL"), DEFAULT_MODEL);
        OpenAiExtractor extractor = OpenAiExtractor.builder().environment().model(model).build();
        String where = isBlank(baseUrl) ? OpenAiExtractor.DEFAULT_BASE_URL : baseUrl.strip();
        return new DemoModel(extractor, null, "Model: " + model + " at " + where
                + (isBlank(key) ? " (no OPENAI_API_KEY)" : " (OPENAI_API_KEY set)"));
    }

    /** The given simulated model, described as streaming at the shop's pace; this closes it when it is closed. */
    public static DemoModel simulated(SimulatedModel model) {
        return simulated(model, SimulatedShop.TOKENS_PER_SECOND);
    }

    /** The given simulated model, which streams at about {@code tokensPerSecond}; this closes it when it is closed. */
    public static DemoModel simulated(SimulatedModel model, double tokensPerSecond) {
        OpenAiExtractor extractor = OpenAiExtractor.builder().baseUrl(model.baseUrl()).model("simulated").build();
        return new DemoModel(extractor, model, "No OPENAI_API_KEY set: using the simulated model (scripted, ~"
                + Math.round(tokensPerSecond) + " tokens/s).");
    }

    /**
     * Does the once-per-JVM work up front, as a service does at start-up: generating the JSON Schema of {@link
     * ProductRecommendation} (reflection) and bootstrapping Hibernate Validator take a second or more on a cold
     * JVM, and would otherwise be counted in the first request's time to first result. Both are cached.
     */
    public static void warmUp() {
        JsonSchemas.strictListSchema(ProductRecommendation.class);
        ElementReader.of(ProductRecommendation.class).readAll("{\"items\":[{\"productId\":\"P-101\","
                + "\"productName\":\"Apple MacBook Air\",\"reason\":\"A light, fast laptop.\",\"rank\":1}]}");
    }

    /** The extractor to call. */
    public OpenAiExtractor extractor() {
        return extractor;
    }

    /** Whether this is the simulated model. */
    public boolean isSimulated() {
        return simulated != null;
    }

    /** One line saying which model this is, for the demos to print. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        extractor.close();
        if (simulated != null) {
            simulated.close();
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (!isBlank(v)) {
                return v.strip();
            }
        }
        return null;
    }
}
