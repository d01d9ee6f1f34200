package dev.extractor.it.plain;

import static dev.extractor.it.plain.ChildJvm.assertSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every library jar is a named module, and a modular application that says only {@code requires
 * dev.extractor.openai;} reads elements (core and HTTP) on the module path, with no {@code --add-modules}. Before the
 * descriptors, the jars were automatic modules named after their file and such an application failed with {@code
 * NoClassDefFoundError: tools/jackson/databind/JsonNode}.
 */
class ModulePathTest {

    static Map<String, ModuleDescriptor> libraryModules() {
        return ModuleFinder.of(ChildJvm.libraryPath().toArray(Path[]::new)).findAll().stream()
                .map(ModuleReference::descriptor).filter(d -> d.name().startsWith("dev.extractor"))
                .collect(Collectors.toMap(ModuleDescriptor::name, d -> d));
    }

    static Set<String> transitive(ModuleDescriptor d) {
        return d.requires().stream().filter(r -> r.modifiers().contains(Requires.Modifier.TRANSITIVE))
                .map(Requires::name).collect(Collectors.toSet());
    }

    @Test
    void everyLibraryJarIsANamedModuleThatExportsItsApi() {
        Map<String, ModuleDescriptor> modules = libraryModules();
        assertEquals(Set.of("dev.extractor", "dev.extractor.client", "dev.extractor.openai", "dev.extractor.testing"),
                modules.keySet());
        for (ModuleDescriptor d : modules.values()) {
            assertFalse(d.isAutomatic(), d.name() + " has a real descriptor");
            assertTrue(d.exports().stream().anyMatch(e -> !e.isQualified() && e.source().startsWith(d.name())),
                    d.name() + " exports its package");
        }
        // the types of these modules appear in the library's API, so an application reads them without naming them
        assertTrue(transitive(modules.get("dev.extractor")).containsAll(Set.of("tools.jackson.databind",
                "jakarta.validation")), modules.get("dev.extractor").toString());
        assertTrue(transitive(modules.get("dev.extractor.openai")).containsAll(Set.of("dev.extractor", "okhttp3")),
                modules.get("dev.extractor.openai").toString());
        // the internal package is for the library's own modules only
        assertTrue(modules.get("dev.extractor").exports().stream()
                .filter(e -> e.source().equals("dev.extractor.internal"))
                .allMatch(e -> e.isQualified() && !e.targets().isEmpty()));
    }

    @Test
    void aModularApplicationReadsElementsOnTheModulePath(@TempDir Path out) throws Exception {
        String modulePath = ChildJvm.path(ChildJvm.libraryPath());
        ChildJvm.compile(Path.of("src/test/apps/modular"), out,
                List.of("--module-path", modulePath, "--module-source-path", "src/test/apps/modular"));

        ChildJvm.Run run = ChildJvm.java("--module-path", out + java.io.File.pathSeparator + modulePath,
                "-m", "demo.app/demo.app.Main");

        assertSucceeded(run);
        List<String> lines = run.stdout();
        assertEquals("module demo.app reads dev.extractor", lines.get(0));
        assertEquals("core Product[name=Kindle, price=149.0]", lines.get(1));
        assertEquals("core Product[name=Pen, price=2.5]", lines.get(2));
        // Bean Validation with its message interpolation (Expression Language found on the module path)
        assertTrue(lines.get(3).startsWith("invalid ") && lines.get(3).contains("must not be blank"), lines.get(3));
        assertEquals("tree {\"a\":1}", lines.get(4));
        // schema generation (victools), OkHttp and the SSE decoder
        assertEquals("openai Product[name=Kobo, price=129.0]", lines.get(5));
        assertEquals(6, lines.size(), lines.toString());
    }
}
