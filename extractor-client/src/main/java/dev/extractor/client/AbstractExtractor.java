package dev.extractor.client;

import dev.extractor.ContentFilterException;
import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementParser;
import dev.extractor.ElementPublisher;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ExtractionException;
import dev.extractor.ExtractionListener;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.LimitExceededException;
import dev.extractor.Limits;
import dev.extractor.PartialStream;
import dev.extractor.RefusalException;
import dev.extractor.SchemaDialect;
import dev.extractor.Repairer;
import dev.extractor.Selection;
import dev.extractor.StreamResult;
import dev.extractor.TextFormat;
import dev.extractor.TruncatedOutputException;
import dev.extractor.Usage;
import dev.extractor.client.spi.RequestSpec;
import dev.extractor.client.spi.ToolSpec;
import dev.extractor.client.spi.WireFormat;
import dev.extractor.ValidationContext;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provider-neutral extractor: every call of {@link Extractor}, the re-asks and repairs, the answer's shape
 * (schema, selection, tools), listener composition, the async executor and the lifecycle, over a {@link WireFormat}
 * that knows one API. A provider's public extractor ({@code OpenAiExtractor}) extends it: its builder gathers the
 * settings ({@link ExtractorBuilder}) and its wire format's configuration, and its constructor hands both here.
 *
 * <p>Thread-safe: share one. {@link #close()} releases the client and threads it created.
 */
public abstract class AbstractExtractor implements Extractor {

    /**
     * The mapper that finds subtypes (and describes their tools' parameters) when the extractor has none of its own
     * (configured as the core's default).
     */
    private static final JsonMapper DEFAULT_MAPPER = dev.extractor.internal.JacksonCheck.newMapper();

    /** The dispatcher's limits of the client the extractor creates (calls at once, in all and per host). */
    static final int MAX_CONCURRENT_CALLS = 100_000;
    /** Idle connections the client the extractor creates keeps for reuse (5 minutes each). */
    static final int MAX_IDLE_CONNECTIONS = 1_000;

    private final Transport transport;
    private final boolean ownsClient;
    private final String model;
    private final Mode mode;
    private final SchemaDialect dialect;
    private final boolean strict;
    private final int maxRetries;
    private final ObjectMapper mapper;
    private final Validator validator;
    private final ValidatorFactory validatorFactory;
    private final Limits limits;
    private final Executor callerExecutor;
    private final ExtractionListener listener;
    private final boolean nonBlocking;
    private ExecutorService ownExecutor;
    private final Map<ReaderKey, ElementReader<?>> readers = new ConcurrentHashMap<>();
    private final Map<Type, Optional<List<SubtypeTools.Tool>>> toolSets = new ConcurrentHashMap<>();

    /**
     * An extractor with {@code settings}, speaking {@code wire}.
     *
     * @param settings the provider's builder (the settings are copied)
     * @param wire the wire format
     */
    protected AbstractExtractor(ExtractorBuilder<?> settings, WireFormat wire) {
        this(settings, wire, null);
    }

    /**
     * An extractor with {@code settings}, speaking {@code wire} to {@code endpoint}: an {@code http://} endpoint on
     * a loopback host (a local server: llama.cpp, Ollama, vLLM, the simulated model) gets a cleartext-only HTTP
     * client when the extractor creates its own, which skips OkHttp's TLS set-up (the platform trust store and an
     * {@code SSLContext}: about 600 JDK classes, 0.1–0.2 s of a cold start).
     *
     * @param settings the provider's builder (the settings are copied)
     * @param wire the wire format
     * @param endpoint the URL the requests go to, or null if unknown
     */
    protected AbstractExtractor(ExtractorBuilder<?> settings, WireFormat wire, String endpoint) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(wire, "wire");
        this.model = settings.model;
        this.mode = settings.mode;
        this.dialect = settings.schemaDialect;
        this.strict = dialect == SchemaDialect.OPENAI_STRICT; // the only dialect a strict flag means
        this.maxRetries = settings.maxRetries;
        this.mapper = settings.mapper;
        this.validator = settings.validator;
        this.validatorFactory = settings.validatorFactory;
        this.limits = settings.limits;
        this.callerExecutor = settings.executor;
        this.listener = settings.listener;
        this.nonBlocking = settings.nonBlocking;
        this.ownsClient = settings.client == null;
        this.transport = new Transport(httpClient(settings, endpoint), wire, settings.headers, settings.queryParameters,
                settings.retryPolicy, settings.sleeper, settings.clock, settings.random);
    }

    private static OkHttpClient httpClient(ExtractorBuilder<?> s, String endpoint) {
        if (s.client == null) {
            // sized for many concurrent streams: OkHttp's defaults (64 calls, 5 per host; 5 idle connections kept)
            // suit a browser-like client, not a service holding thousands of streams to one API host. The limits
            // bound only calls run by enqueue() (Transport uses execute(), which the dispatcher only counts), but
            // the client is shared through httpClient(). HTTP/2 stays on (OkHttp's default protocols): negotiated by
            // ALPN over TLS where the server offers it, so that streams to one host share a connection; cleartext
            // http:// is HTTP/1.1 (OkHttp does not upgrade to h2c).
            Dispatcher dispatcher = new Dispatcher();
            dispatcher.setMaxRequests(MAX_CONCURRENT_CALLS);
            dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT_CALLS);
            OkHttpClient.Builder b = new OkHttpClient.Builder().dispatcher(dispatcher)
                    .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, 5, TimeUnit.MINUTES));
            if (loopbackHttp(endpoint)) {
                b.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
            }
            return b
                    .connectTimeout(millis(s.connectTimeout, Duration.ofSeconds(10)), TimeUnit.MILLISECONDS)
                    .readTimeout(millis(s.readTimeout, Duration.ofSeconds(120)), TimeUnit.MILLISECONDS)
                    .callTimeout(millis(s.callTimeout, Duration.ofMinutes(10)), TimeUnit.MILLISECONDS)
                    .build();
        }
        if (s.connectTimeout == null && s.readTimeout == null && s.callTimeout == null) {
            return s.client;
        }
        OkHttpClient.Builder d = s.client.newBuilder();
        if (s.connectTimeout != null) {
            d.connectTimeout(s.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (s.readTimeout != null) {
            d.readTimeout(s.readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (s.callTimeout != null) {
            d.callTimeout(s.callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return d.build();
    }

    /** Whether {@code url} is plain {@code http://} to this machine (no TLS can be needed). */
    static boolean loopbackHttp(String url) {
        HttpUrl u = url == null ? null : HttpUrl.parse(url);
        if (u == null || u.isHttps()) {
            return false;
        }
        String host = u.host();
        return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    private static long millis(Duration d, Duration fallback) {
        return (d != null ? d : fallback).toMillis();
    }

    // ================================================================== streaming lists

    @Override
    public final <T> ElementStream<T> stream(Class<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        return openStream(elementType, request, new CancelHandle());
    }

    @Override
    public final <T> ElementStream<T> stream(TypeReference<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        return openStream(elementType.getType(), request, new CancelHandle());
    }

    @Override
    public final <T> Flow.Publisher<T> publisher(Class<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        if (nonBlocking && request.onInvalid() != InvalidElementPolicy.REPAIR) {
            return pushPublisher(elementType, request);
        }
        return ElementPublisher.of(() -> this.<T>openStream(elementType, request, new CancelHandle()), executor());
    }

    @Override
    public final <T> Flow.Publisher<T> publisher(TypeReference<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        if (nonBlocking && request.onInvalid() != InvalidElementPolicy.REPAIR) {
            return pushPublisher(elementType.getType(), request);
        }
        return ElementPublisher.of(() -> this.<T>openStream(elementType.getType(), request, new CancelHandle()),
                executor());
    }

    /**
     * {@link #publisher} on the non-blocking transport ({@link PushPublisher}): what {@link #openStream} reads,
     * pushed instead of pulled. Under {@link InvalidElementPolicy#REPAIR} the blocking publisher is used (a repair
     * round is a pull stream of its own).
     */
    private <T> Flow.Publisher<T> pushPublisher(Type elementType, ChatRequest request) {
        return new PushPublisher<T>((onElement, sink, handle) -> {
            Mode m = modeOf(request);
            Shape shape = shape(elementType, true, m);
            InvalidElementPolicy policy = request.onInvalid() == null ? InvalidElementPolicy.FAIL
                    : request.onInvalid();
            ExtractionListener l = ExtractionListener.both(listener, request.listener());
            ElementReader<T> reader = reader(elementType, shape, policy, m, false, l,
                    request.validationContext());
            return new PushPublisher.Opened<>(reader.parser(onElement),
                    transport.push(transport.wire.request(spec(shape, m, request)), m == Mode.TOOLS, handle, l, sink));
        }, executor());
    }

    private <T> ElementStream<T> openStream(Type elementType, ChatRequest request, CancelHandle handle) {
        Mode m = modeOf(request);
        Shape shape = shape(elementType, true, m);
        InvalidElementPolicy policy = request.onInvalid() == null ? InvalidElementPolicy.FAIL : request.onInvalid();
        ExtractionListener l = ExtractionListener.both(listener, request.listener());
        ElementReader<T> reader = reader(elementType, shape, policy, m, false, l, request.validationContext());
        DeltaSource source = pullSource(shape, m, request, handle, l);
        if (policy != InvalidElementPolicy.REPAIR) {
            return reader.stream(source);
        }
        int rounds = request.maxRetries() != null ? request.maxRetries() : maxRetries;
        Repairer repairer = (invalid, round) -> {
            if (round > rounds) {
                return null;
            }
            if (l != null) {
                l.onRetry(round, Duration.ZERO, Prompts.invalidCause(invalid));
            }
            return pullSource(shape, m, request.withMessages(List.of(Message.user(Prompts.repair(invalid, shape)))),
                    handle, l);
        };
        return reader.stream(source, repairer);
    }

    // ================================================================== partial objects

    @Override
    public final <T> PartialStream<T> partials(Class<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        return openPartials(type, request);
    }

    @Override
    public final <T> PartialStream<T> partials(TypeReference<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        return openPartials(type.getType(), request);
    }

    private <T> PartialStream<T> openPartials(Type type, ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.onInvalid() == InvalidElementPolicy.REPAIR) {
            throw new IllegalArgumentException("partials() cannot repair: a snapshot already shown cannot be corrected"
                    + " afterwards; use InvalidElementPolicy.FAIL (the default) or SKIP, or one() to re-ask until"
                    + " the object is valid");
        }
        Mode m = modeOf(request);
        Shape shape = shape(type, false, m);
        InvalidElementPolicy policy = request.onInvalid() == null ? InvalidElementPolicy.FAIL : request.onInvalid();
        ExtractionListener l = ExtractionListener.both(listener, request.listener());
        ElementReader<T> reader = reader(type, shape, policy, m, request.streamStrings(), l,
                request.validationContext());
        Transport.HttpSource source = open(shape, m, request, new CancelHandle(), l);
        try {
            return reader.partials(source);
        } catch (RuntimeException | Error e) {
            source.close();
            throw e;
        }
    }

    // ================================================================== lists and single objects

    @Override
    public final <T> Extraction<List<T>> listResult(Class<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        return extraction(elementType, request, true);
    }

    @Override
    public final <T> Extraction<List<T>> listResult(TypeReference<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        return extraction(elementType.getType(), request, true);
    }

    @Override
    public final <T> Extraction<T> oneResult(Class<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(request, "request");
        return single(this.<T>extraction(type, request, false));
    }

    @Override
    public final <T> Extraction<T> oneResult(TypeReference<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(request, "request");
        return single(this.<T>extraction(type.getType(), request, false));
    }

    /** {@link #extract} on the caller's thread, or over the event loops when non-blocking ({@link #awaitPushed}). */
    private <T> Extraction<List<T>> extraction(Type type, ChatRequest request, boolean list) {
        if (nonBlocking) {
            return awaitPushed(this.<T, Extraction<List<T>>>push(type, request, list, x -> x));
        }
        return extract(type, request, list, new CancelHandle());
    }

    /**
     * The blocking forms on the non-blocking transport: the caller's thread waits for the whole answer (woken once,
     * not per event) and gets what the blocking path would throw; an interrupt cancels the call (closing its
     * connection) and is kept set.
     */
    private static <V> V awaitPushed(CompletableFuture<V> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("Interrupted while waiting for the answer");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static <T> Extraction<T> single(Extraction<List<T>> all) {
        return all.withValue(all.value().get(0));
    }

    @Override
    public final <T> CompletableFuture<List<T>> listAsync(Class<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        if (nonBlocking) {
            return this.<T, List<T>>push(elementType, request, true, Extraction::value);
        }
        return async(handle -> this.<T>extract(elementType, request, true, handle).value());
    }

    @Override
    public final <T> CompletableFuture<List<T>> listAsync(TypeReference<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        if (nonBlocking) {
            return this.<T, List<T>>push(elementType.getType(), request, true, Extraction::value);
        }
        return async(handle -> this.<T>extract(elementType.getType(), request, true, handle).value());
    }

    @Override
    public final <T> CompletableFuture<T> oneAsync(Class<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(request, "request");
        if (nonBlocking) {
            return this.<T, T>push(type, request, false, x -> x.value().get(0));
        }
        return async(handle -> this.<T>extract(type, request, false, handle).value().get(0));
    }

    @Override
    public final <T> CompletableFuture<T> oneAsync(TypeReference<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(request, "request");
        if (nonBlocking) {
            return this.<T, T>push(type.getType(), request, false, x -> x.value().get(0));
        }
        return async(handle -> this.<T>extract(type.getType(), request, false, handle).value().get(0));
    }

    private interface Task<V> {
        V run(CancelHandle handle);
    }

    private <V> CompletableFuture<V> async(Task<V> task) {
        CancelHandle handle = new CancelHandle();
        CompletableFuture<V> future = new CompletableFuture<>();
        future.whenComplete((v, e) -> {
            if (future.isCancelled()) {
                handle.cancel();
            }
        });
        try {
            executor().execute(() -> {
                if (future.isDone()) {
                    return;
                }
                try {
                    future.complete(task.run(handle));
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /**
     * Asks, re-asking while the answer is invalid. For one object ({@code list} false) the result holds exactly one
     * value: in {@link Mode#TOOLS}, the first valid call's (see {@link Mode#TOOLS} on several calls).
     */
    private <T> Extraction<List<T>> extract(Type type, ChatRequest request, boolean list, CancelHandle handle) {
        Reasks<T> a = new Reasks<>(type, request, list);
        while (true) {
            ChatRequest r = a.next();
            Transport.HttpSource http = open(a.shape, a.m, r, handle, a.l);
            RecordingSource recording = new RecordingSource(http);
            List<T> values = new ArrayList<>();
            ExtractionException error = null;
            StreamResult result;
            try (ElementStream<T> stream = a.reader.stream(recording)) {
                try {
                    for (T v : stream) {
                        values.add(v);
                    }
                } catch (ExtractionException e) {
                    error = e;
                }
                result = stream.result();
            } catch (RuntimeException e) {
                recording.abort();
                throw e;
            } finally {
                a.retries += http.retries();
            }
            if (error == null) {
                recording.abort(); // the answer was read to its end
            } else {
                try {
                    a.afterError(values, error, handle.isCancelled());
                } catch (RuntimeException e) {
                    recording.abort();
                    throw e;
                }
                recording.finish(); // read the rest: the whole output goes back to the model, and the usage
            }
            Extraction<List<T>> done = a.conclude(values, error, result, recording);
            if (done != null) {
                return done;
            }
        }
    }

    /**
     * The re-ask loop of one list or single-object extraction: its state and its decisions, shared by the blocking
     * path ({@link #extract}) and the non-blocking one ({@link PushAttempt}).
     */
    private final class Reasks<T> {
        final boolean list;
        final Mode m;
        final Shape shape;
        final ExtractionListener l;
        final ElementReader<T> reader;
        final ChatRequest request;
        final int max;
        final List<Message> added = new ArrayList<>();
        final List<FailedAttempt> failed = new ArrayList<>();
        Usage total;
        int retries;
        int attempt;

        Reasks(Type type, ChatRequest request, boolean list) {
            this.list = list;
            this.request = request;
            this.m = modeOf(request);
            this.shape = shape(type, list, m);
            this.l = ExtractionListener.both(listener, request.listener());
            this.reader = reader(type, shape, InvalidElementPolicy.SKIP, m, false, l, request.validationContext());
            this.max = request.maxRetries() != null ? request.maxRetries() : maxRetries;
        }

        /** The next attempt's request: the caller's, then with the failed answers and the re-ask prompts added. */
        ChatRequest next() {
            attempt++;
            return added.isEmpty() ? request : request.withMessages(added);
        }

        /**
         * After an attempt failed while reading: throws when asking again cannot help (the caller then closes the
         * exchange); otherwise the rest of the answer is to be read (it goes back to the model, with the usage).
         */
        void afterError(List<T> values, ExtractionException error, boolean cancelled) {
            if (cancelled) {
                throw new CancellationException("The extraction was cancelled");
            }
            // one object asked for as a tool call: the first valid call is the answer, whatever follows it
            boolean firstCall = !list && m == Mode.TOOLS && !values.isEmpty();
            if (!firstCall && !reaskable(error)) {
                throw error;
            }
        }

        /**
         * The attempt's outcome, once its answer was read: the extraction, or null to ask again (the messages for
         * it added).
         *
         * @throws InvalidOutputException when no re-ask is left
         */
        Extraction<List<T>> conclude(List<T> values, ExtractionException error, StreamResult result,
                RecordingSource recording) {
            boolean firstCall = !list && m == Mode.TOOLS && !values.isEmpty();
            Usage usage = recording.usage() != null ? recording.usage() : result.usage().orElse(null);
            if (usage != null) {
                total = total == null ? usage : total.plus(usage);
            }
            boolean accepted = list ? error == null && result.skipped().isEmpty()
                    : firstCall || error == null && result.skipped().isEmpty() && values.size() == 1;
            if (accepted) {
                return new Extraction<>(list ? values : List.of(values.get(0)), total,
                        result.finishReason().orElse(null), result.finishKind().orElse(null),
                        result.model().orElse(null), result.requestId().orElse(null), attempt, retries,
                        recording.output(), result.prose(), failed);
            }
            FailedAttempt f = new FailedAttempt(attempt, recording.output(), result.skipped(), error, usage);
            failed.add(f);
            if (attempt > max) {
                throw new InvalidOutputException(failed, total);
            }
            if (l != null) {
                l.onRetry(attempt, Duration.ZERO, f.error() != null ? f.error()
                        : Prompts.invalidCause(f.invalidElements()));
            }
            String said = recording.output().isEmpty() ? result.prose() : recording.output();
            added.add(Message.assistant(said.isEmpty() ? "(no answer)" : said));
            added.add(Message.user(Prompts.reask(f, list, shape.tools() != null)));
            return null;
        }
    }

    /**
     * {@link #extract} without a thread per stream: each attempt's answer is pushed by the transport's loop
     * thread ({@link PushCall}) through the recording into the core's push parser; the re-ask decisions are {@link
     * Reasks}'. The caller's future is completed on the extractor's executor, so that what the caller chains on it
     * never runs on a loop thread.
     */
    private final class PushAttempt<T, V> implements PushCall.Sink {
        private final Reasks<T> a;
        private final CancelHandle handle;
        private final CompletableFuture<V> future;
        private final java.util.function.Function<Extraction<List<T>>, V> value;
        private List<T> values;
        private RecordingSource recording;
        private ElementParser<T> parser;
        private ExtractionException error;
        private PushCall call;
        private boolean done;
        /** The attempt's response arrived (its first delta, the response's info, was received). */
        private boolean opened;

        PushAttempt(Reasks<T> a, CancelHandle handle, CompletableFuture<V> future,
                java.util.function.Function<Extraction<List<T>>, V> value) {
            this.a = a;
            this.handle = handle;
            this.future = future;
            this.value = value;
        }

        void start() {
            ChatRequest r = a.next();
            values = new ArrayList<>();
            recording = new RecordingSource(null);
            error = null;
            opened = false;
            parser = a.reader.parser(values::add);
            call = transport.push(transport.wire.request(spec(a.shape, a.m, r)), a.m == Mode.TOOLS, handle, a.l,
                    this);
            call.start();
        }

        @Override
        public void delta(Delta d) {
            opened = true;
            recording.record(d);
            if (error != null || done) {
                return; // reading the rest after a failure: only recorded
            }
            try {
                parser.accept(d);
            } catch (ExtractionException e) {
                failed(e);
            } catch (RuntimeException | Error e) {
                call.abort(); // a listener that throws fails the call, as on the blocking path
                complete(null, e);
            }
        }

        private void failed(ExtractionException e) {
            error = e;
            try {
                a.afterError(values, e, handle.isCancelled());
            } catch (RuntimeException x) {
                call.abort();
                complete(null, x);
            }
        }

        @Override
        public void end(RuntimeException failure) {
            a.retries += call.retries();
            if (done) {
                return;
            }
            recording.record(null);
            if (failure instanceof CancellationException || failure != null && !opened) {
                // no answer began (an HTTP error, no connection): thrown as the blocking path's open() throws it
                complete(null, failure);
                return;
            }
            if (error == null) {
                try {
                    if (failure != null) {
                        ExtractionException x = failure instanceof ExtractionException ee ? ee
                                : new ExtractionException("The answer's source failed: " + failure, failure);
                        throw parser.fail(x);
                    }
                    parser.finish();
                } catch (ExtractionException e) {
                    failed(e);
                    if (done) {
                        return;
                    }
                }
            } // else: reading the rest after a failure failed; what was received is kept
            Extraction<List<T>> x;
            try {
                x = a.conclude(values, error, parser.result(), recording);
                if (x == null) {
                    if (handle.isCancelled()) {
                        complete(null, new CancellationException("The extraction was cancelled"));
                    } else {
                        start();
                    }
                    return;
                }
            } catch (RuntimeException | Error e) {
                complete(null, e);
                return;
            }
            V v;
            try {
                v = value.apply(x);
            } catch (RuntimeException e) {
                complete(null, e);
                return;
            }
            complete(v, null);
        }

        private void complete(V v, Throwable t) {
            done = true;
            Runnable r = () -> {
                if (t == null) {
                    future.complete(v);
                } else {
                    future.completeExceptionally(t);
                }
            };
            try {
                executor().execute(r);
            } catch (RuntimeException rejected) {
                r.run(); // the executor was shut down (the extractor closed): complete here
            }
        }
    }

    /** The async form of {@link #extract} on the non-blocking transport. */
    private <T, V> CompletableFuture<V> push(Type type, ChatRequest request, boolean list,
            java.util.function.Function<Extraction<List<T>>, V> value) {
        CancelHandle handle = new CancelHandle();
        CompletableFuture<V> future = new CompletableFuture<>();
        future.whenComplete((v, e) -> {
            if (future.isCancelled()) {
                handle.cancel();
            }
        });
        try {
            new PushAttempt<>(new Reasks<T>(type, request, list), handle, future, value).start();
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /** Whether asking again may help: not for transport errors, truncation, refusals, filters or limits. */
    private static boolean reaskable(ExtractionException e) {
        return !(e instanceof ProviderException || e instanceof TruncatedOutputException
                || e instanceof ContentFilterException || e instanceof RefusalException
                || e instanceof LimitExceededException);
    }

    // ================================================================== requests

    private Mode modeOf(ChatRequest r) {
        return r.mode() != null ? r.mode() : mode;
    }

    /**
     * How {@code type} is asked for in mode {@code m}: a list ({@code {"items": [...]}}) or a single value; in
     * {@link Mode#TOOLS}, a polymorphic type gets one function per subtype instead (see {@link SubtypeTools}). Every
     * schema describes what the extractor's mapper binds.
     */
    private Shape shape(Type type, boolean list, Mode m) {
        // the schema names what the mapper that binds reads (its naming strategy, mix-ins, ...): see JsonSchemas
        Shape base = list ? Shape.list(type, dialect, mapper) : Shape.single(type, dialect, mapper);
        if (m != Mode.TOOLS) {
            return base;
        }
        List<SubtypeTools.Tool> tools = toolSets.computeIfAbsent(type,
                t -> Optional.ofNullable(SubtypeTools.of(t, mapper != null ? mapper : DEFAULT_MAPPER, dialect)))
                .orElse(null);
        return tools == null ? base : base.withTools(tools);
    }

    /** The neutral request the wire format writes. */
    RequestSpec spec(Shape shape, Mode m, ChatRequest r) {
        String mdl = r.model() != null ? r.model() : model;
        if (mdl == null || mdl.isBlank()) {
            throw new IllegalArgumentException(missingModelMessage());
        }
        RequestSpec.Builder b = RequestSpec.builder().model(mdl).mode(m).request(r)
                .instructions(Prompts.instructions(m, shape.schema())).schema(shape.schema(), shape.name())
                .schemaDialect(dialect).list(shape.list());
        if (m == Mode.TOOLS) {
            if (shape.tools() != null) {
                List<ToolSpec> tools = new ArrayList<>();
                for (SubtypeTools.Tool t : shape.tools()) {
                    tools.add(ToolSpec.of(t.name(), t.description(), t.parameters(), strict));
                }
                b.tools(tools, null, shape.list());
            } else {
                b.tools(List.of(ToolSpec.of(shape.name(), "Give the answer as structured data.", shape.schema(),
                        strict)), shape.name(), null);
            }
        }
        return b.build();
    }

    private Transport.HttpSource open(Shape shape, Mode m, ChatRequest r, CancelHandle handle, ExtractionListener l) {
        return transport.open(transport.wire.request(spec(shape, m, r)), m == Mode.TOOLS, handle, l);
    }

    /** The source {@code stream} reads: over the event loops when non-blocking (woken per element), else OkHttp's. */
    private DeltaSource pullSource(Shape shape, Mode m, ChatRequest r, CancelHandle handle, ExtractionListener l) {
        if (nonBlocking) {
            return transport.loopSource(transport.wire.request(spec(shape, m, r)), m == Mode.TOOLS, handle, l);
        }
        return open(shape, m, r, handle, l);
    }

    /**
     * The message of the {@link IllegalArgumentException} thrown when neither the request nor the extractor names a
     * model; a provider says how to set one (its builder, its environment variable).
     *
     * @return the message, naming how to set a model
     */
    protected String missingModelMessage() {
        return "No model: set one with the extractor's builder (model(...)) or ChatRequest.Builder.model(...)";
    }

    /**
     * A cached reader's key. {@code equals} and {@code hashCode} are written out (as {@code JsonSchemas}' key): a
     * record's generated ones run through method handles that the JVM re-links after some calls, which can pin a
     * virtual thread's carrier; this key is looked up on every call.
     */
    private record ReaderKey(Type type, Selection selection, InvalidElementPolicy policy, TextFormat format,
            boolean streamStrings, List<SubtypeTools.Tool> tools) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ReaderKey k && type.equals(k.type) && selection.equals(k.selection)
                    && policy == k.policy && format == k.format && streamStrings == k.streamStrings
                    && Objects.equals(tools, k.tools);
        }

        @Override
        public int hashCode() {
            int h = type.hashCode();
            h = h * 31 + selection.hashCode();
            h = h * 31 + policy.hashCode();
            h = h * 31 + format.hashCode();
            h = h * 31 + Boolean.hashCode(streamStrings);
            return h * 31 + Objects.hashCode(tools);
        }
    }


    /**
     * The reader for {@code shape}'s elements, cached; with the extractor's listener, or a fresh copy with {@code l}
     * when the request has a listener of its own; validating with the request's payload and groups (a cheap view of
     * the reader, which every round of the call uses: re-asks, repairs).
     */
    @SuppressWarnings("unchecked")
    private <T> ElementReader<T> reader(Type type, Shape shape, InvalidElementPolicy policy, Mode m,
            boolean streamStrings, ExtractionListener l, ValidationContext validation) {
        TextFormat format = m == Mode.MD_JSON ? TextFormat.MARKDOWN
                : m == Mode.JSON ? TextFormat.JSON_IN_TEXT : TextFormat.JSON;
        ElementReader<T> cached = (ElementReader<T>) readers.computeIfAbsent(new ReaderKey(type, shape.selection(),
                policy, format, streamStrings, shape.tools()), k -> {
            ElementReader.Builder<Object> b = ElementReader.builder(type).selection(k.selection()).onInvalid(policy)
                    .textFormat(format).streamStrings(streamStrings);
            if (k.tools() != null) {
                for (SubtypeTools.Tool t : k.tools()) {
                    b.toolType(t.name(), t.type());
                }
            }
            if (listener != null) {
                b.listener(listener);
            }
            if (mapper != null) {
                b.mapper(mapper);
            }
            if (validatorFactory != null) {
                b.validatorFactory(validatorFactory);
            } else if (validator != null) {
                b.validator(validator);
            }
            if (limits != null) {
                b.limits(limits);
            }
            return b.build();
        });
        return (l == listener ? cached : cached.toBuilder().listener(l).build()).with(validation);
    }

    // ================================================================== lifecycle

    private synchronized Executor executor() {
        if (callerExecutor != null) {
            return callerExecutor;
        }
        if (ownExecutor == null) {
            AtomicInteger n = new AtomicInteger();
            ownExecutor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "extractor-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return ownExecutor;
    }

    /**
     * The OkHttp client in use (yours, or the one this extractor created).
     *
     * @return the OkHttp client in use (yours, or the one this extractor created)
     */
    public final OkHttpClient httpClient() {
        return transport.client;
    }

    /**
     * The wire format this extractor speaks.
     *
     * @return the wire format this extractor speaks
     */
    protected final WireFormat wireFormat() {
        return transport.wire;
    }

    /**
     * The default model, or null.
     *
     * @return the default model, or null
     */
    protected final String defaultModel() {
        return model;
    }

    /**
     * The default mode.
     *
     * @return the default mode
     */
    protected final Mode defaultMode() {
        return mode;
    }

    /**
     * The schema dialect.
     *
     * @return the schema dialect
     */
    protected final SchemaDialect schemaDialect() {
        return dialect;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
            }
        }
        transport.closeLoops();
        if (ownsClient) {
            transport.client.dispatcher().executorService().shutdown();
            transport.client.connectionPool().evictAll();
        }
    }

    /** The wire format, model and mode; never the API key. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + transport.wire.name() + ", model=" + model + ", mode=" + mode
                + ", schemaDialect=" + dialect + "]";
    }
}
