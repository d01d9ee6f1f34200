package dev.extractor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted, OpenAI-compatible chat-completions server on loopback: real HTTP/1.1 and server-sent
 * events, for demos, tests and benchmarks that should not need a real model.
 *
 * <pre>{@code
 * try (SimulatedModel model = SimulatedModel.start()) {
 *     model.enqueue(Reply.content("{\"items\":[{\"name\":\"Ada\"}]}").tokensPerSecond(60));
 *     String baseUrl = model.baseUrl();          // http://127.0.0.1:PORT/v1
 *     // ... point any OpenAI client at baseUrl, then:
 *     RecordedRequest request = model.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>It serves {@code POST /v1/chat/completions}: each request takes the next {@link #enqueue
 * queued} reply, or, when the queue is empty, asks the {@link #respondWith responder}; with neither
 * it answers 500 with an error saying the script is exhausted. Requests with {@code "stream": true}
 * get {@code text/event-stream} (chunked), others a {@code chat.completion} JSON body. Every
 * response carries an {@code x-request-id: req_sim_<n>} header. Connections are kept alive.
 *
 * <p>Thread-safe. Each connection is served on its own daemon thread; {@link #close()} closes every
 * socket and stops every thread before returning.
 */
public final class SimulatedModel implements AutoCloseable {

    static final String BASE_PATH = "/v1";
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final ServerSocket serverSocket;
    private final ExecutorService threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object connectionsChanged = new Object(); // notified whenever a connection ends
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private volatile Function<? super RecordedRequest, Reply> responder;
    private volatile Timeline lastTimeline;
    private volatile boolean closed;

    private SimulatedModel(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
        AtomicInteger threadNumber = new AtomicInteger();
        String prefix = "simulated-model-" + serverSocket.getLocalPort() + "-";
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, prefix + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a model on 127.0.0.1 on an ephemeral port.
     *
     * @return the running model
     */
    public static SimulatedModel start() {
        return start(0);
    }

    /**
     * Starts a model on 127.0.0.1 on {@code port} (0 for an ephemeral one).
     *
     * @param port the port, or 0 for an ephemeral one
     * @return the running model
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static SimulatedModel start(int port) {
        ServerSocket serverSocket;
        try {
            serverSocket = new ServerSocket();
            serverSocket.setReuseAddress(true);
            serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("SimulatedModel could not bind 127.0.0.1:" + port, e);
        }
        SimulatedModel model = new SimulatedModel(serverSocket);
        model.threads.execute(model::acceptLoop);
        return model;
    }

    /**
     * The base URL to give an OpenAI client: {@code http://127.0.0.1:PORT/v1}.
     *
     * @return the base URL
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + BASE_PATH;
    }

    /**
     * The port the model listens on.
     *
     * @return the port
     */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /**
     * Queues a snapshot of {@code reply} ({@link Reply#times n} copies of it) for the next
     * chat-completions request(s). Queued replies are served before the responder is asked.
     *
     * @param reply the reply to serve (a snapshot is queued: changing it later changes nothing queued)
     * @return this model
     */
    public SimulatedModel enqueue(Reply reply) {
        Reply snapshot = Objects.requireNonNull(reply, "reply").snapshot();
        for (int i = 0; i < snapshot.times; i++) {
            script.add(snapshot);
        }
        return this;
    }

    /**
     * Computes replies from requests once the queue is empty; {@code null} removes the responder.
     * The function runs on the connection's thread and may return null (meaning: script exhausted).
     * A reply's {@link Reply#times} does not apply here.
     *
     * @param responder computes the reply to a request, or null to remove the responder
     * @return this model
     */
    public SimulatedModel respondWith(Function<? super RecordedRequest, Reply> responder) {
        this.responder = responder;
        return this;
    }

    /**
     * How many queued replies have not been served yet.
     *
     * @return the number of replies still queued
     */
    public int queuedReplyCount() {
        return script.size();
    }

    /**
     * The oldest received request not yet taken, waiting at most {@code timeout} for one.
     *
     * @param timeout the longest wait
     * @return the request
     * @throws IllegalStateException if no request arrives in time (or the wait is interrupted)
     */
    public RecordedRequest takeRequest(Duration timeout) {
        try {
            RecordedRequest r = requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new IllegalStateException("SimulatedModel: no request received within " + timeout
                        + " (" + requestCount() + " received in all)");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a request", e);
        }
    }

    /**
     * How many HTTP requests this model has received (on any path).
     *
     * @return the number of requests received
     */
    public int requestCount() {
        return requestCount.get();
    }

    /**
     * How many connections this model has accepted; fewer than {@link #requestCount()} means reuse.
     *
     * @return the number of connections accepted
     */
    public int connectionCount() {
        return connectionCount.get();
    }

    /**
     * How many connections are open right now. A connection closed by the client is noticed at once
     * when idle, within a few milliseconds while a reply is paused (hold or stall), and at the next
     * write while a reply is being paced.
     *
     * @return the number of open connections
     */
    public int openConnectionCount() {
        return sockets.size();
    }

    /**
     * Waits until at most {@code count} connections are open (see {@link #openConnectionCount()}), at most
     * {@code timeout}: lets a test see that a client's going away has freed its connection, without polling.
     *
     * @param count the number of open connections to wait for (or fewer)
     * @param timeout the longest wait
     * @return true if it happened in time, false on timeout (or if the wait is interrupted)
     */
    public boolean awaitOpenConnectionCount(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (connectionsChanged) {
            try {
                while (sockets.size() > count) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(connectionsChanged, left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * The write timeline of the most recently started chat-completions reply, or null if none has
     * started yet.
     *
     * @return the timeline, or null
     */
    public Timeline lastReplyTimeline() {
        return lastTimeline;
    }

    /**
     * Stops the model: closes the listening socket and every connection (cutting any response in
     * progress) and waits for its threads to finish. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SimulatedModel[" + baseUrl() + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ internals

    boolean isClosed() {
        return closed;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(socket);
            int number = connectionCount.incrementAndGet();
            try {
                if (closed) {
                    throw new RejectedExecutionException();
                }
                threads.execute(new HttpConnection(this, socket, number));
            } catch (RejectedExecutionException e) {
                connectionEnded(socket);
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    RecordedRequest record(int connection, String method, String target, Map<String, List<String>> headers,
                           String body) {
        RecordedRequest r = new RecordedRequest(requestCount.incrementAndGet(), connection, method, target,
                headers, body);
        requests.add(r);
        return r;
    }

    Reply nextReply(RecordedRequest request) {
        Reply queued = script.poll();
        if (queued != null) {
            return queued;
        }
        Function<? super RecordedRequest, Reply> f = responder;
        if (f == null) {
            return null;
        }
        Reply computed = f.apply(request);
        return computed == null ? null : computed.snapshot();
    }

    void replyStarted(Timeline timeline) {
        lastTimeline = timeline;
    }

    void connectionEnded(Socket socket) {
        sockets.remove(socket);
        synchronized (connectionsChanged) {
            connectionsChanged.notifyAll();
        }
    }

    static String errorJson(String message, String type, String code) {
        StringBuilder sb = new StringBuilder(message.length() + 80).append("{\"error\":{\"message\":");
        Json.quote(sb, message, false).append(",\"type\":");
        Json.quote(sb, type, false).append(",\"param\":null,\"code\":");
        return Json.quote(sb, code, false).append("}}").toString();
    }

    // ------------------------------------------------------------------ manual poking

    /**
     * Serves a canned, realistic reply to every request until killed, for poking with curl or a
     * client: {@code java -cp … dev.extractor.testing.SimulatedModel [port]}. Requests that offer
     * tools get a call of the first tool; others get JSON content, streamed at 40 tokens/s.
     *
     * @param args optionally the port (default: an ephemeral one, printed)
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        SimulatedModel model = start(port);
        model.respondWith(SimulatedModel::demoReply);
        Runtime.getRuntime().addShutdownHook(new Thread(model::close, "simulated-model-shutdown"));
        System.out.println(model.baseUrl());
        System.out.println("try: curl -N " + model.baseUrl() + "/chat/completions -H 'Content-Type: application/json' "
                + "-d '{\"model\":\"sim-1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    static final String DEMO_JSON = """
            {"items":[\
            {"name":"Ada Lovelace","born":1815,"field":"mathematics","known_for":"the first published algorithm"},\
            {"name":"Grace Hopper","born":1906,"field":"computer science","known_for":"the first compiler, A-0"},\
            {"name":"Marie Skłodowska-Curie","born":1867,"field":"physics and chemistry","known_for":"radioactivity"},\
            {"name":"Emmy Noether","born":1882,"field":"mathematics","known_for":"Noether's theorem"},\
            {"name":"Chien-Shiung Wu","born":1912,"field":"physics","known_for":"the Wu experiment (parity violation) ⚛️"}\
            ]}""";

    static Reply demoReply(RecordedRequest request) {
        Reply reply;
        if (request.bodyJson().get("tools") instanceof List<?> tools && !tools.isEmpty()
                && tools.get(0) instanceof Map<?, ?> tool && tool.get("function") instanceof Map<?, ?> fn
                && fn.get("name") instanceof String name) {
            reply = Reply.toolCall(name, DEMO_JSON);
        } else {
            reply = Reply.content(DEMO_JSON);
        }
        return reply.tokensPerSecond(40).chunkChars(1, 6).timeToFirstToken(Duration.ofMillis(300));
    }
}
