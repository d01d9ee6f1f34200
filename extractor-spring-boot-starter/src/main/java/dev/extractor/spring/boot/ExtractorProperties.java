package dev.extractor.spring.boot;

import dev.extractor.SchemaDialect;
import dev.extractor.client.Mode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code extractor.*} properties of the auto-configured {@link dev.extractor.client.Extractor} bean.
 *
 * <pre>
 * extractor.provider=openai                    # the default; anthropic, gemini once their modules exist
 * extractor.base-url=http://localhost:11434/v1 # default: the provider's endpoint (https://api.openai.com/v1)
 * extractor.api-key=${OPENAI_API_KEY}          # or the environment variable EXTRACTOR_API_KEY
 * extractor.model=gpt-4o-mini
 * extractor.mode=json-schema                   # tools, json, md-json
 * extractor.reasks=2
 * extractor.read-timeout=60s
 * extractor.retry.max-retries=3
 * </pre>
 *
 * <p>The API key is never logged, never in {@link #toString()}, and masked in the actuator's {@code env} and {@code
 * configprops} endpoints (also with {@code show-values=always}); so are the values of {@code extractor.headers.*}
 * and {@code extractor.query-parameters.*}, which may hold a gateway's credentials.
 */
@ConfigurationProperties(prefix = "extractor")
public class ExtractorProperties {

    /** Whether to auto-configure the Extractor bean. */
    private boolean enabled = true;

    /**
     * The provider: "openai" (OpenAI's Chat Completions, and every OpenAI-compatible server: Azure OpenAI, Ollama,
     * vLLM, llama.cpp, OpenRouter, Groq, ...; or OpenAI's Responses API, extractor.openai.api=responses),
     * "anthropic" (with extractor-anthropic on the class path) or "gemini" (with extractor-gemini).
     */
    private String provider = "openai";

    /**
     * The API's base URL; default: the provider's: https://api.openai.com/v1 (openai: up to and excluding
     * /chat/completions or /responses), https://api.anthropic.com (anthropic: without /v1/messages),
     * https://generativelanguage.googleapis.com (gemini: without the API version).
     */
    private String baseUrl;

    /** The API key (optional for local servers). Never logged; masked in actuator output. */
    private String apiKey;

    /** The default model, used when a request names none. */
    private String model;

    /** How to ask for JSON: json-schema (structured output), tools, json or md-json. Requests may override it. */
    private Mode mode = Mode.JSON_SCHEMA;

    /**
     * The dialect the schemas are written in; default: the provider's (openai-strict, anthropic, gemini). "grammar"
     * for servers that constrain decoding with a grammar (llama.cpp, vLLM, Ollama, ...).
     */
    private SchemaDialect schemaDialect;

    /**
     * How many times invalid output is re-asked (lists and single objects) or repaired (streams under REPAIR);
     * requests may override it.
     */
    private int reasks = 2;

    /**
     * Whether listAsync, oneAsync, publisher, list, one and stream read over the extractor's event-loop HTTP/1.1
     * client without a library thread per stream (ExtractorBuilder.nonBlocking); partials is unchanged.
     */
    private boolean nonBlocking;

    /** Timeout for connecting. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** The longest silence allowed before the response headers and between two chunks of the answer. */
    private Duration readTimeout = Duration.ofSeconds(120);

    /** Timeout for a whole call, streaming included (0 for none). */
    private Duration callTimeout = Duration.ofMinutes(10);

    /** Headers added to every request (a gateway's key, a tracing header); values masked in actuator output. */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** Query parameters added to every request (Azure OpenAI's api-version); their values are masked likewise. */
    private Map<String, String> queryParameters = new LinkedHashMap<>();

    /** HTTP retries (429, 5xx, connection failures, before the answer has started). */
    private final Retry retry = new Retry();

    /** Options of the openai provider. */
    private final OpenAi openai = new OpenAi();

    /** Options of the anthropic provider. */
    private final Anthropic anthropic = new Anthropic();

    /** Options of the gemini provider. */
    private final Gemini gemini = new Gemini();

    /** Micrometer meters. */
    private final Metrics metrics = new Metrics();

    /** Properties with the defaults. */
    public ExtractorProperties() {}

    /**
     * Whether to auto-configure the Extractor bean (default true).
     *
     * @return whether to auto-configure the Extractor bean
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether to auto-configure the Extractor bean.
     *
     * @param enabled whether to auto-configure the Extractor bean
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The provider's name (default {@code openai}).
     *
     * @return the provider's name
     */
    public String getProvider() {
        return provider;
    }

    /**
     * Sets the provider's name.
     *
     * @param provider the provider's name
     */
    public void setProvider(String provider) {
        this.provider = provider;
    }

    /**
     * The API's base URL, or null for the provider's.
     *
     * @return the API's base URL, or null for the provider's
     */
    public String getBaseUrl() {
        return baseUrl;
    }

    /**
     * Sets the API's base URL.
     *
     * @param baseUrl the API's base URL
     */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * The API key, or null.
     *
     * @return the API key, or null
     */
    public String getApiKey() {
        return apiKey;
    }

    /**
     * Sets the API key.
     *
     * @param apiKey the API key
     */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    /**
     * The default model, or null.
     *
     * @return the default model, or null
     */
    public String getModel() {
        return model;
    }

    /**
     * Sets the default model.
     *
     * @param model the default model
     */
    public void setModel(String model) {
        this.model = model;
    }

    /**
     * The default mode (default {@link Mode#JSON_SCHEMA}).
     *
     * @return the default mode
     */
    public Mode getMode() {
        return mode;
    }

    /**
     * Sets the default mode.
     *
     * @param mode the default mode
     */
    public void setMode(Mode mode) {
        this.mode = mode;
    }

    /**
     * The schema dialect, or null for the provider's.
     *
     * @return the schema dialect, or null for the provider's
     */
    public SchemaDialect getSchemaDialect() {
        return schemaDialect;
    }

    /**
     * Sets the schema dialect.
     *
     * @param schemaDialect the schema dialect
     */
    public void setSchemaDialect(SchemaDialect schemaDialect) {
        this.schemaDialect = schemaDialect;
    }

    /**
     * How many times invalid output is re-asked or repaired (default 2).
     *
     * @return how many times invalid output is re-asked or repaired
     */
    public int getReasks() {
        return reasks;
    }

    /**
     * Sets how many times invalid output is re-asked or repaired.
     *
     * @param reasks how many times (0: never)
     */
    public void setReasks(int reasks) {
        this.reasks = reasks;
    }

    /**
     * Whether the async forms read without a thread per stream (default false).
     *
     * @return whether the async forms are non-blocking
     */
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /**
     * Sets whether {@code listAsync}, {@code oneAsync}, {@code publisher}, {@code list}, {@code one} and {@code
     * stream} read over the extractor's event-loop HTTP/1.1 client without a library thread per stream ({@code
     * ExtractorBuilder.nonBlocking}).
     *
     * @param nonBlocking true for the non-blocking path
     */
    public void setNonBlocking(boolean nonBlocking) {
        this.nonBlocking = nonBlocking;
    }

    /**
     * The connect timeout (default 10 s).
     *
     * @return the connect timeout
     */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout the connect timeout
     */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * The read timeout (default 120 s).
     *
     * @return the read timeout
     */
    public Duration getReadTimeout() {
        return readTimeout;
    }

    /**
     * Sets the read timeout.
     *
     * @param readTimeout the read timeout
     */
    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    /**
     * The call timeout (default 10 min; zero for none).
     *
     * @return the call timeout
     */
    public Duration getCallTimeout() {
        return callTimeout;
    }

    /**
     * Sets the call timeout.
     *
     * @param callTimeout the call timeout
     */
    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    /**
     * The headers added to every request.
     *
     * @return the headers added to every request
     */
    public Map<String, String> getHeaders() {
        return headers;
    }

    /**
     * Sets the headers added to every request.
     *
     * @param headers the headers
     */
    public void setHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    /**
     * The query parameters added to every request.
     *
     * @return the query parameters added to every request
     */
    public Map<String, String> getQueryParameters() {
        return queryParameters;
    }

    /**
     * Sets the query parameters added to every request.
     *
     * @param queryParameters the query parameters
     */
    public void setQueryParameters(Map<String, String> queryParameters) {
        this.queryParameters = queryParameters;
    }

    /**
     * The HTTP retry settings.
     *
     * @return the HTTP retry settings
     */
    public Retry getRetry() {
        return retry;
    }

    /**
     * The openai provider's settings.
     *
     * @return the openai provider's settings
     */
    public OpenAi getOpenai() {
        return openai;
    }

    /**
     * The anthropic provider's settings.
     *
     * @return the anthropic provider's settings
     */
    public Anthropic getAnthropic() {
        return anthropic;
    }

    /**
     * The gemini provider's settings.
     *
     * @return the gemini provider's settings
     */
    public Gemini getGemini() {
        return gemini;
    }

    /**
     * The metrics settings.
     *
     * @return the metrics settings
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /** The settings; never the API key, nor the values of headers and query parameters. */
    @Override
    public String toString() {
        return "ExtractorProperties[provider=" + provider + ", baseUrl=" + (baseUrl == null ? "(provider's)"
                : hideQuery(baseUrl)) + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(none)"
                : "(set)") + ", model=" + model + ", mode=" + mode + ", schemaDialect=" + schemaDialect + ", reasks="
                + reasks + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", callTimeout="
                + callTimeout + ", headers=" + headers.keySet() + ", queryParameters=" + queryParameters.keySet()
                + ", " + retry + ", " + openai + ", " + anthropic + ", " + gemini + ", " + metrics + "]";
    }

    /** A base URL's query may hold credentials (some gateways take the key that way). */
    static String hideQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?(query hidden)";
    }

    /**
     * {@code extractor.retry.*}: how failed HTTP requests are retried (429, 408, 409, 5xx and connection failures,
     * as long as no byte of the answer has arrived, and such errors sent inside the stream before any of the answer;
     * never once it has started). The wait before retry {@code k} is
     * {@code min(max-delay, initial-delay * multiplier^(k-1))}, less a random fraction of at most {@code jitter};
     * a server's {@code Retry-After} up to {@code max-retry-after} is honoured instead.
     */
    public static class Retry {

        /** Retries after the first attempt (0: none). */
        private int maxRetries = 2;

        /** The wait before the first retry. */
        private Duration initialDelay = Duration.ofMillis(500);

        /** The longest computed wait. */
        private Duration maxDelay = Duration.ofSeconds(8);

        /** The factor between two successive waits (at least 1). */
        private double multiplier = 2.0;

        /** The largest random fraction taken off each wait (0 to 1). */
        private double jitter = 0.25;

        /** Whether to wait as long as the server asks (Retry-After, retry-after-ms). */
        private boolean respectRetryAfter = true;

        /** The longest server-requested wait that is honoured; a longer one is not retried. */
        private Duration maxRetryAfter = Duration.ofSeconds(60);

        /** The defaults. */
        public Retry() {}

        /**
         * Retries after the first attempt (default 2).
         *
         * @return retries after the first attempt
         */
        public int getMaxRetries() {
            return maxRetries;
        }

        /**
         * Sets the retries after the first attempt.
         *
         * @param maxRetries retries after the first attempt (0: none)
         */
        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }

        /**
         * The wait before the first retry (default 500 ms).
         *
         * @return the wait before the first retry
         */
        public Duration getInitialDelay() {
            return initialDelay;
        }

        /**
         * Sets the wait before the first retry.
         *
         * @param initialDelay the wait before the first retry
         */
        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        /**
         * The longest computed wait (default 8 s).
         *
         * @return the longest computed wait
         */
        public Duration getMaxDelay() {
            return maxDelay;
        }

        /**
         * Sets the longest computed wait.
         *
         * @param maxDelay the longest computed wait
         */
        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        /**
         * The factor between two successive waits (default 2).
         *
         * @return the factor between two successive waits
         */
        public double getMultiplier() {
            return multiplier;
        }

        /**
         * Sets the factor between two successive waits.
         *
         * @param multiplier the factor (at least 1)
         */
        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        /**
         * The largest random fraction taken off each wait (default 0.25).
         *
         * @return the largest random fraction taken off each wait
         */
        public double getJitter() {
            return jitter;
        }

        /**
         * Sets the largest random fraction taken off each wait.
         *
         * @param jitter the fraction, 0 to 1
         */
        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

        /**
         * Whether to wait as long as the server asks (default true).
         *
         * @return whether to wait as long as the server asks
         */
        public boolean isRespectRetryAfter() {
            return respectRetryAfter;
        }

        /**
         * Sets whether to wait as long as the server asks.
         *
         * @param respectRetryAfter whether to wait as long as the server asks
         */
        public void setRespectRetryAfter(boolean respectRetryAfter) {
            this.respectRetryAfter = respectRetryAfter;
        }

        /**
         * The longest server-requested wait that is honoured (default 60 s).
         *
         * @return the longest server-requested wait that is honoured
         */
        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        /**
         * Sets the longest server-requested wait that is honoured.
         *
         * @param maxRetryAfter the longest server-requested wait that is honoured
         */
        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }

        @Override
        public String toString() {
            return "retry[maxRetries=" + maxRetries + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay
                    + ", multiplier=" + multiplier + ", jitter=" + jitter + ", respectRetryAfter=" + respectRetryAfter
                    + ", maxRetryAfter=" + maxRetryAfter + "]";
        }
    }

    /** {@code extractor.openai.*}: the settings only OpenAI (and the servers compatible with it) have. */
    public static class OpenAi {

        /** Which of OpenAI's APIs: chat-completions (what OpenAI-compatible servers speak) or responses. */
        private Api api = Api.CHAT_COMPLETIONS;

        /** The OpenAI organization id (OpenAI-Organization header). */
        private String organization;

        /** The OpenAI project id (OpenAI-Project header). */
        private String project;

        /**
         * The header that carries the API key: Authorization (as "Bearer KEY"), or another name, which gets the
         * bare key (Azure OpenAI's api-key).
         */
        private String apiKeyHeader = "Authorization";

        /**
         * Whether to ask for token usage at the end of the stream (stream_options.include_usage); off for servers
         * that reject stream_options.
         */
        private boolean streamUsage = true;

        /** Whether the tools mode sends tool_choice "required" instead of naming the function (llama.cpp's server). */
        private boolean toolChoiceRequired;

        /**
         * Whether the json mode sends the schema beside json_object (llama.cpp's server enforces it; OpenAI rejects
         * it).
         */
        private boolean jsonModeSchema;

        /** The defaults. */
        public OpenAi() {}

        /**
         * Which of OpenAI's APIs (default {@link Api#CHAT_COMPLETIONS}).
         *
         * @return which of OpenAI's APIs
         */
        public Api getApi() {
            return api;
        }

        /**
         * Sets which of OpenAI's APIs.
         *
         * @param api the API
         */
        public void setApi(Api api) {
            this.api = api;
        }

        /** OpenAI's APIs (as {@code OpenAiExtractor.Api}, without needing extractor-openai to bind). */
        public enum Api {
            /** Chat Completions: what OpenAI-compatible servers speak. */
            CHAT_COMPLETIONS,
            /** The Responses API. */
            RESPONSES
        }

        /**
         * The OpenAI organization id, or null.
         *
         * @return the OpenAI organization id, or null
         */
        public String getOrganization() {
            return organization;
        }

        /**
         * Sets the OpenAI organization id.
         *
         * @param organization the organization id
         */
        public void setOrganization(String organization) {
            this.organization = organization;
        }

        /**
         * The OpenAI project id, or null.
         *
         * @return the OpenAI project id, or null
         */
        public String getProject() {
            return project;
        }

        /**
         * Sets the OpenAI project id.
         *
         * @param project the project id
         */
        public void setProject(String project) {
            this.project = project;
        }

        /**
         * The header that carries the API key (default {@code Authorization}).
         *
         * @return the header that carries the API key
         */
        public String getApiKeyHeader() {
            return apiKeyHeader;
        }

        /**
         * Sets the header that carries the API key.
         *
         * @param apiKeyHeader the header's name
         */
        public void setApiKeyHeader(String apiKeyHeader) {
            this.apiKeyHeader = apiKeyHeader;
        }

        /**
         * Whether to ask for token usage at the end of the stream (default true).
         *
         * @return whether to ask for token usage at the end of the stream
         */
        public boolean isStreamUsage() {
            return streamUsage;
        }

        /**
         * Sets whether to ask for token usage at the end of the stream.
         *
         * @param streamUsage whether to ask for it
         */
        public void setStreamUsage(boolean streamUsage) {
            this.streamUsage = streamUsage;
        }

        /**
         * Whether the tools mode sends {@code tool_choice: "required"} (default false).
         *
         * @return whether the tools mode sends {@code tool_choice: "required"}
         */
        public boolean isToolChoiceRequired() {
            return toolChoiceRequired;
        }

        /**
         * Sets whether the tools mode sends {@code tool_choice: "required"}.
         *
         * @param toolChoiceRequired whether to send it
         */
        public void setToolChoiceRequired(boolean toolChoiceRequired) {
            this.toolChoiceRequired = toolChoiceRequired;
        }

        /**
         * Whether the json mode sends the schema beside {@code json_object} (default false).
         *
         * @return whether the json mode sends the schema beside {@code json_object}
         */
        public boolean isJsonModeSchema() {
            return jsonModeSchema;
        }

        /**
         * Sets whether the json mode sends the schema beside {@code json_object}.
         *
         * @param jsonModeSchema whether to send it
         */
        public void setJsonModeSchema(boolean jsonModeSchema) {
            this.jsonModeSchema = jsonModeSchema;
        }

        @Override
        public String toString() {
            return "openai[api=" + api + ", organization=" + (organization == null ? "(none)" : "(set)") + ", project="
                    + (project == null ? "(none)" : "(set)") + ", apiKeyHeader=" + apiKeyHeader + ", streamUsage="
                    + streamUsage + ", toolChoiceRequired=" + toolChoiceRequired + ", jsonModeSchema="
                    + jsonModeSchema + "]";
        }
    }

    /** {@code extractor.anthropic.*}: the settings only Anthropic's Messages API has. */
    public static class Anthropic {

        /** The anthropic-version header. */
        private String version = "2023-06-01";

        /** The max_tokens of every request (Anthropic requires one); a request's own max tokens override it. */
        private int maxTokens = 8192;

        /** The defaults. */
        public Anthropic() {}

        /**
         * The {@code anthropic-version} header (default {@code 2023-06-01}).
         *
         * @return the {@code anthropic-version} header
         */
        public String getVersion() {
            return version;
        }

        /**
         * Sets the {@code anthropic-version} header.
         *
         * @param version the version
         */
        public void setVersion(String version) {
            this.version = version;
        }

        /**
         * The default {@code max_tokens} (default 8192).
         *
         * @return the default {@code max_tokens}
         */
        public int getMaxTokens() {
            return maxTokens;
        }

        /**
         * Sets the default {@code max_tokens}.
         *
         * @param maxTokens the default (positive)
         */
        public void setMaxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
        }

        @Override
        public String toString() {
            return "anthropic[version=" + version + ", maxTokens=" + maxTokens + "]";
        }
    }

    /** {@code extractor.gemini.*}: the settings only Google's Gemini API has. */
    public static class Gemini {

        /** The API version in the path: v1beta (default) or v1. */
        private String apiVersion = "v1beta";

        /** The defaults. */
        public Gemini() {}

        /**
         * The API version in the path (default {@code v1beta}).
         *
         * @return the API version in the path
         */
        public String getApiVersion() {
            return apiVersion;
        }

        /**
         * Sets the API version in the path.
         *
         * @param apiVersion the API version
         */
        public void setApiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
        }

        @Override
        public String toString() {
            return "gemini[apiVersion=" + apiVersion + "]";
        }
    }

    /** {@code extractor.metrics.*}: the Micrometer meters (published when a MeterRegistry bean exists). */
    public static class Metrics {

        /** Whether to publish the extractor.* meters when a MeterRegistry bean exists. */
        private boolean enabled = true;

        /** The defaults. */
        public Metrics() {}

        /**
         * Whether to publish the meters (default true).
         *
         * @return whether to publish the meters
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether to publish the meters.
         *
         * @param enabled whether to publish the meters
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public String toString() {
            return "metrics[enabled=" + enabled + "]";
        }
    }
}
