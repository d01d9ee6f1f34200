package dev.extractor.spring.boot;

import java.net.URI;

/** What every {@link ProviderSupport} reads the same way: the base URL with its default, the key, their errors. */
final class ProviderSettings {

    private ProviderSettings() {}

    static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    /** {@code extractor.base-url}, or the provider's default. */
    static String baseUrl(ExtractorProperties properties, String defaultUrl) {
        return hasText(properties.getBaseUrl()) ? properties.getBaseUrl().strip() : defaultUrl;
    }

    /**
     * {@code extractor.api-key}, or null; a key is required by the provider's own endpoint ({@code keyedHost}), not
     * by other servers (local ones, gateways that add it).
     *
     * @throws IllegalStateException naming the property, if the provider's endpoint gets no key
     */
    static String apiKey(ExtractorProperties properties, String baseUrl, String keyedHost, String provider) {
        String key = hasText(properties.getApiKey()) ? properties.getApiKey().strip() : null;
        if (key == null && keyedHost.equals(host(baseUrl))) {
            throw new IllegalStateException("No API key for " + provider + ": set extractor.api-key (or the"
                    + " environment variable EXTRACTOR_API_KEY); a key is optional only for other servers"
                    + " (extractor.base-url)");
        }
        return key;
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null; // the provider's builder says what is wrong with it
        }
    }

    /** A builder's {@link IllegalArgumentException} about the base URL, worded with the property. */
    static IllegalStateException badBaseUrl(IllegalArgumentException e) {
        return new IllegalStateException("extractor.base-url: " + e.getMessage(), e);
    }
}
