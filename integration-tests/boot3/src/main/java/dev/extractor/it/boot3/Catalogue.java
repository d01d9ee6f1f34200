package dev.extractor.it.boot3;

import java.util.Set;
import org.springframework.stereotype.Service;

/** The products the shop sells: a Spring service, injected into {@link InCatalogueValidator}. */
@Service
public class Catalogue {

    private final Set<String> ids = Set.of("p1", "p2", "p3", "p4");

    public boolean sells(String id) {
        return ids.contains(id);
    }
}
