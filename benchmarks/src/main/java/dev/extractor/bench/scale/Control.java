package dev.extractor.bench.scale;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The driver's side of the server's control endpoints ({@code /clock}, {@code /stats}, {@code /times},
 * {@code /shutdown}): a minimal blocking HTTP/1.1 client on one kept-alive socket.
 */
final class Control implements AutoCloseable {

    private final String host;
    private final int port;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Control(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(60_000);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
        out = socket.getOutputStream();
    }

    /** Sends one request and returns the body of a 200 answer. */
    String call(String method, String target) throws IOException {
        out.write((method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the control connection");
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = -1;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length in " + h);
        }
        byte[] body = in.readNBytes(length);
        String text = new String(body, StandardCharsets.UTF_8);
        if (!h.startsWith("HTTP/1.1 200")) {
            throw new IOException(h.lines().findFirst().orElse("?") + ": " + text);
        }
        return text;
    }

    /** {@code GET /stats}, as numbers. */
    Map<String, Long> stats(boolean reset) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : call("GET", reset ? "/stats?reset" : "/stats").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
            }
        }
        return out;
    }

    /** The server's {@code System.nanoTime()}. */
    long clock() throws IOException {
        return Long.parseLong(call("GET", "/clock").trim());
    }

    /** The server's write times of the streams {@code [from, to)}: id → element times then the end time. */
    Map<Long, long[]> times(long from, long to) throws IOException {
        Map<Long, long[]> out = new java.util.HashMap<>();
        for (String line : call("GET", "/times?from=" + from + "&to=" + to).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            long[] t = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                t[i - 1] = Long.parseLong(f[i]);
            }
            out.put(Long.parseLong(f[0]), t);
        }
        return out;
    }

    void shutdown() throws IOException {
        call("POST", "/shutdown");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
