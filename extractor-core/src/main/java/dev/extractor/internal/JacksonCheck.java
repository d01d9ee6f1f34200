package dev.extractor.internal;

import java.util.Properties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every Jackson mapper the library creates is created here, after checking that the Jackson jars on the class path
 * agree, so that a bad mix fails at the first use of the library with a message that names the cause and the fix,
 * instead of a bare {@code NoClassDefFoundError: com/fasterxml/jackson/annotation/JsonSerializeAs} from deep inside
 * Jackson.
 *
 * <p>The usual cause: Jackson 3 ({@code tools.jackson}) still uses the Jackson 2 annotations jar
 * ({@code com.fasterxml.jackson.core:jackson-annotations}), and a BOM made for Jackson 2, such as Spring Boot 3.5's
 * {@code spring-boot-dependencies} (2.19.2), pins that jar to a version older than Jackson 3 needs.
 *
 * <p>What is thrown is a {@link LinkageError}, the kind of error the JVM itself throws for this: the first use of
 * the library is a static initialiser (of {@code ElementReader}, {@code OpenAiExtractor}), where the JVM would wrap
 * an exception into an {@link ExceptionInInitializerError} with no message of its own but passes an error through
 * unchanged. Later calls fail with the same message.
 *
 * <p>Not API: exported only to Extractor's own modules.
 */
public final class JacksonCheck {

    private static final String ANNOTATIONS = "com.fasterxml.jackson.annotation.JsonProperty";

    /** What the build wrote into {@code build.properties}. */
    private static final Properties BUILD = BuildInfo.PROPERTIES;

    /** The first failure, so that every later call reports it again (Jackson's own classes stay broken). */
    private static volatile String failure;

    private JacksonCheck() {}

    /**
     * A new {@link JsonMapper} with Jackson's defaults, once the Jackson jars are known to fit together.
     *
     * @return a new mapper
     * @throws LinkageError naming the jars and the fix, when they do not fit together
     */
    public static JsonMapper newMapper() {
        check();
        try {
            return JsonMapper.builder().build();
        } catch (LinkageError e) {
            throw failed(describe(e), e);
        }
    }

    /**
     * Checks, without starting Jackson, that the jackson-annotations jar is the one the jackson-databind jar needs.
     *
     * @throws LinkageError naming the jars and the fix, when they do not fit together
     */
    public static void check() {
        String known = failure;
        if (known != null) {
            throw new LinkageError(known);
        }
        String databind = databindVersion();
        String builtWith = BUILD.getProperty("jackson.version");
        String required = BUILD.getProperty("jackson-annotations.version");
        String found;
        try {
            found = annotationsVersion(Class.forName(ANNOTATIONS, false, JacksonCheck.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw failed("Extractor " + BUILD.getProperty("version") + " needs jackson-annotations " + required + " or later (what jackson-bom " + builtWith
                    + " names), but it is not on the class path. " + fix(required), e);
        }
        // a newer or older jackson-databind than ours needs its own annotations: only ours is known here
        if (found != null && sameMinor(databind, builtWith) && compare(found, required) < 0) {
            throw failed(mismatch(databind, found, required), null);
        }
    }

    static String mismatch(String databind, String found, String required) {
        return "Extractor " + BUILD.getProperty("version") + " needs jackson-annotations " + required + " or later with jackson-databind " + databind
                + ", but found jackson-annotations " + found + " (" + location() + "). An older "
                + "jackson-annotations is usually pinned by a BOM made for Jackson 2, such as Spring Boot 3's "
                + "spring-boot-dependencies; Jackson 2 works with the newer annotations. " + fix(required);
    }

    private static String fix(String required) {
        return "Fix: add to the <dependencyManagement> of your pom.xml (it takes precedence over imported BOMs and "
                + "the parent's): <dependency><groupId>com.fasterxml.jackson.core</groupId>"
                + "<artifactId>jackson-annotations</artifactId><version>" + required + "</version></dependency>";
    }

    private static String describe(LinkageError e) {
        String found = null;
        try {
            found = annotationsVersion(Class.forName(ANNOTATIONS, false, JacksonCheck.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError ignored) {
            // described below as unknown
        }
        return "Jackson failed to start: jackson-databind " + databindVersion() + " with jackson-annotations "
                + (found == null ? "(version unknown)" : found) + " (" + location() + "): " + e
                + ". The Jackson jars must come from one jackson-bom (Extractor is built with jackson-bom "
                + BUILD.getProperty("jackson.version") + ", which names jackson-annotations "
                + BUILD.getProperty("jackson-annotations.version") + "). " + fix(BUILD.getProperty(
                        "jackson-annotations.version"));
    }

    private static LinkageError failed(String message, Throwable cause) {
        failure = message;
        LinkageError error = new LinkageError(message);
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    /** The version of the jar a class comes from: its module's (module path), else its manifest's. */
    static String annotationsVersion(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed() && module.getDescriptor() != null) {
            var raw = module.getDescriptor().rawVersion();
            if (raw.isPresent()) {
                return raw.get();
            }
        }
        Package p = type.getPackage();
        return p == null ? null : p.getImplementationVersion();
    }

    private static String location() {
        try {
            Class<?> type = Class.forName(ANNOTATIONS, false, JacksonCheck.class.getClassLoader());
            var source = type.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? "location unknown" : source.getLocation().toString();
        } catch (ClassNotFoundException | SecurityException e) {
            return "location unknown";
        }
    }

    private static String databindVersion() {
        // PackageVersion needs jackson-core only, never the annotations
        return tools.jackson.databind.cfg.PackageVersion.VERSION.toString();
    }

    static boolean sameMinor(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        return x[0] == y[0] && x[1] == y[1];
    }

    /** Compares dotted versions by their numbers: "2.19.2" &lt; "2.22" &lt; "2.22.1" &lt; "2.23". */
    static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static int[] parse(String version) {
        int[] parts = new int[3];
        String[] s = version.split("[.-]");
        for (int i = 0; i < 3 && i < s.length; i++) {
            try {
                parts[i] = Integer.parseInt(s[i]);
            } catch (NumberFormatException e) {
                break; // "SNAPSHOT", "rc1": the numbers before it decide
            }
        }
        return parts;
    }
}
