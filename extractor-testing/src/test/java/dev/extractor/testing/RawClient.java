package dev.extractor.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A byte-exact HTTP/1.1 client over one socket, for looking at exactly what the server sends. */
final class RawClient implements AutoCloseable {

    record Head(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }

        boolean chunked() {
            return "chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"));
        }
    }

    /** A whole response; {@code chunks} are the HTTP chunks exactly as framed by the server. */
    record Response(Head head, byte[] body, List<byte[]> chunks) {
        int status() {
            return head.status();
        }

        String header(String name) {
            return head.header(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static String chatBody(boolean stream, boolean includeUsage) {
        return "{\"model\":\"gpt-test\",\"stream\":" + stream
                + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"Extract people.\"},"
                + "{\"role\":\"user\",\"content\":\"Ada and Grace\"}]}";
    }

    void send(String method, String path, String body, String... headerLines) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        sb.append("\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.write(bytes);
        out.write(request.toByteArray()); // one write: no Nagle / delayed-ACK stall between head and body
        out.flush();
    }

    void postChat(String body) throws IOException {
        send("POST", "/v1/chat/completions", body);
    }

    Head readHead() throws IOException {
        String status = readLine();
        String[] parts = status.split(" ", 3);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(parts[1]), headers);
    }

    /** The next chunk's payload, or null after the terminating chunk. */
    byte[] readChunk() throws IOException {
        int size = Integer.parseInt(readLine().trim(), 16);
        if (size == 0) {
            if (!readLine().isEmpty()) {
                throw new IOException("trailers not expected");
            }
            return null;
        }
        byte[] data = in.readNBytes(size);
        if (data.length != size) {
            throw new EOFException("chunk cut short");
        }
        if (!readLine().isEmpty()) {
            throw new IOException("no CRLF after chunk");
        }
        return data;
    }

    Response readResponse() throws IOException {
        Head head = readHead();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<byte[]> chunks = new ArrayList<>();
        if (head.chunked()) {
            for (byte[] c = readChunk(); c != null; c = readChunk()) {
                chunks.add(c);
                body.write(c);
            }
        } else {
            int length = Integer.parseInt(head.header("Content-Length"));
            byte[] b = in.readNBytes(length);
            if (b.length != length) {
                throw new EOFException("body cut short after " + b.length + " of " + length + " bytes");
            }
            body.write(b);
        }
        return new Response(head, body.toByteArray(), chunks);
    }

    Response chat(String body) throws IOException {
        postChat(body);
        return readResponse();
    }

    /** Reads raw bytes until end of stream (or the socket timeout). */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("end of stream in a line");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
