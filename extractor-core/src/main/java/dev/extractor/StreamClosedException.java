package dev.extractor;

/**
 * A pull stream ({@link ElementStream}, {@link PartialStream}) was closed by another thread before its answer
 * ended: the thread reading it gets this from its next {@code hasNext()} or {@code next()}, instead of an
 * iteration that ends as if the answer were complete. The elements handed out before the close stay valid
 * ({@link #elementsDelivered()} says how many), and {@code result().cancelled()} is true.
 *
 * <p>A thread that closes the stream it reads itself (try-with-resources, a {@code break} and then
 * {@code close()}, closing the {@link java.util.stream.Stream}) gets no exception: its iteration simply ends.
 */
public class StreamClosedException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    /** @param message what happened: who closed the stream, and after how many elements */
    public StreamClosedException(String message) {
        super(message);
    }
}
