package dev.extractor.openai;

import dev.extractor.ContentFilterException;
import dev.extractor.DeltaSource;
import dev.extractor.ElementPublisher;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ElementValidationException;
import dev.extractor.ExtractionException;
import dev.extractor.ExtractionListener;
import dev.extractor.InvalidElement;
import dev.extractor.JsonSchemas;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.LimitExceededException;
import dev.extractor.Limits;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.RefusalException;
import dev.extractor.Repairer;
import dev.extractor.SchemaDialect;
import dev.extractor.Selection;
import dev.extractor.StreamResult;
import dev.extractor.TextFormat;
import dev.extractor.TruncatedOutputException;
import dev.extractor.Usage;
import dev.extractor.Violation;
import jakarta.validation.Validator;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.lang.reflect.Modifier;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed, validated objects from any OpenAI-compatible chat-completions server, streamed while the model writes.
 *
 * <pre>{@code
 * try (OpenAiExtractor ai = OpenAiExtractor.fromEnv()) {          // OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL
 *     // a list, streamed: each element the moment its closing brace arrives
 *     try (ElementStream<Product> products = ai.stream(Product.class, "Recommend five laptops for a student")) {
 *         for (Product p : products) show(p);
 *     }
 *     // a list, whole, re-asked with the validation errors until valid
 *     List<Product> all = ai.list(Product.class, "Recommend five laptops for a student");
 *     // one object
 *     Invoice invoice = ai.one(Invoice.class, "Extract the invoice: " + text);
 * }
 * }</pre>
 *
 * <p><b>Streams</b> ({@link #stream(Class, ChatRequest)}) deliver elements in the order the model writes them, each
 * bound with Jackson and checked with Bean Validation as soon as it is complete. What an invalid element does is the
 * request's {@link ChatRequest#onInvalid()} policy: {@link InvalidElementPolicy#FAIL} (the default: the iterator
 * throws, earlier elements stay delivered), {@link InvalidElementPolicy#SKIP}, or {@link InvalidElementPolicy#REPAIR}:
 * after the answer has ended, the model is asked to correct exactly the invalid elements (given their JSON and
 * violations, with the same schema), up to {@code maxRetries} rounds. <b>Ordering contract under REPAIR:</b> valid
 * elements arrive first, in answer order; corrected elements arrive after all of them, in index order, each with its
 * original index ({@link ElementStream#elements()}); those never corrected are listed in {@link
 * StreamResult#skipped()}.
 *
 * <p><b>Lists and single objects</b> ({@link #list(Class, ChatRequest)}, {@link #one(Class, ChatRequest)}) re-ask on
 * invalid output: when elements fail validation, or the JSON is malformed, incomplete or of the wrong shape, the
 * model's answer is appended to the conversation as an assistant message, followed by a user message quoting the
 * real errors (element index, JSON, violations, or the parse error), up to {@code maxRetries} times. Then an {@link
 * InvalidOutputException} carries every attempt. Not re-asked: a truncated answer ({@code finish_reason=length},
 * {@link TruncatedOutputException}), since the same request would stop at the same token limit again (raise the
 * max-tokens option or ask for fewer elements); refusals and content-filter stops (asking again does not change the
 * policy); HTTP and connection errors (see {@link RetryPolicy} for those).
 *
 * <p><b>Partial objects</b> ({@link #partials(Class, ChatRequest)}): one big object (a report, an outline, a form)
 * as {@link Partial} snapshots while it fills in, then complete and validated.
 *
 * <p><b>Polymorphic elements</b>: an element type that is a sealed interface or an abstract class with Jackson
 * {@code @JsonTypeInfo} ({@code sealed interface Block permits Heading, Paragraph, Table}) is asked for with the
 * schema's {@code anyOf} of its subtypes, each with its type id as a {@code const} discriminator; each element binds
 * to its concrete type as it completes. In {@link Mode#TOOLS}, the model gets one function per subtype instead and
 * calls them in parallel, each call being one element (see {@link Mode#TOOLS} for the function names).
 *
 * <p><b>Events</b>: an {@link ExtractionListener} on the extractor ({@link Builder#listener}) or on a request
 * ({@link ChatRequest.Builder#listener}) hears when the response opens, each retry or re-ask, the first byte, each
 * element or snapshot, and the finish with reason and usage. Without one, no calls are made.
 *
 * <p><b>HTTP</b>: one OkHttp client per extractor (or yours, see {@link Builder#client(OkHttpClient)}), so
 * connections are pooled. 429, 5xx and connection failures before the first byte of the answer are retried with
 * exponential backoff and jitter, honouring {@code Retry-After} ({@link RetryPolicy}); never once the answer has
 * started. Errors are typed: {@link BadRequestException}, {@link AuthenticationException}, {@link
 * PermissionDeniedException}, {@link NotFoundException}, {@link RateLimitException}, {@link ServerException}, {@link
 * OpenAiTimeoutException}, {@link OpenAiConnectionException}, each with the server's message and request id. The API
 * key appears in no message, log line or {@code toString}.
 *
 * <p>Thread-safe: share one extractor. {@link #close()} releases the client and threads it created.
 */
public final class OpenAiExtractor implements AutoCloseable {

    /** The default endpoint, OpenAI's. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    private static final JsonMapper BODY_MAPPER = dev.extractor.internal.JacksonCheck.newMapper();
    /** The mapper that finds subtypes when the extractor has none of its own (the core's default is the same). */
    private static final JsonMapper DEFAULT_MAPPER = dev.extractor.internal.JacksonCheck.newMapper();

    private final Transport transport;
    private final boolean ownsClient;
    private final String model;
    private final Mode mode;
    private final SchemaDialect schemaDialect;
    private final boolean streamUsage;
    private final int maxRetries;
    private final ObjectMapper mapper;
    private final Validator validator;
    private final Limits limits;
    private final boolean hasApiKey;
    private final Executor callerExecutor;
    private final ExtractionListener listener;
    private ExecutorService ownExecutor;
    private final Map<ReaderKey, ElementReader<?>> readers = new ConcurrentHashMap<>();
    private final Map<Type, Optional<List<SubtypeTools.Tool>>> toolSets = new ConcurrentHashMap<>();

    private OpenAiExtractor(Builder b, Transport transport, boolean ownsClient) {
        this.transport = transport;
        this.ownsClient = ownsClient;
        this.model = b.model;
        this.mode = b.mode;
        this.schemaDialect = b.schemaDialect;
        this.streamUsage = b.streamUsage;
        this.maxRetries = b.maxRetries;
        this.mapper = b.mapper;
        this.validator = b.validator;
        this.limits = b.limits;
        this.hasApiKey = b.apiKey != null;
        this.callerExecutor = b.executor;
        this.listener = b.listener;
    }

    /**
     * An extractor configured from the environment: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} (default
     * {@value #DEFAULT_BASE_URL}), and optionally {@code OPENAI_MODEL}, {@code OPENAI_ORG_ID}, {@code
     * OPENAI_PROJECT_ID}.
     *
     * @throws IllegalStateException if no API key is set for OpenAI's own endpoint
     */
    public static OpenAiExtractor fromEnv() {
        return builder().environment().build();
    }

    /** A builder with the defaults (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    // ================================================================== streaming lists

    /** {@link #stream(Class, ChatRequest)} of one user message. */
    public <T> ElementStream<T> stream(Class<T> elementType, String prompt) {
        return stream(elementType, ChatRequest.of(prompt));
    }

    /**
     * Asks for a list of {@code elementType} and streams it: each element is handed out the moment its closing
     * brace arrives, bound and validated. The request is sent and its response headers awaited before this
     * returns, so HTTP errors (after retries) are thrown here; failures later in the answer are thrown by the
     * iterator. Close the stream (try-with-resources) to cancel the call mid-way; it releases the connection.
     *
     * <p>Invalid elements follow {@link ChatRequest#onInvalid()}; see the class documentation for the ordering
     * contract of {@link InvalidElementPolicy#REPAIR}. A {@code finish_reason=length} ends the iteration with a
     * {@link TruncatedOutputException} carrying the partial text (the elements before it were delivered).
     */
    public <T> ElementStream<T> stream(Class<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        return openStream(elementType, request, new CancelHandle());
    }

    /**
     * The streamed list as a {@link Flow.Publisher}: cold (each subscriber sends its own request, at its first
     * {@code request(n)}), demand respected (nothing is read beyond what was requested), {@code cancel()} cancels
     * the HTTP call. Signals come from the extractor's executor ({@link Builder#executor(Executor)}).
     */
    public <T> Flow.Publisher<T> publisher(Class<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        return ElementPublisher.of(() -> stream(elementType, request), executor());
    }

    private <T> ElementStream<T> openStream(Type elementType, ChatRequest request, CancelHandle handle) {
        Mode m = modeOf(request);
        Shape shape = shape(elementType, true, m);
        InvalidElementPolicy policy = request.onInvalid() == null ? InvalidElementPolicy.FAIL : request.onInvalid();
        ExtractionListener l = listenerOf(request);
        ElementReader<T> reader = reader(elementType, shape, policy, m, false, l);
        DeltaSource source = open(shape, m, request, handle, l);
        if (policy != InvalidElementPolicy.REPAIR) {
            return reader.stream(source);
        }
        int rounds = request.maxRetries() != null ? request.maxRetries() : maxRetries;
        Repairer repairer = (invalid, round) -> {
            if (round > rounds) {
                return null;
            }
            if (l != null) {
                l.onRetry(round, Duration.ZERO, invalidCause(invalid));
            }
            return open(shape, m, request.withMessages(List.of(Message.user(repairPrompt(invalid, shape)))), handle,
                    l);
        };
        return reader.stream(source, repairer);
    }

    // ================================================================== partial objects

    /** {@link #partials(Class, ChatRequest)} of one user message. */
    public <T> PartialStream<T> partials(Class<T> type, String prompt) {
        return partials(type, ChatRequest.of(prompt));
    }

    /**
     * Asks for one {@code type} and streams {@link Partial} snapshots of it while the model writes: the object
     * under construction, typed, with the fields not received yet null (or empty, or zero), then the complete,
     * validated object as the last snapshot. For rendering a big answer (a report, an outline, a form) as it fills
     * in.
     *
     * <pre>{@code
     * record Section(@NotBlank String title, String body) {}
     * record Report(@NotBlank String headline, @Streamed String summary, List<Section> sections) {}
     *
     * try (PartialStream<Report> report = ai.partials(Report.class, "Write a report on Q3 sales")) {
     *     for (Partial<Report> p : report) {
     *         Report r = p.value();
     *         if (p.changed().contains("/headline")) showHeadline(r.headline());   // first, once complete
     *         if (p.changed().contains("/summary")) showSummary(r.summary());      // grows (@Streamed)
     *         for (Section s : p.completedElements("/sections", Section.class)) {
     *             showSection(s);                                                   // each as it closes
     *         }
     *     }
     *     System.out.println(report.result().usage());
     * }
     * }</pre>
     *
     * <p>The contract of the snapshots is the core's ({@link Partial}): a snapshot only when something changed;
     * numbers, booleans and enum constants only once complete; strings once complete unless marked {@link
     * dev.extractor.Streamed @Streamed} or the request asks for {@link ChatRequest.Builder#streamStrings(boolean)
     * all strings to stream}; nested records and list elements validated as they close, the whole object at the
     * end. The extractor's mapper, validator and limits apply. Records and other objects are the answer's root
     * (with the type's schema, in every {@link Mode}); other types (a {@code String}, a list, a polymorphic
     * type) are asked for as {@code {"value": ...}} and snapshotted there (in {@link Mode#TOOLS}, a polymorphic
     * type is asked for as one call of one function per subtype instead, and is atomic).
     *
     * <p>Like {@link #stream(Class, ChatRequest)}: the request is sent and its response headers awaited before this
     * returns (HTTP errors, after retries, are thrown here; later failures by the iterator), and closing the stream
     * cancels the HTTP call. Nothing is re-asked: an object that fails validation at the end ends the iteration with
     * an {@link ElementValidationException} under {@link InvalidElementPolicy#FAIL} (the default), or is listed in
     * {@link StreamResult#skipped()} under {@link InvalidElementPolicy#SKIP} ({@link InvalidElementPolicy#REPAIR}
     * behaves like SKIP).
     */
    public <T> PartialStream<T> partials(Class<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(request, "request");
        Mode m = modeOf(request);
        Shape shape = shape(type, false, m);
        InvalidElementPolicy policy = request.onInvalid() == null ? InvalidElementPolicy.FAIL
                : request.onInvalid() == InvalidElementPolicy.REPAIR ? InvalidElementPolicy.SKIP : request.onInvalid();
        ExtractionListener l = listenerOf(request);
        ElementReader<T> reader = reader(type, shape, policy, m, request.streamStrings(), l);
        DeltaSource source = open(shape, m, request, new CancelHandle(), l);
        try {
            return reader.partials(source);
        } catch (RuntimeException | Error e) {
            source.close();
            throw e;
        }
    }

    // ================================================================== lists and single objects

    /** {@link #list(Class, ChatRequest)} of one user message. */
    public <T> List<T> list(Class<T> elementType, String prompt) {
        return list(elementType, ChatRequest.of(prompt));
    }

    /**
     * Asks for a list of {@code elementType} and returns it whole, every element valid; re-asks with the errors
     * when some are not (see the class documentation).
     *
     * @throws InvalidOutputException if the answer was still invalid after {@code maxRetries} re-asks
     */
    public <T> List<T> list(Class<T> elementType, ChatRequest request) {
        return listResult(elementType, request).value();
    }

    /** Like {@link #list(Class, ChatRequest)}, with the usage (summed over attempts) and what the server reported. */
    public <T> Extraction<List<T>> listResult(Class<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        return extract(elementType, request, true, new CancelHandle());
    }

    /** {@link #one(Class, ChatRequest)} of one user message. */
    public <T> T one(Class<T> type, String prompt) {
        return one(type, ChatRequest.of(prompt));
    }

    /**
     * Asks for one {@code type} and returns it, valid; re-asks with the errors when it is not. Records and other
     * objects are the answer's root; other types (a {@code String}, an enum, a number) are asked for as
     * {@code {"value": ...}}.
     *
     * @throws InvalidOutputException if the answer was still invalid after {@code maxRetries} re-asks
     */
    public <T> T one(Class<T> type, ChatRequest request) {
        return oneResult(type, request).value();
    }

    /** Like {@link #one(Class, ChatRequest)}, with the usage (summed over attempts) and what the server reported. */
    public <T> Extraction<T> oneResult(Class<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(request, "request");
        Extraction<List<T>> all = extract(type, request, false, new CancelHandle());
        return new Extraction<>(all.value().get(0), all.usage(), all.finishReason(), all.model(), all.requestId(),
                all.attempts(), all.rawText(), all.failedAttempts());
    }

    /**
     * {@link #list(Class, ChatRequest)} on the extractor's executor. Cancelling the future cancels the HTTP call
     * (and any retry wait).
     */
    public <T> CompletableFuture<List<T>> listAsync(Class<T> elementType, ChatRequest request) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(request, "request");
        return async(handle -> this.<T>extract(elementType, request, true, handle).value());
    }

    /**
     * {@link #one(Class, ChatRequest)} on the extractor's executor. Cancelling the future cancels the HTTP call
     * (and any retry wait).
     */
    public <T> CompletableFuture<T> oneAsync(Class<T> type, ChatRequest request) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(request, "request");
        return async(handle -> this.<T>extract(type, request, false, handle).value().get(0));
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

    private <T> Extraction<List<T>> extract(Type type, ChatRequest request, boolean list, CancelHandle handle) {
        Mode m = modeOf(request);
        Shape shape = shape(type, list, m);
        ExtractionListener l = listenerOf(request);
        ElementReader<T> reader = reader(type, shape, InvalidElementPolicy.SKIP, m, false, l);
        int max = request.maxRetries() != null ? request.maxRetries() : maxRetries;
        List<Message> added = new ArrayList<>();
        List<FailedAttempt> failed = new ArrayList<>();
        Usage total = null;
        for (int attempt = 1; ; attempt++) {
            ChatRequest r = added.isEmpty() ? request : request.withMessages(added);
            RecordingSource recording = new RecordingSource(open(shape, m, r, handle, l));
            List<T> values = List.of();
            ExtractionException error = null;
            StreamResult result;
            try (ElementStream<T> stream = reader.stream(recording)) {
                try {
                    values = stream.toList();
                } catch (ExtractionException e) {
                    error = e;
                }
                result = stream.result();
            } catch (RuntimeException e) {
                recording.abort();
                throw e;
            }
            if (error == null) {
                recording.abort(); // the answer was read to its end
            } else {
                if (handle.isCancelled()) {
                    recording.abort();
                    throw new CancellationException("The extraction was cancelled");
                }
                if (!reaskable(error)) {
                    recording.abort();
                    throw error;
                }
                recording.finish(); // read the rest: the whole output goes back to the model, and the usage
            }
            Usage usage = recording.usage() != null ? recording.usage() : result.usage().orElse(null);
            if (usage != null) {
                total = total == null ? usage : total.plus(usage);
            }
            if (error == null && result.skipped().isEmpty() && (list || values.size() == 1)) {
                return new Extraction<>(values, Optional.ofNullable(total), result.finishReason(), result.model(),
                        result.requestId(), attempt, recording.output(), failed);
            }
            FailedAttempt f = new FailedAttempt(attempt, recording.output(), result.skipped(), error,
                    Optional.ofNullable(usage));
            failed.add(f);
            if (attempt > max) {
                throw new InvalidOutputException(failed, total);
            }
            if (l != null) {
                l.onRetry(attempt, Duration.ZERO, f.error() != null ? f.error() : invalidCause(f.invalidElements()));
            }
            added.add(Message.assistant(recording.output()));
            added.add(Message.user(reaskPrompt(f, list, shape.tools() != null)));
        }
    }

    /** Whether asking again may help: not for transport errors, truncation, refusals, filters or limits. */
    private static boolean reaskable(ExtractionException e) {
        return !(e instanceof OpenAiException || e instanceof TruncatedOutputException
                || e instanceof ContentFilterException || e instanceof RefusalException
                || e instanceof LimitExceededException);
    }

    // ================================================================== prompts

    /** What a re-ask or repair round is about, for {@link ExtractionListener#onRetry}: the invalid elements. */
    private static ExtractionException invalidCause(List<InvalidElement> invalid) {
        StringBuilder sb = new StringBuilder().append(invalid.size()).append(invalid.size() == 1
                ? " element is" : " elements are").append(" invalid: ");
        for (int i = 0; i < invalid.size(); i++) {
            InvalidElement e = invalid.get(i);
            sb.append(i == 0 ? "" : " | ").append("element ").append(e.index()).append(": ")
                    .append(e.violations().isEmpty() ? "" : e.violations().get(0));
        }
        return new ElementValidationException(sb.toString(), invalid.get(0));
    }

    /** @param calls whether the answer is given as calls of one function per subtype (polymorphic TOOLS mode) */
    static String reaskPrompt(FailedAttempt f, boolean list, boolean calls) {
        StringBuilder sb = new StringBuilder();
        if (f.error() != null) {
            sb.append("Your answer could not be used: ").append(f.error().getMessage()).append("\n\n");
        } else {
            sb.append("Your answer could not be used: ").append(f.invalidElements().size())
                    .append(f.invalidElements().size() == 1 ? " element is" : " elements are")
                    .append(" invalid.\n");
            for (InvalidElement e : f.invalidElements()) {
                sb.append("\n- ").append(list ? "Element " + e.index() + " (" + e.pointer() + ")" : "The object")
                        .append(": ").append(e.json()).append('\n');
                for (Violation v : e.violations()) {
                    sb.append("  - ").append(v).append('\n');
                }
            }
            sb.append('\n');
        }
        if (calls) {
            sb.append(list ? "Answer again with the complete list (every element, the invalid ones corrected): "
                    + "call the functions once per element, in order."
                    : "Answer again with the complete, corrected object: call one of the functions once.");
            return sb.toString();
        }
        sb.append(list ? "Answer again with the complete list (every element, the invalid ones corrected), "
                : "Answer again with the complete, corrected object, ").append("following the same JSON schema.");
        return sb.toString();
    }

    /** The repair round's request: the invalid elements, then how to answer, as {@code {"items"}} or as calls. */
    static String repairPrompt(List<InvalidElement> invalid, Shape shape) {
        int n = invalid.size();
        StringBuilder sb = new StringBuilder("These ").append(n == 1 ? "element" : n + " elements")
                .append(" of your answer ").append(n == 1 ? "is" : "are").append(" invalid:\n");
        int k = 1;
        for (InvalidElement e : invalid) {
            sb.append('\n').append(k++).append(". ").append(e.json()).append('\n');
            for (Violation v : e.violations()) {
                sb.append("   - ").append(v).append('\n');
            }
        }
        if (shape.tools() == null) {
            sb.append("\nAnswer with {\"items\": [...]} holding exactly ").append(n).append(" corrected element")
                    .append(n == 1 ? "" : "s").append(", in this order, following the same JSON schema.");
        } else {
            sb.append("\nAnswer by calling the functions once per corrected element, exactly ").append(n)
                    .append(n == 1 ? " call" : " calls").append(", in this order.");
        }
        return sb.append(" Do not repeat the other elements.").toString();
    }

    private static String instructions(Mode m, ObjectNode schema) {
        String s = schema.toString();
        return m == Mode.MD_JSON
                ? "Answer with a single ```json fenced code block holding a JSON object that conforms to this"
                        + " JSON Schema:\n" + s
                : "Answer with a JSON object, and nothing else, that conforms to this JSON Schema:\n" + s;
    }

    // ================================================================== requests

    /**
     * The element shape: the schema asked for, which values of the answer are the elements, and, for a polymorphic
     * type in {@link Mode#TOOLS}, the function offered per subtype ({@code tools}, else null; each call is then one
     * element, and {@code list} says whether several calls are wanted).
     */
    record Shape(ObjectNode schema, Selection selection, String name, List<SubtypeTools.Tool> tools, boolean list) {

        static Shape list(Type elementType, SchemaDialect dialect) {
            return new Shape(JsonSchemas.listSchema(elementType, dialect),
                    Selection.items(), schemaName(elementType) + "_list", null, true);
        }

        static Shape single(Type type, SchemaDialect dialect) {
            if (isObject(type)) {
                return new Shape(JsonSchemas.schema(type, dialect), Selection.root(),
                        schemaName(type), null, false);
            }
            return new Shape(JsonSchemas.wrapped("value", type, dialect),
                    Selection.path("$.value"), schemaName(type) + "_value", null, false);
        }

        /** The same elements asked for as calls of one function per subtype: each call's arguments are one element. */
        Shape withTools(List<SubtypeTools.Tool> subtypeTools) {
            return new Shape(schema, Selection.root(), name, subtypeTools, list);
        }

        /**
         * Whether values of {@code type} are JSON objects (records, beans), so that they can be the answer's root. A
         * polymorphic type (a sealed interface or an abstract class with Jackson type info) is not: its schema is an
         * {@code anyOf}, which strict mode does not accept at the root.
         */
        static boolean isObject(Type type) {
            Class<?> c = rawClass(type);
            if (c == null || c.isPrimitive() || c.isArray() || c.isEnum() || c.isInterface() && !c.isSealed()) {
                return false;
            }
            if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
                JsonNode root = JsonSchemas.schema(type).get("type");
                return root != null && root.isString() && root.asString().equals("object");
            }
            if (c.isRecord()) {
                return true;
            }
            return !(Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)
                    || c.getName().startsWith("java.") || c.getName().startsWith("tools.jackson."));
        }

        /** The class of a class or parameterized type; null for other types (type variables, wildcards, generic arrays). */
        static Class<?> rawClass(Type type) {
            return type instanceof Class<?> c ? c
                    : type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> r ? r : null;
        }

        static String schemaName(Type type) {
            Class<?> c = rawClass(type);
            String n = (c != null ? c : Object.class).getSimpleName().replaceAll("[^A-Za-z0-9_-]", "_");
            if (n.isEmpty()) {
                n = "answer";
            }
            return n.length() > 50 ? n.substring(0, 50) : n;
        }
    }

    private Mode modeOf(ChatRequest r) {
        return r.mode() != null ? r.mode() : mode;
    }

    /**
     * How {@code type} is asked for in mode {@code m}: a list ({@code {"items": [...]}}) or a single value; in
     * {@link Mode#TOOLS}, a polymorphic type gets one function per subtype instead (see {@link SubtypeTools}).
     */
    private Shape shape(Type type, boolean list, Mode m) {
        Shape base = list ? Shape.list(type, schemaDialect) : Shape.single(type, schemaDialect);
        if (m != Mode.TOOLS) {
            return base;
        }
        List<SubtypeTools.Tool> tools = toolSets.computeIfAbsent(type,
                t -> Optional.ofNullable(SubtypeTools.of(t, mapper != null ? mapper : DEFAULT_MAPPER,
                        schemaDialect)))
                .orElse(null);
        return tools == null ? base : base.withTools(tools);
    }

    /** The extractor's listener and the request's, or null when there is neither. */
    private ExtractionListener listenerOf(ChatRequest r) {
        ExtractionListener own = r.listener();
        if (own == null || own == listener) {
            return listener;
        }
        return listener == null ? own : new Listeners(listener, own);
    }

    private DeltaSource open(Shape shape, Mode m, ChatRequest r, CancelHandle handle, ExtractionListener l) {
        return transport.open(body(shape, m, r), 0, handle, l);
    }

    /** The request body, as JSON bytes. */
    byte[] body(Shape shape, Mode m, ChatRequest r) {
        String mdl = r.model() != null ? r.model() : model;
        if (mdl == null || mdl.isBlank()) {
            throw new IllegalArgumentException("No model: set one with OpenAiExtractor.Builder.model(...), "
                    + "ChatRequest.Builder.model(...) or the OPENAI_MODEL environment variable");
        }
        ObjectNode o = BODY_MAPPER.createObjectNode();
        boolean strict = schemaDialect == SchemaDialect.OPENAI_STRICT; // the only dialect OpenAI's strict flag means
        o.put("model", mdl);
        ArrayNode messages = o.putArray("messages");
        List<Message> all = new ArrayList<>(r.messages());
        if (m == Mode.JSON || m == Mode.MD_JSON) {
            String text = instructions(m, shape.schema());
            if (all.get(0).role() == Message.Role.SYSTEM) {
                all.set(0, Message.system(all.get(0).content() + "\n\n" + text));
            } else {
                all.add(0, Message.system(text));
            }
        }
        for (Message msg : all) {
            messages.addObject().put("role", msg.role().wireName()).put("content", msg.content());
        }
        o.put("stream", true);
        if (streamUsage) {
            o.putObject("stream_options").put("include_usage", true);
        }
        if (r.temperature() != null) {
            o.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            o.put("top_p", r.topP());
        }
        if (r.maxTokens() != null) {
            o.put("max_tokens", r.maxTokens());
        }
        if (r.maxCompletionTokens() != null) {
            o.put("max_completion_tokens", r.maxCompletionTokens());
        }
        if (r.seed() != null) {
            o.put("seed", r.seed());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = o.putArray("stop");
            r.stop().forEach(stop::add);
        }
        if (r.user() != null) {
            o.put("user", r.user());
        }
        switch (m) {
            case JSON_SCHEMA -> {
                ObjectNode js = o.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                js.put("name", shape.name()).put("strict", strict).set("schema", shape.schema());
            }
            case TOOLS -> {
                if (shape.tools() != null) {
                    ArrayNode tools = o.putArray("tools");
                    for (SubtypeTools.Tool t : shape.tools()) {
                        ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                        fn.put("name", t.name()).put("description", t.description());
                        fn.set("parameters", t.parameters());
                        if (strict) {
                            fn.put("strict", true);
                        }
                    }
                    o.put("tool_choice", "required");
                    o.put("parallel_tool_calls", shape.list());
                    break;
                }
                ObjectNode fn = o.putArray("tools").addObject().put("type", "function").putObject("function");
                fn.put("name", shape.name()).put("description", "Give the answer as structured data.");
                fn.set("parameters", shape.schema());
                if (strict) {
                    fn.put("strict", true);
                }
                o.putObject("tool_choice").put("type", "function").putObject("function").put("name", shape.name());
            }
            case JSON -> o.putObject("response_format").put("type", "json_object");
            case MD_JSON -> {
                // plain text: the instructions are in the system message
            }
        }
        r.extraBody().forEach((k, v) -> o.set(k, BODY_MAPPER.valueToTree(v)));
        return BODY_MAPPER.writeValueAsBytes(o);
    }

    private record ReaderKey(Type type, Selection selection, InvalidElementPolicy policy, TextFormat format,
            boolean streamStrings, List<SubtypeTools.Tool> tools) {}

    /**
     * The reader for {@code shape}'s elements, cached; with the extractor's listener, or a fresh copy with {@code l}
     * when the request has a listener of its own.
     */
    @SuppressWarnings("unchecked")
    private <T> ElementReader<T> reader(Type type, Shape shape, InvalidElementPolicy policy, Mode m,
            boolean streamStrings, ExtractionListener l) {
        TextFormat format = m == Mode.MD_JSON ? TextFormat.MARKDOWN : TextFormat.JSON;
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
            if (validator != null) {
                b.validator(validator);
            }
            if (limits != null) {
                b.limits(limits);
            }
            return b.build();
        });
        return l == listener ? cached : cached.toBuilder().listener(l).build();
    }

    /** Two listeners, called in turn: the extractor's, then the request's. */
    private record Listeners(ExtractionListener first, ExtractionListener second) implements ExtractionListener {
        @Override
        public void onOpen(String requestId) {
            first.onOpen(requestId);
            second.onOpen(requestId);
        }

        @Override
        public void onRetry(int attempt, Duration delay, Throwable cause) {
            first.onRetry(attempt, delay, cause);
            second.onRetry(attempt, delay, cause);
        }

        @Override
        public void onFirstByte(Duration sinceStart) {
            first.onFirstByte(sinceStart);
            second.onFirstByte(sinceStart);
        }

        @Override
        public void onElement(int index, Duration sinceStart) {
            first.onElement(index, sinceStart);
            second.onElement(index, sinceStart);
        }

        @Override
        public void onSnapshot(Partial<?> snapshot, Duration sinceStart) {
            first.onSnapshot(snapshot, sinceStart);
            second.onSnapshot(snapshot, sinceStart);
        }

        @Override
        public void onFinish(StreamResult result, Duration firstElement, Duration total) {
            first.onFinish(result, firstElement, total);
            second.onFinish(result, firstElement, total);
        }
    }

    // ================================================================== lifecycle

    private synchronized Executor executor() {
        if (callerExecutor != null) {
            return callerExecutor;
        }
        if (ownExecutor == null) {
            AtomicInteger n = new AtomicInteger();
            ownExecutor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "extractor-openai-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return ownExecutor;
    }

    /** The OkHttp client in use (yours, or the one this extractor created). */
    public OkHttpClient httpClient() {
        return transport.client;
    }

    /**
     * Releases what this extractor created: its OkHttp client's threads and pooled connections, and its executor.
     * A client or executor you supplied is left alone. Streams still open are not closed.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
            }
        }
        if (ownsClient) {
            transport.client.dispatcher().executorService().shutdown();
            transport.client.connectionPool().evictAll();
        }
    }

    /** The endpoint, model and mode; never the API key. */
    @Override
    public String toString() {
        // query parameter values may hold credentials (some gateways take the key that way): names only
        okhttp3.HttpUrl e = transport.endpoint();
        String where = e.newBuilder().query(null).build() + (e.querySize() == 0 ? ""
                : " (query parameters: " + String.join(", ", e.queryParameterNames()) + ")");
        return "OpenAiExtractor[" + where + ", model=" + model + ", mode=" + mode + ", schemaDialect=" + schemaDialect
                + ", apiKey=" + (hasApiKey ? "(set)" : "(none)") + "]";
    }

    // ================================================================== builder

    /**
     * Options of an {@link OpenAiExtractor}. Defaults: {@value OpenAiExtractor#DEFAULT_BASE_URL}, mode {@link
     * Mode#JSON_SCHEMA}, schemas in {@link SchemaDialect#OPENAI_STRICT} with {@code strict: true}, usage requested ({@code stream_options.include_usage}), 2 re-asks, {@link
     * RetryPolicy#defaults()}, connect timeout 10 s, read timeout (silence between chunks) 120 s, call timeout 10
     * min, the core's default Jackson mapper, validator and limits.
     */
    public static final class Builder {
        private String apiKey;
        private String baseUrl = DEFAULT_BASE_URL;
        private String model;
        private String organization;
        private String project;
        private String apiKeyHeader = "Authorization";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> queryParameters = new LinkedHashMap<>();
        private OkHttpClient client;
        private Duration connectTimeout;
        private Duration readTimeout;
        private Duration callTimeout;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private int maxRetries = 2;
        private Mode mode = Mode.JSON_SCHEMA;
        private SchemaDialect schemaDialect = SchemaDialect.OPENAI_STRICT;
        private boolean streamUsage = true;
        private ObjectMapper mapper;
        private Validator validator;
        private Limits limits;
        private Executor executor;
        private ExtractionListener listener;
        private Transport.Sleeper sleeper = Transport.REAL_SLEEPER;
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {}

        /**
         * Reads {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OPENAI_MODEL}, {@code OPENAI_ORG_ID} and
         * {@code OPENAI_PROJECT_ID} from the environment; those set (and not blank) override what this builder
         * had. Later builder calls override them in turn.
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
                model = v;
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

        /** The API key (sent as {@code Authorization: Bearer ...}). Optional for local servers. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * The header that carries the API key: {@code Authorization} (the default, as {@code Bearer <key>}), or
         * another name, which gets the bare key (Azure OpenAI's {@code api-key}).
         */
        public Builder apiKeyHeader(String name) {
            this.apiKeyHeader = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The API's base URL, up to and excluding {@code /chat/completions}: {@code https://api.openai.com/v1}
         * (default), {@code http://localhost:11434/v1} (Ollama), {@code http://localhost:8000/v1} (vLLM), {@code
         * https://openrouter.ai/api/v1}, {@code https://api.groq.com/openai/v1}, ...
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** The default model, used when a request names none. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The OpenAI organization id ({@code OpenAI-Organization} header). */
        public Builder organization(String organization) {
            this.organization = organization;
            return this;
        }

        /** The OpenAI project id ({@code OpenAI-Project} header). */
        public Builder project(String project) {
            this.project = project;
            return this;
        }

        /** Adds a header to every request (a gateway's key, a tracing header). */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds a query parameter to every request (Azure OpenAI's {@code api-version}). */
        public Builder queryParameter(String name, String value) {
            queryParameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Your OkHttp client (interceptors, proxy, TLS, shared pool). The extractor does not shut it down. Timeouts
         * set on this builder apply to a derived client that shares its pool and dispatcher.
         */
        public Builder client(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Timeout for connecting (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Timeout for each read: the longest silence allowed before the response headers and between two chunks of
         * the answer (default 120 s; reasoning models may think a while before their first token).
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Timeout for the whole call, streaming included (default 10 min; zero for none). */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How failed HTTP requests are retried (default {@link RetryPolicy#defaults()}; {@link RetryPolicy#none()}). */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How many times invalid output is re-asked (lists and single objects) or repaired (streams under {@link
         * InvalidElementPolicy#REPAIR}); default 2. Requests may override it.
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** How to ask for JSON (default {@link Mode#JSON_SCHEMA}); requests may override it. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * A shorthand for {@link #schemaDialect}: {@code true} (the default) is {@link SchemaDialect#OPENAI_STRICT}
         * with {@code strict: true}, {@code false} is {@link SchemaDialect#PLAIN} with {@code strict: false}. The last
         * of the two calls wins.
         */
        public Builder strict(boolean strict) {
            return schemaDialect(strict ? SchemaDialect.OPENAI_STRICT : SchemaDialect.PLAIN);
        }

        /**
         * The dialect the schemas are written in (default {@link SchemaDialect#OPENAI_STRICT}), in every {@link Mode}
         * (the {@code response_format} schema, the functions' parameters, the schema in the instructions of
         * {@link Mode#JSON} and {@link Mode#MD_JSON}). Only {@link SchemaDialect#OPENAI_STRICT} is sent with
         * {@code "strict": true}. For a server that constrains decoding with a grammar (llama.cpp, vLLM, Ollama, LM
         * Studio, SGLang) choose {@link SchemaDialect#GRAMMAR}: it keeps the string lengths strict mode drops. Whatever
         * the dialect leaves out, validation still checks on every element.
         *
         * @param dialect the dialect
         * @return this builder
         */
        public Builder schemaDialect(SchemaDialect dialect) {
            this.schemaDialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Whether to ask for token usage at the end of the stream ({@code stream_options: {include_usage: true}},
         * default true). Turn off for servers that reject {@code stream_options}.
         */
        public Builder streamUsage(boolean enabled) {
            this.streamUsage = enabled;
            return this;
        }

        /** The Jackson mapper that binds elements (your modules, naming strategy). */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** The Bean Validation validator (default: the core's shared Hibernate Validator). */
        public Builder validator(Validator validator) {
            this.validator = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /** Limits on the answers (default {@link Limits#defaults()}). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The executor of the async forms ({@code listAsync}, {@code oneAsync}, {@code publisher}); it must
         * tolerate blocking. Default: a cached pool of daemon threads, created on first use and shut down by {@link
         * OpenAiExtractor#close()}. Yours is not shut down.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Receives the progress events of every call (a request may add its own, {@link
         * ChatRequest.Builder#listener}): {@code onOpen(requestId)} when the response headers arrive; {@code
         * onRetry(attempt, delay, cause)} before each HTTP retry (attempt 1 for the first retry of a request, the
         * wait about to start, the {@link OpenAiException} that caused it), each re-ask of a list or single object
         * and each repair round of a stream (attempt 1 for the first, a zero delay, an {@link ExtractionException}
         * describing the invalid output); and the core's {@code onFirstByte}, {@code onElement}, {@code onSnapshot}
         * and {@code onFinish} for each answer read (with re-asks, each attempt's answer is a stream of its own).
         * Called on the thread that drives the call, in order; a listener that throws fails the call. Default none,
         * and then no calls are made at all.
         */
        public Builder listener(ExtractionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        Builder sleeper(Transport.Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        Builder random(DoubleSupplier random) {
            this.random = random;
            return this;
        }

        /**
         * The extractor.
         *
         * @throws IllegalArgumentException if the base URL is not an http(s) URL
         * @throws IllegalStateException if no API key is set for OpenAI's own endpoint
         */
        public OpenAiExtractor build() {
            String base = baseUrl.strip();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            HttpUrl parsed = HttpUrl.parse(base + "/chat/completions");
            if (parsed == null) {
                throw new IllegalArgumentException("Not an http(s) URL: " + baseUrl);
            }
            if (apiKey == null && "api.openai.com".equals(parsed.host())) {
                throw new IllegalStateException("No API key: set OPENAI_API_KEY, or OpenAiExtractor.Builder.apiKey(...)"
                        + " (a key is optional only for other servers, via OPENAI_BASE_URL or baseUrl(...))");
            }
            HttpUrl.Builder url = parsed.newBuilder();
            queryParameters.forEach(url::addQueryParameter);
            Headers.Builder h = new Headers.Builder();
            h.add("Accept", "text/event-stream");
            h.add("User-Agent", UserAgent.VALUE);
            if (apiKey != null) {
                if (apiKeyHeader.equalsIgnoreCase("Authorization")) {
                    h.add("Authorization", "Bearer " + apiKey);
                } else {
                    h.add(apiKeyHeader, apiKey);
                }
            }
            if (organization != null) {
                h.add("OpenAI-Organization", organization);
            }
            if (project != null) {
                h.add("OpenAI-Project", project);
            }
            headers.forEach(h::set);
            boolean owns = client == null;
            OkHttpClient c;
            if (owns) {
                c = new OkHttpClient.Builder()
                        .connectTimeout(millis(connectTimeout, Duration.ofSeconds(10)), TimeUnit.MILLISECONDS)
                        .readTimeout(millis(readTimeout, Duration.ofSeconds(120)), TimeUnit.MILLISECONDS)
                        .callTimeout(millis(callTimeout, Duration.ofMinutes(10)), TimeUnit.MILLISECONDS)
                        .build();
            } else if (connectTimeout != null || readTimeout != null || callTimeout != null) {
                OkHttpClient.Builder d = client.newBuilder();
                if (connectTimeout != null) {
                    d.connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (readTimeout != null) {
                    d.readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (callTimeout != null) {
                    d.callTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                c = d.build();
            } else {
                c = client;
            }
            Transport t = new Transport(c, url.build(), h.build(), apiKey, retryPolicy, sleeper, clock, random);
            return new OpenAiExtractor(this, t, owns);
        }

        private static long millis(Duration d, Duration fallback) {
            return (d != null ? d : fallback).toMillis();
        }

        /** The settings; never the API key. */
        @Override
        public String toString() {
            String where = baseUrl == null || baseUrl.indexOf('?') < 0 ? baseUrl
                    : baseUrl.substring(0, baseUrl.indexOf('?')) + "?(query hidden)"; // may hold credentials
            return "OpenAiExtractor.Builder[" + where + ", model=" + model + ", mode=" + mode + ", apiKey="
                    + (apiKey == null ? "(none)" : "(set)") + ", headers=" + headers.keySet() + "]";
        }
    }
}
