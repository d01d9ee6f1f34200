package dev.extractor.gemini;

import dev.extractor.SchemaDialect;
import dev.extractor.client.AbstractExtractor;
import dev.extractor.client.Extractor;
import dev.extractor.client.ExtractorBuilder;
import dev.extractor.client.Mode;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;

/**
 * Typed, validated objects from Google's Gemini API ({@code :streamGenerateContent?alt=sse}), streamed while the
 * model writes. The calls are the provider-neutral {@link Extractor}'s; this class configures them for Gemini: the
 * endpoint, the key ({@code x-goog-api-key}) and how each {@link Mode} is written.
 *
 * <pre>{@code
 * try (Extractor ai = GeminiExtractor.fromEnv()) {          // GOOGLE_API_KEY or GEMINI_API_KEY, GEMINI_MODEL
 *     try (ElementStream<Product> products = ai.stream(Product.class, "Recommend five laptops for a student")) {
 *         for (Product p : products) show(p);
 *     }
 * }
 * }</pre>
 *
 * <p>How the modes are sent: {@link Mode#JSON_SCHEMA} (the default) as {@code responseMimeType: application/json}
 * with {@code responseJsonSchema}, the schemas in {@link SchemaDialect#GEMINI} (the default dialect here; {@link
 * SchemaDialect#GEMINI_OPENAPI} sends the older {@code responseSchema}); {@link Mode#TOOLS} as a function the model
 * must call ({@code functionCallingConfig: {mode: ANY}}; Gemini sends a call's arguments whole, so a tool answer
 * arrives at once, not element by element); {@link Mode#JSON} as {@code responseMimeType: application/json} with the
 * schema in the system instruction; {@link Mode#MD_JSON} as plain text. Thought parts are kept apart ({@link
 * dev.extractor.StreamResult#thinking()}); {@code MAX_TOKENS} is truncation; {@code SAFETY}, {@code RECITATION},
 * {@code PROHIBITED_CONTENT} and a blocked prompt ({@code promptFeedback.blockReason}) are content-filter outcomes;
 * 429 ({@code RESOURCE_EXHAUSTED}) and 5xx are retried before the first byte, waiting the {@code RetryInfo} delay
 * of the error body, and so is an error chunk of those kinds before any of the answer.
 *
 * <p>The API key appears in no message, log line or {@code toString}. Thread-safe: share one. {@link #close()}
 * releases the client and threads it created.
 */
public final class GeminiExtractor extends AbstractExtractor {

    /** The default base URL, Google's Generative Language API. */
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
    /** The default API version in the path. */
    public static final String DEFAULT_API_VERSION = "v1beta";

    private final String where;
    private final boolean hasApiKey;

    private GeminiExtractor(Builder b, GeminiApi wire, String where) {
        super(b, wire, where); // a loopback http:// base URL gets a cleartext-only client (no TLS set-up)
        this.where = where;
        this.hasApiKey = b.apiKey != null;
    }

    /**
     * An extractor configured from the environment: the key from {@code GOOGLE_API_KEY} (which wins, as in Google's
     * SDKs) or {@code GEMINI_API_KEY}, and optionally {@code GEMINI_MODEL}.
     *
     * @throws IllegalStateException if no API key is set for Google's own endpoint
     * @return the extractor
     */
    public static GeminiExtractor fromEnv() {
        return builder().environment().build();
    }

    /**
     * A builder with the defaults (see {@link Builder}).
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected String missingModelMessage() {
        return "No model: set one with GeminiExtractor.Builder.model(...), ChatRequest.Builder.model(...) or the"
                + " GEMINI_MODEL environment variable (e.g. gemini-2.5-flash)";
    }

    /** The endpoint, model and mode; never the API key. */
    @Override
    public String toString() {
        return "GeminiExtractor[" + where + ", model=" + defaultModel() + ", mode=" + defaultMode()
                + ", schemaDialect=" + schemaDialect() + ", apiKey=" + (hasApiKey ? "(set)" : "(none)") + "]";
    }

    /**
     * Options of a {@link GeminiExtractor}: the provider-neutral ones of {@link ExtractorBuilder}, and Gemini's own:
     * the base URL, the API version, the API key. Defaults: {@value GeminiExtractor#DEFAULT_BASE_URL}, {@value
     * GeminiExtractor#DEFAULT_API_VERSION}, {@link SchemaDialect#GEMINI}, and {@link ExtractorBuilder}'s.
     */
    public static final class Builder extends ExtractorBuilder<Builder> {
        private String apiKey;
        private String baseUrl = DEFAULT_BASE_URL;
        private String apiVersion = DEFAULT_API_VERSION;

        private Builder() {
            schemaDialect(SchemaDialect.GEMINI);
        }

        /**
         * Reads the key from {@code GOOGLE_API_KEY}, else {@code GEMINI_API_KEY}, and the model from {@code
         * GEMINI_MODEL}; those set (and not blank) override what this builder had.
         *
         * @return this builder
         */
        public Builder environment() {
            return environment(System.getenv());
        }

        Builder environment(Map<String, String> env) {
            String v;
            if ((v = env(env, "GOOGLE_API_KEY")) != null || (v = env(env, "GEMINI_API_KEY")) != null) {
                apiKey = v;
            }
            if ((v = env(env, "GEMINI_MODEL")) != null) {
                model(v);
            }
            return this;
        }

        private static String env(Map<String, String> env, String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        /**
         * The API key, sent as {@code x-goog-api-key}.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * The API's base URL, without the version: {@value GeminiExtractor#DEFAULT_BASE_URL} (default), a gateway,
         * or a {@code SimulatedModel}'s {@code rootUrl()}.
         *
         * @param baseUrl the base URL
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * The API version in the path (default {@value GeminiExtractor#DEFAULT_API_VERSION}; {@code v1} also exists).
         *
         * @param apiVersion the version, such as {@code v1beta}
         * @return this builder
         */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
            return this;
        }

        Builder sleeper(java.util.function.Consumer<java.time.Duration> sleeper) {
            return retrySleeper(sleeper);
        }

        Builder clock(Clock clock) {
            return retryClock(clock);
        }

        Builder random(DoubleSupplier random) {
            return retryRandom(random);
        }

        /**
         * The extractor.
         *
         * @throws IllegalArgumentException if the base URL is not an http(s) URL
         * @throws IllegalStateException if no API key is set for Google's own endpoint
         * @return the extractor
         */
        public GeminiExtractor build() {
            String base = baseUrl.strip();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            HttpUrl parsed = HttpUrl.parse(base + "/" + apiVersion);
            if (parsed == null || base.contains("?")) {
                throw new IllegalArgumentException("Not an http(s) URL without a query: "
                        + baseUrl.replaceAll("\\?.*", "?(query hidden)"));
            }
            if (apiKey == null && "generativelanguage.googleapis.com".equals(parsed.host())) {
                throw new IllegalStateException("No API key: set GOOGLE_API_KEY or GEMINI_API_KEY, or"
                        + " GeminiExtractor.Builder.apiKey(...)");
            }
            return new GeminiExtractor(this, new GeminiApi(base, apiVersion, apiKey), parsed.toString());
        }

        /** The settings; never the API key. */
        @Override
        public String toString() {
            return "GeminiExtractor.Builder[" + baseUrl.replaceAll("\\?.*", "?(query hidden)") + ", model=" + model()
                    + ", mode=" + mode() + ", apiKey=" + (apiKey == null ? "(none)" : "(set)") + ", headers="
                    + headerNames() + "]";
        }
    }
}
