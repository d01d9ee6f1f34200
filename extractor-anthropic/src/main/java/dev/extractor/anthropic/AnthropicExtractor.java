package dev.extractor.anthropic;

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
 * Typed, validated objects from Anthropic's Messages API ({@code POST /v1/messages}), streamed while Claude writes.
 * The calls are the provider-neutral {@link Extractor}'s; this class configures them for Anthropic: the endpoint,
 * the key ({@code x-api-key}), the {@code anthropic-version}, and how each {@link Mode} is written.
 *
 * <pre>{@code
 * try (Extractor ai = AnthropicExtractor.fromEnv()) {      // ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ANTHROPIC_MODEL
 *     try (ElementStream<Product> products = ai.stream(Product.class, "Recommend five laptops for a student")) {
 *         for (Product p : products) show(p);
 *     }
 * }
 * }</pre>
 *
 * <p>How the modes are sent: {@link Mode#JSON_SCHEMA} (the default) as structured output, {@code output_config:
 * {format: {type: json_schema, schema}}} (Claude Opus 4.5 / Sonnet 4.5 / Haiku 4.5 and later); {@link Mode#TOOLS} as
 * a tool Claude is made to call ({@code tool_choice: {type: tool}}), its {@code input_json_delta}s streaming as the
 * answer, strict when the schemas are in {@link SchemaDialect#ANTHROPIC} (the default dialect here: every object
 * closed, every property required and nullable when absent, no numeric or length bounds, which Bean Validation still
 * checks); {@link Mode#JSON} and {@link Mode#MD_JSON} as plain text with the schema in the system prompt (Anthropic
 * has no JSON mode). Thinking blocks are kept apart ({@link dev.extractor.StreamResult#thinking()}); stop reasons map
 * to the core's ({@code max_tokens}: truncation, {@code refusal}: a refusal with the explanation); an {@code
 * overloaded_error} event mid-stream and HTTP 529 are {@link dev.extractor.client.OverloadedException}s; 429, 529
 * and 5xx are retried before the first byte, honouring {@code retry-after} and {@code x-should-retry}, and so is an
 * error event of those kinds before any of the answer (an {@code overloaded_error} right after {@code
 * message_start}). Usage counts cache
 * reads and writes in the prompt tokens, and reports them apart.
 *
 * <p>The API key appears in no message, log line or {@code toString}. Thread-safe: share one. {@link #close()}
 * releases the client and threads it created.
 */
public final class AnthropicExtractor extends AbstractExtractor {

    /** The default base URL, Anthropic's (the path {@code /v1/messages} is added). */
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    /** The default {@code anthropic-version} header. */
    public static final String DEFAULT_VERSION = "2023-06-01";
    /** The default {@code max_tokens} of a request that sets none (the API requires one). */
    public static final int DEFAULT_MAX_TOKENS = 8192;

    private final HttpUrl endpoint;
    private final boolean hasApiKey;

    private AnthropicExtractor(Builder b, AnthropicMessages wire, HttpUrl endpoint) {
        super(b, wire, endpoint.toString());
        this.endpoint = endpoint;
        this.hasApiKey = b.apiKey != null;
    }

    /**
     * An extractor configured from the environment: {@code ANTHROPIC_API_KEY}, {@code ANTHROPIC_BASE_URL} (default
     * {@value #DEFAULT_BASE_URL}), and optionally {@code ANTHROPIC_MODEL}.
     *
     * @throws IllegalStateException if no API key is set for Anthropic's own endpoint
     * @return the extractor
     */
    public static AnthropicExtractor fromEnv() {
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
        return "No model: set one with AnthropicExtractor.Builder.model(...), ChatRequest.Builder.model(...) or the"
                + " ANTHROPIC_MODEL environment variable (e.g. claude-sonnet-4-5)";
    }

    /** The endpoint, model and mode; never the API key, nor query parameter values. */
    @Override
    public String toString() {
        return "AnthropicExtractor[" + endpoint.newBuilder().query(null).build() + ", model=" + defaultModel()
                + ", mode=" + defaultMode() + ", schemaDialect=" + schemaDialect() + ", apiKey="
                + (hasApiKey ? "(set)" : "(none)") + "]";
    }

    /**
     * Options of an {@link AnthropicExtractor}: the provider-neutral ones of {@link ExtractorBuilder} (model, mode,
     * schema dialect, re-asks, mapper, validator, limits, executor, listener, retries, timeouts, headers, query
     * parameters, OkHttp client), and Anthropic's own: the base URL, the API key, the {@code anthropic-version}, the
     * default {@code max_tokens}. Defaults: {@value AnthropicExtractor#DEFAULT_BASE_URL}, {@value
     * AnthropicExtractor#DEFAULT_VERSION}, {@value AnthropicExtractor#DEFAULT_MAX_TOKENS} tokens, {@link
     * SchemaDialect#ANTHROPIC}, and {@link ExtractorBuilder}'s. Beta features: {@code header("anthropic-beta", ...)}.
     */
    public static final class Builder extends ExtractorBuilder<Builder> {
        private String apiKey;
        private String baseUrl = DEFAULT_BASE_URL;
        private String version = DEFAULT_VERSION;
        private int maxTokens = DEFAULT_MAX_TOKENS;

        private Builder() {
            schemaDialect(SchemaDialect.ANTHROPIC);
        }

        /**
         * Reads {@code ANTHROPIC_API_KEY}, {@code ANTHROPIC_BASE_URL} and {@code ANTHROPIC_MODEL} from the
         * environment; those set (and not blank) override what this builder had.
         *
         * @return this builder
         */
        public Builder environment() {
            return environment(System.getenv());
        }

        Builder environment(Map<String, String> env) {
            String v;
            if ((v = env(env, "ANTHROPIC_API_KEY")) != null) {
                apiKey = v;
            }
            if ((v = env(env, "ANTHROPIC_BASE_URL")) != null) {
                baseUrl = v;
            }
            if ((v = env(env, "ANTHROPIC_MODEL")) != null) {
                model(v);
            }
            return this;
        }

        private static String env(Map<String, String> env, String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        /**
         * The API key, sent as {@code x-api-key}.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * The API's base URL, without {@code /v1/messages}: {@value AnthropicExtractor#DEFAULT_BASE_URL} (default), a
         * gateway, or a {@code SimulatedModel}'s {@code rootUrl()}.
         *
         * @param baseUrl the base URL
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * The {@code anthropic-version} header (default {@value AnthropicExtractor#DEFAULT_VERSION}).
         *
         * @param version the header's value
         * @return this builder
         */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * The {@code max_tokens} of requests that set neither {@code maxTokens} nor {@code maxCompletionTokens}
         * (default {@value AnthropicExtractor#DEFAULT_MAX_TOKENS}).
         *
         * @throws IllegalArgumentException if not positive
         * @param maxTokens the number of tokens
         * @return this builder
         */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
            }
            this.maxTokens = maxTokens;
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
         * @throws IllegalStateException if no API key is set for Anthropic's own endpoint
         * @return the extractor
         */
        public AnthropicExtractor build() {
            String base = baseUrl.strip();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            HttpUrl parsed = HttpUrl.parse(base + "/v1/messages");
            if (parsed == null) {
                throw new IllegalArgumentException("Not an http(s) URL: " + baseUrl.replaceAll("\\?.*", "?(query hidden)"));
            }
            if (apiKey == null && "api.anthropic.com".equals(parsed.host())) {
                throw new IllegalStateException("No API key: set ANTHROPIC_API_KEY, or AnthropicExtractor.Builder"
                        + ".apiKey(...)");
            }
            AnthropicMessages wire = new AnthropicMessages(parsed.toString(), apiKey, version, maxTokens);
            return new AnthropicExtractor(this, wire, parsed);
        }

        /** The settings; never the API key. */
        @Override
        public String toString() {
            return "AnthropicExtractor.Builder[" + baseUrl.replaceAll("\\?.*", "?(query hidden)") + ", model="
                    + model() + ", mode=" + mode() + ", apiKey=" + (apiKey == null ? "(none)" : "(set)") + ", headers="
                    + headerNames() + "]";
        }
    }
}
