package dev.extractor.examples;

import dev.extractor.client.Extractor;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;

/**
 * The README's training run for a class-data-sharing archive or an AOT cache ("Cold start"): it builds an extractor
 * and makes one extraction of the application's own types against the simulated model, so that the archive holds
 * the classes a real run loads, without a network.
 */
public final class ColdStartTraining {

    private ColdStartTraining() {}

    /**
     * Run once with {@code -XX:ArchiveClassesAtExit=app.jsa} (or {@code -XX:AOTCacheOutput=app.aot}).
     *
     * @param args none
     */
    public static void main(String[] args) {
        String oneValidProductAsJson =
                "{\"id\":\"P-101\",\"name\":\"MacBook Air\",\"brand\":\"Apple\",\"category\":\"laptops\",\"priceUsd\":1099}";
        // Train.java, run once with -XX:ArchiveClassesAtExit=app.jsa (or -XX:AOTCacheOutput=app.aot)
        try (SimulatedModel model = SimulatedModel.start();
             Extractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).model("train").build()) {
            model.respondWith(request -> Reply.content("{\"items\":[" + oneValidProductAsJson + "]}"));
            ai.list(Product.class, "train");
        }
    }
}
