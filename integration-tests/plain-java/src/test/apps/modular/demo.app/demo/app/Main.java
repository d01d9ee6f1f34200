package demo.app;

import demo.app.model.Product;
import dev.extractor.DeltaSource;
import dev.extractor.ElementReader;
import dev.extractor.ElementStream;
import dev.extractor.ElementValidationException;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import tools.jackson.databind.JsonNode;

/** Prints one line per check; the test compares them. */
public final class Main {

    public static void main(String[] args) {
        System.out.println("module " + Main.class.getModule().getName() + " reads "
                + ElementReader.class.getModule().getName());

        ElementReader<Product> reader = ElementReader.of(Product.class);
        try (ElementStream<Product> products = reader.stream(DeltaSource.ofText(
                "[{\"name\":\"Kindle\",\"pr", "ice\":149},{\"name\":\"Pen\",\"price\":2.5}]"))) {
            for (Product p : products) {
                System.out.println("core " + p);
            }
        }
        try {
            reader.readAll("[{\"name\":\" \",\"price\":1}]");
        } catch (ElementValidationException e) {
            System.out.println("invalid " + e.element().violations());
        }
        JsonNode tree = ElementReader.of(JsonNode.class).readAll("[{\"a\":1}]").get(0);
        System.out.println("tree " + tree);

        try (SimulatedModel model = SimulatedModel.start();
             OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim").model("sim-1")
                     .build()) {
            model.enqueue(Reply.content("{\"items\":[{\"name\":\"Kobo\",\"price\":129}]}").chunkChars(1, 6));
            try (ElementStream<Product> streamed = ai.stream(Product.class, "One e-reader")) {
                for (Product p : streamed) {
                    System.out.println("openai " + p);
                }
            }
        }
    }
}
