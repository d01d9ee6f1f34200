package dev.extractor.openai;

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
 * Typed, validated objects from any OpenAI-compatible chat-completions server (OpenAI, Azure OpenAI, Ollama, vLLM,
 * llama.cpp's server, OpenRouter, Groq, Mistral, Gemini's OpenAI-compatible endpoint), streamed while the model
 * writes. The calls are the provider-neutral {@link Extractor}'s (see it for streams, lists, single objects,
 * partial objects, re-asks, repairs, events and errors); this class configures them for Chat Completions: the
 * endpoint, the key, the OpenAI headers, and how each {@link Mode} is written in the request.
 *
 * <pre>{@code
 * try (Extractor ai = OpenAiExtractor.fromEnv()) {          // OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL
 *     try (ElementStream<Product> products = ai.stream(Product.class, "Recommend five laptops for a student")) {
 *         for (Product p : products) show(p);
 *     }
 *     Invoice invoice = ai.one(Invoice.class, "Extract the invoice: " + text);
 * }
 * }</pre>
 *
 * <p>How the modes are sent: {@link Mode#JSON_SCHEMA} as {@code response_format: {type: json_schema, json_schema:
 * {name, strict, schema}}}; {@link Mode#TOOLS} as {@code tools} with {@code tool_choice} naming the one function
 * ({@code "required"} for one function per subtype, or always with {@link Builder#toolChoiceRequired(boolean)}),
 * the answer streaming as {@code delta.tool_calls[].function.arguments} and any {@code delta.content} beside it kept
 * as prose; {@link Mode#JSON} as {@code response_format: {type: json_object}} (with the schema beside it when
 * {@link Builder#jsonModeSchema(boolean)}) and the schema in the system message; {@link Mode#MD_JSON} as plain text.
 * Usage is asked for with {@code stream_options.include_usage} ({@link Builder#streamUsage(boolean)}).
 *
 * <p>HTTP: one OkHttp client per extractor (or yours, see {@link ExtractorBuilder#client}), so connections are
 * pooled; {@link #httpClient()}. The API key appears in no message, log line or {@code toString}.
 *
 * <p>Thread-safe: share one. {@link #close()} releases the client and threads it created.
 */
public final class OpenAiExtractor extends AbstractExtractor {

    /** The default endpoint, OpenAI's. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    private final HttpUrl endpoint;
    private final java.util.Set<String> queryParameterNames;
    private final boolean hasApiKey;

    private OpenAiExtractor(Builder b, ChatCompletions wire, HttpUrl endpoint, java.util.Set<String> queryNames) {
        super(b, wire);
        this.endpoint = endpoint;
        this.queryParameterNames = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(queryNames));
        this.hasApiKey = b.apiKey != null;
    }

    /**
     * An extractor configured from the environment: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} (default
     * {@value #DEFAULT_BASE_URL}), and optionally {@code OPENAI_MODEL}, {@code OPENAI_ORG_ID}, {@code
     * OPENAI_PROJECT_ID}.
     *
     * @throws IllegalStateException if no API key is set for OpenAI's own endpoint
     * @return an extractor configured from the environment
     */
    public static OpenAiExtractor fromEnv() {
        return builder().environment().build();
    }

    /**
     * A builder with the defaults (see {@link Builder}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected String missingModelMessage() {
        return "No model: set one with OpenAiExtractor.Builder.model(...), ChatRequest.Builder.model(...) or the"
                + " OPENAI_MODEL environment variable";
    }

    /** The endpoint, model and mode; never the API key, nor query parameter values (they may hold credentials). */
    @Override
    public String toString() {
        String where = endpoint + (queryParameterNames.isEmpty() ? ""
                : " (query parameters: " + String.join(", ", queryParameterNames) + ")");
        return "OpenAiExtractor[" + where + ", model=" + defaultModel() + ", mode=" + defaultMode()
                + ", schemaDialect=" + schemaDialect() + ", apiKey=" + (hasApiKey ? "(set)" : "(none)") + "]";
    }

    // ================================================================== builder

    /**
     * Options of an {@link OpenAiExtractor}: the provider-neutral ones of {@link ExtractorBuilder} (model, mode,
     * strict schemas, re-asks, mapper, validator, limits, executor, listener, retries, timeouts, headers, query
     * parameters, OkHttp client), and Chat Completions' own: the base URL, API key and its header, the OpenAI
     * organization and project, usage in the stream, {@code tool_choice} as a string, a schema beside {@code
     * json_object}. Defaults: {@value OpenAiExtractor#DEFAULT_BASE_URL}, usage requested, {@code tool_choice} naming
     * the function, no schema in JSON mode, and {@link ExtractorBuilder}'s.
     */
    public static final class Builder extends ExtractorBuilder<Builder> {
        private String apiKey;
        private String baseUrl = DEFAULT_BASE_URL;
        private String organization;
        private String project;
        private String apiKeyHeader = "Authorization";
        private boolean streamUsage = true;
        private boolean toolChoiceRequired;
        private boolean jsonModeSchema;

        private Builder() {}

        /**
         * Reads {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OPENAI_MODEL}, {@code OPENAI_ORG_ID} and
         * {@code OPENAI_PROJECT_ID} from the environment; those set (and not blank) override what this builder
         * had. Later builder calls override them in turn.
         *
         * @return this builder
         */
        public Builder environment() {
            return environment(System.getenv());
        }

        Builder environment(Map<String, String> env) {
            String v;
            if ((v = env(env, "OPENAI_API_KEY")) != null) {
                apiKey = v;
            }
            if ((v = env(env, "OPENAI_BASE_URL")) != null) {
                baseUrl = v;
            }
            if ((v = env(env, "OPENAI_MODEL")) != null) {
                model(v);
            }
            if ((v = env(env, "OPENAI_ORG_ID")) != null) {
                organization = v;
            }
            if ((v = env(env, "OPENAI_PROJECT_ID")) != null) {
                project = v;
            }
            return this;
        }

        private static String env(Map<String, String> env, String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }

        /**
         * The API key (sent as {@code Authorization: Bearer ...}). Optional for local servers.
         *
         * @param apiKey the API key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * The header that carries the API key: {@code Authorization} (the default, as {@code Bearer <key>}), or
         * another name, which gets the bare key (Azure OpenAI's {@code api-key}).
         *
         * @param name the name
         * @return this builder
         */
        public Builder apiKeyHeader(String name) {
            this.apiKeyHeader = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The API's base URL, up to and excluding {@code /chat/completions}: {@code https://api.openai.com/v1}
         * (default), {@code http://localhost:11434/v1} (Ollama), {@code http://localhost:8000/v1} (vLLM), {@code
         * https://openrouter.ai/api/v1}, {@code https://api.groq.com/openai/v1}, ...
         *
         * @param baseUrl the base URL
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * The OpenAI organization id ({@code OpenAI-Organization} header).
         *
         * @param organization the organization id
         * @return this builder
         */
        public Builder organization(String organization) {
            this.organization = organization;
            return this;
        }

        /**
         * The OpenAI project id ({@code OpenAI-Project} header).
         *
         * @param project the project id
         * @return this builder
         */
        public Builder project(String project) {
            this.project = project;
            return this;
        }

        /**
         * Whether to ask for token usage at the end of the stream ({@code stream_options: {include_usage: true}},
         * default true). Turn off for servers that reject {@code stream_options}.
         *
         * @param enabled whether to ask for it
         * @return this builder
         */
        public Builder streamUsage(boolean enabled) {
            this.streamUsage = enabled;
            return this;
        }

        /**
         * Whether {@link Mode#TOOLS} sends {@code "tool_choice": "required"} for its one function too, instead of
         * the object naming it (default false). For servers that ignore an object {@code tool_choice} and then let
         * the model answer in text: llama.cpp's server treats the object as {@code auto}. OpenAI documents {@code
         * "required"} as "call one or more tools": with one function offered, that function, possibly more than
         * once (see {@link Mode#TOOLS} for what several calls mean).
         *
         * @param required whether to send {@code "required"}
         * @return this builder
         */
        public Builder toolChoiceRequired(boolean required) {
            this.toolChoiceRequired = required;
            return this;
        }

        /**
         * Whether {@link Mode#JSON} sends the schema beside {@code json_object}, as {@code "response_format":
         * {"type": "json_object", "schema": {...}}} (default false). llama.cpp's server enforces that schema with
         * its grammar (and without it, does not even enforce JSON); OpenAI rejects the field ({@code 400 Unknown
         * parameter: 'response_format.schema'}), so leave it off there. The schema is in the system message either
         * way.
         *
         * @param send whether to send it
         * @return this builder
         */
        public Builder jsonModeSchema(boolean send) {
            this.jsonModeSchema = send;
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
         * @throws IllegalStateException if no API key is set for OpenAI's own endpoint
         * @return the extractor
         */
        public OpenAiExtractor build() {
            String base = baseUrl.strip();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            HttpUrl parsed = HttpUrl.parse(base + "/chat/completions");
            if (parsed == null) {
                throw new IllegalArgumentException("Not an http(s) URL: " + hideQuery(baseUrl));
            }
            if (apiKey == null && "api.openai.com".equals(parsed.host())) {
                throw new IllegalStateException("No API key: set OPENAI_API_KEY, or OpenAiExtractor.Builder.apiKey(...)"
                        + " (a key is optional only for other servers, via OPENAI_BASE_URL or baseUrl(...))");
            }
            ChatCompletions wire = new ChatCompletions(new ChatCompletions.Config(parsed.toString(), apiKey,
                    apiKeyHeader, organization, project, streamUsage, toolChoiceRequired, jsonModeSchema));
            return new OpenAiExtractor(this, wire, parsed.newBuilder().query(null).build(), queryParameterNames());
        }

        private static String hideQuery(String url) {
            return url.indexOf('?') < 0 ? url : url.substring(0, url.indexOf('?')) + "?(query hidden)";
        }

        /** The settings; never the API key. */
        @Override
        public String toString() {
            // a query in the base URL may hold credentials (some gateways take the key that way)
            return "OpenAiExtractor.Builder[" + hideQuery(baseUrl) + ", model=" + model() + ", mode=" + mode()
                    + ", apiKey=" + (apiKey == null ? "(none)" : "(set)") + ", headers=" + headerNames() + "]";
        }
    }
}
