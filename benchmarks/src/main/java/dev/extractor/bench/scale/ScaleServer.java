package dev.extractor.bench.scale;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The loopback SSE server of the scale harness: one thread, one {@link Selector}, one scheduler (a priority queue of
 * the streams' next event times) for every connection, so that 10,000 streams cost 10,000 small objects and sockets,
 * not threads. It speaks as much HTTP/1.1 as OkHttp needs: requests with a {@code Content-Length} body, keep-alive
 * (answers chunked) or {@code close} (answers close-delimited), and answers a chat-completions POST with an OpenAI
 * chat-completion SSE stream of a {@link ScaleAnswer}, one event per 1..6-char token at the stream's token rate.
 *
 * <p>The request's prompt carries the stream's parameters: {@code [scale id=ID seed=S tps=50 elements=10 ttft=0
 * close=0]} (any text around it is ignored). For every element the server notes {@link System#nanoTime()} just before
 * the {@code write} that hands the element's last byte to the kernel (on loopback the reader can hold the element
 * before that call returns), and the same for the stream's last byte; {@code GET /times?from=A&to=B} hands them out (and forgets them). On Linux {@code System.nanoTime()} is
 * {@code CLOCK_MONOTONIC}, one clock for every process of the boot; {@code GET /clock} lets a client check that
 * (it answers the server's {@code nanoTime}, which must fall between the client's readings before and after).
 *
 * <p>Other endpoints: {@code GET /stats} (process and loop-thread CPU time, events and bytes written, connections,
 * the scheduler's lag: how late events left after their due time), {@code GET /stats?reset} (also clears the lag
 * histogram), {@code POST /shutdown}.
 *
 * <pre>{@code java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.extractor.bench.scale.ScaleServer [--port 0]
 *     [--backlog 16384]}</pre>
 * prints {@code LISTENING <port>} once bound, then serves until {@code POST /shutdown}.
 */
public final class ScaleServer implements AutoCloseable {

    private static final byte[] MARKER = ScaleAnswer.ascii("[scale ");
    private static final byte[] LAST_CHUNK = ScaleAnswer.ascii("0\r\n\r\n");
    private static final int MAX_REQUEST = 1 << 20;
    /** Room before an event in the scratch buffer for its chunk-size line. */
    private static final int HEAD_ROOM = 16;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    // everything below is touched by the loop thread only
    private final PriorityQueue<Conn> queue = new PriorityQueue<>((a, b) -> Long.compare(a.nextDue, b.nextDue));
    private final Map<String, ScaleAnswer> answers = new HashMap<>();
    private final Map<Long, long[]> times = new HashMap<>();
    private final byte[] scratch = new byte[HEAD_ROOM + ScaleAnswer.MAX_EVENT + 16];
    private final LogHistogram lag = new LogHistogram();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long events;
    private long bytes;
    private long accepted;
    private long open;
    private long streamsStarted;
    private long streamsDone;
    private long streamsAborted;
    private long partialWrites;
    private long autoId = -1;

    private ScaleServer(int port, int backlog) throws IOException {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress("127.0.0.1", port), backlog);
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::loop, "scale-server");
        thread.setDaemon(true);
    }

    /** Binds to 127.0.0.1:{@code port} (0: any free port) and starts serving. */
    public static ScaleServer start(int port, int backlog) throws IOException {
        ScaleServer s = new ScaleServer(port, backlog);
        s.thread.start();
        return s;
    }

    /** The bound port. */
    public int port() {
        return server.socket().getLocalPort();
    }

    /** Blocks until {@code POST /shutdown} or {@link #close()}. */
    public void await() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        int backlog = 16384;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--backlog" -> backlog = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ScaleServer s = start(port, backlog);
        System.out.println("LISTENING " + s.port());
        System.out.flush();
        s.await();
        System.out.println("STOPPED");
    }

    // ------------------------------------------------------------------ the loop

    /** One connection and, while it answers a chat-completions request, its stream. */
    private static final class Conn {
        final SocketChannel ch;
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(2048);
        /** Bytes the kernel did not take yet, or null. */
        ByteBuffer pending;
        boolean dead;
        boolean closeWhenFlushed;
        // the stream
        boolean streaming;
        ScaleAnswer answer;
        long id;
        int next;
        int element;
        long nextDue;
        long period;
        long[] written;
        boolean chunked;
        boolean closeAfter;
        /** The last event emitted did not reach the kernel whole: finish it when the socket drains. */
        boolean deferred;
        /** Due while bytes were pending: re-queued when the socket drains. */
        boolean parked;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }
    }

    private void loop() {
        try {
            while (running) {
                runDue(System.nanoTime());
                Conn head = queue.peek();
                if (head == null) {
                    selector.select();
                } else {
                    long wait = head.nextDue - System.nanoTime();
                    if (wait <= 0) {
                        selector.selectNow();
                    } else {
                        selector.select(Math.max(1, (wait + 999_999) / 1_000_000));
                    }
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        accept();
                        continue;
                    }
                    Conn c = (Conn) k.attachment();
                    try {
                        if (k.isWritable()) {
                            drained(c);
                        }
                        if (!c.dead && k.isValid() && k.isReadable()) {
                            readable(c);
                        }
                    } catch (IOException | RuntimeException e) {
                        close(c);
                    }
                }
            }
        } catch (IOException e) {
            e.printStackTrace();
        } finally {
            for (SelectionKey k : selector.keys()) {
                try {
                    k.channel().close();
                } catch (IOException ignored) {
                    // shutting down
                }
            }
            try {
                selector.close();
                server.close();
            } catch (IOException ignored) {
                // shutting down
            }
            stopped.countDown();
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Conn c = new Conn(ch);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            accepted++;
            open++;
        }
    }

    private void close(Conn c) {
        if (c.dead) {
            return;
        }
        c.dead = true;
        open--;
        if (c.streaming) {
            streamsAborted++;
        }
        c.key.cancel();
        try {
            c.ch.close();
        } catch (IOException ignored) {
            // the peer is gone
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes now what the kernel takes and keeps the rest; true if nothing is left pending. */
    private boolean send(Conn c, byte[] b, int off, int len) throws IOException {
        if (c.pending != null) {
            ByteBuffer p = c.pending;
            if (p.capacity() - p.limit() < len) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(p.remaining() + len, p.capacity() * 2));
                bigger.put(p).flip();
                p = c.pending = bigger;
            }
            int pos = p.position();
            p.position(p.limit()).limit(p.limit() + len);
            p.put(b, off, len).position(pos);
            return false;
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            int n = c.ch.write(buf);
            if (n == 0) {
                break;
            }
            bytes += n;
        }
        if (!buf.hasRemaining()) {
            return true;
        }
        partialWrites++;
        ByteBuffer p = ByteBuffer.allocate(Math.max(4096, buf.remaining()));
        p.put(buf).flip();
        c.pending = p;
        c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        return false;
    }

    private void drained(Conn c) throws IOException {
        ByteBuffer p = c.pending;
        if (p == null) {
            c.key.interestOps(SelectionKey.OP_READ);
            return;
        }
        long before = System.nanoTime();
        while (p.hasRemaining()) {
            int n = c.ch.write(p);
            if (n == 0) {
                return;
            }
            bytes += n;
        }
        c.pending = null;
        c.key.interestOps(SelectionKey.OP_READ);
        if (c.closeWhenFlushed) {
            close(c);
            return;
        }
        if (c.deferred) {
            c.deferred = false;
            written(c, before);
        } else if (c.parked) {
            c.parked = false;
            queue.add(c);
        } else if (!c.streaming) {
            parseRequests(c);
        }
    }

    // ------------------------------------------------------------------ streams

    private void runDue(long now) throws IOException {
        Conn c;
        while ((c = queue.peek()) != null && c.nextDue <= now) {
            queue.poll();
            if (c.dead) {
                continue;
            }
            if (c.pending != null) {
                c.parked = true;
                continue;
            }
            try {
                emit(c, now);
            } catch (IOException e) {
                close(c);
            }
        }
    }

    private void emit(Conn c, long now) throws IOException {
        lag.record(now - c.nextDue);
        ScaleAnswer a = c.answer;
        byte[] s = scratch;
        int end = a.encodeEvent(c.next, s, HEAD_ROOM);
        int start = HEAD_ROOM;
        if (c.chunked) {
            int len = end - HEAD_ROOM;
            s[HEAD_ROOM - 2] = '\r';
            s[HEAD_ROOM - 1] = '\n';
            start = ScaleAnswer.hexBefore(len, s, HEAD_ROOM - 2);
            s[end++] = '\r';
            s[end++] = '\n';
            if (c.next == a.events - 1) {
                System.arraycopy(LAST_CHUNK, 0, s, end, LAST_CHUNK.length);
                end += LAST_CHUNK.length;
            }
        }
        c.next++;
        events++;
        // the time of an element's (or the stream's) last byte: just before the write that hands it to the kernel
        // (on loopback the reader may hold the element before that write returns)
        long before = c.next == a.events || (c.element < a.elements && a.elementEvent[c.element] == c.next - 1)
                ? System.nanoTime() : 0;
        if (send(c, s, start, end - start)) {
            written(c, before);
        } else {
            c.deferred = true;
        }
    }

    /** The event before {@code c.next} reached the kernel whole, by a write that started at {@code before}. */
    private void written(Conn c, long before) throws IOException {
        ScaleAnswer a = c.answer;
        int ev = c.next - 1;
        while (c.element < a.elements && a.elementEvent[c.element] == ev) {
            c.written[c.element++] = before;
        }
        if (c.next < a.events) {
            c.nextDue += c.period;
            queue.add(c);
            return;
        }
        c.written[a.elements] = before;
        c.streaming = false;
        c.answer = null;
        streamsDone++;
        if (c.closeAfter) {
            close(c);
        } else {
            parseRequests(c);
        }
    }

    private void startStream(Conn c, byte[] body, int off, int len, boolean closeRequested, long now)
            throws IOException {
        Map<String, String> p = marker(body, off, len);
        long id = p.containsKey("id") ? Long.parseLong(p.get("id")) : autoId--;
        long seed = Long.parseLong(p.getOrDefault("seed", "0"));
        int elements = Integer.parseInt(p.getOrDefault("elements", "10"));
        double tps = Double.parseDouble(p.getOrDefault("tps", "50"));
        long ttftNs = (long) (Double.parseDouble(p.getOrDefault("ttft", "0")) * 1e6);
        boolean close = closeRequested || "1".equals(p.get("close"));
        ScaleAnswer a = answers.computeIfAbsent(elements + ":" + seed, k -> ScaleAnswer.of(elements, seed));
        c.answer = a;
        c.id = id;
        c.next = 0;
        c.element = 0;
        c.written = new long[a.elements + 1];
        if (id >= 0) {
            times.put(id, c.written);
        }
        c.period = tps > 0 ? Math.round(1e9 / tps) : 0;
        c.chunked = !close;
        c.closeAfter = close;
        c.streaming = true;
        c.deferred = false;
        c.parked = false;
        streamsStarted++;
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
                + "x-request-id: req-scale-" + id + "\r\n"
                + (close ? "Connection: close\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        c.nextDue = now + ttftNs;
        if (send(c, h, 0, h.length)) {
            queue.add(c);
        } else {
            c.parked = true;
        }
    }

    private static Map<String, String> marker(byte[] b, int off, int len) {
        Map<String, String> out = new HashMap<>();
        int end = off + len;
        outer:
        for (int i = off; i + MARKER.length <= end; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (b[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            int from = i + MARKER.length;
            int to = from;
            while (to < end && b[to] != ']') {
                to++;
            }
            for (String kv : new String(b, from, to - from, StandardCharsets.US_ASCII).trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    out.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            break;
        }
        return out;
    }

    // ------------------------------------------------------------------ requests

    private void readable(Conn c) throws IOException {
        ByteBuffer in = c.in;
        if (!in.hasRemaining()) {
            if (in.capacity() >= MAX_REQUEST) {
                close(c);
                return;
            }
            ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
            in.flip();
            bigger.put(in);
            in = c.in = bigger;
        }
        int n = c.ch.read(in);
        if (n < 0) {
            close(c);
            return;
        }
        if (n > 0 && !c.streaming && c.pending == null) {
            parseRequests(c);
        }
    }

    /** Handles the complete requests buffered on {@code c}, until one starts a stream or bytes are pending. */
    private void parseRequests(Conn c) throws IOException {
        while (!c.dead && !c.streaming && c.pending == null) {
            ByteBuffer in = c.in;
            byte[] a = in.array();
            int filled = in.position();
            int headEnd = -1;
            for (int i = 3; i < filled; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    headEnd = i + 1;
                    break;
                }
            }
            if (headEnd < 0) {
                return;
            }
            String head = new String(a, 0, headEnd, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length < 2) {
                close(c);
                return;
            }
            String method = requestLine[0];
            String target = requestLine[1];
            int contentLength = 0;
            boolean closeRequested = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    contentLength = Integer.parseInt(value);
                } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                    closeRequested = true;
                } else if (name.equals("transfer-encoding")) {
                    respond(c, 501, "chunked request bodies are not supported\n", true);
                    return;
                }
            }
            if (headEnd + contentLength > MAX_REQUEST) {
                respond(c, 413, "request too large\n", true);
                return;
            }
            if (filled < headEnd + contentLength) {
                if (in.capacity() < headEnd + contentLength) {
                    ByteBuffer bigger = ByteBuffer.allocate(headEnd + contentLength);
                    in.flip();
                    bigger.put(in);
                    c.in = bigger;
                }
                return;
            }
            byte[] body = java.util.Arrays.copyOfRange(a, headEnd, headEnd + contentLength);
            // keep what follows (a pipelined request)
            int rest = filled - headEnd - contentLength;
            System.arraycopy(a, headEnd + contentLength, a, 0, rest);
            in.position(rest);
            handle(c, method, target, body, closeRequested);
        }
    }

    private void handle(Conn c, String method, String target, byte[] body, boolean closeRequested)
            throws IOException {
        String path = target;
        String query = "";
        int q = target.indexOf('?');
        if (q >= 0) {
            path = target.substring(0, q);
            query = target.substring(q + 1);
        }
        if (method.equals("POST") && path.endsWith("/chat/completions")) {
            startStream(c, body, 0, body.length, closeRequested, System.nanoTime());
        } else if (path.equals("/clock")) {
            respond(c, 200, Long.toString(System.nanoTime()), closeRequested);
        } else if (path.equals("/stats")) {
            if (query.contains("reset")) {
                lag.reset();
            }
            respond(c, 200, stats(), closeRequested);
        } else if (path.equals("/times")) {
            respond(c, 200, times(query), closeRequested);
        } else if (method.equals("POST") && path.equals("/shutdown")) {
            respond(c, 200, "bye\n", true);
            running = false;
        } else {
            respond(c, 404, "no such endpoint: " + method + " " + path + "\n", closeRequested);
        }
    }

    private void respond(Conn c, int status, String text, boolean close) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Error") + "\r\nContent-Type: text/plain; "
                + "charset=utf-8\r\nContent-Length: " + body.length + "\r\n" + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        boolean flushed = send(c, all, 0, all.length);
        if (close) {
            if (flushed) {
                close(c);
            } else {
                c.closeWhenFlushed = true;
            }
        }
    }

    private String stats() {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long[] sched = ThreadCpu.self();
        return "pid=" + ProcessHandle.current().pid() + "\nloopRunDelayNs=" + sched[1] + "\nnanoTime="
                + System.nanoTime() + "\ncpuNs=" + cpu + "\nloopCpuNs=" + threads.getCurrentThreadCpuTime()
                + "\nevents=" + events + "\nbytes=" + bytes
                + "\naccepted=" + accepted + "\nopen=" + open + "\nstreamsStarted=" + streamsStarted
                + "\nstreamsDone=" + streamsDone + "\nstreamsAborted=" + streamsAborted + "\npartialWrites="
                + partialWrites + "\nlagCount=" + lag.count() + "\nlagP50Ns=" + lag.quantile(0.5) + "\nlagP99Ns="
                + lag.quantile(0.99) + "\nlagP999Ns=" + lag.quantile(0.999) + "\nlagMaxNs=" + lag.max() + "\n";
    }

    /** {@code id t_0 ... t_(elements-1) t_end} per line, for the ids in {@code [from, to)}; then forgets them. */
    private String times(String query) {
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        for (String kv : query.split("&")) {
            if (kv.startsWith("from=")) {
                from = Long.parseLong(kv.substring(5));
            } else if (kv.startsWith("to=")) {
                to = Long.parseLong(kv.substring(3));
            }
        }
        StringBuilder sb = new StringBuilder();
        Iterator<Map.Entry<Long, long[]>> it = times.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, long[]> e = it.next();
            long id = e.getKey();
            if (id < from || id >= to) {
                continue;
            }
            sb.append(id);
            for (long t : e.getValue()) {
                sb.append(' ').append(t);
            }
            sb.append('\n');
            it.remove();
        }
        return sb.toString();
    }
}
