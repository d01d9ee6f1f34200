package dev.extractor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What the build wrote into {@code build.properties} (Maven resource filtering): the library's version and the
 * Jackson versions it was built with. Every module of a release has the same version, so this one file serves all.
 *
 * <p>Not API: exported only to Extractor's own modules.
 */
public final class BuildInfo {

    /** The filtered properties. */
    static final Properties PROPERTIES = load();

    private BuildInfo() {}

    /**
     * {@return the library's version, such as {@code 0.1.0}} {@code unknown} where the resource was not filtered
     * (an IDE build that skipped Maven's resources phase).
     */
    public static String version() {
        String v = PROPERTIES.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    /**
     * {@return the {@code User-Agent} a client module sends: {@code <artifactId>/<version>}}
     *
     * @param artifactId the module's artifact, such as {@code extractor-anthropic}
     */
    public static String userAgent(String artifactId) {
        return artifactId + "/" + version();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/extractor/internal/build.properties is missing from the jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
