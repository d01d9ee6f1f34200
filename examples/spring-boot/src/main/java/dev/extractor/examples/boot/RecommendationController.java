package dev.extractor.examples.boot;

import dev.extractor.ElementStream;
import dev.extractor.StreamResult;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/recommendations?interests=...&budget=...}: a {@code text/event-stream} with a {@code
 * recommendation} event per validated element, sent the moment it is validated, then {@code done} (delivered,
 * skipped, tokens), or {@code failure} with the reason. The page ({@code static/index.html}) draws a card per
 * event while the model is still writing the rest.
 *
 * <p>The answer is read on one of Boot's task-executor threads (the pull API blocks while it waits for the model);
 * when the page goes away, the next write fails or the emitter ends, and closing the {@link ElementStream} cancels
 * the model call.
 */
@RestController
public class RecommendationController {

    private final Recommender recommender;
    private final Catalogue catalogue;
    private final AsyncTaskExecutor executor;

    public RecommendationController(Recommender recommender, Catalogue catalogue,
            @Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor) {
        this.recommender = recommender;
        this.catalogue = catalogue;
        this.executor = executor;
    }

    /** One card of the page: a validated recommendation, with what the catalogue knows of the product. */
    record Card(int rank, String productId, String productName, String reason, String brand, String category,
            int priceUsd) {}

    @GetMapping(path = "/api/recommendations", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter recommendations(@RequestParam(defaultValue = "sci-fi books, running, yoga") String interests,
            @RequestParam(defaultValue = "200") int budget) {
        SseEmitter events = new SseEmitter(Duration.ofMinutes(10).toMillis());
        executor.execute(() -> stream(interests, budget, events));
        return events;
    }

    @SuppressWarnings("try") // the emitter's callbacks close the stream from another thread: that cancels the call
    private void stream(String interests, int budget, SseEmitter events) {
        try (ElementStream<ProductRecommendation> recs = recommender.recommend(interests, budget)) {
            events.onCompletion(recs::close); // the page went away, or the server stops: cancel the model call
            events.onTimeout(recs::close);
            events.onError(e -> recs.close());
            for (ProductRecommendation r : recs) {
                send(events, "recommendation", card(r)); // the moment it is validated
            }
            StreamResult result = recs.result();
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("delivered", result.delivered());
            done.put("skipped", result.skipped().size());
            result.usage().ifPresent(u -> done.put("totalTokens", u.totalTokens()));
            send(events, "done", done);
            events.complete();
        } catch (PageGone gone) {
            // closing the stream (try-with-resources) has cancelled the model call; nobody to tell
        } catch (RuntimeException failed) { // the model call failed (HTTP error, truncated answer, ...): say why
            try {
                send(events, "failure", Map.of("message", String.valueOf(failed.getMessage())));
                events.complete();
            } catch (PageGone gone) {
                // nobody to tell
            }
        }
    }

    private Card card(ProductRecommendation r) {
        Product p = catalogue.find(r.productId()).orElseThrow(); // validation made sure the catalogue has it
        return new Card(r.rank(), r.productId(), r.productName(), r.reason(), p.brand(), p.category(), p.priceUsd());
    }

    /** Sends one event (flushed at once), or says that the page is gone. */
    private static void send(SseEmitter events, String name, Object data) {
        try {
            events.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            throw new PageGone(e);
        }
    }

    /** The page went away: a write failed, or the emitter has already ended. */
    private static final class PageGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PageGone(Throwable cause) {
            super(cause);
        }
    }
}
