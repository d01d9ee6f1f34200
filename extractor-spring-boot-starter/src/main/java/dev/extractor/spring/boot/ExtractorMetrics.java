package dev.extractor.spring.boot;

import dev.extractor.ExtractionException;
import dev.extractor.Partial;
import dev.extractor.StreamResult;
import dev.extractor.Usage;
import dev.extractor.client.InvalidOutputException;
import dev.extractor.client.Mode;
import dev.extractor.client.ProviderException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The extractor's Micrometer meters, recorded from each call's listener events and its end. Plain meters, not the
 * Observation API: most of what is recorded are counts (elements, tokens, retries, re-asks); a meter is only ever
 * recorded for what happened.
 *
 * <p>Every meter has the tags {@code provider}, {@code model} (the request's, else {@code extractor.model}), {@code
 * mode} ({@code json-schema}, {@code tools}, {@code json}, {@code md-json}) and {@code operation} ({@code stream},
 * {@code partials}, {@code publisher}, {@code list}, {@code one}); all low-cardinality: no prompt, request id or
 * element content is ever a tag.
 *
 * <ul>
 *   <li>{@value #CALL} (timer): from the call to its end, with {@code outcome} ({@code success}, {@code error},
 *       {@code cancelled}) and {@code exception} (the exception's simple class name, or {@code none}). Recorded when
 *       a list or object is returned or thrown, a future completes, a publisher completes, fails or is cancelled,
 *       a stream is read to its end ({@code success}), fails to open or fails after it opened ({@code error}: the
 *       listener's {@code onFailure}), or is closed before its end ({@code cancelled}: {@code onClose}; a stream
 *       abandoned without being closed records nothing).</li>
 *   <li>{@value #FIRST_ELEMENT} (timer): from the call to its first element ({@code partials}: first snapshot),
 *       for the streamed operations.</li>
 *   <li>{@value #ELEMENTS} (counter) with {@code status}: {@code delivered} (handed to the caller: as they come for
 *       streams, the value's size for lists), {@code skipped} (invalid and dropped: skipped by a stream, re-asked by
 *       a list), {@code repaired} (delivered after a repair round; also counted as delivered).</li>
 *   <li>{@value #TOKENS} (counter) with {@code type} {@code input} or {@code output}: what the provider reported,
 *       re-asks and repairs included.</li>
 *   <li>{@value #RETRIES} (counter): HTTP requests sent again (429, 5xx, connection failures).</li>
 *   <li>{@value #REASKS} (counter): the model asked again because its answer was invalid (re-asks of lists and
 *       objects, repair rounds of streams).</li>
 * </ul>
 */
final class ExtractorMetrics implements CallMonitor {

    static final String CALL = "extractor.call";
    static final String FIRST_ELEMENT = "extractor.first.element";
    static final String ELEMENTS = "extractor.elements";
    static final String TOKENS = "extractor.tokens";
    static final String RETRIES = "extractor.retries";
    static final String REASKS = "extractor.reasks";

    private final MeterRegistry registry;
    private final String provider;

    ExtractorMetrics(MeterRegistry registry, String provider) {
        this.registry = registry;
        this.provider = provider;
    }

    @Override
    public Call start(Operation operation, String model, Mode mode, boolean usageFromEvents) {
        Tags tags = Tags.of("provider", provider, "model", model == null ? "none" : model, "mode", tag(mode),
                "operation", operation.tag);
        return new MeteredCall(tags, operation, usageFromEvents);
    }

    static String tag(Mode mode) {
        return mode == null ? "none" : mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private long now() {
        return registry.config().clock().monotonicTime();
    }

    @Override
    public String toString() {
        return "metrics=" + registry.getClass().getSimpleName();
    }

    /** One call's meters. Events come in order from the thread driving the call; its end may come from another. */
    private final class MeteredCall implements Call {
        private final Tags tags;
        private final Operation operation;
        private final boolean usageFromEvents;
        private final AtomicBoolean first = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile long start = now();

        MeteredCall(Tags tags, Operation operation, boolean usageFromEvents) {
            this.tags = tags;
            this.operation = operation;
            this.usageFromEvents = usageFromEvents;
        }

        private Counter counter(String name, String... more) {
            return Counter.builder(name).tags(tags).tags(more).register(registry);
        }

        private void firstElement() {
            if (first.compareAndSet(false, true)) {
                Timer.builder(FIRST_ELEMENT).description("Time from the call to its first element").tags(tags)
                        .register(registry).record(now() - start, TimeUnit.NANOSECONDS);
            }
        }

        private void tokens(Usage usage) {
            if (usage == null) {
                return;
            }
            if (usage.promptTokens() > 0) {
                counter(TOKENS, "type", "input").increment(usage.promptTokens());
            }
            if (usage.completionTokens() > 0) {
                counter(TOKENS, "type", "output").increment(usage.completionTokens());
            }
        }

        private void end(String outcome, Throwable error) {
            if (ended.compareAndSet(false, true)) {
                Timer.builder(CALL).description("Time from the call to its end").tags(tags)
                        .tags("outcome", outcome, "exception", error == null ? "none" : error.getClass().getSimpleName())
                        .register(registry).record(now() - start, TimeUnit.NANOSECONDS);
            }
        }

        // ---------------------------------------------------------------- events

        @Override
        public void onRetry(int attempt, Duration delay, Throwable cause) {
            counter(cause instanceof ProviderException ? RETRIES : REASKS).increment();
        }

        @Override
        public void onElement(int index, Duration sinceStart) {
            if (operation.streamed) {
                counter(ELEMENTS, "status", "delivered").increment();
                if (operation != Operation.PARTIALS) {
                    firstElement();
                }
            }
        }

        @Override
        public void onSnapshot(Partial<?> snapshot, Duration sinceStart) {
            if (operation == Operation.PARTIALS) {
                firstElement();
            }
        }

        @Override
        public void onFinish(StreamResult result, Duration firstElement, Duration total) {
            if (!result.skipped().isEmpty()) {
                counter(ELEMENTS, "status", "skipped").increment(result.skipped().size());
            }
            if (!result.repaired().isEmpty()) {
                counter(ELEMENTS, "status", "repaired").increment(result.repaired().size());
            }
            if (usageFromEvents) {
                tokens(result.usage().orElse(null));
            }
            if (operation.streamed) {
                end("success", null); // the stream was read to its end (a publisher completes right after)
            }
        }

        @Override
        public void onFailure(ExtractionException failure, Duration sinceStart) {
            if (operation.streamed) {
                failed(failure); // a list or object may ask again: its own end says how it ended
            }
        }

        @Override
        public void onClose(StreamResult progress, Duration sinceStart) {
            if (operation.streamed) {
                if (!progress.skipped().isEmpty()) {
                    counter(ELEMENTS, "status", "skipped").increment(progress.skipped().size());
                }
                if (usageFromEvents) {
                    tokens(progress.usage().orElse(null));
                }
                cancelled();
            }
        }

        // ---------------------------------------------------------------- ends

        @Override
        public void restart() {
            start = now();
        }

        @Override
        public void succeeded(int delivered, Usage usage) {
            if (ended.get()) {
                return;
            }
            counter(ELEMENTS, "status", "delivered").increment(delivered);
            if (!usageFromEvents) {
                tokens(usage);
            }
            end("success", null);
        }

        @Override
        public void completed() {
            end("success", null);
        }

        @Override
        public void failed(Throwable error) {
            if (ended.get()) {
                return;
            }
            if (!usageFromEvents && error instanceof InvalidOutputException e) {
                tokens(e.usage().orElse(null));
            }
            if (error instanceof CancellationException) {
                end("cancelled", null);
            } else {
                end("error", error);
            }
        }

        @Override
        public void cancelled() {
            end("cancelled", null);
        }
    }
}
