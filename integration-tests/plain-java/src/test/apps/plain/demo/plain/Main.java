package demo.plain;

import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import jakarta.validation.constraints.NotBlank;
import java.util.List;

/** A plain class-path application that configures no logging: one validated, streamed call. */
public final class Main {

    public record City(@NotBlank String name) {}

    public static void main(String[] args) {
        try (SimulatedModel model = SimulatedModel.start();
             OpenAiExtractor ai = OpenAiExtractor.builder().baseUrl(model.baseUrl()).apiKey("sk-sim").model("sim-1")
                     .build()) {
            model.enqueue(Reply.content("{\"items\":[{\"name\":\"Bern\"},{\"name\":\"Oslo\"}]}"));
            List<City> cities = ai.list(City.class, "Two capitals");
            System.out.println(cities);
        }
    }
}
