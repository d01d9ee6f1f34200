package dev.extractor.client;

import dev.extractor.ExtractionListener;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.Limits;
import dev.extractor.SchemaDialect;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.OkHttpClient;
import tools.jackson.databind.ObjectMapper;

/**
 * The options every provider's extractor has, whatever its wire format: the default model and {@link Mode}, the
 * schema dialect, re-asks, binding and validation, limits, the async executor, listeners, HTTP retries, timeouts,
 * extra headers and query parameters, and the OkHttp client. A provider's builder extends it with its own
 * configuration (API key, base URL, environment variables) and builds its extractor; the methods here return the
 * provider's builder type, so the calls chain in any order.
 *
 * <p>Defaults: mode {@link Mode#JSON_SCHEMA}, schemas in {@link SchemaDialect#OPENAI_STRICT} (a provider's builder
 * may start from its own dialect), 2 re-asks, {@link RetryPolicy#defaults()}, connect
 * timeout 10 s, read timeout (silence between chunks) 120 s, call timeout 10 min, the core's default Jackson mapper,
 * validator and limits, no listener, a cached pool of daemon threads for the async calls.
 *
 * @param <B> the provider's builder type
 */
public abstract class ExtractorBuilder<B extends ExtractorBuilder<B>> {

    String model;
    Mode mode = Mode.JSON_SCHEMA;
    SchemaDialect schemaDialect = SchemaDialect.OPENAI_STRICT;
    int maxRetries = 2;
    ObjectMapper mapper;
    Validator validator;
    ValidatorFactory validatorFactory;
    Limits limits;
    Executor executor;
    boolean nonBlocking;
    ExtractionListener listener;
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    OkHttpClient client;
    Duration connectTimeout;
    Duration readTimeout;
    Duration callTimeout;
    final Map<String, String> headers = new LinkedHashMap<>();
    final Map<String, String> queryParameters = new LinkedHashMap<>();
    Transport.Sleeper sleeper = Transport.REAL_SLEEPER;
    Clock clock = Clock.systemUTC();
    DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    /** For a provider's builder. */
    protected ExtractorBuilder() {}

    /**
     * This builder, as the provider's type.
     *
     * @return this builder
     */
    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }

    /**
     * The default model, used when a request names none.
     *
     * @param model the model
     * @return this builder
     */
    public B model(String model) {
        this.model = model;
        return self();
    }

    /**
     * How to ask for JSON (default {@link Mode#JSON_SCHEMA}); requests may override it.
     *
     * @param mode the mode
     * @return this builder
     */
    public B mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return self();
    }

    /**
     * A shorthand for {@link #schemaDialect}: {@code true} is {@link SchemaDialect#OPENAI_STRICT} (sent with the
     * provider's "strict" flag where it has one), {@code false} is {@link SchemaDialect#PLAIN}. The last of the two
     * calls wins.
     *
     * @param strict whether to use the strict dialect
     * @return this builder
     */
    public B strict(boolean strict) {
        return schemaDialect(strict ? SchemaDialect.OPENAI_STRICT : SchemaDialect.PLAIN);
    }

    /**
     * The dialect the schemas are written in (default {@link SchemaDialect#OPENAI_STRICT}), in every {@link Mode}:
     * the structured-output schema, the functions' parameters, the schema in the instructions of {@link Mode#JSON}
     * and {@link Mode#MD_JSON}. Only {@link SchemaDialect#OPENAI_STRICT} is sent as strict. For a server that
     * constrains decoding with a grammar (llama.cpp, vLLM, Ollama, LM Studio, SGLang) choose {@link
     * SchemaDialect#GRAMMAR}: it keeps the string lengths strict mode drops. Whatever the dialect leaves out,
     * validation still checks on every element.
     *
     * @param dialect the dialect
     * @return this builder
     */
    public B schemaDialect(SchemaDialect dialect) {
        this.schemaDialect = Objects.requireNonNull(dialect, "dialect");
        return self();
    }

    /**
     * How many times invalid output is re-asked (lists and single objects) or repaired (streams under {@link
     * InvalidElementPolicy#REPAIR}); default 2. Requests may override it.
     *
     * @param maxRetries how many times (0: never)
     * @return this builder
     */
    public B maxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        this.maxRetries = maxRetries;
        return self();
    }

    /**
     * The Jackson mapper that binds elements (your modules, naming strategy).
     *
     * @param mapper the mapper
     * @return this builder
     */
    public B mapper(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        return self();
    }

    /**
     * The Bean Validation validator (default: the core's shared Hibernate Validator). Replaces a {@link
     * #validatorFactory validatorFactory} set before. A request's {@link ChatRequest.Builder#validationPayload
     * validation payload} needs a factory: prefer {@link #validatorFactory}, unless {@code validator} is also one
     * (Spring's {@code LocalValidatorFactoryBean} is).
     *
     * @param validator the validator
     * @return this builder
     */
    public B validator(Validator validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.validatorFactory = null;
        return self();
    }

    /**
     * The Bean Validation factory (default: the core's shared Hibernate Validator's): elements are validated with
     * its validator, and a request's {@link ChatRequest.Builder#validationPayload validation payload} with a
     * validator it makes for the request, keeping its configuration (Spring's constraint validator factory, whose
     * validators are beans with their dependencies injected; its message interpolator). A payload needs Hibernate
     * Validator's factory or one that unwraps to it (Spring's {@code LocalValidatorFactoryBean} does); groups work
     * with any. Replaces a {@link #validator validator} set before.
     *
     * @param factory the factory
     * @return this builder
     */
    public B validatorFactory(ValidatorFactory factory) {
        this.validatorFactory = Objects.requireNonNull(factory, "factory");
        this.validator = null;
        return self();
    }

    /**
     * Limits on the answers (default {@link Limits#defaults()}).
     *
     * @param limits the limits
     * @return this builder
     */
    public B limits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return self();
    }

    /**
     * The executor of the async forms ({@code listAsync}, {@code oneAsync}, {@code publisher}); it must tolerate
     * blocking. Default: a cached pool of daemon threads, created on first use and shut down by the extractor's
     * {@code close()}. Yours is not shut down.
     *
     * @param executor the executor
     * @return this builder
     */
    public B executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return self();
    }

    /**
     * Whether the calls read without a library thread per stream (default false). When true, {@code listAsync}, {@code
     * oneAsync}, {@code publisher}, {@code list}, {@code listResult}, {@code one}, {@code oneResult} and {@code stream}
     * go over the extractor's own HTTP/1.1 client: a few event-loop threads (one per core, at most 4, started on first
     * use, closed with the extractor), each serving thousands of connections with one {@link
     * java.nio.channels.Selector} and one read buffer. The loop thread reads each socket and decodes the wire format;
     * for the async forms and {@code list}/{@code one} it also runs the core's push parser, so that no thread is parked
     * or woken per stream while the answer arrives, and the {@link #executor executor} runs only what the caller sees:
     * a future's completion (once per call), a publisher's signals (once per element, not per event). {@code list} and
     * {@code one} wait on the caller's thread for the whole answer, woken once. {@code stream} parses on the caller's
     * thread as before, but the thread is woken only when an element may have completed (a closing bracket, the end),
     * not per event; up to 64K chars wait for it before the reading pauses. The blocking forms throw what the blocking
     * path throws (an interrupt cancels the call, closing its connection, and throws a {@link
     * java.util.concurrent.CancellationException} or a {@link ConnectionException}, with the interrupt kept set).
     * Connections are kept for the next request to the same server (and replaced, without a failure, when the server
     * closed one meanwhile). A publisher reads the body only while its subscriber's demand exceeds the elements waiting
     * for it; under {@link InvalidElementPolicy#REPAIR} a publisher reads on the executor, as on the blocking path.
     * {@code partials} stays on the blocking path. Retries, re-asks, error mapping, cancellation and listeners behave
     * as on the blocking path, with these differences:
     * <ul>
     *   <li>the OkHttp client's timeouts apply (connect; read: the longest silence before the headers and between two
     *       reads, enforced by one timer thread shared by all streams; call), but not its interceptors, proxy,
     *       authenticator, HTTP/2 or TLS settings: TLS is the JVM's default {@link javax.net.ssl.SSLContext}
     *       (system properties such as {@code javax.net.ssl.trustStore}), with the host name verified; no proxy is
     *       used; keep this off where you need those;</li>
     *   <li>a {@link #header header} the HTTP client sets itself or must not be set ({@code Connection}, {@code
     *       Host}, {@code Content-Length}, {@code Transfer-Encoding}, {@code TE}, {@code Expect}, {@code Upgrade},
     *       {@code Keep-Alive}, {@code Proxy-Connection}) or a header with a CR, LF or NUL fails the call with an
     *       {@link IllegalArgumentException};</li>
     *   <li>the listener's {@code onOpen}, {@code onRetry}, {@code onElement}, ... run on a loop thread (or the shared
     *       timer thread), which many streams share: a listener must not block (with {@code stream}, only {@code
     *       onOpen} and {@code onRetry} do; the core's events run on the caller's thread, as before).</li>
     * </ul>
     * On JDK 21+, virtual threads make many {@code partials} (and, with this off, every pull form) cheap too.
     *
     * @param nonBlocking whether the calls read without a library thread per stream
     * @return this builder
     */
    public B nonBlocking(boolean nonBlocking) {
        this.nonBlocking = nonBlocking;
        return self();
    }

    /**
     * Receives the progress events of every call (a request may add its own, {@link ChatRequest.Builder#listener}):
     * {@code onOpen(requestId)} when the response headers arrive; {@code onRetry(attempt, delay, cause)} before each
     * HTTP retry (attempt 1 for the first retry of a request, the wait about to start, the {@link ProviderException}
     * that caused it), each re-ask of a list or single object and each repair round of a stream (attempt 1 for the
     * first, a zero delay, an {@link dev.extractor.ExtractionException} describing the invalid output); and the
     * core's {@code onFirstByte}, {@code onElement}, {@code onSnapshot} and {@code onFinish} for each answer read
     * (with re-asks, each attempt's answer is a stream of its own). Called on the thread that drives the call, in
     * order; a listener that throws fails the call. Default none, and then no calls are made at all.
     *
     * @param listener the listener
     * @return this builder
     */
    public B listener(ExtractionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /**
     * How failed HTTP requests are retried (default {@link RetryPolicy#defaults()}; {@link RetryPolicy#none()}).
     *
     * @param policy the policy
     * @return this builder
     */
    public B retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /**
     * Your OkHttp client (interceptors, proxy, TLS, shared pool). The extractor does not shut it down. Timeouts set
     * on this builder apply to a derived client that shares its pool and dispatcher.
     *
     * @param client the client
     * @return this builder
     */
    public B client(OkHttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
        return self();
    }

    /**
     * Timeout for connecting (default 10 s).
     *
     * @param timeout the timeout
     * @return this builder
     */
    public B connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * Timeout for each read: the longest silence allowed before the response headers and between two chunks of the
     * answer (default 120 s; reasoning models may think a while before their first token). On the blocking path it
     * is OkHttp's read timeout (the socket's {@code SO_TIMEOUT}: a read that finds nothing waits in {@code poll}; its
     * cost per read was measured as no CPU while a thread is woken per read anyway); with {@link
     * #nonBlocking(boolean)} it is enforced by one timer thread shared by all streams.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public B readTimeout(Duration timeout) {
        this.readTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * Timeout for the whole call, streaming included (default 10 min; zero for none).
     *
     * @param timeout the timeout
     * @return this builder
     */
    public B callTimeout(Duration timeout) {
        this.callTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * Adds a header to every request (a gateway's key, a tracing header); it overrides the wire format's.
     *
     * @param name the name
     * @param value the value
     * @return this builder
     */
    public B header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return self();
    }

    /**
     * Adds a query parameter to every request (Azure OpenAI's {@code api-version}).
     *
     * @param name the name
     * @param value the value
     * @return this builder
     */
    public B queryParameter(String name, String value) {
        queryParameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return self();
    }

    // ------------------------------------------------------------------ for providers' builders

    /**
     * The default model set so far, or null.
     *
     * @return the default model set so far, or null
     */
    protected final String model() {
        return model;
    }

    /**
     * The default mode set so far.
     *
     * @return the default mode set so far
     */
    protected final Mode mode() {
        return mode;
    }

    /**
     * The schema dialect set so far.
     *
     * @return the schema dialect set so far
     */
    protected final SchemaDialect schemaDialect() {
        return schemaDialect;
    }

    /**
     * The names of the extra headers set so far (for a provider's {@code toString}; never their values).
     *
     * @return the names of the extra headers set so far
     */
    protected final java.util.Set<String> headerNames() {
        return java.util.Collections.unmodifiableSet(headers.keySet());
    }

    /**
     * The names of the query parameters set so far (never their values, which may hold credentials).
     *
     * @return the names of the query parameters set so far (never their values, which may hold credentials)
     */
    protected final java.util.Set<String> queryParameterNames() {
        return java.util.Collections.unmodifiableSet(queryParameters.keySet());
    }

    /**
     * Replaces the waits between HTTP retries (tests: record the waits instead of sleeping). The sleeper receives
     * the wait and returns when it is over.
     *
     * @param sleeper receives each wait
     * @return this builder
     */
    protected final B retrySleeper(java.util.function.Consumer<Duration> sleeper) {
        Objects.requireNonNull(sleeper, "sleeper");
        this.sleeper = (d, h) -> sleeper.accept(d);
        return self();
    }

    /**
     * The clock that HTTP-date {@code Retry-After} values are compared with (tests).
     *
     * @param clock the clock
     * @return this builder
     */
    protected final B retryClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * The source of the backoff jitter, numbers in {@code [0, 1)} (tests: 0 for exact waits).
     *
     * @param random numbers in {@code [0, 1)}
     * @return this builder
     */
    protected final B retryRandom(DoubleSupplier random) {
        this.random = Objects.requireNonNull(random, "random");
        return self();
    }
}
