package dev.extractor.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.client.AuthenticationException;
import dev.extractor.client.Extractor;
import dev.extractor.testing.Reply;
import dev.extractor.testing.SimulatedModel;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The API key (and the other credentials a configuration may hold) in no toString, no actuator output, no log. */
@ExtendWith(OutputCaptureExtension.class)
class SecretsTest {

    static final String KEY = "sk-test-Kq7Zr2SECRET";
    static final String GATEWAY_KEY = "gw-Mv4SECRET";
    static final String SIGNATURE = "sig-Jx9SECRET";
    static final String URL_TOKEN = "tok-Pp3SECRET";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final SimulatedModel model = SimulatedModel.start();

    @AfterEach
    void stopModel() {
        model.close();
    }

    static void assertNoSecret(String text) {
        for (String secret : new String[] {KEY, GATEWAY_KEY, SIGNATURE, URL_TOKEN, "SECRET"}) {
            assertFalse(text.contains(secret), () -> secret + " in: " + text);
        }
    }

    ApplicationContextRunner actuator() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ExtractorAutoConfiguration.class,
                        EndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
                        EnvironmentEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=env,configprops",
                        // the setting under which Boot itself masks nothing
                        "management.endpoint.env.show-values=always",
                        "management.endpoint.configprops.show-values=always",
                        "extractor.base-url=" + model.baseUrl() + "?token=" + URL_TOKEN, "extractor.model=sim-1",
                        "extractor.headers.X-Gateway-Key=" + GATEWAY_KEY, "extractor.query-parameters.sig=" + SIGNATURE);
    }

    @Test
    void toStringsShowThatAKeyIsSetAndNothingElse() {
        actuator().withPropertyValues("extractor.api-key=" + KEY).run(context -> {
            String properties = context.getBean(ExtractorProperties.class).toString();
            assertNoSecret(properties);
            assertTrue(properties.contains("apiKey=(set)") && properties.contains("headers=[X-Gateway-Key]")
                    && properties.contains("queryParameters=[sig]") && properties.contains("?(query hidden)"),
                    properties);
            String bean = context.getBean(Extractor.class).toString();
            assertNoSecret(bean);
            assertTrue(bean.contains("apiKey=(set)"), bean);
        });
    }

    @Test
    void theActuatorShowsNoKeyEvenWithShowValuesAlways() {
        actuator().withPropertyValues("extractor.api-key=" + KEY).run(context -> {
            String env = JSON.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
            String props = JSON.writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class)
                    .configurationProperties());
            assertNoSecret(env);
            assertNoSecret(props);
            // the values are shown, masked; the endpoints do show other values (show-values=always is in force)
            assertTrue(env.contains("\"extractor.api-key\"") && env.contains("******"), env);
            assertTrue(props.contains("\"apiKey\":\"******\""), props);
            assertTrue(props.contains("\"X-Gateway-Key\":\"******\"") && props.contains("\"sig\":\"******\""), props);
            assertTrue(props.contains("\"model\":\"sim-1\""), props);
            assertTrue(props.contains("?(query hidden)"), props);
        });
        // the key from the environment variable EXTRACTOR_API_KEY
        actuator().withInitializer(c -> c.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource("os", Map.of("EXTRACTOR_API_KEY", KEY)))).run(context -> {
            assertEquals(KEY, context.getBean(ExtractorProperties.class).getApiKey(), "bound from the variable");
            String env = JSON.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
            assertNoSecret(env);
            assertTrue(env.contains("\"EXTRACTOR_API_KEY\""), env);
            assertNoSecret(JSON.writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class)
                    .configurationProperties()));
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ExtractorAutoConfiguration.class)
    static class App {}

    @Test
    void nothingLoggedHoldsTheKeyAtDebugLevelNorWhenTheServerEchoesIt(CapturedOutput output) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties("debug=true", "logging.level.root=debug",
                        "logging.level.dev.extractor=trace", "spring.main.banner-mode=off",
                        "extractor.base-url=" + model.baseUrl(), "extractor.api-key=" + KEY, "extractor.model=sim-1")
                .run()) {
            // OpenAI's 401 quotes the key it got; the library redacts it, and so does what the application logs
            model.enqueue(Reply.error(401, "invalid_request_error", "Incorrect API key provided: " + KEY + "."));
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> app.getBean(Extractor.class).list(Recommendation.class, "Rank them"));
            LoggerFactory.getLogger(SecretsTest.class).error("The model call failed", e);
        }
        assertTrue(output.getAll().contains("ExtractorAutoConfiguration"), "the debug output was captured");
        assertTrue(output.getAll().contains("The model call failed"));
        assertNoSecret(output.getAll());
    }

    @Test
    void aFailedStartShowsNoKey(CapturedOutput output) {
        Throwable failure = assertThrows(Throwable.class, () -> new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties("spring.main.banner-mode=off",
                        "extractor.base-url=ftp://example.com/v1?key=" + KEY, "extractor.api-key=" + KEY).run()
                .close());
        assertNotNull(failure);
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        assertTrue(messages.toString().contains("extractor.base-url: Not an http(s) URL"), messages.toString());
        assertNoSecret(messages.toString());
        assertNoSecret(output.getAll());
    }
}
