package dev.extractor.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One accepted socket: reads HTTP/1.1 requests one after another (keep-alive) and answers each.
 * Runs on its own pool thread.
 */
final class HttpConnection implements Runnable {

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 256;
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A malformed request: answered with 400, then the connection is closed. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    record Request(String method, String target, String version,
                   Map<String, List<String>> headers, byte[] body) { }

    private final SimulatedModel model;
    private final Socket socket;
    private final int number;
    private InputStream in;
    private OutputStream out;

    HttpConnection(SimulatedModel model, Socket socket, int number) {
        this.model = model;
        this.socket = socket;
        this.number = number;
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (!model.isClosed()) {
                Request request;
                try {
                    request = readRequest();
                } catch (BadRequest e) {
                    writeJson(400, null, Map.of(), SimulatedModel.errorJson(e.getMessage(),
                            "invalid_request_error", null), false);
                    return;
                }
                if (request == null || !serve(request)) {
                    return;
                }
            }
        } catch (IOException | ConnectionEnd e) {
            // the client went away, the cut was scripted, or the model is closing
        } finally {
            closeSocket();
            model.connectionEnded(socket);
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** Answers one request; returns whether the connection may carry another. */
    private boolean serve(Request request) throws IOException {
        boolean keepAlive = keepAlive(request);
        String target = request.target();
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        RecordedRequest recorded = model.record(number, request.method(), target, request.headers(),
                new String(request.body(), StandardCharsets.UTF_8));
        long start = System.nanoTime();
        String requestId = recorded.requestId();

        WireFormat format = WireFormat.of(path);
        if (format != null) {
            if (!request.method().equals("POST")) {
                return writeJson(405, requestId, Map.of("Allow", "POST"), SimulatedModel.errorJson(
                        "Method " + request.method() + " not allowed on " + path + "; use POST",
                        "invalid_request_error", null), keepAlive);
            }
            try {
                recorded.bodyJson();
            } catch (IllegalStateException e) {
                return writeJson(400, requestId, Map.of(), SimulatedModel.errorJson(
                        "We could not parse the JSON body of your request: " + e.getMessage(),
                        "invalid_request_error", null), keepAlive);
            }
            Reply reply;
            try {
                reply = model.nextReply(recorded);
            } catch (RuntimeException e) {
                return writeJson(500, requestId, Map.of(), SimulatedModel.errorJson(
                        "SimulatedModel: the responder threw " + e, "simulated_model_error",
                        "responder_failed"), keepAlive);
            }
            if (reply == null) {
                return writeJson(500, requestId, Map.of(), SimulatedModel.errorJson(
                        "SimulatedModel: script exhausted: no reply queued and no responder set for request #"
                                + recorded.sequenceNumber() + " (" + request.method() + " " + target
                                + "); enqueue a Reply or call respondWith(...)",
                        "simulated_model_error", "script_exhausted"), keepAlive);
            }
            return format.write(this, model, reply, recorded, start, keepAlive);
        }
        if (path.equals(SimulatedModel.BASE_PATH + "/models") && request.method().equals("GET")) {
            return writeJson(200, requestId, Map.of(),
                    "{\"object\":\"list\",\"data\":[{\"id\":\"sim-1\",\"object\":\"model\",\"created\":0,"
                            + "\"owned_by\":\"extractor-testing\"}]}", keepAlive);
        }
        return writeJson(404, requestId, Map.of(), SimulatedModel.errorJson(
                "SimulatedModel serves POST " + SimulatedModel.BASE_PATH + "/chat/completions, "
                        + SimulatedModel.BASE_PATH + "/responses, " + SimulatedModel.BASE_PATH + "/messages and "
                        + "/v1beta/models/{model}:streamGenerateContent, not "
                        + request.method() + " " + target, "invalid_request_error", "unknown_url"),
                keepAlive);
    }

    private static boolean keepAlive(Request request) {
        String connection = RecordedRequest.firstHeader(request.headers(), "Connection");
        boolean close = connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
        if (request.version().equals("HTTP/1.0")) {
            return connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive");
        }
        return !close;
    }

    // ------------------------------------------------------------------ writing

    OutputStream out() {
        return out;
    }

    /** Writes a status line and headers (adding {@code x-request-id} and {@code Connection}), unflushed. */
    void writeHead(int status, String requestId, Map<String, String> headers, boolean keepAlive)
            throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (requestId != null) {
            sb.append("x-request-id: ").append(requestId).append("\r\n");
        }
        sb.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes a complete JSON response; returns {@code keepAlive}. */
    boolean writeJson(int status, String requestId, Map<String, String> headers, String json,
                      boolean keepAlive) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.put("Content-Length", Integer.toString(body.length));
        all.putAll(headers);
        writeHead(status, requestId, all, keepAlive);
        out.write(body);
        out.flush();
        return keepAlive;
    }

    /** Closes the socket at once (a scripted disconnect, or the end of the connection). */
    void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------ waiting

    /** Parks until {@code deadline} ({@link System#nanoTime()}), unless the model closes first. */
    void pauseUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            checkRunning();
            LockSupport.parkNanos(Math.min(left, POLL_NANOS));
        }
        checkRunning();
    }

    /** Waits until {@code gate} is open; ends the connection if the client goes away or the model closes. */
    void awaitGate(Gate gate) {
        gate.markReached();
        try {
            while (!gate.awaitOpen(POLL_NANOS)) {
                checkRunning();
                if (clientGone()) {
                    throw new ConnectionEnd("client went away while the reply was paused");
                }
            }
        } catch (InterruptedException e) {
            throw new ConnectionEnd("interrupted");
        }
        checkRunning();
    }

    private void checkRunning() {
        if (model.isClosed() || Thread.currentThread().isInterrupted()) {
            throw new ConnectionEnd("model closing");
        }
    }

    /** Whether the peer has closed its side (a read would return EOF or fail), without consuming data. */
    private boolean clientGone() {
        try {
            if (in.available() > 0) {
                return false;
            }
            socket.setSoTimeout(1);
            try {
                in.mark(1);
                if (in.read() < 0) {
                    return true;
                }
                in.reset();
                return false;
            } catch (SocketTimeoutException e) {
                return false;
            } finally {
                socket.setSoTimeout(0);
            }
        } catch (IOException e) {
            return true;
        }
    }

    // ------------------------------------------------------------------ reading

    /** Reads the next request, or returns null at a clean end of stream between requests. */
    private Request readRequest() throws IOException {
        String line = readLine(true);
        while (line != null && line.isEmpty()) {
            line = readLine(true); // tolerate stray CRLFs between requests
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest("malformed request line: " + line);
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int count = 0; ; count++) {
            String header = readLine(false);
            if (header.isEmpty()) {
                break;
            }
            int colon = header.indexOf(':');
            if (colon <= 0 || count >= MAX_HEADERS) {
                throw new BadRequest("malformed or too many headers");
            }
            headers.computeIfAbsent(header.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        String expect = RecordedRequest.firstHeader(headers, "Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        byte[] body;
        String transferEncoding = RecordedRequest.firstHeader(headers, "Transfer-Encoding");
        String contentLength = RecordedRequest.firstHeader(headers, "Content-Length");
        if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunkedBody();
        } else if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength);
            } catch (NumberFormatException e) {
                throw new BadRequest("bad Content-Length: " + contentLength);
            }
            if (length < 0 || length > MAX_BODY) {
                throw new BadRequest("bad Content-Length: " + contentLength);
            }
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new EOFException("request body ended early");
            }
        } else {
            body = new byte[0];
        }
        return new Request(parts[0], parts[1], parts[2], headers, body);
    }

    private byte[] readChunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (;;) {
            String sizeLine = readLine(false);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequest("bad chunk size: " + sizeLine);
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY) {
                throw new BadRequest("bad chunk size: " + sizeLine);
            }
            if (size == 0) {
                while (!readLine(false).isEmpty()) {
                    // skip trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("request body ended early");
            }
            body.write(chunk);
            if (!readLine(false).isEmpty()) {
                throw new BadRequest("missing CRLF after chunk");
            }
        }
    }

    /** A line without its CR LF (or bare LF), or null at end of stream if {@code eofOk} and nothing was read. */
    private String readLine(boolean eofOk) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        for (;;) {
            int b = in.read();
            if (b < 0) {
                if (eofOk && line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a request");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new BadRequest("request line or header too long");
            }
            line.write(b);
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status < 500 ? "Client Error" : "Server Error";
        };
    }
}
