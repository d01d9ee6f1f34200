package dev.extractor.client;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.Usage;

/**
 * Wraps an attempt's source to keep what the re-ask needs: the model's whole output (to send back as the assistant
 * message) and the usage. When the core stops early (malformed JSON), {@link #finish()} reads the rest of the
 * answer, so that the output sent back is complete and the usage reported.
 */
final class RecordingSource implements DeltaSource {

    private final DeltaSource inner;
    private final StringBuilder output = new StringBuilder();
    private Usage usage;
    private int lastTool = -1;
    private boolean ended;

    RecordingSource(DeltaSource inner) {
        this.inner = inner;
    }

    @Override
    public Delta next() {
        Delta d = inner.next();
        record(d);
        return d;
    }

    /** Records {@code d} (null: the end) as if it had been read through this source (the push path's use). */
    void record(Delta d) {
        if (d == null) {
            ended = true;
        } else if (d instanceof Delta.Text t) {
            output.append(t.text());
        } else if (d instanceof Delta.ToolCall c) {
            if (c.index() != lastTool && lastTool >= 0) {
                output.append('\n');
            }
            lastTool = c.index();
            output.append(c.arguments());
        } else if (d instanceof Delta.UsageReport u) {
            usage = u.usage();
        }
    }

    /** The core closes the source when it stops; the recording keeps it open for {@link #finish()}. */
    @Override
    public void close() {
        // deliberately empty: see finish()
    }

    /** Reads what is left of the answer (ignoring failures), then closes the real source. */
    void finish() {
        try {
            while (!ended) {
                record(inner.next());
            }
        } catch (RuntimeException ignored) {
            // the attempt already failed; what was received is kept
        } finally {
            inner.close();
        }
    }

    /** Closes the real source without reading the rest. */
    void abort() {
        inner.close();
    }

    String output() {
        return output.toString();
    }

    Usage usage() {
        return usage;
    }
}
