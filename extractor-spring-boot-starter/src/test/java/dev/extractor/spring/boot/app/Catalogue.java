package dev.extractor.spring.boot.app;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** The shop's products: an ordinary Spring service, which the constraint validator below gets injected. */
@Service
public class Catalogue {

    private final Map<String, String> products = Map.of("p1", "Kindle Paperwhite", "p2", "Sony WH-1000XM5",
            "p4", "Allbirds Wool Runners");
    final AtomicInteger lookups = new AtomicInteger();

    public Optional<String> name(String id) {
        lookups.incrementAndGet();
        return Optional.ofNullable(products.get(id));
    }
}
