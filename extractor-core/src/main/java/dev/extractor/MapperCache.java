package dev.extractor;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;

/**
 * A value per mapper, the mapper held weakly and compared by identity (two mappers configured alike are still two
 * mappers: one may be reconfigured, and comparing configurations is not something Jackson offers): once a mapper is
 * no longer reachable elsewhere, its entry goes at the next insertion. A value must not refer to its mapper, or the
 * mapper would never be collected. Thread-safe.
 */
final class MapperCache<V> {

    /** A weak reference to a mapper that is equal to another for the same mapper (identity), while it lives. */
    private static final class MapperKey extends WeakReference<ObjectMapper> {
        private final int hash;

        MapperKey(ObjectMapper mapper, ReferenceQueue<ObjectMapper> queue) {
            super(mapper, queue);
            this.hash = System.identityHashCode(mapper);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof MapperKey other)) {
                return false;
            }
            ObjectMapper mine = get();
            return mine != null && mine == other.get();
        }
    }

    private final Map<MapperKey, V> values = new ConcurrentHashMap<>();
    private final ReferenceQueue<ObjectMapper> collected = new ReferenceQueue<>();
    private final Supplier<V> create;

    MapperCache(Supplier<V> create) {
        this.create = create;
    }

    /** The value for {@code mapper}, created on first use. */
    V get(ObjectMapper mapper) {
        V value = values.get(new MapperKey(mapper, null));
        if (value != null) {
            return value;
        }
        expunge();
        return values.computeIfAbsent(new MapperKey(mapper, collected), k -> create.get());
    }

    /** How many mappers have an entry (collected ones count until the next insertion). */
    int size() {
        return values.size();
    }

    private void expunge() {
        for (Reference<? extends ObjectMapper> r; (r = collected.poll()) != null; ) {
            values.remove(r); // a cleared key equals only itself
        }
    }
}
