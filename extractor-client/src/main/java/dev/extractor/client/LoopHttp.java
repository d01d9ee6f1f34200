package dev.extractor.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * The HTTP/1.1 client of the non-blocking path: a few event-loop threads (one {@link Selector} each), every
 * connection served by one of them from connect to close. A loop reads each ready socket once into its own buffer
 * (one per loop, not per connection), takes the response's framing apart ({@link Http1Parser}) and hands the body's
 * bytes to the exchange's {@link Listener} on the loop thread, without a thread, a queue or a copy per read. TLS is
 * an {@link SSLEngine} of the JVM's default {@link SSLContext} (hostname verified, SNI and ALPN {@code http/1.1}).
 * Connections whose response ended by its framing are kept for the next request to the same origin; a request that
 * finds its kept connection closed by the server before any byte of the answer is sent again on a new one.
 *
 * <p>Not here: HTTP/2, proxies, redirects, compression (none is asked for). Loop threads are daemons; {@link
 * #close()} closes every connection.
 */
final class LoopHttp implements AutoCloseable {

    /** Receives one exchange's response. Called on its loop thread, serially. */
    interface Listener {
        /**
         * The final response's status and headers.
         *
         * @param status the status code
         * @param headers the headers
         */
        void head(int status, Headers headers);

        /**
         * The next piece of the body; valid only during the call.
         *
         * @param b the array
         * @param off where the piece starts
         * @param len its length
         */
        void body(byte[] b, int off, int len);

        /** The body ended where its framing says. */
        void complete();

        /**
         * The exchange failed (connect, TLS, a read, the framing); nothing follows.
         *
         * @param e the failure
         */
        void failed(IOException e);

        /**
         * Asked after each read whose bytes were handed over: whether to read on now ({@link Exchange#resume()}
         * reads on after a false).
         *
         * @return whether to read on
         */
        default boolean readMore() {
            return true;
        }
    }

    /** Idle connections kept per loop, in all. */
    static final int MAX_IDLE_PER_LOOP = 500;
    /** How long an idle connection is kept. */
    static final long KEEP_ALIVE_NANOS = 60_000_000_000L;
    private static final int READ_BUFFER = 64 * 1024;

    /**
     * Looks up host names for new connections, off the loops (a lookup blocks): at most 4 threads, for all clients,
     * ended after 10 s without work. The JVM caches the answers ({@code networkaddress.cache.ttl}).
     */
    private static final java.util.concurrent.ThreadPoolExecutor RESOLVER = resolver();

    private static java.util.concurrent.ThreadPoolExecutor resolver() {
        AtomicInteger n = new AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor e = new java.util.concurrent.ThreadPoolExecutor(4, 4, 10,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "extractor-dns-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** An IPv4 or IPv6 address written out: no lookup needed. */
    static boolean isAddressLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return !host.isEmpty();
    }

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private final long connectTimeoutNanos;
    private volatile SSLContext ssl;

    /**
     * @param threads the loop threads
     * @param connectTimeoutNanos the connect timeout (0: none)
     */
    LoopHttp(int threads, long connectTimeoutNanos) {
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop("extractor-http-" + (i + 1) + "/" + threads);
        }
    }

    /** The loop threads for this machine: one per core, at most 4 (a loop serves thousands of streams). */
    static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Starts a POST of {@code body} to {@code url}; the response goes to {@code listener}.
     *
     * @param url the URL
     * @param headers the request's headers (without Host and Content-Length, which are added)
     * @param body the body
     * @param listener the listener
     * @return the exchange, to cancel or pace it
     * @throws IllegalArgumentException for a header this client sets itself, or a name or value with CR, LF or NUL
     */
    Exchange post(HttpUrl url, Map<String, String> headers, byte[] body, Listener listener) {
        byte[] head = head(url, headers, body.length);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        Loop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        Exchange x = new Exchange(loop, url, request, listener);
        loop.execute(x::start);
        return x;
    }

    private static final java.util.Set<String> RESERVED = java.util.Set.of("connection", "host", "content-length",
            "expect", "upgrade", "transfer-encoding", "te", "keep-alive", "proxy-connection");

    private static byte[] head(HttpUrl url, Map<String, String> headers, int length) {
        StringBuilder h = new StringBuilder(256);
        h.append("POST ").append(url.encodedPath());
        if (url.encodedQuery() != null) {
            h.append('?').append(url.encodedQuery());
        }
        h.append(" HTTP/1.1\r\nHost: ");
        String host = url.host();
        h.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        if (url.port() != HttpUrl.defaultPort(url.scheme())) {
            h.append(':').append(url.port());
        }
        h.append("\r\n");
        headers.forEach((name, value) -> {
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("restricted header name: \"" + name + "\"");
            }
            check(name, "name");
            check(value, "value of " + name);
            h.append(name).append(": ").append(value).append("\r\n");
        });
        h.append("Content-Length: ").append(length).append("\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void check(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("invalid header " + what + ": a CR, LF or NUL character");
            }
        }
        if (s.isEmpty() && what.equals("name")) {
            throw new IllegalArgumentException("invalid header name: empty");
        }
    }

    private SSLContext ssl() throws IOException {
        SSLContext c = ssl;
        if (c == null) {
            try {
                c = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("No TLS: " + e.getMessage(), e);
            }
            ssl = c;
        }
        return c;
    }

    /** For tests: the TLS context to use instead of the JVM's default. */
    void sslContext(SSLContext context) {
        this.ssl = context;
    }

    /** Closes every loop and its connections. */
    @Override
    public void close() {
        for (Loop l : loops) {
            l.close();
        }
    }

    /** One request and its response. {@link #cancel()}, {@link #resume()}: any thread, never blocking. */
    final class Exchange implements Http1Parser.Handler {
        final Loop loop;
        final HttpUrl url;
        final String origin;
        /** The request's bytes, until its response begins (kept to send again on a new connection). */
        byte[] request;
        final Listener listener;
        Conn conn;
        Http1Parser parser;
        /** Ended (its end or failure told, or cancelled): nothing more is told. */
        boolean over;
        volatile boolean cancelled;
        boolean paused;
        private boolean sentAgain;

        Exchange(Loop loop, HttpUrl url, byte[] request, Listener listener) {
            this.loop = loop;
            this.url = url;
            this.origin = url.scheme() + "://" + url.host() + ":" + url.port();
            this.request = request;
            this.listener = listener;
        }

        /** Stops the exchange and closes its connection. */
        void cancel() {
            cancelled = true;
            loop.execute(() -> {
                over = true;
                if (conn != null && conn.exchange == this) {
                    conn.close(); // not once its response ended: the connection may serve another exchange now
                }
            });
        }

        /** Reads on after {@link Listener#readMore()} said no. */
        void resume() {
            loop.execute(() -> {
                if (paused && !over && conn != null && conn.exchange == this) {
                    paused = false;
                    conn.interest(SelectionKey.OP_READ);
                }
            });
        }

        /** On the loop: a kept connection, or a new one. */
        void start() {
            if (cancelled) {
                over = true;
                return;
            }
            if (!loop.open) {
                over = true;
                listener.failed(new IOException("The HTTP client was closed"));
                return;
            }
            Conn c = loop.idle(origin);
            parser = new Http1Parser(this);
            if (c != null) {
                conn = c;
                c.reused = true;
                c.exchange = this;
                c.send(request);
                return;
            }
            open();
        }

        private void open() {
            Conn c = new Conn(loop, origin, this);
            conn = c;
            if (isAddressLiteral(url.host())) {
                c.connect(url, new InetSocketAddress(url.host(), url.port())); // no lookup
                return;
            }
            try {
                RESOLVER.execute(() -> {
                    InetSocketAddress a = new InetSocketAddress(url.host(), url.port()); // may block: not on the loop
                    loop.execute(() -> c.connect(url, a));
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                c.fail(new IOException("Could not look up " + url.host() + ": " + e.getMessage(), e));
            }
        }

        /** The connection failed: the request again on a new one if a kept one was found closed, else the failure. */
        void failed(Conn c, IOException e) {
            if (over || c != conn) {
                return;
            }
            if (c.reused && !parser.started() && !sentAgain && !cancelled) {
                sentAgain = true; // the server closed a kept connection meanwhile: once more on a new one
                parser = new Http1Parser(this);
                open();
                return;
            }
            over = true;
            listener.failed(e);
        }

        @Override
        public void head(int status, Headers headers) {
            request = null;
            if (!over) {
                listener.head(status, headers);
            }
            if (over) {
                parser.stop();
            }
        }

        @Override
        public void body(byte[] b, int off, int len) {
            if (!over) {
                listener.body(b, off, len);
            }
            if (over) {
                parser.stop();
            }
        }

        @Override
        public void end() {
            if (!over) {
                over = true;
                listener.complete();
            }
        }
    }

    /** One connection: connect, TLS, the request, its response; then kept for the next or closed. */
    final class Conn {
        final Loop loop;
        final String origin;
        Exchange exchange;
        SocketChannel channel;
        SelectionKey key;
        SSLEngine tls;
        /** TLS bytes read but not yet a whole record. */
        byte[] carry;
        /** Bytes to write (the request, or TLS records of it or of the handshake). */
        ByteBuffer out;
        boolean handshaking;
        /** The request, while the first handshake runs (null after it, so a key update later sends nothing). */
        byte[] pendingRequest;
        boolean reused;
        boolean closed;
        long idleSince;
        ScheduledFuture<?> connectTimer;

        Conn(Loop loop, String origin, Exchange exchange) {
            this.loop = loop;
            this.origin = origin;
            this.exchange = exchange;
        }

        void connect(HttpUrl url, InetSocketAddress address) {
            if (closed) {
                return; // cancelled while the name was looked up
            }
            try {
                if (address.isUnresolved()) {
                    throw new UnknownHostException(url.host());
                }
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                key = channel.register(loop.selector, 0, this);
                if (url.isHttps()) {
                    tls = ssl().createSSLEngine(url.host(), url.port());
                    tls.setUseClientMode(true);
                    SSLParameters p = tls.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    p.setApplicationProtocols(new String[] {"http/1.1"});
                    tls.setSSLParameters(p);
                }
                if (channel.connect(address)) {
                    connected();
                } else {
                    key.interestOps(SelectionKey.OP_CONNECT);
                    if (connectTimeoutNanos > 0) {
                        connectTimer = IdleTimer.schedule(() -> loop.execute(() -> {
                            if (!closed && channel.isConnectionPending()) {
                                fail(new SocketTimeoutException("connect timed out"));
                            }
                        }), connectTimeoutNanos);
                    }
                }
            } catch (IOException e) {
                fail(e);
            } catch (RuntimeException e) {
                fail(new IOException(e.toString(), e));
            }
        }

        void ready(int ops) {
            try {
                if ((ops & SelectionKey.OP_CONNECT) != 0) {
                    if (!channel.finishConnect()) {
                        return;
                    }
                    connected();
                    return;
                }
                if ((ops & SelectionKey.OP_WRITE) != 0 && !flush()) {
                    return;
                }
                if ((ops & SelectionKey.OP_READ) != 0) {
                    read();
                }
            } catch (IOException e) {
                fail(e);
            } catch (RuntimeException e) {
                fail(new IOException(e.toString(), e));
            }
        }

        private void connected() throws IOException {
            if (connectTimer != null) {
                connectTimer.cancel(false);
                connectTimer = null;
            }
            if (tls != null) {
                handshaking = true;
                pendingRequest = exchange.request;
                tls.beginHandshake();
                handshake();
            } else {
                send(exchange.request);
            }
        }

        /** Sends a request (plain or through TLS); reads once it is written. */
        void send(byte[] request) {
            try {
                if (tls != null) {
                    out = wrap(ByteBuffer.wrap(request));
                } else {
                    out = ByteBuffer.wrap(request);
                }
                flush(); // then reads (or, the socket full, writes on at OP_WRITE)
            } catch (IOException e) {
                fail(e);
            }
        }

        /** Writes what is due; true when all of it is written (else waits for OP_WRITE). */
        private boolean flush() throws IOException {
            if (out != null && !writeOut()) {
                return false;
            }
            if (handshaking) {
                handshake();
                return false;
            }
            interest(SelectionKey.OP_READ);
            return true;
        }

        void interest(int ops) {
            if (!closed && key.isValid()) {
                if (exchange != null && exchange.paused && ops == SelectionKey.OP_READ) {
                    ops = 0;
                }
                if (key.interestOps() != ops) {
                    key.interestOps(ops);
                }
            }
        }

        private void read() throws IOException {
            ByteBuffer buf = loop.net;
            buf.clear();
            if (carry != null) {
                buf.put(carry);
            }
            int n = channel.read(buf);
            if (n == 0) {
                return; // nothing after all: the carried bytes stay carried
            }
            carry = null;
            if (n < 0) {
                if (tls != null && buf.position() > 0) {
                    buf.flip();
                    unwrap(buf);
                }
                eof();
                return;
            }
            buf.flip();
            if (tls == null) {
                plain(buf.array(), 0, buf.limit());
            } else {
                unwrap(buf);
            }
            Exchange x = exchange;
            if (!closed && x != null && !x.over && !x.listener.readMore()) {
                x.paused = true;
                interest(0);
            }
        }

        /** The response's bytes, or (on a kept connection between requests) a close or stray bytes. */
        private void plain(byte[] b, int off, int len) throws IOException {
            Exchange x = exchange;
            if (x == null) {
                close(); // an idle connection the server wrote to or closed
                return;
            }
            x.parser.feed(b, off, len);
            if (x.parser.done()) {
                released();
            }
        }

        /** The response ended by its framing: the connection is kept if it can carry another request. */
        private void released() {
            Exchange x = exchange;
            if (x == null || closed) {
                return;
            }
            if (x.parser.reusable() && x.over) {
                exchange = null;
                reused = false;
                loop.keep(this);
            } else {
                close();
            }
        }

        private void eof() {
            Exchange x = exchange;
            if (x == null) {
                close();
                return;
            }
            EOFException failure = null;
            try {
                x.parser.eof(); // a body read until the close ends here
            } catch (EOFException e) {
                failure = e;
            }
            close();
            if (failure != null) {
                x.failed(this, failure);
            }
        }

        private void handshake() throws IOException {
            while (handshaking && !closed) {
                switch (tls.getHandshakeStatus()) {
                    case NEED_TASK -> {
                        Runnable t;
                        while ((t = tls.getDelegatedTask()) != null) {
                            t.run();
                        }
                    }
                    case NEED_WRAP -> {
                        out = wrap(ByteBuffer.allocate(0));
                        if (!writeOut()) {
                            return;
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        interest(SelectionKey.OP_READ);
                        return; // read() unwraps what comes
                    }
                    default -> { // FINISHED, NOT_HANDSHAKING
                        handshaking = false;
                        byte[] r = pendingRequest;
                        pendingRequest = null;
                        if (r != null) {
                            send(r); // the first handshake: now the request
                        } else {
                            interest(SelectionKey.OP_READ); // a later one (a key update): read on
                        }
                        return;
                    }
                }
            }
        }

        /** Writes {@link #out}; false when the socket is full (OP_WRITE then continues). */
        private boolean writeOut() throws IOException {
            ByteBuffer o = out;
            while (o.hasRemaining()) {
                if (channel.write(o) == 0) {
                    interest(SelectionKey.OP_WRITE);
                    return false;
                }
            }
            out = null;
            return true;
        }

        private ByteBuffer wrap(ByteBuffer src) throws IOException {
            int packet = tls.getSession().getPacketBufferSize();
            ByteBuffer dst = ByteBuffer.allocate(src.remaining() + packet + (src.remaining() / 16384 + 1) * 256);
            do {
                SSLEngineResult r = tls.wrap(src, dst);
                switch (r.getStatus()) {
                    case OK -> { }
                    case BUFFER_OVERFLOW -> {
                        ByteBuffer bigger = ByteBuffer.allocate(dst.capacity() * 2 + packet);
                        dst.flip();
                        bigger.put(dst);
                        dst = bigger;
                    }
                    case CLOSED -> throw new SSLException("TLS closed while sending");
                    default -> throw new SSLException("TLS wrap: " + r.getStatus());
                }
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    Runnable t;
                    while ((t = tls.getDelegatedTask()) != null) {
                        t.run();
                    }
                }
                if (r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() == 0 && src.hasRemaining()
                        && r.bytesProduced() == 0) {
                    break;
                }
            } while (src.hasRemaining());
            dst.flip();
            return dst;
        }

        private void unwrap(ByteBuffer net) throws IOException {
            while (net.hasRemaining() && !closed) {
                ByteBuffer app = loop.app;
                app.clear();
                SSLEngineResult r = tls.unwrap(net, app);
                switch (r.getStatus()) {
                    case OK -> {
                        if (r.bytesProduced() > 0) {
                            app.flip();
                            plain(app.array(), 0, app.limit());
                        }
                    }
                    case BUFFER_UNDERFLOW -> {
                        keepRest(net);
                        return;
                    }
                    case BUFFER_OVERFLOW -> {
                        loop.app = ByteBuffer.allocate(tls.getSession().getApplicationBufferSize() + 1024);
                        continue;
                    }
                    case CLOSED -> {
                        eof();
                        return;
                    }
                    default -> throw new SSLException("TLS unwrap: " + r.getStatus());
                }
                if (handshaking) {
                    SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
                    if (hs != SSLEngineResult.HandshakeStatus.NEED_UNWRAP || !net.hasRemaining()) {
                        handshake();
                    }
                } else if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP
                        || r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    handshaking = true; // a renegotiation or key update asks to answer
                    handshake();
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    keepRest(net);
                    return;
                }
            }
        }

        private void keepRest(ByteBuffer net) {
            if (net.hasRemaining()) {
                carry = new byte[net.remaining()];
                net.get(carry);
            }
        }

        void fail(IOException e) {
            boolean wasClosed = closed;
            close();
            Exchange x = exchange;
            if (!wasClosed && x != null) {
                x.failed(this, e);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            loop.forget(this);
            if (connectTimer != null) {
                connectTimer.cancel(false);
            }
            try {
                if (key != null) {
                    key.cancel();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** One event-loop thread and its selector. */
    final class Loop implements Runnable {
        final Selector selector;
        final Thread thread;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        /** The read buffer (with room for a TLS record carried over), shared by this loop's connections. */
        final ByteBuffer net = ByteBuffer.allocate(READ_BUFFER + 17 * 1024);
        /** TLS's plain output, shared likewise. */
        ByteBuffer app = ByteBuffer.allocate(17 * 1024 + 1024);
        final Map<String, ArrayDeque<Conn>> idle = new HashMap<>();
        int idleCount;
        volatile boolean open = true;
        private long nextSweep = System.nanoTime() + KEEP_ALIVE_NANOS / 4;

        Loop(String name) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Could not open a selector", e);
            }
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void execute(Runnable r) {
            tasks.add(r);
            if (!open) {
                drain(); // the loop has stopped (or is stopping): run it here, so that nothing waits for it
            } else if (Thread.currentThread() != thread) {
                selector.wakeup();
            }
        }

        private void drain() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException | Error e) {
                    // a listener threw: its exchange decides; the loop goes on
                }
            }
        }

        @Override
        public void run() {
            try {
                while (open) {
                    selector.select(this::ready, KEEP_ALIVE_NANOS / 4_000_000);
                    drain();
                    long now = System.nanoTime();
                    if (now - nextSweep > 0) {
                        sweep(now);
                        nextSweep = now + KEEP_ALIVE_NANOS / 4;
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                // closing, or the selector failed: every exchange of this loop fails below, none is left waiting
            } finally {
                open = false;
                for (SelectionKey k : selector.keys()) {
                    if (k.attachment() instanceof Conn c) {
                        Exchange x = c.exchange;
                        c.close();
                        if (x != null && !x.over) {
                            x.over = true;
                            try {
                                x.listener.failed(new IOException("The HTTP client was closed"));
                            } catch (RuntimeException ignored) {
                                // closing
                            }
                        }
                    }
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing
                }
                drain(); // exchanges not yet started fail (see Exchange.start)
            }
        }

        private void ready(SelectionKey k) {
            if (k.isValid() && k.attachment() instanceof Conn c) {
                try {
                    c.ready(k.readyOps());
                } catch (RuntimeException | Error e) {
                    // a listener threw (an Error too, e.g. an assertion): that exchange fails, the loop goes on
                    c.fail(new IOException(e.toString(), e));
                }
            }
        }

        Conn idle(String origin) {
            ArrayDeque<Conn> q = idle.get(origin);
            long now = System.nanoTime();
            while (q != null && !q.isEmpty()) {
                Conn c = q.pollLast();
                idleCount--;
                if (!c.closed && now - c.idleSince < KEEP_ALIVE_NANOS) {
                    return c;
                }
                c.close();
            }
            return null;
        }

        void keep(Conn c) {
            if (idleCount >= MAX_IDLE_PER_LOOP || !open) {
                c.close();
                return;
            }
            c.idleSince = System.nanoTime();
            idle.computeIfAbsent(c.origin, o -> new ArrayDeque<>()).addLast(c);
            idleCount++;
            c.interest(SelectionKey.OP_READ); // a close (or stray bytes) from the server ends it
        }

        void forget(Conn c) {
            ArrayDeque<Conn> q = idle.get(c.origin);
            if (q != null && q.remove(c)) {
                idleCount--;
            }
        }

        private void sweep(long now) {
            for (Iterator<ArrayDeque<Conn>> it = idle.values().iterator(); it.hasNext(); ) {
                ArrayDeque<Conn> q = it.next();
                while (!q.isEmpty() && now - q.peekFirst().idleSince >= KEEP_ALIVE_NANOS) {
                    Conn c = q.pollFirst();
                    idleCount--;
                    c.close();
                }
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }

        void close() {
            open = false;
            selector.wakeup();
        }
    }
}
