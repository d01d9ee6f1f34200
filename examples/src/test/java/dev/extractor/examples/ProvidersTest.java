package dev.extractor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.extractor.testing.Gate;
import dev.extractor.testing.SimulatedModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The README's provider code: the same ranking from each wire format, the first shown before the answer ends. */
class ProvidersTest {

    @ParameterizedTest
    @EnumSource(DemoModel.Provider.class)
    void theSameRankingCodeStreamsFromEveryProvider(DemoModel.Provider provider) {
        String json = SimulatedShop.recommendationsJson();
        Gate gate = new Gate();
        try (SimulatedModel model = SimulatedModel.start()
                .enqueue(SimulatedShop.paced(json, 5_000).holdAfterChars(json.indexOf("},{") + 3, gate));
             DemoModel simulated = DemoModel.simulated(model, 5_000, provider)) {
            List<Boolean> heldAtFirst = new ArrayList<>();
            List<ProductRecommendation> shown = Providers.rank(simulated.extractor(), CustomerProfile.DEFAULT, r -> {
                if (heldAtFirst.isEmpty()) {
                    heldAtFirst.add(!gate.isOpen() && !model.lastReplyTimeline().isComplete());
                    gate.open();
                }
            });
            assertEquals(SimulatedShop.RANKING, shown);
            assertEquals(List.of(true), heldAtFirst, "the first recommendation was shown before the answer ended");
        }
    }
}
