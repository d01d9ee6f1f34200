package dev.extractor.examples;

import dev.extractor.Delta;
import dev.extractor.DeltaSource;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.InvalidElement;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.StreamResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A core-only demo: a canned model answer arrives in token-sized fragments at about 60 tokens per second, and
 * each recommendation is printed the moment its closing brace arrives, long before the answer ends.
 */
public final class CoreDemo {

    private CoreDemo() {}

    static final String ANSWER = """
            {"items":[
            {"productId":"P-101","productName":"MacBook Air 13\\" M3","reason":"A light, fast laptop that matches your budget-laptop searches and Apple preference.","rank":1},
            {"productId":"P-102","productName":"Sony WH-1000XM5","reason":"Noise-cancelling headphones to pair with your recent laptop purchase.","rank":2},
            {"productId":"P-103","productName":"Apple Watch Series 9","reason":"Complements your smart-watch history and fitness browsing; Apple is a preferred brand.","rank":3},
            {"productId":"P-104","productName":"Kindle Paperwhite","reason":"You searched for sci-fi books: read them anywhere, on a glare-free screen.","rank":4},
            {"productId":"P-105","productName":"Allbirds Wool Runners","reason":"Comfortable wool sneakers from Allbirds, one of your preferred brands.","rank":5},
            {"productId":"P-106","productName":"Yoga mat","reason":"bad","rank":6},
            {"productId":"P-107","productName":"Bench hooded jacket","reason":"A Bench jacket for outdoor workouts; Bench is on your preferred-brands list.","rank":7}
            ]}""";

    public static void main(String[] args) {
        System.setProperty("org.jboss.logging.provider", "slf4j"); // keep Hibernate Validator's banner quiet
        ElementReader<ProductRecommendation> reader = ElementReader.builder(ProductRecommendation.class)
                .onInvalid(InvalidElementPolicy.SKIP)
                .build();
        System.out.println("Streaming a canned answer (" + ANSWER.length() + " chars) at ~60 tokens/s ...");
        long start = System.nanoTime();
        try (ElementStream<ProductRecommendation> recs = reader.stream(pacedSource(ANSWER, 60))) {
            for (ProductRecommendation r : recs) {
                System.out.printf("  %5.2fs  #%d %-22s %s%n", (System.nanoTime() - start) / 1e9, r.rank(),
                        r.productName(), r.reason());
            }
            StreamResult result = recs.result();
            System.out.printf("Done in %.2fs: %d delivered, %d skipped as invalid%n",
                    (System.nanoTime() - start) / 1e9, result.delivered(), result.skipped().size());
            for (InvalidElement bad : result.skipped()) {
                System.out.println("  skipped element " + bad.index() + ": " + bad.violations());
            }
        }
    }

    /** Cuts the text into 1 to 6 char fragments and hands them out at the given rate. */
    static DeltaSource pacedSource(String text, int tokensPerSecond) {
        Random rnd = new Random(7);
        List<String> fragments = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int n = Math.min(text.length() - i, 1 + rnd.nextInt(6));
            fragments.add(text.substring(i, i + n));
            i += n;
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / tokensPerSecond;
        long t0 = System.nanoTime();
        return new DeltaSource() {
            int next;

            @Override
            public Delta next() {
                if (next == fragments.size()) {
                    return null;
                }
                long due = t0 + next * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                return Delta.text(fragments.get(next++));
            }

            @Override
            public void close() { }
        };
    }
}
