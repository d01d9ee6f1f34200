package dev.extractor.it.providers;

import dev.extractor.ElementStream;
import dev.extractor.ElementValidationException;
import dev.extractor.ExtractionException;
import dev.extractor.InvalidElement;
import dev.extractor.Partial;
import dev.extractor.PartialStream;
import dev.extractor.RefusalException;
import dev.extractor.StreamResult;
import dev.extractor.Usage;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extraction;
import dev.extractor.client.Extractor;
import dev.extractor.client.FailedAttempt;
import dev.extractor.client.InvalidOutputException;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a case through one wire format's extractor against its own {@link SimulatedModel}; every call bounded. */
final class Runner implements AutoCloseable {

    static final long TIMEOUT_SECONDS = 15;

    final Wire wire;
    private final SimulatedModel model = SimulatedModel.start();
    private final Extractor ai;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private int drained; // requests taken from the model so far
    private final ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clientfuzz-caller");
        t.setDaemon(true);
        return t;
    });

    Runner(Wire wire, int limits) {
        this(wire, limits, false);
    }

    /** With {@code nonBlocking}, the async forms run over the event-loop client. */
    Runner(Wire wire, int limits, boolean nonBlocking) {
        this.wire = wire;
        this.ai = wire.build(model, Case.LIMITS[limits], nonBlocking);
        model.respondWith(r -> script.poll());
    }

    /** The outcome of {@code c} on this wire format, or {@link Outcome#timeout()} when it did not end in time. */
    Outcome run(Case c) {
        script.clear();
        script.addAll(c.replies());
        while (drained < model.requestCount()) { // requests of an earlier call that timed out
            model.takeRequest(java.time.Duration.ofSeconds(5));
            drained++;
        }
        int before = model.requestCount();
        Future<Outcome> f = caller.submit(() -> call(c));
        try {
            Outcome o = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int left = script.size();
            script.clear();
            int requests = model.requestCount() - before;
            String body = null;
            for (int k = 0; k < requests; k++) {
                body = model.takeRequest(java.time.Duration.ofSeconds(5)).body();
            }
            drained += requests;
            int bodyTokens = body == null ? 0 : Math.max(1, (body.length() + 3) / 4);
            return new Outcome(o.values(), o.skipped(), o.error(), o.delivered(), o.detail(), o.finish(), o.usage(),
                    o.prose(), requests, left, o.message(), bodyTokens);
        } catch (TimeoutException e) {
            f.cancel(true);
            script.clear();
            return Outcome.timeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the runner itself failed on " + wire, e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private Outcome call(Case c) throws Exception {
        Class<Object> type = (Class<Object>) c.type();
        ChatRequest.Builder b = ChatRequest.builder().user("Give the answer.").mode(c.mode());
        if (c.api() == Case.Api.STREAM || c.api() == Case.Api.STREAM_CLOSE || c.api() == Case.Api.PUBLISHER
                || c.api() == Case.Api.PARTIALS) {
            b.onInvalid(c.policy());
        }
        ChatRequest req = b.build();
        List<String> values = new ArrayList<>();
        switch (c.api()) {
            case STREAM -> {
                ElementStream<Object> s;
                try {
                    s = ai.stream(type, req);
                } catch (ExtractionException e) {
                    return failure(values, List.of(), e, "", "", null);
                }
                try (s) {
                    ExtractionException err = null;
                    try {
                        for (Object v : s) {
                            values.add(String.valueOf(v));
                        }
                    } catch (ExtractionException e) {
                        err = e;
                    }
                    StreamResult r = s.result();
                    return failure(values, skipped(r), err, kind(r), usage(r.usage()), r.prose());
                }
            }
            case STREAM_CLOSE -> {
                ElementStream<Object> s;
                try {
                    s = ai.stream(type, req);
                } catch (ExtractionException e) {
                    return failure(values, List.of(), e, "", "", null);
                }
                try (s) { // closed after the first element: the call is cancelled mid-answer
                    java.util.Iterator<Object> it = s.iterator();
                    if (it.hasNext()) {
                        values.add(String.valueOf(it.next()));
                    }
                    return failure(values, List.of(), null, "", "", null);
                } catch (ExtractionException e) {
                    return failure(values, List.of(), e, "", "", null);
                }
            }
            case PARTIALS -> {
                PartialStream<Object> s;
                try {
                    s = ai.partials(type, req);
                } catch (ExtractionException e) {
                    return failure(values, List.of(), e, "", "", null);
                }
                try (s) {
                    ExtractionException err = null;
                    try {
                        for (Partial<Object> p : s) {
                            if (p.isComplete()) {
                                values.add(String.valueOf(p.value())); // every complete snapshot, in order
                            }
                        }
                    } catch (ExtractionException e) {
                        err = e;
                    }
                    StreamResult r = s.result();
                    return failure(values, skipped(r), err, kind(r), usage(r.usage()), r.prose());
                }
            }
            case PUBLISHER -> {
                CountDownLatch done = new CountDownLatch(1);
                AtomicReference<Throwable> error = new AtomicReference<>();
                List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
                ai.publisher(type, req).subscribe(new Flow.Subscriber<Object>() {
                    Flow.Subscription sub;

                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        sub = s;
                        s.request(1);
                    }

                    @Override
                    public void onNext(Object item) {
                        got.add(String.valueOf(item));
                        sub.request(1);
                    }

                    @Override
                    public void onError(Throwable t) {
                        error.set(t);
                        done.countDown();
                    }

                    @Override
                    public void onComplete() {
                        done.countDown();
                    }
                });
                done.await();
                Throwable t = error.get();
                if (t != null && !(t instanceof ExtractionException)) {
                    throw new IllegalStateException("publisher signalled a non-ExtractionException", t);
                }
                return failure(new ArrayList<>(got), List.of(), (ExtractionException) t, "", "", null);
            }
            case LIST, LIST_ASYNC, ONE -> {
                try {
                    Extraction<?> x;
                    if (c.api() == Case.Api.ONE) {
                        x = ai.oneResult(type, req);
                        values.add(String.valueOf(x.value()));
                    } else if (c.api() == Case.Api.LIST) {
                        Extraction<List<Object>> l = ai.listResult(type, req);
                        l.value().forEach(v -> values.add(String.valueOf(v)));
                        x = l;
                    } else {
                        try {
                            ai.listAsync(type, req).get().forEach(v -> values.add(String.valueOf(v)));
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof ExtractionException ee) {
                                throw ee;
                            }
                            throw e;
                        }
                        return new Outcome(values, List.of(), null, -1, "", "", "", null, 0, 0, null);
                    }
                    return new Outcome(values, List.of(), null, -1, "", x.finishKind().map(Enum::name).orElse("-"),
                            usage(x.usage()), x.prose(), 0, 0, null);
                } catch (ExtractionException e) {
                    return failure(values, List.of(), e, "", "", null);
                }
            }
            default -> throw new AssertionError(c.api());
        }
    }

    private static List<Integer> skipped(StreamResult r) {
        return r.skipped().stream().map(InvalidElement::index).toList();
    }

    private static String kind(StreamResult r) {
        return r.finishKind().map(Enum::name).orElse("-");
    }

    static String usage(Optional<Usage> u) {
        return u.map(x -> x.promptTokens() + "/" + x.completionTokens()).orElse("-");
    }

    private static Outcome failure(List<String> values, List<Integer> skipped, ExtractionException e, String finish,
            String usage, String prose) {
        if (e == null) {
            return new Outcome(values, skipped, null, -1, "", finish, usage, prose, 0, 0, null);
        }
        return new Outcome(values, skipped, e.getClass().getSimpleName(), e.elementsDelivered(), detail(e), finish,
                usage, prose, 0, 0, e.getMessage());
    }

    static String detail(ExtractionException e) {
        if (e instanceof ElementValidationException v) {
            return v.element().index() + ":" + v.element().pointer();
        }
        if (e instanceof RefusalException r) {
            return "refusal:" + r.refusal();
        }
        if (e instanceof InvalidOutputException io) {
            StringBuilder sb = new StringBuilder();
            for (FailedAttempt a : io.attempts()) {
                sb.append('[').append(a.error() == null ? "" : a.error().getClass().getSimpleName())
                        .append(a.invalidElements().stream().map(InvalidElement::index).toList()).append(']');
            }
            return sb.toString();
        }
        return "";
    }

    @Override
    public void close() {
        caller.shutdownNow();
        ai.close();
        model.close();
    }
}
