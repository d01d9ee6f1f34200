package dev.extractor.spring.boot;

import dev.extractor.ElementStream;
import dev.extractor.ExtractionListener;
import dev.extractor.PartialStream;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.Extractor;
import dev.extractor.client.Mode;
import dev.extractor.spring.boot.CallMonitor.Call;
import dev.extractor.spring.boot.CallMonitor.Operation;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import tools.jackson.core.type.TypeReference;

/**
 * The auto-configured extractor: the provider's, with the starter's own message for a missing model and, when a
 * {@link CallMonitor} is there, each call watched through a listener of its own (added to the request beside the
 * request's listener) and its end (returned, thrown, completed, cancelled).
 */
final class ConfiguredExtractor implements Extractor {

    private final Extractor delegate;
    private final String provider;
    private final String defaultModel;
    private final Mode defaultMode;
    private final CallMonitor monitor;

    ConfiguredExtractor(Extractor delegate, String provider, String defaultModel, Mode defaultMode,
            CallMonitor monitor) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.provider = provider;
        this.defaultModel = defaultModel;
        this.defaultMode = defaultMode;
        this.monitor = monitor;
    }

    /** The provider's extractor. */
    Extractor delegate() {
        return delegate;
    }

    /** The monitor, or null. */
    CallMonitor monitor() {
        return monitor;
    }

    // ------------------------------------------------------------------ streams

    @Override
    public <T> ElementStream<T> stream(Class<T> elementType, ChatRequest request) {
        return opened(Operation.STREAM, request, r -> delegate.stream(elementType, r));
    }

    @Override
    public <T> ElementStream<T> stream(TypeReference<T> elementType, ChatRequest request) {
        return opened(Operation.STREAM, request, r -> delegate.stream(elementType, r));
    }

    @Override
    public <T> PartialStream<T> partials(Class<T> type, ChatRequest request) {
        return opened(Operation.PARTIALS, request, r -> delegate.partials(type, r));
    }

    @Override
    public <T> PartialStream<T> partials(TypeReference<T> type, ChatRequest request) {
        return opened(Operation.PARTIALS, request, r -> delegate.partials(type, r));
    }

    /** A stream's end is its listener's {@code onFinish}; a failure to open it is thrown here. */
    private <S> S opened(Operation op, ChatRequest request, Function<ChatRequest, S> open) {
        ChatRequest r = checked(request);
        if (monitor == null) {
            return open.apply(r);
        }
        Call call = monitor.start(op, modelOf(r), modeOf(r), true);
        try {
            return open.apply(attach(r, call));
        } catch (RuntimeException | Error e) {
            call.failed(e);
            throw e;
        }
    }

    @Override
    public <T> Flow.Publisher<T> publisher(Class<T> elementType, ChatRequest request) {
        return published(request, r -> delegate.publisher(elementType, r));
    }

    @Override
    public <T> Flow.Publisher<T> publisher(TypeReference<T> elementType, ChatRequest request) {
        return published(request, r -> delegate.publisher(elementType, r));
    }

    /** Cold, like the provider's: each subscriber is a call of its own, watched from its first request(n). */
    private <T> Flow.Publisher<T> published(ChatRequest request,
            Function<ChatRequest, Flow.Publisher<T>> publisher) {
        ChatRequest r = checked(request);
        if (monitor == null) {
            return publisher.apply(r);
        }
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            Call call = monitor.start(Operation.PUBLISHER, modelOf(r), modeOf(r), true);
            Flow.Publisher<T> p;
            try {
                p = publisher.apply(attach(r, call));
            } catch (RuntimeException | Error e) {
                call.failed(e);
                throw e;
            }
            p.subscribe(new WatchedSubscriber<>(subscriber, call));
        };
    }

    // ------------------------------------------------------------------ lists and single objects

    @Override
    public <T> Extraction<List<T>> listResult(Class<T> elementType, ChatRequest request) {
        return extracted(Operation.LIST, request, r -> delegate.listResult(elementType, r));
    }

    @Override
    public <T> Extraction<List<T>> listResult(TypeReference<T> elementType, ChatRequest request) {
        return extracted(Operation.LIST, request, r -> delegate.listResult(elementType, r));
    }

    @Override
    public <T> Extraction<T> oneResult(Class<T> type, ChatRequest request) {
        return extracted(Operation.ONE, request, r -> delegate.oneResult(type, r));
    }

    @Override
    public <T> Extraction<T> oneResult(TypeReference<T> type, ChatRequest request) {
        return extracted(Operation.ONE, request, r -> delegate.oneResult(type, r));
    }

    private <V> Extraction<V> extracted(Operation op, ChatRequest request,
            Function<ChatRequest, Extraction<V>> call) {
        ChatRequest r = checked(request);
        if (monitor == null) {
            return call.apply(r);
        }
        Call c = monitor.start(op, modelOf(r), modeOf(r), false);
        Extraction<V> e;
        try {
            e = call.apply(attach(r, c));
        } catch (RuntimeException | Error x) {
            c.failed(x);
            throw x;
        }
        c.succeeded(op == Operation.LIST ? ((List<?>) e.value()).size() : 1, e.usage().orElse(null));
        return e;
    }

    @Override
    public <T> CompletableFuture<List<T>> listAsync(Class<T> elementType, ChatRequest request) {
        return async(Operation.LIST, request, r -> delegate.listAsync(elementType, r));
    }

    @Override
    public <T> CompletableFuture<List<T>> listAsync(TypeReference<T> elementType, ChatRequest request) {
        return async(Operation.LIST, request, r -> delegate.listAsync(elementType, r));
    }

    @Override
    public <T> CompletableFuture<T> oneAsync(Class<T> type, ChatRequest request) {
        return async(Operation.ONE, request, r -> delegate.oneAsync(type, r));
    }

    @Override
    public <T> CompletableFuture<T> oneAsync(TypeReference<T> type, ChatRequest request) {
        return async(Operation.ONE, request, r -> delegate.oneAsync(type, r));
    }

    /**
     * The provider's own future (so that cancelling it cancels the HTTP call), watched; the total usage is not in
     * the value, so tokens are counted from each answer's {@code onFinish}.
     */
    private <V> CompletableFuture<V> async(Operation op, ChatRequest request,
            Function<ChatRequest, CompletableFuture<V>> call) {
        ChatRequest r = checked(request);
        if (monitor == null) {
            return call.apply(r);
        }
        Call c = monitor.start(op, modelOf(r), modeOf(r), true);
        CompletableFuture<V> future;
        try {
            future = call.apply(attach(r, c));
        } catch (RuntimeException | Error x) {
            c.failed(x);
            throw x;
        }
        future.whenComplete((v, e) -> {
            if (e == null) {
                c.succeeded(op == Operation.LIST ? ((List<?>) v).size() : 1, null);
            } else {
                c.failed(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
        return future;
    }

    // ------------------------------------------------------------------ plumbing

    /** The request, or an error that names the property when neither it nor {@code extractor.model} has a model. */
    private ChatRequest checked(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (defaultModel == null && (request.model() == null || request.model().isBlank())) {
            throw new IllegalArgumentException("No model: set extractor.model, or ChatRequest.Builder.model(...) on"
                    + " the request");
        }
        return request;
    }

    private String modelOf(ChatRequest r) {
        return r.model() != null && !r.model().isBlank() ? r.model() : defaultModel;
    }

    private Mode modeOf(ChatRequest r) {
        return r.mode() != null ? r.mode() : defaultMode;
    }

    /** The request with the call's listener first, then the request's own. */
    private static ChatRequest attach(ChatRequest r, Call call) {
        ExtractionListener own = r.listener();
        return r.toBuilder().listener(ExtractionListener.both(call, own)).build();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** The provider and the provider's extractor (which shows no key). */
    @Override
    public String toString() {
        return "Extractor[provider=" + provider + ", " + delegate + (monitor == null ? "" : ", " + monitor) + "]";
    }

    /** Passes everything on, and tells the call how the subscription ended. */
    private static final class WatchedSubscriber<T> implements Flow.Subscriber<T> {
        private final Flow.Subscriber<? super T> downstream;
        private final Call call;

        WatchedSubscriber(Flow.Subscriber<? super T> downstream, Call call) {
            this.downstream = downstream;
            this.call = call;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            downstream.onSubscribe(new Flow.Subscription() {
                private final AtomicBoolean requested = new AtomicBoolean();

                @Override
                public void request(long n) {
                    if (requested.compareAndSet(false, true)) {
                        call.restart();
                    }
                    subscription.request(n);
                }

                @Override
                public void cancel() {
                    call.cancelled();
                    subscription.cancel();
                }
            });
        }

        @Override
        public void onNext(T item) {
            downstream.onNext(item);
        }

        @Override
        public void onError(Throwable error) {
            call.failed(error);
            downstream.onError(error);
        }

        @Override
        public void onComplete() {
            call.completed();
            downstream.onComplete();
        }
    }
}
