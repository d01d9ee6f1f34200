package dev.extractor.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-loop HTTP/1.1 client against real sockets: a thread-per-connection test server that writes scripted
 * responses in random pieces (with a flush after each), over plain TCP and over TLS (a certificate made by the JDK's
 * {@code keytool} for the test). What a user relies on: the body arrives whole and in order whatever the pieces,
 * kept connections are reused and a kept connection the server closed meanwhile is replaced without a failure, a
 * cancel closes the connection, a paused exchange reads nothing until resumed, failures are typed.
 */
class LoopHttpTest {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A test server: accepts connections, reads each request and lets the script answer it. */
    final class Server implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final List<String> heads = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch closedByClient = new CountDownLatch(1);
        /** The socket the current script writes to (on the thread serving it). */
        final ThreadLocal<Socket> current = new ThreadLocal<>();
        /** (request number, output): writes the response; returning normally keeps the connection. */
        volatile BiConsumer<Integer, OutputStream> script;
        volatile boolean closeAfterEach;

        Server(ServerSocketFactory factory) throws IOException {
            socket = factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "test-server");
            t.setDaemon(true);
            t.start();
            closing.add(this);
        }

        HttpUrl url(String scheme) {
            return HttpUrl.get(scheme + "://localhost:" + socket.getLocalPort() + "/v1/chat/completions?x=1");
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(s), "test-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            current.set(s);
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        closedByClient.countDown();
                        return;
                    }
                    heads.add(head);
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    in.readNBytes(length);
                    script.accept(requests.incrementAndGet(), out);
                    out.flush();
                    if (closeAfterEach) {
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                closedByClient.countDown();
            }
        }

        private String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
                byte[] a = b.toByteArray();
                int n = a.length;
                if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                    return b.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** What one exchange got. */
    static class Got implements LoopHttp.Listener {
        final CompletableFuture<Got> done = new CompletableFuture<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile int status;
        volatile Headers headers;
        volatile boolean more = true;
        final AtomicInteger reads = new AtomicInteger();
        final CountDownLatch firstRead = new CountDownLatch(1);
        volatile String thread;

        @Override
        public void head(int s, Headers h) {
            status = s;
            headers = h;
            thread = Thread.currentThread().getName();
        }

        @Override
        public synchronized void body(byte[] b, int off, int len) {
            body.write(b, off, len);
        }

        @Override
        public void complete() {
            done.complete(this);
        }

        @Override
        public void failed(IOException e) {
            done.completeExceptionally(e);
        }

        @Override
        public boolean readMore() {
            reads.incrementAndGet();
            firstRead.countDown();
            return more;
        }

        Got await() throws Exception {
            return done.get(20, TimeUnit.SECONDS);
        }
    }

    private LoopHttp client(int threads) {
        LoopHttp c = new LoopHttp(threads, TimeUnit.SECONDS.toNanos(5));
        closing.add(c);
        return c;
    }

    private static final Map<String, String> HEADERS = Map.of("Accept", "text/event-stream", "User-Agent", "test");

    /** A chunked response of {@code body}, written in random pieces with a flush after each. */
    static void chunked(OutputStream out, byte[] body, SplittableRandom r) {
        try {
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            w.writeBytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nx-request-id: req-1\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            w.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int at = 0;
            while (at < body.length) {
                int n = Math.min(body.length - at, 1 + r.nextInt(300));
                w.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                w.write(body, at, n);
                w.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                at += n;
            }
            w.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] all = w.toByteArray();
            int from = 0;
            while (from < all.length) {
                int n = Math.min(all.length - from, 1 + r.nextInt(r.nextBoolean() ? 5 : 2000));
                out.write(all, from, n);
                out.flush();
                from += n;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] randomBody(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    @Test
    void bodiesArriveWholeWhateverThePiecesAndKeptConnectionsAreReused() throws Exception {
        Server server = new Server(ServerSocketFactory.getDefault());
        SplittableRandom r = new SplittableRandom(11);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bodies.add(randomBody(r, r.nextInt(20_000)));
        }
        server.script = (n, out) -> chunked(out, bodies.get(n - 1), new SplittableRandom(n));
        LoopHttp http = client(1);
        for (byte[] expected : bodies) {
            Got got = new Got();
            http.post(server.url("http"), HEADERS, "{\"q\":1}".getBytes(StandardCharsets.UTF_8), got);
            got.await();
            assertEquals(200, got.status);
            assertEquals("req-1", got.headers.get("x-request-id"));
            assertArrayEquals(expected, got.body.toByteArray());
            assertTrue(got.thread.startsWith("extractor-http-"), got.thread);
        }
        assertEquals(1, server.connections.get(), "one kept connection for 30 requests one after the other");
        String head = server.heads.get(0);
        assertTrue(head.startsWith("POST /v1/chat/completions?x=1 HTTP/1.1\r\n"), head);
        assertTrue(head.contains("\r\nHost: localhost:" + server.socket.getLocalPort() + "\r\n"), head);
        assertTrue(head.contains("\r\nContent-Length: 7\r\n"), head);
        assertTrue(head.contains("\r\nAccept: text/event-stream\r\n"), head);
    }

    @Test
    void aKeptConnectionTheServerClosedIsReplacedWithoutAFailure() throws Exception {
        Server server = new Server(ServerSocketFactory.getDefault());
        server.closeAfterEach = true; // but says nothing of it: the client learns it by the close
        byte[] body = "data: {}\n\n".getBytes(StandardCharsets.UTF_8);
        server.script = (n, out) -> chunked(out, body, new SplittableRandom(n));
        LoopHttp http = client(1);
        for (int i = 0; i < 5; i++) {
            Got got = new Got();
            http.post(server.url("http"), HEADERS, new byte[0], got);
            assertArrayEquals(body, got.await().body.toByteArray());
        }
        assertEquals(5, server.connections.get());
    }

    @Test
    void manyConcurrentExchangesOverSeveralLoops() throws Exception {
        Server server = new Server(ServerSocketFactory.getDefault());
        SplittableRandom r = new SplittableRandom(5);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            bodies.add(randomBody(r, r.nextInt(5_000)));
        }
        server.script = (n, out) -> {
            // the request number says nothing of which body: each body is announced by its length line
            chunked(out, bodies.get((n - 1) % bodies.size()), new SplittableRandom(n));
        };
        LoopHttp http = client(3);
        List<Got> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Got got = new Got();
            all.add(got);
            http.post(server.url("http"), HEADERS, new byte[0], got);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Got got : all) {
            byte[] b = got.await().body.toByteArray();
            boolean known = bodies.stream().anyMatch(x -> java.util.Arrays.equals(x, b));
            assertTrue(known, "every body is one the server sent, whole");
            seen.add(got.thread);
        }
        assertEquals(3, seen.size(), "the exchanges are spread over the loops: " + seen);
    }

    @Test
    void cancellingClosesTheConnection() throws Exception {
        Server server = new Server(ServerSocketFactory.getDefault());
        CountDownLatch wrote = new CountDownLatch(1);
        server.script = (n, out) -> {
            try {
                out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                wrote.countDown();
                while (true) {
                    out.write("1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)); // until the client closes
                    out.flush();
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        };
        LoopHttp http = client(1);
        Got got = new Got();
        LoopHttp.Exchange x = http.post(server.url("http"), HEADERS, new byte[0], got);
        assertTrue(wrote.await(10, TimeUnit.SECONDS));
        x.cancel();
        assertTrue(server.closedByClient.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
        assertTrue(!got.done.isDone(), "a cancelled exchange tells nothing more");
    }

    @Test
    void cancellingAnExchangeThatEndedLeavesItsConnectionToTheNextOne() throws Exception {
        Server server = new Server(ServerSocketFactory.getDefault());
        CountDownLatch second = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        byte[] body = "data: {}\n\n".getBytes(StandardCharsets.UTF_8);
        server.script = (n, out) -> {
            if (n == 2) {
                second.countDown();
                try {
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }
            chunked(out, body, new SplittableRandom(n));
        };
        LoopHttp http = client(1);
        Got first = new Got();
        LoopHttp.Exchange a = http.post(server.url("http"), HEADERS, new byte[0], first);
        first.await();
        Got next = new Got();
        http.post(server.url("http"), HEADERS, new byte[0], next);
        assertTrue(second.await(10, TimeUnit.SECONDS), "the second request came, on the kept connection");
        a.cancel(); // late: the first exchange had ended; its connection now carries the second
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        a.loop.execute(() -> barrier.complete(null)); // the cancel has run on the loop
        barrier.get(10, TimeUnit.SECONDS);
        release.countDown();
        assertArrayEquals(body, next.await().body.toByteArray());
        assertEquals(1, server.connections.get());
    }

    @Test
    void aPausedExchangeReadsNothingUntilResumed() throws Exception {
        Server server = new Server(ServerSocketFactory.getDefault());
        byte[] body = randomBody(new SplittableRandom(3), 200_000);
        server.script = (n, out) -> chunked(out, body, new SplittableRandom(n));
        LoopHttp http = client(1);
        Got got = new Got();
        got.more = false;
        LoopHttp.Exchange x = http.post(server.url("http"), HEADERS, new byte[0], got);
        assertTrue(got.firstRead.await(10, TimeUnit.SECONDS));
        assertEquals(1, got.reads.get(), "one read, then the pause");
        // the loop is idle for this exchange: a round trip through the loop proves no read happened meanwhile
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        x.loop.execute(() -> barrier.complete(null));
        barrier.get(10, TimeUnit.SECONDS);
        assertEquals(1, got.reads.get());
        int before;
        synchronized (got) {
            before = got.body.size();
        }
        assertTrue(before < body.length);
        got.more = true;
        x.resume();
        assertArrayEquals(body, got.await().body.toByteArray());
    }

    @Test
    void errorsAreTyped() throws Exception {
        LoopHttp http = client(1);
        ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = closed.getLocalPort();
        closed.close();
        Got refused = new Got();
        http.post(HttpUrl.get("http://127.0.0.1:" + port + "/x"), HEADERS, new byte[0], refused);
        Exception e = assertThrows(Exception.class, refused::await);
        assertInstanceOf(ConnectException.class, e.getCause(), e.toString());

        Got unknown = new Got();
        http.post(HttpUrl.get("http://no-such-host.invalid/x"), HEADERS, new byte[0], unknown);
        e = assertThrows(Exception.class, unknown::await);
        assertInstanceOf(java.net.UnknownHostException.class, e.getCause(), e.toString());

        Server server = new Server(ServerSocketFactory.getDefault());
        server.closeAfterEach = true;
        server.script = (n, out) -> {
            try {
                out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException x) {
                throw new RuntimeException(x);
            }
        };
        Got cut = new Got();
        http.post(server.url("http"), HEADERS, new byte[0], cut);
        e = assertThrows(Exception.class, cut::await);
        assertInstanceOf(java.io.EOFException.class, e.getCause(), e.toString());
        assertArrayEquals("hel".getBytes(StandardCharsets.US_ASCII), cut.body.toByteArray());

        assertThrows(IllegalArgumentException.class,
                () -> http.post(server.url("http"), Map.of("Host", "evil"), new byte[0], new Got()));
        assertThrows(IllegalArgumentException.class,
                () -> http.post(server.url("http"), Map.of("X-A", "a\r\nX-B: b"), new byte[0], new Got()));
    }

    @Test
    void aListenerThatThrowsFailsItsExchangeAndTheLoopGoesOn() throws Exception {
        Server server = new Server(ServerSocketFactory.getDefault());
        byte[] body = "data: {}\n\n".getBytes(StandardCharsets.UTF_8);
        server.script = (n, out) -> chunked(out, body, new SplittableRandom(n));
        LoopHttp http = client(1);
        Got throwing = new Got() {
            @Override
            public synchronized void body(byte[] b, int off, int len) {
                throw new AssertionError("a listener's bug");
            }
        };
        http.post(server.url("http"), HEADERS, new byte[0], throwing);
        Exception e = assertThrows(Exception.class, throwing::await);
        assertInstanceOf(IOException.class, e.getCause());
        assertInstanceOf(AssertionError.class, e.getCause().getCause());
        Got next = new Got();
        http.post(server.url("http"), HEADERS, new byte[0], next);
        assertArrayEquals(body, next.await().body.toByteArray(), "the same loop serves the next exchange");
    }

    @Test
    void anExchangeAfterCloseFailsInsteadOfWaiting() throws Exception {
        LoopHttp http = new LoopHttp(1, 0);
        http.close();
        Got got = new Got();
        http.post(HttpUrl.get("http://127.0.0.1:9/x"), HEADERS, new byte[0], got);
        Exception e = assertThrows(Exception.class, got::await);
        assertTrue(String.valueOf(e.getCause()).contains("closed"), e.toString());
    }

    // ---- TLS ----

    @TempDir
    Path dir;

    private SSLContext[] tls(String cn) throws Exception {
        Path ks = dir.resolve("server-" + cn + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=" + cn, "-ext", "SAN=dns:" + cn, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "password", "-keypass", "password")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "password".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "password".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new SSLContext[] {server, client};
    }

    @Test
    void overTlsBodiesArriveWholeAndConnectionsAreReused() throws Exception {
        SSLContext[] c = tls("localhost");
        Server server = new Server(c[0].getServerSocketFactory());
        SplittableRandom r = new SplittableRandom(17);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bodies.add(randomBody(r, r.nextInt(60_000)));
        }
        server.script = (n, out) -> chunked(out, bodies.get(n - 1), new SplittableRandom(n));
        LoopHttp http = client(1);
        http.sslContext(c[1]);
        for (byte[] expected : bodies) {
            Got got = new Got();
            http.post(server.url("https"), HEADERS, "{}".getBytes(StandardCharsets.UTF_8), got);
            assertArrayEquals(expected, got.await().body.toByteArray());
        }
        assertEquals(1, server.connections.get(), "the TLS connection is kept");
        assertTrue(server.socket instanceof SSLServerSocket);
    }

    /**
     * A TCP relay to {@code target} that forwards the server's bytes in pieces of 1 to 40 bytes, each flushed on its
     * own (TCP_NODELAY), so that the client's reads end inside TLS records, their headers and the handshake.
     */
    private int choppingRelay(int target, long seed) throws IOException {
        ServerSocket relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(relay);
        Thread t = new Thread(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            while (!relay.isClosed()) {
                try {
                    Socket client = relay.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                    client.setTcpNoDelay(true);
                    long s = r.nextLong();
                    pump(client.getInputStream(), server.getOutputStream(), null, server);
                    pump(server.getInputStream(), client.getOutputStream(), new SplittableRandom(s), client);
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-relay");
        t.setDaemon(true);
        t.start();
        return relay.getLocalPort();
    }

    private static void pump(InputStream in, OutputStream out, SplittableRandom chop, Socket closeAtEnd) {
        Thread t = new Thread(() -> {
            byte[] b = new byte[8192];
            try (closeAtEnd) {
                int n;
                while ((n = in.read(b)) >= 0) {
                    int at = 0;
                    while (at < n) {
                        int k = chop == null ? n - at : Math.min(n - at, 1 + chop.nextInt(40));
                        out.write(b, at, k);
                        out.flush();
                        at += k;
                    }
                }
            } catch (IOException e) {
                // one side closed: close the other
            }
        }, "test-pump");
        t.setDaemon(true);
        t.start();
    }

    @Test
    void overTlsRecordsCutAnywhereAreReadWhole() throws Exception {
        SSLContext[] c = tls("localhost");
        Server server = new Server(c[0].getServerSocketFactory());
        SplittableRandom r = new SplittableRandom(23);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bodies.add(randomBody(r, r.nextInt(30_000)));
        }
        server.script = (n, out) -> chunked(out, bodies.get((n - 1) % bodies.size()), new SplittableRandom(n));
        int port = choppingRelay(server.socket.getLocalPort(), 99);
        HttpUrl url = HttpUrl.get("https://localhost:" + port + "/v1/chat/completions");
        LoopHttp http = client(2);
        http.sslContext(c[1]);
        for (int i = 0; i < 10; i++) { // one after the other: the kept connection
            Got got = new Got();
            http.post(url, HEADERS, "{}".getBytes(StandardCharsets.UTF_8), got);
            assertArrayEquals(bodies.get(i), got.await().body.toByteArray(), "exchange " + i);
        }
        List<Got> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // at once: new connections, handshakes cut anywhere too
            Got got = new Got();
            all.add(got);
            http.post(url, HEADERS, new byte[0], got);
        }
        for (Got got : all) {
            byte[] b = got.await().body.toByteArray();
            assertTrue(bodies.stream().anyMatch(x -> java.util.Arrays.equals(x, b)), "a whole body the server sent");
        }
    }

    @Test
    void overTlsManyConcurrentHandshakesAndBodies() throws Exception {
        SSLContext[] c = tls("localhost");
        Server server = new Server(c[0].getServerSocketFactory());
        SplittableRandom r = new SplittableRandom(31);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] b = randomBody(r, 4 + r.nextInt(20_000));
            java.nio.ByteBuffer.wrap(b).putInt(i); // every body distinct: a lost or crossed one shows
            bodies.add(b);
        }
        server.script = (n, out) -> chunked(out, bodies.get(n - 1), new SplittableRandom(n));
        LoopHttp http = client(2);
        http.sslContext(c[1]);
        List<Got> all = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            Got got = new Got();
            all.add(got);
            http.post(server.url("https"), HEADERS, new byte[0], got);
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Got got : all) {
            byte[] b = got.await().body.toByteArray();
            int index = -1;
            for (int i = 0; i < bodies.size() && index < 0; i++) {
                if (java.util.Arrays.equals(bodies.get(i), b)) {
                    index = i;
                }
            }
            assertTrue(index >= 0, "a whole body the server sent");
            seen.add(index);
        }
        assertEquals(bodies.size(), seen.size(), "each body once: none lost, none crossed");
    }

    @Test
    void overTlsAKeyUpdateInTheMiddleOfABodyIsAnswered() throws Exception {
        SSLContext[] c = tls("localhost");
        Server server = new Server(c[0].getServerSocketFactory());
        byte[] first = randomBody(new SplittableRandom(41), 3_000);
        byte[] second = randomBody(new SplittableRandom(42), 3_000);
        server.script = (n, out) -> {
            try {
                out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(first.length)
                        + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(first);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // on an established TLS 1.3 connection this sends a KeyUpdate asking the client for its own
                ((javax.net.ssl.SSLSocket) server.current.get()).startHandshake();
                out.write((Integer.toHexString(second.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(second);
                out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        LoopHttp http = client(1);
        http.sslContext(c[1]);
        for (int i = 0; i < 3; i++) { // on the kept connection too
            Got got = new Got();
            http.post(server.url("https"), HEADERS, new byte[0], got);
            byte[] both = new byte[first.length + second.length];
            System.arraycopy(first, 0, both, 0, first.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            assertArrayEquals(both, got.await().body.toByteArray(), "exchange " + i);
        }
        assertEquals(1, server.connections.get());
    }

    @Test
    void overTlsTheHostNameIsVerified() throws Exception {
        SSLContext[] c = tls("other.example");
        Server server = new Server(c[0].getServerSocketFactory());
        server.script = (n, out) -> chunked(out, new byte[1], new SplittableRandom(n));
        LoopHttp http = client(1);
        http.sslContext(c[1]);
        Got got = new Got();
        http.post(server.url("https"), HEADERS, new byte[0], got);
        Exception e = assertThrows(Exception.class, got::await);
        assertNotNull(e.getCause());
        assertInstanceOf(SSLHandshakeException.class, e.getCause(), e.toString());
    }
}
