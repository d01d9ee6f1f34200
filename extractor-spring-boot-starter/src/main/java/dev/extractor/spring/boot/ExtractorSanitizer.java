package dev.extractor.spring.boot;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the API key, the values of {@code extractor.headers.*} and {@code extractor.query-parameters.*}, and a
 * base URL's query, in the actuator's {@code env} and {@code configprops} endpoints, whatever their {@code
 * show-values} says. Spring Boot 3 and 4 mask nothing by key name themselves: with {@code show-values=always} the
 * key would be shown.
 */
final class ExtractorSanitizer implements SanitizingFunction {

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getValue() == null) {
            return data;
        }
        // every spelling of the key: extractor.api-key, extractor.apiKey (configprops), EXTRACTOR_API_KEY (env)
        String key = data.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (key.equals("extractorapikey") || key.startsWith("extractorheaders")
                || key.startsWith("extractorqueryparameters")) {
            return data.withSanitizedValue();
        }
        if (key.equals("extractorbaseurl") && data.getValue() instanceof CharSequence url) {
            return data.withValue(ExtractorProperties.hideQuery(url.toString()));
        }
        return data;
    }
}
