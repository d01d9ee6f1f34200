package dev.extractor.examples;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The console demo's output: lines, and on a terminal a live status line under them ("- 1.4s  waiting for the
 * first recommendation") redrawn ten times a second while the demo waits for the model. When the output is not
 * a terminal (redirected to a file, a test, CI) there is no status line, only the plain lines.
 *
 * <p>Thread-safe: the status line is redrawn by a daemon thread while the demo's thread is blocked reading.
 */
final class Terminal implements AutoCloseable {

    private static final String SPINNER = "-\\|/";

    private final PrintStream out;
    private final ScheduledExecutorService ticker;
    private String status;
    private long statusSince;
    private int drawnLength;
    private int frame;

    private Terminal(PrintStream out, boolean live) {
        this.out = out;
        if (live) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "status-line");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::redraw, 100, 100, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** Standard output, with a live status line when it is a terminal. */
    static Terminal system() {
        return new Terminal(System.out, System.console() != null);
    }

    /** Plain lines to {@code out}, no status line. */
    static Terminal plain(PrintStream out) {
        return new Terminal(out, false);
    }

    /** Prints a line (above the status line, if one is showing). */
    synchronized void println(String line) {
        erase();
        out.println(line);
        draw();
    }

    /** Shows "{@code what}" with the time elapsed since {@code sinceNanos} (a {@link System#nanoTime()}). */
    synchronized void waiting(String what, long sinceNanos) {
        status = what;
        statusSince = sinceNanos;
        draw();
    }

    /** Removes the status line. */
    synchronized void doneWaiting() {
        erase();
        status = null;
    }

    @Override
    public synchronized void close() {
        doneWaiting();
        if (ticker != null) {
            ticker.shutdownNow();
        }
        out.flush();
    }

    private synchronized void redraw() {
        frame++;
        draw();
    }

    private void draw() {
        if (ticker == null || status == null) {
            return;
        }
        String line = String.format("  %c %5.1fs  %s", SPINNER.charAt(frame % SPINNER.length()),
                (System.nanoTime() - statusSince) / 1e9, status);
        out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
        out.flush();
        drawnLength = line.length();
    }

    private void erase() {
        if (drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            drawnLength = 0;
        }
    }
}
