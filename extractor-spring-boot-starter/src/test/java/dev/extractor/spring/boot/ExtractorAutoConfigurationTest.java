package dev.extractor.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.ElementStream;
import dev.extractor.InvalidElementPolicy;
import dev.extractor.client.AbstractExtractor;
import dev.extractor.client.ChatRequest;
import dev.extractor.client.Extractor;
import dev.extractor.client.InvalidOutputException;
import dev.extractor.client.RateLimitException;
import dev.extractor.openai.OpenAiExtractor;
import dev.extractor.testing.RecordedRequest;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;

/** The auto-configuration's beans, conditions and properties, each with the simulated model behind them. */
class ExtractorAutoConfigurationTest {

    /** A model per test, so that each test sees only its own requests. */
    final SimulatedModel model = SimulatedModel.start();

    /** The starter alone, pointed at the simulated model. */
    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ExtractorAutoConfiguration.class))
            .withPropertyValues("extractor.base-url=" + model.baseUrl(), "extractor.api-key=sk-sim",
                    "extractor.model=sim-1");

    @AfterEach
    void stopModel() {
        model.close();
    }

    static List<Recommendation> streamAll(Extractor ai) {
        List<Recommendation> out = new ArrayList<>();
        try (ElementStream<Recommendation> s = ai.stream(Recommendation.class, ChatRequest.builder()
                .user("Rank them").onInvalid(InvalidElementPolicy.SKIP).build())) {
            s.forEach(out::add);
        }
        return out;
    }

    @Test
    void anExtractorBeanThatStreamsFromTheConfiguredServer() {
        runner.run(context -> {
            Extractor ai = context.getBean(Extractor.class);
            ConfiguredExtractor configured = assertInstanceOf(ConfiguredExtractor.class, ai);
            assertInstanceOf(OpenAiExtractor.class, configured.delegate());
            assertNull(configured.monitor(), "no MeterRegistry, no metrics");

            model.enqueue(Reply.content(Recommendation.ANSWER).chunkChars(1, 5));
            assertEquals(List.of("p1", "p2", "p4"), Recommendation.ids(streamAll(ai)));
            RecordedRequest sent = model.takeRequest(Duration.ofSeconds(5));
            assertEquals("sim-1", sent.model());
            assertEquals("Bearer sk-sim", sent.header("Authorization"));
            assertTrue(sent.body().contains("\"json_schema\""), "json-schema mode by default: " + sent.body());
        });
    }

    @Test
    void closingTheContextClosesTheExtractor() {
        runner.run(context -> {
            model.enqueue(Reply.content(Recommendation.VALID));
            streamAll(context.getBean(Extractor.class));
            assertEquals(1, model.openConnectionCount(), "the finished call's connection waits in the pool");
            context.close();
            assertTrue(model.awaitOpenConnectionCount(0, Duration.ofSeconds(5)));
        });
    }

    @Test
    void theProvidersSettingsComeFromProperties() {
        runner.withPropertyValues("extractor.mode=tools", "extractor.schema-dialect=plain",
                "extractor.headers.X-Gateway-Key=gw-secret", "extractor.query-parameters.api-version=2024-10-21",
                "extractor.openai.api-key-header=api-key", "extractor.openai.organization=org-1",
                "extractor.openai.project=proj-1", "extractor.openai.stream-usage=false",
                "extractor.connect-timeout=3s", "extractor.read-timeout=4s", "extractor.call-timeout=5s")
                .run(context -> {
                    Extractor ai = context.getBean(Extractor.class);
                    model.enqueue(Reply.toolCall("answer", Recommendation.VALID));
                    assertEquals(List.of("p1", "p2"), Recommendation.ids(streamAll(ai)));
                    RecordedRequest sent = model.takeRequest(Duration.ofSeconds(5));
                    assertEquals("sk-sim", sent.header("api-key"), "the key in the configured header");
                    assertNull(sent.header("Authorization"));
                    assertEquals("gw-secret", sent.header("X-Gateway-Key"));
                    assertEquals("org-1", sent.header("OpenAI-Organization"));
                    assertEquals("proj-1", sent.header("OpenAI-Project"));
                    assertTrue(sent.path().endsWith("?api-version=2024-10-21"), sent.path());
                    Map<String, Object> body = sent.bodyJson();
                    assertTrue(body.containsKey("tools") && body.containsKey("tool_choice"), "tools mode: " + body);
                    assertFalse(body.containsKey("stream_options"), "stream-usage=false: " + body);
                    assertFalse(sent.body().contains("\"strict\":true"), "the plain dialect is not strict");

                    okhttp3.OkHttpClient http = ((AbstractExtractor) ((ConfiguredExtractor) ai).delegate())
                            .httpClient();
                    assertEquals(3_000, http.connectTimeoutMillis());
                    assertEquals(4_000, http.readTimeoutMillis());
                    assertEquals(5_000, http.callTimeoutMillis());
                });
    }

    @Test
    void httpRetriesAndReasksFollowTheirProperties() {
        runner.withPropertyValues("extractor.retry.max-retries=1", "extractor.retry.initial-delay=1ms",
                "extractor.retry.jitter=0", "extractor.reasks=0").run(context -> {
            Extractor ai = context.getBean(Extractor.class);
            int before = model.requestCount();
            model.enqueue(Reply.error(429, "rate_limit_error", "Slow down").times(2));
            assertThrows(RateLimitException.class, () -> ai.list(Recommendation.class, "Rank them"));
            assertEquals(2, model.requestCount() - before, "one retry, then the error");

            before = model.requestCount();
            model.enqueue(Reply.content(Recommendation.ANSWER));
            assertThrows(InvalidOutputException.class, () -> ai.list(Recommendation.class, "Rank them"));
            assertEquals(1, model.requestCount() - before, "reasks=0: the invalid answer is not re-asked");
        });
    }

    @Test
    void nonBlockingSendsTheAsyncFormsOverTheEventLoopClient() {
        for (boolean nonBlocking : new boolean[] {false, true}) {
            runner.withPropertyValues("extractor.non-blocking=" + nonBlocking).run(context -> {
                Extractor ai = context.getBean(Extractor.class);
                model.enqueue(Reply.content(Recommendation.VALID));
                assertEquals(2, ai.listAsync(Recommendation.class, "Rank them").get(10, TimeUnit.SECONDS).size());
                // OkHttp asks for gzip transparently; the event-loop client asks for no compression
                RecordedRequest r = model.takeRequest(Duration.ofSeconds(5));
                assertEquals(nonBlocking ? null : "gzip", r.header("Accept-Encoding"), "non-blocking=" + nonBlocking);
            });
        }
    }

    @Test
    void backsOffWhenTheApplicationHasAnExtractor() {
        runner.withBean("mine", Extractor.class, () -> OpenAiExtractor.builder().baseUrl(model.baseUrl())
                .model("mine").build()).run(context -> {
            assertSame(context.getBean("mine"), context.getBean(Extractor.class));
            assertFalse(context.containsBean("extractor"));
        });
    }

    @Test
    void turnedOffByExtractorEnabledFalse() {
        runner.withPropertyValues("extractor.enabled=false")
                .run(context -> assertTrue(context.getBeansOfType(Extractor.class).isEmpty()));
    }

    @Test
    void usesTheApplicationsJacksonMapper() {
        // Boot 4's JsonMapper, configured by spring.jackson.*: a single value where the type has a list binds only
        // with it (the library's default mapper rejects it)
        String single = "{\"items\":[{\"productId\":\"p1\",\"tags\":\"new\"}]}";
        ApplicationContextRunner withJackson = runner
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withPropertyValues("spring.jackson.deserialization.accept-single-value-as-array=true");
        withJackson.run(context -> {
            assertNotNull(context.getBean(JsonMapper.class));
            model.enqueue(Reply.content(single));
            List<Tagged> got = context.getBean(Extractor.class).list(Tagged.class, "Tag them");
            assertEquals(List.of(new Tagged("p1", List.of("new"))), got);
        });
        // Boot 3.5 has no Jackson 3 mapper bean: the library's own mapper, which does not accept it
        runner.run(context -> {
            model.enqueue(Reply.content(single));
            Extractor ai = context.getBean(Extractor.class);
            assertThrows(RuntimeException.class, () -> ai.list(Tagged.class, ChatRequest.builder().user("Tag them")
                    .maxRetries(0).build()));
        });
    }

    @Test
    void aMapperThatRenamesPropertiesIsUsedAndTheSchemaAsksForItsNames() {
        // spring.jackson.property-naming-strategy=SNAKE_CASE: the schema names product_id, the answer binds at once
        String snake = "{\"items\":["
                + "{\"product_id\":\"p1\",\"rank\":1,\"reason\":\"Matches your sci-fi searches.\"},"
                + "{\"product_id\":\"p2\",\"rank\":2,\"reason\":\"Within budget.\"}]}";
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run(context -> {
                    assertNotNull(context.getBean(JsonMapper.class).deserializationConfig().getPropertyNamingStrategy());
                    model.enqueue(Reply.content(snake));
                    assertEquals(List.of("p1", "p2"), Recommendation.ids(context.getBean(Extractor.class)
                            .list(Recommendation.class, ChatRequest.builder().user("Rank them").maxRetries(0).build())));
                    String body = model.takeRequest(Duration.ofSeconds(5)).body();
                    assertTrue(body.contains("\"product_id\""), body);
                    assertFalse(body.contains("\"productId\""), body);
                    assertEquals(1, model.requestCount(), "no re-ask");
                });
    }

    /** An element with a list. */
    record Tagged(String productId, List<String> tags) {}

    @Test
    void usesTheApplicationsValidator() {
        runner.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class)).run(context -> {
            jakarta.validation.Validator boots = context.getBean(jakarta.validation.Validator.class);
            model.enqueue(Reply.content(Recommendation.ANSWER));
            assertEquals(List.of("p1", "p2", "p4"), Recommendation.ids(streamAll(context.getBean(Extractor.class))));
            assertInstanceOf(org.springframework.validation.beanvalidation.LocalValidatorFactoryBean.class, boots);
        });
    }

    @Test
    void customizersAdjustTheBuilderLast() {
        runner.withPropertyValues("extractor.headers.X-Trace=from-properties")
                .withBean(ExtractorBuilderCustomizer.class, () -> b -> b.header("X-Trace", "from-customizer"))
                .run(context -> {
                    model.enqueue(Reply.content(Recommendation.VALID));
                    streamAll(context.getBean(Extractor.class));
                    assertEquals("from-customizer", model.takeRequest(Duration.ofSeconds(5)).header("X-Trace"));
                });
    }

    @Test
    void aRequestWithoutAModelFailsNamingTheProperty() {
        runner.withPropertyValues("extractor.model=").run(context -> {
            Extractor ai = context.getBean(Extractor.class);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ai.list(Recommendation.class, "Rank them"));
            assertTrue(e.getMessage().contains("extractor.model"), e.getMessage());
            model.enqueue(Reply.content(Recommendation.VALID));
            assertEquals(2, ai.list(Recommendation.class, ChatRequest.builder().user("Rank them").model("sim-2")
                    .build()).size(), "a request's model is enough");
            assertEquals("sim-2", model.takeRequest(Duration.ofSeconds(5)).model());
        });
    }

    @Test
    void incompleteConfigurationFailsAtStartWithThePropertyToSet() {
        ApplicationContextRunner bare = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ExtractorAutoConfiguration.class));
        bare.run(context -> assertStartFailure(context, "No API key for OpenAI: set extractor.api-key"));
        bare.withPropertyValues("extractor.base-url=ftp://example.com/v1?key=secret")
                .run(context -> assertStartFailure(context, "extractor.base-url: Not an http(s) URL:"));
        runner.withPropertyValues("extractor.reasks=-1")
                .run(context -> assertStartFailure(context, "extractor.reasks must not be negative: -1"));
        runner.withPropertyValues("extractor.read-timeout=-1s")
                .run(context -> assertStartFailure(context, "extractor.read-timeout must not be negative"));
        runner.withPropertyValues("extractor.retry.jitter=2")
                .run(context -> assertStartFailure(context, "extractor.retry: jitter must be in [0, 1]"));
    }

    static void assertStartFailure(org.springframework.boot.test.context.assertj.AssertableApplicationContext context,
            String message) {
        Throwable failure = context.getStartupFailure();
        assertNotNull(failure, "the context should not have started");
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        assertTrue(all.toString().contains(message), all.toString());
        assertFalse(all.toString().contains("secret"), all.toString());
    }

    // ------------------------------------------------------------------ optional integrations

    @Test
    void metricsWhenTheApplicationHasAMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            ConfiguredExtractor ai = (ConfiguredExtractor) context.getBean(Extractor.class);
            assertInstanceOf(ExtractorMetrics.class, ai.monitor());
        });
        // after Boot's own registry auto-configuration, whichever the order of the auto-configurations
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .run(context -> assertInstanceOf(ExtractorMetrics.class,
                        ((ConfiguredExtractor) context.getBean(Extractor.class)).monitor()));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues(
                "extractor.metrics.enabled=false").run(context -> assertNull(
                        ((ConfiguredExtractor) context.getBean(Extractor.class)).monitor()));
    }

    @Test
    void startsWithoutMicrometerOrTheActuatorOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, SanitizingFunction.class)).run(context -> {
            assertNull(context.getStartupFailure());
            assertNull(((ConfiguredExtractor) context.getBean(Extractor.class)).monitor());
            assertFalse(context.containsBean("extractorSanitizer"));
            model.enqueue(Reply.content(Recommendation.VALID));
            assertEquals(2, streamAll(context.getBean(Extractor.class)).size());
        });
    }
}
