package dev.extractor.spring.boot;

import dev.extractor.ExtractionListener;
import dev.extractor.Usage;
import dev.extractor.client.Mode;

/**
 * Watches the auto-configured extractor's calls (the metrics, when Micrometer is there). Kept free of Micrometer
 * types so that {@link ConfiguredExtractor} loads without it.
 */
interface CallMonitor {

    /** What a call is, for the tags. */
    enum Operation {
        STREAM("stream", true), PARTIALS("partials", true), PUBLISHER("publisher", true), LIST("list", false),
        ONE("one", false);

        final String tag;
        /** Whether elements reach the caller one by one (and so are counted, and timed to the first one, as they come). */
        final boolean streamed;

        Operation(String tag, boolean streamed) {
            this.tag = tag;
            this.streamed = streamed;
        }
    }

    /**
     * A call starting now.
     *
     * @param usageFromEvents whether token usage is counted from each answer's {@code onFinish}; false when the
     *     call's end reports the total ({@link Call#succeeded(int, Usage)}, {@link Call#failed(Throwable)})
     */
    Call start(Operation operation, String model, Mode mode, boolean usageFromEvents);

    /**
     * One call: its listener (attached to the request) hears its events; the extractor reports how it ended. The
     * first end reported counts, later ones are ignored.
     */
    interface Call extends ExtractionListener {

        /** Restarts the clock (a publisher's request goes out at the first {@code request(n)}, not at subscribe). */
        void restart();

        /** A list or single object arrived: {@code delivered} values, {@code usage} over all attempts (or null). */
        void succeeded(int delivered, Usage usage);

        /** A streamed call (a publisher) completed. */
        void completed();

        /** The call failed (a {@link java.util.concurrent.CancellationException}: cancelled). */
        void failed(Throwable error);

        /** The caller cancelled the call. */
        void cancelled();
    }
}
