package dev.extractor.examples;

import dev.extractor.ElementReader;
import dev.extractor.JsonSchemas;
import dev.extractor.ValidationContext;
import dev.extractor.anthropic.AnthropicExtractor;
import dev.extractor.client.Extractor;
import dev.extractor.gemini.GeminiExtractor;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.SimulatedModel;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The model the demos talk to: a real provider when its key is set, the simulated model otherwise. Either way the
 * demos get an {@link Extractor}, and run the same code whatever the provider.
 *
 * <p>The provider is {@code -Dprovider=openai|responses|anthropic|gemini} (default {@code openai}): OpenAI's Chat
 * Completions (or any OpenAI-compatible server), OpenAI's Responses API, Anthropic's Messages API, Google's Gemini
 * API. A real one is used when its environment names one: {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} (a local
 * server such as Ollama or vLLM needs no key) for the first two, {@code ANTHROPIC_API_KEY} for Anthropic,
 * {@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY} for Gemini. Otherwise the simulated model speaks that provider's
 * wire format. The model is {@code -Dmodel=...}, else the provider's variable ({@code OPENAI_MODEL},
 * {@code ANTHROPIC_MODEL}, {@code GEMINI_MODEL}), else its default. The key is never printed.
 */
public final class DemoModel implements AutoCloseable {

    /** The model asked of OpenAI when none is configured. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini";

    /** The providers the demos speak to, and their wire formats. */
    public enum Provider {
        /** OpenAI Chat Completions, or any OpenAI-compatible server. */
        OPENAI("OpenAI Chat Completions", "OPENAI_MODEL", DEFAULT_MODEL),
        /** OpenAI's Responses API. */
        RESPONSES("OpenAI Responses", "OPENAI_MODEL", DEFAULT_MODEL),
        /** Anthropic's Messages API. */
        ANTHROPIC("Anthropic Messages", "ANTHROPIC_MODEL", "claude-sonnet-4-5"),
        /** Google's Gemini API. */
        GEMINI("Google Gemini", "GEMINI_MODEL", "gemini-2.5-flash");

        private final String title;
        private final String modelVariable;
        private final String defaultModel;

        Provider(String title, String modelVariable, String defaultModel) {
            this.title = title;
            this.modelVariable = modelVariable;
            this.defaultModel = defaultModel;
        }

        /**
         * The provider named by {@code -Dprovider} (default {@code openai}).
         *
         * @throws IllegalArgumentException for another name
         */
        public static Provider fromSystemProperty() {
            return of(System.getProperty("provider", "openai"));
        }

        /**
         * The provider of that name ({@code openai}, {@code responses}, {@code anthropic}, {@code gemini}).
         *
         * @throws IllegalArgumentException for another name
         */
        public static Provider of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown provider '" + name
                        + "': use -Dprovider=openai, responses, anthropic or gemini", e);
            }
        }

        /** Whether the environment names a real server of this provider. */
        boolean configured(Map<String, String> env) {
            return switch (this) {
                case OPENAI, RESPONSES -> !isBlank(env.get("OPENAI_API_KEY")) || !isBlank(env.get("OPENAI_BASE_URL"));
                case ANTHROPIC -> !isBlank(env.get("ANTHROPIC_API_KEY"));
                case GEMINI -> !isBlank(env.get("GEMINI_API_KEY")) || !isBlank(env.get("GOOGLE_API_KEY"));
            };
        }

        /** The real provider, configured from the environment, asking {@code model}. */
        Extractor real(String model) {
            return switch (this) {
                case OPENAI -> OpenAiExtractor.builder().environment().model(model).build();
                case RESPONSES -> OpenAiExtractor.builder().environment().api(OpenAiExtractor.Api.RESPONSES)
                        .model(model).build();
                case ANTHROPIC -> AnthropicExtractor.builder().environment().model(model).build();
                case GEMINI -> GeminiExtractor.builder().environment().model(model).build();
            };
        }

        /** This provider's wire format, spoken by {@code model}. */
        Extractor simulated(SimulatedModel model) {
            return switch (this) {
                case OPENAI -> OpenAiExtractor.builder().baseUrl(model.baseUrl()).model("simulated").build();
                case RESPONSES -> OpenAiExtractor.builder().api(OpenAiExtractor.Api.RESPONSES).baseUrl(model.baseUrl())
                        .model("simulated").build();
                case ANTHROPIC -> AnthropicExtractor.builder().baseUrl(model.rootUrl()).apiKey("simulated")
                        .model("simulated").build();
                case GEMINI -> GeminiExtractor.builder().baseUrl(model.rootUrl()).apiKey("simulated")
                        .model("simulated").build();
            };
        }

        /** The provider's name, for the demos to print. */
        public String title() {
            return title;
        }
    }

    private final Extractor extractor;
    private final SimulatedModel simulated;
    private final String description;

    private DemoModel(Extractor extractor, SimulatedModel simulated, String description) {
        this.extractor = extractor;
        this.simulated = simulated;
        this.description = description;
    }

    /** The {@code -Dprovider}'s real server if the environment names one, else the {@link SimulatedShop}. */
    public static DemoModel fromEnvironment() {
        return fromEnvironment(() -> simulated(SimulatedShop.start()));
    }

    /** The {@code -Dprovider}'s real server if the environment names one, else {@code simulated}'s model. */
    public static DemoModel fromEnvironment(Supplier<DemoModel> simulated) {
        Provider provider = Provider.fromSystemProperty();
        Map<String, String> env = System.getenv();
        if (!provider.configured(env)) {
            return simulated.get();
        }
        String model = firstNonBlank(System.getProperty("model"), env.get(provider.modelVariable),
                provider.defaultModel);
        return new DemoModel(provider.real(model), null, provider.title() + ", model " + model + " (its key is set"
                + " in the environment)");
    }

    /** The given simulated model, speaking the {@code -Dprovider}'s wire format; this closes it when it is closed. */
    public static DemoModel simulated(SimulatedModel model) {
        return simulated(model, SimulatedShop.TOKENS_PER_SECOND);
    }

    /** Like {@link #simulated(SimulatedModel)}, for a model that streams at about {@code tokensPerSecond}. */
    public static DemoModel simulated(SimulatedModel model, double tokensPerSecond) {
        return simulated(model, tokensPerSecond, Provider.fromSystemProperty());
    }

    /** The given simulated model, speaking {@code provider}'s wire format; this closes it when it is closed. */
    public static DemoModel simulated(SimulatedModel model, double tokensPerSecond, Provider provider) {
        return new DemoModel(provider.simulated(model), model, "No key set for " + provider.title()
                + ": using the simulated model, in " + provider.title() + "'s wire format (scripted, ~"
                + Math.round(tokensPerSecond) + " tokens/s).");
    }

    /**
     * Does the once-per-JVM work up front, as a service does at start-up: generating the JSON Schema of {@link
     * ProductRecommendation} (reflection) and bootstrapping Hibernate Validator take a second or more on a cold
     * JVM, and would otherwise be counted in the first request's time to first result. Both are cached.
     */
    public static void warmUp() {
        JsonSchemas.strictListSchema(ProductRecommendation.class);
        // with a request's candidates, as every request of the demos has them (CandidateProductValidator)
        ElementReader.of(ProductRecommendation.class)
                .with(ValidationContext.none().withPayload(Shop.candidatesFor(CustomerProfile.DEFAULT)))
                .readAll("{\"items\":[{\"productId\":\"P-101\",\"productName\":\"Apple MacBook Air\","
                        + "\"reason\":\"A light, fast laptop.\",\"rank\":1}]}");
    }

    /** The extractor to call. */
    public Extractor extractor() {
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
