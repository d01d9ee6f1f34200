package dev.extractor.it.boot3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Run only by the surefire execution {@code without-the-pin}, whose class path has what Spring Boot 3.5 manages
 * (jackson-annotations 2.19.2) instead of the pin: the application fails to start, and the error says why and how
 * to fix it, instead of {@code NoClassDefFoundError: com/fasterxml/jackson/annotation/JsonSerializeAs}.
 */
class WithoutThePinTest {

    @Test
    void theApplicationFailsAtStartWithTheCauseAndTheFix() {
        assertEquals("2.19.2", JsonProperty.class.getPackage().getImplementationVersion(),
                "this execution runs with Boot 3.5's jackson-annotations");

        Throwable failure = assertThrows(Throwable.class, () -> new SpringApplicationBuilder(Boot3App.class)
                .properties("extractor.base-url=http://127.0.0.1:9/v1", "spring.main.banner-mode=off",
                        "logging.level.org.springframework=off")
                .run().close());

        LinkageError cause = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertTrue(!(t instanceof NoClassDefFoundError), "Jackson was never started half-way: " + t);
            if (t.getClass() == LinkageError.class) {
                cause = (LinkageError) t;
            }
        }
        assertTrue(cause != null, "no LinkageError from the library's check in " + failure);
        String m = cause.getMessage();
        assertTrue(m.contains("needs jackson-annotations 2.22 or later"), m);
        assertTrue(m.contains("found jackson-annotations 2.19.2"), m);
        assertTrue(m.contains("<dependencyManagement>"), m);
        assertTrue(m.contains("<dependency><groupId>com.fasterxml.jackson.core</groupId>"
                + "<artifactId>jackson-annotations</artifactId><version>2.22</version></dependency>"), m);
    }
}
