package dev.extractor.spring.boot;

import static dev.extractor.spring.boot.ExtractorAutoConfigurationTest.assertStartFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.anthropic.AnthropicExtractor;
import dev.extractor.client.Extractor;
import dev.extractor.client.ExtractorBuilder;
import dev.extractor.client.Mode;
import dev.extractor.gemini.GeminiExtractor;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code extractor.provider} and the seam the next providers plug into: a {@link ProviderSupport} bean per provider
 * whose module is on the class path, selected by name; a clear start-up error naming the module otherwise.
 */
class ProviderSelectionTest {

    final SimulatedModel model = SimulatedModel.start();

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ExtractorAutoConfiguration.class))
            .withPropertyValues("extractor.base-url=" + model.baseUrl(), "extractor.api-key=sk-sim",
                    "extractor.model=sim-1");

    @AfterEach
    void stopModel() {
        model.close();
    }

    @Test
    void openaiIsTheDefaultAndTheNameIsCaseInsensitive() {
        runner.run(context -> assertInstanceOf(OpenAiExtractor.class,
                ((ConfiguredExtractor) context.getBean(Extractor.class)).delegate()));
        runner.withPropertyValues("extractor.provider= OpenAI ").run(context -> assertInstanceOf(
                OpenAiExtractor.class, ((ConfiguredExtractor) context.getBean(Extractor.class)).delegate()));
    }

    @Test
    void eachProviderIsBuiltFromThePropertiesAndStreamsFromTheSimulatedModel() {
        ApplicationContextRunner root = runner.withPropertyValues("extractor.base-url=" + model.rootUrl());
        root.withPropertyValues("extractor.provider=anthropic", "extractor.anthropic.version=2099-01-01",
                "extractor.anthropic.max-tokens=1234").run(context -> {
            RecordedRequest sent = streamed(context.getBean(Extractor.class), AnthropicExtractor.class);
            assertEquals("/v1/messages", sent.path());
            assertEquals("sk-sim", sent.header("x-api-key"));
            assertEquals("2099-01-01", sent.header("anthropic-version"));
            assertEquals(1234, ((Number) sent.bodyJson().get("max_tokens")).intValue());
        });
        root.withPropertyValues("extractor.provider=gemini").run(context -> {
            RecordedRequest sent = streamed(context.getBean(Extractor.class), GeminiExtractor.class);
            assertTrue(sent.path().startsWith("/v1beta/models/sim-1:streamGenerateContent"), sent.path());
            assertEquals("sk-sim", sent.header("x-goog-api-key"));
        });
        runner.withPropertyValues("extractor.openai.api=responses").run(context -> {
            RecordedRequest sent = streamed(context.getBean(Extractor.class), OpenAiExtractor.class);
            assertEquals("/v1/responses", sent.path());
            assertEquals("Bearer sk-sim", sent.header("Authorization"));
        });
    }

    /** Streams two elements through {@code ai}, a {@code type} underneath; the request the model got. */
    RecordedRequest streamed(Extractor ai, Class<?> type) {
        assertInstanceOf(type, ((ConfiguredExtractor) ai).delegate());
        model.enqueue(Reply.content(Recommendation.VALID));
        assertEquals(List.of("p1", "p2"), Recommendation.ids(ExtractorAutoConfigurationTest.streamAll(ai)));
        return model.takeRequest(Duration.ofSeconds(5));
    }

    @Test
    void theProvidersEndpointsNeedAKey() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ExtractorAutoConfiguration.class))
                .withPropertyValues("extractor.provider=anthropic").run(context -> assertStartFailure(context,
                        "No API key for Anthropic: set extractor.api-key"));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ExtractorAutoConfiguration.class))
                .withPropertyValues("extractor.provider=gemini").run(context -> assertStartFailure(context,
                        "No API key for Gemini: set extractor.api-key"));
        runner.withPropertyValues("extractor.provider=anthropic", "extractor.anthropic.max-tokens=0").run(
                context -> assertStartFailure(context, "extractor.anthropic.max-tokens must be positive: 0"));
    }

    @Test
    void aKnownProviderWhoseModuleIsMissingNamesTheModule() {
        runner.withClassLoader(new FilteredClassLoader(AnthropicExtractor.class))
                .withPropertyValues("extractor.provider=anthropic").run(context -> assertStartFailure(context,
                        "extractor.provider=anthropic needs dev.extractor:extractor-anthropic on the class path"
                                + " (dev.extractor.anthropic.AnthropicExtractor was not found)"));
        runner.withClassLoader(new FilteredClassLoader(GeminiExtractor.class))
                .withPropertyValues("extractor.provider=gemini").run(context -> assertStartFailure(context,
                        "needs dev.extractor:extractor-gemini on the class path"));
        // each provider's part is active only with its module: here extractor-openai is hidden
        runner.withClassLoader(new FilteredClassLoader(OpenAiExtractor.class)).run(context -> assertStartFailure(
                context, "extractor.provider=openai needs dev.extractor:extractor-openai on the class path"));
    }

    @Test
    void anUnknownNameListsTheProviders() {
        runner.withPropertyValues("extractor.provider=llama").run(context -> assertStartFailure(context,
                "extractor.provider=llama is not a provider: use one of openai, anthropic, gemini"));
    }

    /**
     * The seam: a provider's part is one {@link ProviderSupport} bean. This one (a stand-in, over an OpenAI-compatible
     * extractor) shows what every provider gets: selection by its name, the neutral settings applied to its own
     * builder, the metrics' provider tag.
     */
    @Test
    void aProviderIsOneProviderSupportBeanSelectedByName() {
        List<String> built = new ArrayList<>();
        ProviderSupport standIn = new ProviderSupport() {
            @Override
            public String name() {
                return "local-llama";
            }

            @Override
            public Extractor build(ExtractorProperties properties, Consumer<ExtractorBuilder<?>> common) {
                OpenAiExtractor.Builder b = OpenAiExtractor.builder().baseUrl(properties.getBaseUrl())
                        .apiKeyHeader("x-api-key").apiKey(properties.getApiKey());
                common.accept(b);
                built.add(b.toString());
                return b.build();
            }
        };
        runner.withBean("extractorLocalLlamaProvider", ProviderSupport.class, () -> standIn)
                .withBean(io.micrometer.core.instrument.MeterRegistry.class,
                        io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)
                .withPropertyValues("extractor.provider=local-llama", "extractor.mode=md-json")
                .run(context -> {
                    assertEquals(1, built.size());
                    assertTrue(built.get(0).contains("model=sim-1, mode=" + Mode.MD_JSON), built.get(0));
                    Extractor ai = context.getBean(Extractor.class);
                    assertTrue(ai.toString().startsWith("Extractor[provider=local-llama"), ai.toString());
                    model.enqueue(Reply.content("```json\n" + Recommendation.VALID + "\n```"));
                    assertEquals(2, ai.list(Recommendation.class, "Rank them").size());
                    RecordedRequest sent = model.takeRequest(Duration.ofSeconds(5));
                    assertEquals("sk-sim", sent.header("x-api-key"));
                    assertEquals(1, context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                            .get(ExtractorMetrics.CALL).tag("provider", "local-llama").timer().count());
                });
    }
}
