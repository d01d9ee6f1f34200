package dev.extractor;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.BooleanSupplier;

/**
 * The {@link InvalidElementPolicy#REPAIR} rounds of an {@link ElementStream}: after the answer has ended, the
 * {@link Repairer} is asked for corrections of the invalid elements; each correction that binds and validates is
 * delivered with its original index, and what is still invalid is asked for again, until nothing is left or the
 * repairer gives up.
 */
final class RepairRounds<T> {

    private final ElementReader<T> reader;
    private final Repairer repairer;
    private final Queue<Element<T>> queue;
    private final AnswerReport answer;

    private List<InvalidElement> toRepair;
    private int round;
    private final List<InvalidElement> repaired = new ArrayList<>();
    private int delivered;
    private Usage usage;
    private volatile Pump<T> pump;
    private List<InvalidElement> batch;
    private boolean[] fixed;

    RepairRounds(ElementReader<T> reader, Repairer repairer, Queue<Element<T>> queue, AnswerReport answer) {
        this.reader = reader;
        this.repairer = repairer;
        this.queue = queue;
        this.answer = answer;
    }

    /** Starts with the answer's invalid elements; false if no round started (the rounds are over). */
    boolean start(List<InvalidElement> invalid, BooleanSupplier closed) {
        toRepair = new ArrayList<>(invalid);
        return nextRound(closed);
    }

    /** Whether a round is in progress. */
    boolean active() {
        return pump != null;
    }

    /** One step of the round in progress; false once the rounds are over. */
    boolean step(BooleanSupplier closed) {
        Pump<T> p = pump;
        int r;
        try {
            r = p.step(closed);
        } catch (ExtractionException e) {
            p.source.close();
            roundEnded(e);
            return nextRound(closed);
        }
        if (r == Pump.CANCELLED) {
            pump = null;
            return false;
        }
        if (r == Pump.ENDED) {
            roundEnded(null);
            return nextRound(closed);
        }
        return true;
    }

    /** Closes the source of the round in progress, if any. */
    void close() {
        Pump<T> p = pump;
        if (p != null) {
            p.source.close();
        }
    }

    /** What is still invalid (all of it before the first round ends). */
    List<InvalidElement> skipped() {
        return toRepair;
    }

    List<InvalidElement> repaired() {
        return repaired;
    }

    int delivered() {
        return delivered;
    }

    Usage usage() {
        return usage;
    }

    private boolean nextRound(BooleanSupplier closed) {
        pump = null;
        while (!toRepair.isEmpty() && !closed.getAsBoolean()) {
            round++;
            DeltaSource next;
            try {
                next = repairer.repair(List.copyOf(toRepair), round);
            } catch (RuntimeException e) {
                throw e instanceof ExtractionException x ? x
                        : new ExtractionException("The repairer failed in round " + round + ": " + e, e);
            }
            if (next == null) {
                return false;
            }
            List<InvalidElement> asked = List.copyOf(toRepair);
            boolean[] done = new boolean[asked.size()];
            Engine<T> engine = new Engine<>(reader, (k, value) -> {
                if (k < asked.size() && !done[k]) {
                    done[k] = true;
                    repaired.add(asked.get(k));
                    delivered++;
                    int original = asked.get(k).index();
                    queue.add(new Element<>(original, value));
                    answer.elementDelivered(original); // the original index, not the repair answer's
                }
            }, false, null, null);
            batch = asked;
            fixed = done;
            pump = new Pump<>(engine, next, "The repair answer's source");
            return true;
        }
        return false;
    }

    /** Folds a finished (or failed) round into what is still to repair. */
    private void roundEnded(ExtractionException error) {
        Engine<T> engine = pump.engine;
        Usage u = engine.usage();
        if (u != null) {
            usage = usage == null ? u : usage.plus(u);
        }
        List<InvalidElement> still = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
            if (fixed[k]) {
                continue;
            }
            InvalidElement before = batch.get(k);
            InvalidElement after = null;
            for (InvalidElement e : engine.invalid()) {
                if (e.index() == k) {
                    after = new InvalidElement(before.index(), before.pointer(), e.json(), e.violations());
                }
            }
            if (after == null) {
                List<Violation> v = new ArrayList<>(before.violations());
                v.add(new Violation("", error == null
                        ? "repair round " + round + " returned no correction for this element"
                        : "repair round " + round + " failed: " + error.getMessage(), null));
                after = new InvalidElement(before.index(), before.pointer(), before.json(), v);
            }
            still.add(after);
        }
        toRepair = still;
    }
}
