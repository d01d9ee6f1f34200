package dev.extractor.bench.scale;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The floor: the least a client can do with the same bytes. One thread and one {@link Selector} for all N
 * connections, one 64 KB buffer for all reads, no HTTP client and no parsing beyond counting the events' blank-line
 * boundaries ({@code \n\n}; the chunk-size lines and headers hold none). It knows from the {@link ScaleAnswer} which
 * event completes each element, and notes the time of the read that brought it, so its "latency" is the transport's.
 */
final class FloorReader implements AutoCloseable {

    private final InetSocketAddress address;
    private final Recorder rec;
    private final ScaleAnswer[] answers;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Start> starts = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private volatile boolean running = true;

    private record Start(int index, byte[] request) { }

    private static final class Stream {
        final int index;
        final ScaleAnswer answer;
        ByteBuffer request;
        int events;
        int element;
        boolean lastWasNewline;
        boolean opened;

        Stream(int index, ScaleAnswer answer, byte[] request) {
            this.index = index;
            this.answer = answer;
            this.request = ByteBuffer.wrap(request);
        }
    }

    FloorReader(InetSocketAddress address, Recorder rec, ScaleAnswer[] answers) throws IOException {
        this.address = address;
        this.rec = rec;
        this.answers = answers;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "floor-reader");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts stream {@code i}: connect, send a chat-completions POST with {@code prompt}, count its events. */
    void start(int i, String prompt) {
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + prompt + "\"}]}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + address.getHostString() + ":"
                + address.getPort() + "\r\nAccept: text/event-stream\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer sk-scale\r\nContent-Length: " + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        starts.add(new Start(i, all));
        selector.wakeup();
    }

    private void loop() {
        try {
            while (running) {
                Start s;
                while ((s = starts.poll()) != null) {
                    open(s);
                }
                selector.select();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Stream st = (Stream) k.attachment();
                    try {
                        if (!k.isValid()) {
                            continue;
                        }
                        if (k.isConnectable()) {
                            ((SocketChannel) k.channel()).finishConnect();
                            k.interestOps(SelectionKey.OP_WRITE);
                        } else if (k.isWritable()) {
                            SocketChannel ch = (SocketChannel) k.channel();
                            ch.write(st.request);
                            if (!st.request.hasRemaining()) {
                                st.request = null;
                                k.interestOps(SelectionKey.OP_READ);
                            }
                        } else if (k.isReadable()) {
                            read(k, st);
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(k, st, e);
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
                    // closing
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void open(Start s) {
        Stream st = new Stream(s.index(), answers[s.index()], s.request());
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = ch.connect(address);
            ch.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, st);
        } catch (IOException e) {
            rec.done(st.index, 0, e);
        }
    }

    private void read(SelectionKey k, Stream st) throws IOException {
        SocketChannel ch = (SocketChannel) k.channel();
        ByteBuffer buf = buffer;
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
            throw new IOException("the server closed the connection after " + st.events + " of "
                    + st.answer.events + " events");
        }
        long t = System.nanoTime();
        if (!st.opened) {
            st.opened = true;
            rec.opened.incrementAndGet();
        }
        byte[] a = buf.array();
        boolean nl = st.lastWasNewline;
        int events = st.events;
        ScaleAnswer answer = st.answer;
        for (int i = 0; i < n; i++) {
            if (a[i] == '\n') {
                if (nl) {
                    events++;
                    while (st.element < answer.elements && answer.elementEvent[st.element] + 1 == events) {
                        rec.hold(st.index, st.element++, null, t);
                    }
                    nl = false;
                } else {
                    nl = true;
                }
            } else {
                nl = false;
            }
        }
        st.lastWasNewline = nl;
        st.events = events;
        if (events >= answer.events) {
            k.cancel();
            ch.close();
            rec.done(st.index, st.element, null);
        }
    }

    private void fail(SelectionKey k, Stream st, Exception e) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException ignored) {
            // already broken
        }
        rec.done(st.index, st.element, e);
    }

    /** Closes every connection still open. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
