package dev.extractor.client.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.client.ApiException;
import dev.extractor.client.AuthenticationException;
import dev.extractor.client.BadRequestException;
import dev.extractor.client.NotFoundException;
import dev.extractor.client.OverloadedException;
import dev.extractor.client.PermissionDeniedException;
import dev.extractor.client.RateLimitException;
import dev.extractor.client.ServerException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error bodies of every shape to the neutral fields; in-band errors to the exception their status would give. */
class ErrorDetailsTest {

    @Test
    void theCommonShapes() {
        ErrorDetails openai = ErrorDetails.parse(400, "application/json", "{\"error\":{\"message\":\"Invalid schema\","
                + "\"type\":\"invalid_request_error\",\"param\":\"response_format\",\"code\":null}}");
        assertEquals("Invalid schema", openai.message());
        assertEquals("invalid_request_error", openai.type());
        assertEquals("response_format", openai.param());
        assertNull(openai.code());
        assertEquals("Invalid schema (type: invalid_request_error, param: response_format)", openai.describe());

        ErrorDetails anthropic = ErrorDetails.parse(529, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        assertEquals("overloaded_error", anthropic.type());
        assertEquals("Overloaded", anthropic.message());

        ErrorDetails google = ErrorDetails.parse(429, "application/json", "[{\"error\":{\"code\":429,\"message\":"
                + "\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
                + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"31s\"}]}}]");
        assertEquals("RESOURCE_EXHAUSTED", google.type());
        assertNull(google.code(), "Google's code repeats the status");
        assertEquals(Duration.ofSeconds(31), google.retryAfter());

        assertEquals("Internal error", ErrorDetails.parse(500, null, "{\"error\":\"Internal error\"}").message());
        assertEquals("model not loaded", ErrorDetails.parse(404, null, "{\"detail\":\"model not loaded\"}").message());
        assertEquals("busy", ErrorDetails.parse(503, null, "{\"message\":\"busy\",\"type\":\"x\"}").message());
        assertNull(ErrorDetails.parse(500, null, "").message());
    }

    @Test
    void anHtmlPageIsSummedUpInOneLine_theBodyKept() {
        String page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
                + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        ErrorDetails d = ErrorDetails.parse(502, "text/html", page);
        assertEquals("502 Bad Gateway", d.message());
        assertEquals(page, d.body());
        assertEquals("text/html", d.contentType());
        ErrorDetails noTitle = ErrorDetails.parse(503, "text/html", "<body>\n<p>Service\n  temporarily down</p></body>");
        assertEquals("Service temporarily down", noTitle.message());
        String longText = "x ".repeat(1000);
        ErrorDetails plain = ErrorDetails.parse(500, "text/plain", longText);
        assertFalse(plain.message().contains("\n"));
        assertTrue(plain.message().length() < 400, plain.message().length() + " chars");
    }

    @Test
    void inBandErrorsMapToTheExceptionTheirStatusWouldGive() {
        Map<String, Class<?>> byType = Map.of(
                "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"m\"}}", BadRequestException.class,
                "{\"error\":{\"type\":\"authentication_error\",\"message\":\"m\"}}", AuthenticationException.class,
                "{\"error\":{\"type\":\"permission_error\",\"message\":\"m\"}}", PermissionDeniedException.class,
                "{\"error\":{\"code\":\"model_not_found\",\"message\":\"m\"}}", NotFoundException.class,
                "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"m\"}}", RateLimitException.class,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"m\"}}",
                OverloadedException.class,
                "{\"error\":{\"type\":\"server_error\",\"message\":\"m\"}}", ServerException.class,
                "{\"error\":{\"message\":\"m\",\"code\":429}}", RateLimitException.class,
                "{\"error\":{\"message\":\"who knows\"}}", ServerException.class);
        byType.forEach((payload, type) -> {
            ApiException e = ApiException.inBand(ErrorDetails.inBand(payload));
            assertEquals(type, e.getClass(), payload);
            assertTrue(e.inBand(), payload);
            assertTrue(e.getMessage().startsWith("The server reported an error inside the stream: "), e.getMessage());
        });
        assertEquals(429, ErrorDetails.inBand("{\"error\":{\"type\":\"rate_limit_error\"}}").status());
        assertEquals(0, ErrorDetails.inBand("{\"error\":{\"message\":\"who knows\"}}").status());
        assertEquals(502, ErrorDetails.statusFor("server_error", "502"), "a code that is a status wins");
        assertEquals(429, ErrorDetails.statusFor("RESOURCE_EXHAUSTED", null));
        assertEquals(503, ErrorDetails.statusFor("UNAVAILABLE", null));
    }

    @Test
    void redactionCoversEveryTextField() {
        ErrorDetails d = ErrorDetails.parse(401, null, "{\"error\":{\"message\":\"bad key sk-123456\",\"param\":"
                + "\"sk-123456\"}}").redacted(s -> s.replace("sk-123456", "<api key>"));
        assertEquals("bad key <api key>", d.message());
        assertEquals("<api key>", d.param());
        assertFalse(d.body().contains("sk-123456"));
    }
}
