package dev.extractor.openai;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The {@code User-Agent} this client sends: {@code extractor-openai/<the version the build wrote>}. */
final class UserAgent {

    /** For example {@code extractor-openai/0.1.0}. */
    static final String VALUE = "extractor-openai/" + version();

    private UserAgent() {}

    /** The artifact's version from {@code extractor-openai.properties}, which the build filters. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = UserAgent.class.getResourceAsStream("extractor-openai.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a broken jar: the header still goes out, without a version
        }
        String v = p.getProperty("version", "");
        // unfiltered (an IDE build that skips Maven's resources phase): say so rather than send "${...}"
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
