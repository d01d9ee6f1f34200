package dev.extractor.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * When each fragment of one reply was written: a list of {@link Mark}s, each the
 * {@link System#nanoTime()} at which a fragment's bytes were handed to the socket and the end offset
 * (in chars of the scripted text) reached with it. Benchmarks in the same JVM use it to learn the
 * moment a given char left the server, e.g. the last char of the first element.
 *
 * <p>Marks are taken just before the write, so a client that has received a fragment always
 * finds its mark (on loopback the write itself takes microseconds). Likewise the timeline is
 * {@link #isComplete() complete} before the response's final bytes are written.
 *
 * <p>A non-streamed reply has a single mark, taken when the whole body is written. Error replies
 * have none. The timeline of a reply still in progress grows; {@link #marks()} is a snapshot.
 */
public final class Timeline {

    /**
     * One flushed fragment.
     *
     * @param nanoTime {@link System#nanoTime()} just before the fragment was written and flushed
     * @param charEnd  exclusive end offset, in chars of the scripted text, of the text sent so far
     */
    public record Mark(long nanoTime, int charEnd) { }

    private final String requestId;
    private final long startNanos;
    private final List<Mark> marks = new ArrayList<>();
    private volatile long endNanos = -1;

    Timeline(String requestId, long startNanos) {
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    /**
     * The {@code x-request-id} of the response this timeline belongs to.
     *
     * @return the request id
     */
    public String requestId() {
        return requestId;
    }

    /**
     * {@link System#nanoTime()} when the request had been read completely.
     *
     * @return the start, in {@link System#nanoTime()} units
     */
    public long startNanos() {
        return startNanos;
    }

    /**
     * {@link System#nanoTime()} just before the response's final bytes were written (or when it was
     * cut), or -1 while it is in progress.
     *
     * @return the end, or -1 while in progress
     */
    public long endNanos() {
        return endNanos;
    }

    /**
     * Whether the response has ended (normally or not).
     *
     * @return whether the response has ended
     */
    public boolean isComplete() {
        return endNanos >= 0;
    }

    /**
     * A snapshot of the marks so far, in write order.
     *
     * @return the marks
     */
    public synchronized List<Mark> marks() {
        return List.copyOf(marks);
    }

    /**
     * The time the char at {@code charIndex} was written, i.e. the first mark whose
     * {@code charEnd > charIndex}; -1 if it has not been (or never will be) written.
     *
     * @param charIndex the index of a char of the reply's text
     * @return when it was written, in {@link System#nanoTime()} units, or -1
     */
    public synchronized long nanoTimeOfChar(int charIndex) {
        for (Mark m : marks) {
            if (m.charEnd() > charIndex) {
                return m.nanoTime();
            }
        }
        return -1;
    }

    synchronized void add(long nanoTime, int charEnd) {
        marks.add(new Mark(nanoTime, charEnd));
    }

    void end() {
        if (endNanos < 0) {
            endNanos = System.nanoTime();
        }
    }

    @Override
    public synchronized String toString() {
        return "Timeline[" + requestId + ", " + marks.size() + " marks" + (isComplete() ? ", complete" : "") + "]";
    }
}
