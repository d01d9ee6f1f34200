package dev.extractor.bench;

import dev.extractor.ElementReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.openjdk.jmh.infra.Blackhole;

/** The approaches {@link AB} compares, built from one benchmarks jar's own classes (same names in every build). */
public final class Ops {
    public static Map<String, IntSupplier> ops(int size) {
        Inputs in = Inputs.of(size);
        Blackhole bh = Readers.blackhole();
        ElementReader<ProductRecommendation> val = Readers.validating();
        ElementReader<ProductRecommendation> nov = Readers.notValidating();
        String[] c64 = in.coarseDeltas();
        Map<String, IntSupplier> m = new LinkedHashMap<>();
        m.put("oneShot", () -> Baselines.oneShot(in.document, bh::consume));
        m.put("oneShotNoVal", () -> { Items it = Baselines.ITEMS_READER.readValue(in.document); for (var r : it.items()) bh.consume(r); return it.items().size(); });
        m.put("ours", () -> ContentThroughput.ours(val, in.deltas, bh));
        m.put("oursNoVal", () -> ContentThroughput.ours(nov, in.deltas, bh));
        m.put("oursBytes", () -> Interleaved.oursBytes(val, in, bh));
        m.put("ours64", () -> ContentThroughput.ours(val, c64, bh));
        return m;
    }
}
