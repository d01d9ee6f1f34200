package dev.extractor.client;

import dev.extractor.ElementStream;
import dev.extractor.ElementValidationException;
import dev.extractor.ExtractionListener;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.StreamResult;
import dev.extractor.TruncatedOutputException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import tools.jackson.core.type.TypeReference;

/**
 * Typed, validated objects from a model, streamed while it writes: the calls every provider offers. Code written
 * against this interface switches provider by changing only the builder that made the extractor ({@code
 * OpenAiExtractor.builder()}, ...).
 *
 * <pre>{@code
 * try (Extractor ai = OpenAiExtractor.fromEnv()) {
 *     // a list, streamed: each element the moment its closing brace arrives
 *     try (ElementStream<Product> products = ai.stream(Product.class, "Recommend five laptops for a student")) {
 *         for (Product p : products) show(p);
 *     }
 *     // a list, whole, re-asked with the validation errors until valid
 *     List<Product> all = ai.list(Product.class, "Recommend five laptops for a student");
 *     // one object
 *     Invoice invoice = ai.one(Invoice.class, "Extract the invoice: " + text);
 *     // a generic element type (record Ranked<T>(int rank, T item) {})
 *     List<Ranked<Product>> top = ai.list(new TypeReference<Ranked<Product>>() {}, "Rank five laptops");
 * }
 * }</pre>
 *
 * <p>Every call takes the element type as a {@code Class} or, for generic types, a Jackson {@link TypeReference};
 * and the question as a prompt (one user message) or a {@link ChatRequest} (a conversation and options).
 *
 * <p><b>Streams</b> ({@link #stream(Class, ChatRequest)}) deliver elements in the order the model writes them, each
 * bound with Jackson and checked with Bean Validation as soon as it is complete. What an invalid element does is
 * the request's {@link ChatRequest#onInvalid()} policy: {@link InvalidElementPolicy#FAIL} (the default: the iterator
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
 * InvalidOutputException} carries every attempt. Not re-asked: a truncated answer ({@link
 * TruncatedOutputException}), since the same request would stop at the same token limit again (raise the max-tokens
 * option or ask for fewer elements); refusals and content-filter stops (asking again does not change the policy);
 * HTTP and connection errors (see {@link RetryPolicy} for those).
 *
 * <p><b>Partial objects</b> ({@link #partials(Class, ChatRequest)}): one big object (a report, an outline, a form)
 * as {@link Partial} snapshots while it fills in, then complete and validated.
 *
 * <p><b>Polymorphic elements</b>: an element type that is a sealed interface or an abstract class with Jackson
 * {@code @JsonTypeInfo} ({@code sealed interface Block permits Heading, Paragraph, Table}) is asked for with the
 * schema's {@code anyOf} of its subtypes, each with its type id as a {@code const} discriminator; each element binds
 * to its concrete type as it completes. In {@link Mode#TOOLS}, the model gets one function per subtype instead and
 * calls them in parallel, each call being one element (see {@link Mode#TOOLS}, also for what several calls of one
 * function mean).
 *
 * <p><b>Events</b>: an {@link ExtractionListener} on the extractor ({@link ExtractorBuilder#listener}) or on a
 * request ({@link ChatRequest.Builder#listener}) hears when the response opens, each retry or re-ask, the first byte,
 * each element or snapshot, and the finish with reason and usage. Without one, no calls are made.
 *
 * <p><b>Errors</b> are typed: {@link BadRequestException}, {@link AuthenticationException}, {@link
 * PermissionDeniedException}, {@link NotFoundException}, {@link RateLimitException}, {@link ServerException}, {@link
 * OverloadedException}, {@link ProviderTimeoutException}, {@link ConnectionException}, {@link StreamException}, each
 * with the server's message and request id; an error sent inside the stream is the same type as its HTTP status
 * would give. 429, 5xx and connection failures before the first byte of the answer, and such errors sent inside the
 * stream before any of the answer, are retried with backoff, honouring {@code Retry-After} ({@link RetryPolicy});
 * never once the answer has started. The API key appears in no
 * message, log line or {@code toString}.
 *
 * <p>Implementations are thread-safe: share one. {@link #close()} releases the client and threads it created.
 */
public interface Extractor extends AutoCloseable {

    // ------------------------------------------------------------------ streamed lists

    /**
     * {@link #stream(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return the stream of elements; close it to cancel the call
     */
    default <T> ElementStream<T> stream(Class<T> elementType, String prompt) {
        return stream(elementType, ChatRequest.of(prompt));
    }

    /**
     * Asks for a list of {@code elementType} and streams it: each element is handed out the moment its closing
     * brace arrives, bound and validated. The request is sent and its response headers awaited before this returns,
     * so HTTP errors (after retries) are thrown here; failures later in the answer are thrown by the iterator. Close
     * the stream (try-with-resources) to cancel the call mid-way; it releases the connection.
     *
     * <p>Invalid elements follow {@link ChatRequest#onInvalid()}; see the class documentation for the ordering
     * contract of {@link InvalidElementPolicy#REPAIR}. An answer cut by the token limit ends the iteration with a
     * {@link TruncatedOutputException} carrying the partial text (the elements before it were delivered).
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return the stream of elements; close it to cancel the call
     */
    <T> ElementStream<T> stream(Class<T> elementType, ChatRequest request);

    /**
     * {@link #stream(Class, ChatRequest)} of a generic element type, with one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return the stream of elements; close it to cancel the call
     */
    default <T> ElementStream<T> stream(TypeReference<T> elementType, String prompt) {
        return stream(elementType, ChatRequest.of(prompt));
    }

    /**
     * {@link #stream(Class, ChatRequest)} of a generic element type ({@code new TypeReference<List<String>>() {}}).
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return the stream of elements; close it to cancel the call
     */
    <T> ElementStream<T> stream(TypeReference<T> elementType, ChatRequest request);

    /**
     * {@link #publisher(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return a cold publisher of the elements
     */
    default <T> Flow.Publisher<T> publisher(Class<T> elementType, String prompt) {
        return publisher(elementType, ChatRequest.of(prompt));
    }

    /**
     * The streamed list as a {@link Flow.Publisher}: cold (each subscriber sends its own request, at its first
     * {@code request(n)}), demand respected (nothing is read beyond what was requested), {@code cancel()} cancels
     * the HTTP call. Signals come from the extractor's executor ({@link ExtractorBuilder#executor}).
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return a cold publisher of the elements
     */
    <T> Flow.Publisher<T> publisher(Class<T> elementType, ChatRequest request);

    /**
     * {@link #publisher(Class, ChatRequest)} of a generic element type, with one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return a cold publisher of the elements
     */
    default <T> Flow.Publisher<T> publisher(TypeReference<T> elementType, String prompt) {
        return publisher(elementType, ChatRequest.of(prompt));
    }

    /**
     * {@link #publisher(Class, ChatRequest)} of a generic element type.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return a cold publisher of the elements
     */
    <T> Flow.Publisher<T> publisher(TypeReference<T> elementType, ChatRequest request);

    // ------------------------------------------------------------------ partial objects

    /**
     * {@link #partials(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param prompt the user message
     * @return the stream of snapshots; close it to cancel the call
     */
    default <T> PartialStream<T> partials(Class<T> type, String prompt) {
        return partials(type, ChatRequest.of(prompt));
    }

    /**
     * Asks for one {@code type} and streams {@link Partial} snapshots of it while the model writes: the object under
     * construction, typed, with the fields not received yet null (or empty, or zero), then the complete, validated
     * object as the last snapshot. For rendering a big answer (a report, an outline, a form) as it fills in.
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
     * dev.extractor.Streamed @Streamed} or the request asks for {@link ChatRequest.Builder#streamStrings(boolean) all
     * strings to stream}; nested records and list elements validated as they close, the whole object at the end.
     * The extractor's mapper, validator and limits apply. Records and other objects are the answer's root (with the
     * type's schema, in every {@link Mode}); other types (a {@code String}, a list, a polymorphic type) are asked for
     * as {@code {"value": ...}} and snapshotted there (in {@link Mode#TOOLS}, a polymorphic type is asked for as one
     * call of one function per subtype instead, and is atomic).
     *
     * <p>Like {@link #stream(Class, ChatRequest)}: the request is sent and its response headers awaited before this
     * returns (HTTP errors, after retries, are thrown here; later failures by the iterator), and closing the stream
     * cancels the HTTP call. Nothing is re-asked: an object that fails validation at the end ends the iteration with
     * an {@link ElementValidationException} under {@link InvalidElementPolicy#FAIL} (the default), or is listed in
     * {@link StreamResult#skipped()} under {@link InvalidElementPolicy#SKIP}.
     *
     * @throws IllegalArgumentException if the request asks for {@link InvalidElementPolicy#REPAIR}, which snapshots
     *     cannot honour (a snapshot already shown cannot be corrected afterwards)
     * @param <T> the element type
     * @param type the type of the object
     * @param request the conversation and the request's options
     * @return the stream of snapshots; close it to cancel the call
     */
    <T> PartialStream<T> partials(Class<T> type, ChatRequest request);

    /**
     * {@link #partials(Class, ChatRequest)} of a generic type, with one user message.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param prompt the user message
     * @return the stream of snapshots; close it to cancel the call
     */
    default <T> PartialStream<T> partials(TypeReference<T> type, String prompt) {
        return partials(type, ChatRequest.of(prompt));
    }

    /**
     * {@link #partials(Class, ChatRequest)} of a generic type.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param request the conversation and the request's options
     * @return the stream of snapshots; close it to cancel the call
     */
    <T> PartialStream<T> partials(TypeReference<T> type, ChatRequest request);

    // ------------------------------------------------------------------ whole lists

    /**
     * {@link #list(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return the valid elements, in order
     */
    default <T> List<T> list(Class<T> elementType, String prompt) {
        return list(elementType, ChatRequest.of(prompt));
    }

    /**
     * Asks for a list of {@code elementType} and returns it whole, every element valid; re-asks with the errors when
     * some are not (see the class documentation).
     *
     * @throws InvalidOutputException if the answer was still invalid after {@code maxRetries} re-asks
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return the valid elements, in order
     */
    default <T> List<T> list(Class<T> elementType, ChatRequest request) {
        return listResult(elementType, request).value();
    }

    /**
     * {@link #list(Class, ChatRequest)} of a generic element type, with one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return the valid elements, in order
     */
    default <T> List<T> list(TypeReference<T> elementType, String prompt) {
        return list(elementType, ChatRequest.of(prompt));
    }

    /**
     * {@link #list(Class, ChatRequest)} of a generic element type.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return the valid elements, in order
     */
    default <T> List<T> list(TypeReference<T> elementType, ChatRequest request) {
        return listResult(elementType, request).value();
    }

    /**
     * {@link #listResult(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return the valid elements, with the usage and what the server reported
     */
    default <T> Extraction<List<T>> listResult(Class<T> elementType, String prompt) {
        return listResult(elementType, ChatRequest.of(prompt));
    }

    /**
     * Like {@link #list(Class, ChatRequest)}, with the usage (summed over attempts), what the server reported, and
     * how many re-asks and HTTP retries it took.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return the valid elements, with the usage and what the server reported
     */
    <T> Extraction<List<T>> listResult(Class<T> elementType, ChatRequest request);

    /**
     * {@link #listResult(Class, ChatRequest)} of a generic element type, with one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return the valid elements, with the usage and what the server reported
     */
    default <T> Extraction<List<T>> listResult(TypeReference<T> elementType, String prompt) {
        return listResult(elementType, ChatRequest.of(prompt));
    }

    /**
     * {@link #listResult(Class, ChatRequest)} of a generic element type.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return the valid elements, with the usage and what the server reported
     */
    <T> Extraction<List<T>> listResult(TypeReference<T> elementType, ChatRequest request);

    /**
     * {@link #listAsync(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return a future of the valid elements
     */
    default <T> CompletableFuture<List<T>> listAsync(Class<T> elementType, String prompt) {
        return listAsync(elementType, ChatRequest.of(prompt));
    }

    /**
     * {@link #list(Class, ChatRequest)} on the extractor's executor. Cancelling the future cancels the HTTP call
     * (and any retry wait).
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return a future of the valid elements
     */
    <T> CompletableFuture<List<T>> listAsync(Class<T> elementType, ChatRequest request);

    /**
     * {@link #listAsync(Class, ChatRequest)} of a generic element type, with one user message.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param prompt the user message
     * @return a future of the valid elements
     */
    default <T> CompletableFuture<List<T>> listAsync(TypeReference<T> elementType, String prompt) {
        return listAsync(elementType, ChatRequest.of(prompt));
    }

    /**
     * {@link #listAsync(Class, ChatRequest)} of a generic element type.
     *
     * @param <T> the element type
     * @param elementType the type of the list's elements
     * @param request the conversation and the request's options
     * @return a future of the valid elements
     */
    <T> CompletableFuture<List<T>> listAsync(TypeReference<T> elementType, ChatRequest request);

    // ------------------------------------------------------------------ single objects

    /**
     * {@link #one(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param prompt the user message
     * @return the valid object
     */
    default <T> T one(Class<T> type, String prompt) {
        return one(type, ChatRequest.of(prompt));
    }

    /**
     * Asks for one {@code type} and returns it, valid; re-asks with the errors when it is not. Records and other
     * objects are the answer's root; other types (a {@code String}, an enum, a number) are asked for as
     * {@code {"value": ...}}.
     *
     * @throws InvalidOutputException if the answer was still invalid after {@code maxRetries} re-asks
     * @param <T> the element type
     * @param type the type of the object
     * @param request the conversation and the request's options
     * @return the valid object
     */
    default <T> T one(Class<T> type, ChatRequest request) {
        return oneResult(type, request).value();
    }

    /**
     * {@link #one(Class, ChatRequest)} of a generic type, with one user message.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param prompt the user message
     * @return the valid object
     */
    default <T> T one(TypeReference<T> type, String prompt) {
        return one(type, ChatRequest.of(prompt));
    }

    /**
     * {@link #one(Class, ChatRequest)} of a generic type.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param request the conversation and the request's options
     * @return the valid object
     */
    default <T> T one(TypeReference<T> type, ChatRequest request) {
        return oneResult(type, request).value();
    }

    /**
     * {@link #oneResult(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param prompt the user message
     * @return the valid object, with the usage and what the server reported
     */
    default <T> Extraction<T> oneResult(Class<T> type, String prompt) {
        return oneResult(type, ChatRequest.of(prompt));
    }

    /**
     * Like {@link #one(Class, ChatRequest)}, with the usage (summed over attempts), what the server reported, and
     * how many re-asks and HTTP retries it took.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param request the conversation and the request's options
     * @return the valid object, with the usage and what the server reported
     */
    <T> Extraction<T> oneResult(Class<T> type, ChatRequest request);

    /**
     * {@link #oneResult(Class, ChatRequest)} of a generic type, with one user message.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param prompt the user message
     * @return the valid object, with the usage and what the server reported
     */
    default <T> Extraction<T> oneResult(TypeReference<T> type, String prompt) {
        return oneResult(type, ChatRequest.of(prompt));
    }

    /**
     * {@link #oneResult(Class, ChatRequest)} of a generic type.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param request the conversation and the request's options
     * @return the valid object, with the usage and what the server reported
     */
    <T> Extraction<T> oneResult(TypeReference<T> type, ChatRequest request);

    /**
     * {@link #oneAsync(Class, ChatRequest)} of one user message.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param prompt the user message
     * @return a future of the valid object
     */
    default <T> CompletableFuture<T> oneAsync(Class<T> type, String prompt) {
        return oneAsync(type, ChatRequest.of(prompt));
    }

    /**
     * {@link #one(Class, ChatRequest)} on the extractor's executor. Cancelling the future cancels the HTTP call
     * (and any retry wait).
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param request the conversation and the request's options
     * @return a future of the valid object
     */
    <T> CompletableFuture<T> oneAsync(Class<T> type, ChatRequest request);

    /**
     * {@link #oneAsync(Class, ChatRequest)} of a generic type, with one user message.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param prompt the user message
     * @return a future of the valid object
     */
    default <T> CompletableFuture<T> oneAsync(TypeReference<T> type, String prompt) {
        return oneAsync(type, ChatRequest.of(prompt));
    }

    /**
     * {@link #oneAsync(Class, ChatRequest)} of a generic type.
     *
     * @param <T> the element type
     * @param type the type of the object
     * @param request the conversation and the request's options
     * @return a future of the valid object
     */
    <T> CompletableFuture<T> oneAsync(TypeReference<T> type, ChatRequest request);

    // ------------------------------------------------------------------ lifecycle

    /**
     * Releases what this extractor created: its HTTP client's threads and pooled connections, and its executor. A
     * client or executor you supplied is left alone. Streams still open are not closed.
     */
    @Override
    void close();
}
