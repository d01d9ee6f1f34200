package dev.extractor.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.extractor.ElementStream;
import dev.extractor.StreamResult;
import dev.extractor.client.Extractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * The browser demo: one page with the customer's profile and a button; the server asks the model for the ranking
 * and forwards each recommendation to the page as a server-sent event the moment it has been validated, so the
 * page draws a card per recommendation while the model is still writing the rest.
 *
 * <pre>
 * GET /                         the page (index.html, app.js, style.css from resources/web)
 * GET /api/profile              the default customer profile, JSON, to fill the form
 * GET /api/recommendations?...  text/event-stream: a "recommendation" event per validated element, then "done"
 *                               (or "failure"); the query holds the form's fields
 * </pre>
 *
 * <p>Built on the JDK's own HTTP server ({@code com.sun.net.httpserver}): no dependency, and streaming a response
 * is just writing to it and flushing. Each request gets a thread from a pool, which the pull API uses to read the
 * model's answer; closing the {@link ElementStream} (when the page goes away and a write fails) cancels the call.
 */
public final class WebDemo implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> STATIC_FILES = Map.of(
            "/", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css");

    private final Extractor ai;
    private final HttpServer server;
    private final ExecutorService threads;

    private WebDemo(Extractor ai, HttpServer server, ExecutorService threads) {
        this.ai = ai;
        this.server = server;
        this.threads = threads;
    }

    /**
     * Serves the demo on {@code localhost:port} (0 for any free port), asking {@code ai} for recommendations.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static WebDemo start(Extractor ai, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve on port " + port + " (in use? try -Dport=8081)", e);
        }
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "web-demo");
            t.setDaemon(true);
            return t;
        });
        WebDemo demo = new WebDemo(ai, server, threads);
        server.createContext("/", demo::staticFile);
        server.createContext("/api/profile", exchange -> demo.send(exchange, 200, "application/json",
                JSON.writeValueAsBytes(CustomerProfile.DEFAULT)));
        server.createContext("/api/recommendations", demo::recommendations);
        server.setExecutor(threads);
        server.start();
        return demo;
    }

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("org.jboss.logging.provider", "slf4j"); // keeps Hibernate Validator's start-up banner out
        CompletableFuture<Void> warmUp = CompletableFuture.runAsync(DemoModel::warmUp);
        DemoModel model = DemoModel.fromEnvironment();
        WebDemo web = start(model.extractor(), Integer.getInteger("port", 8080));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            web.close();
            model.close();
        }));
        warmUp.join();
        System.out.println(model.description());
        System.out.println("Open " + web.uri() + " in a browser (Ctrl-C to stop).");
        new CountDownLatch(1).await(); // serve until the JVM is stopped
    }

    /** The page's address, {@code http://localhost:PORT/}. */
    public URI uri() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/");
    }

    /** Stops serving; open event streams are cut, which cancels their model calls. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ the event stream

    /** One card of the page: a validated recommendation, with what the shop knows of the product. */
    record Card(int rank, String productId, String productName, String reason, String brand, String category,
                int priceUsd) {

        static Card of(ProductRecommendation r, Candidates candidates) {
            Product p = candidates.find(r.productId()).orElseThrow(); // validation made sure it is one of them
            return new Card(r.rank(), r.productId(), r.productName(), r.reason(), p.brand(), p.category(),
                    p.priceUsd());
        }
    }

    private void recommendations(HttpExchange exchange) throws IOException {
        CustomerProfile customer = CustomerProfile.fromForm(query(exchange.getRequestURI()));
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0); // 0: streamed (chunked), length unknown
        try (OutputStream events = exchange.getResponseBody()) {
            streamRecommendations(customer, events);
        } catch (IOException pageWentAway) {
            // nothing to tell anyone: closing the ElementStream has cancelled the model call
        }
    }

    private void streamRecommendations(CustomerProfile customer, OutputStream events) throws IOException {
        Candidates candidates = Shop.candidatesFor(customer); // this request's, checked by CandidateProduct
        try (ElementStream<ProductRecommendation> recs = ai.stream(ProductRecommendation.class,
                Shop.recommendationRequest(customer, candidates, 10))) {
            for (ProductRecommendation r : recs) {
                event(events, "recommendation", Card.of(r, candidates)); // the moment it is validated
            }
            StreamResult result = recs.result();
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("delivered", result.delivered());
            done.put("skipped", result.skipped().size());
            result.usage().ifPresent(u -> done.put("totalTokens", u.totalTokens()));
            event(events, "done", done);
        } catch (RuntimeException e) { // the model call failed (HTTP error, truncated answer, ...): say why
            event(events, "failure", Map.of("message", String.valueOf(e.getMessage())));
        }
    }

    /** Writes one server-sent event and flushes it to the page. */
    private static void event(OutputStream out, String name, Object data) throws IOException {
        out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ------------------------------------------------------------------ plumbing

    private void staticFile(HttpExchange exchange) throws IOException {
        String name = STATIC_FILES.get(exchange.getRequestURI().getPath());
        if (name == null || !exchange.getRequestMethod().equals("GET")) {
            send(exchange, 404, "text/plain", "Not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body;
        try (InputStream in = WebDemo.class.getResourceAsStream("/web/" + name)) {
            body = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
        send(exchange, 200, type + "; charset=utf-8", body);
    }

    private void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> fields = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }
}
