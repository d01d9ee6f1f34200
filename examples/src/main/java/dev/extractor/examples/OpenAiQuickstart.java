package dev.extractor.examples;

import dev.extractor.ElementStream;
import dev.extractor.SchemaDialect;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extractor;
import dev.extractor.client.Mode;
import dev.extractor.openai.OpenAiExtractor;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.util.List;

/** The README's OpenAI quickstart, kept here so that it compiles; a test checks the README quotes it verbatim. */
public final class OpenAiQuickstart {

    private OpenAiQuickstart() {}

    record Product(@NotBlank String name, @Positive double price) {}

    record Invoice(@NotBlank String number, @PositiveOrZero BigDecimal total) {}

    static void show(Product p) {
        System.out.println(p.name() + ": $" + p.price());
    }

    static void threeCalls(String text) {
        // openai-quickstart-begin
        try (Extractor ai = OpenAiExtractor.fromEnv()) {   // OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL

            // 1. a list, streamed: each element the moment its closing brace arrives
            try (ElementStream<Product> products = ai.stream(Product.class, "Recommend five laptops for a student")) {
                for (Product p : products) {
                    show(p);
                }
                System.out.println(products.result().usage());
            }

            // 2. a list, whole: invalid output is re-asked with the real validation errors
            List<Product> all = ai.list(Product.class, "Recommend five laptops for a student");

            // 3. one object
            Invoice invoice = ai.one(Invoice.class, "Extract the invoice: " + text);
        }
        // openai-quickstart-end
    }

    static OpenAiExtractor localServer() {
        // openai-local-begin
        OpenAiExtractor local = OpenAiExtractor.builder()
                .baseUrl("http://localhost:11434/v1")   // Ollama; vLLM, llama.cpp server: their own URL
                .model("llama3.1")
                .mode(Mode.JSON_SCHEMA)                 // TOOLS, JSON or MD_JSON for servers without structured outputs
                .schemaDialect(SchemaDialect.GRAMMAR)   // grammar engines enforce lengths and bounds: send them all
                .build();
        // openai-local-end
        return local;
    }

    static List<ProductRecommendation> forThisRequest(Extractor ai, Candidates candidates) {
        // request-scoped-begin
        ChatRequest request = ChatRequest.builder()
                .user("Recommend three of these products, best first:\n" + candidates.describe())
                .validationPayload(candidates)          // what this request's constraint validators check against
                .build();
        List<ProductRecommendation> picks = ai.list(ProductRecommendation.class, request);
        // request-scoped-end
        return picks;
    }
}
