package dev.extractor.it.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * extractor-bom manages exactly the published modules, at the project's version. A new library module that is not
 * added to the BOM (one block in extractor-bom/pom.xml) fails here.
 */
class BomTest {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    static Document read(Path pom) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of a direct child element, or null. */
    static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    static Element childElement(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static List<String> children(Element parent, String list, String item) {
        List<String> out = new ArrayList<>();
        Element l = childElement(parent, list);
        if (l != null) {
            for (Node n = l.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(item)) {
                    out.add(e.getTextContent().trim());
                }
            }
        }
        return out;
    }

    /** Whether a pom says it is never published: its own maven.deploy.skip or its parent pom's, in the tree. */
    static boolean unpublished(Path pom, Element project) throws Exception {
        Element props = childElement(project, "properties");
        if (props != null && "true".equals(child(props, "maven.deploy.skip"))) {
            return true;
        }
        Element parent = childElement(project, "parent");
        if (parent == null) {
            return false;
        }
        String relative = child(parent, "relativePath");
        Path parentPom = pom.getParent().resolve(relative == null ? "../pom.xml" : relative).normalize();
        if (Files.isDirectory(parentPom)) {
            parentPom = parentPom.resolve("pom.xml");
        }
        return !parentPom.equals(ROOT.resolve("pom.xml")) && Files.exists(parentPom)
                && unpublished(parentPom, read(parentPom).getDocumentElement());
    }

    /** The artifactIds of the reactor's published jar modules, found through the module lists from the root. */
    static void publishedJars(Path dir, Set<String> out) throws Exception {
        Path pom = dir.resolve("pom.xml");
        Element project = read(pom).getDocumentElement();
        String packaging = child(project, "packaging");
        if ((packaging == null || packaging.equals("jar")) && !unpublished(pom, project)) {
            out.add(child(project, "artifactId"));
        }
        for (String module : children(project, "modules", "module")) {
            publishedJars(dir.resolve(module).normalize(), out);
        }
    }

    @Test
    void theBomManagesEveryPublishedModuleAtTheProjectsVersion() throws Exception {
        Element root = read(ROOT.resolve("pom.xml")).getDocumentElement();
        Element bom = read(ROOT.resolve("extractor-bom/pom.xml")).getDocumentElement();
        assertEquals(child(root, "version"), child(bom, "version"), "extractor-bom's version is the project's");
        assertEquals(child(root, "version"),
                child(read(ROOT.resolve("integration-tests/pom.xml")).getDocumentElement(), "version"),
                "integration-tests' version is the project's (its Boot applications use it for the library)");

        Set<String> managed = new TreeSet<>();
        Element dm = childElement(childElement(bom, "dependencyManagement"), "dependencies");
        for (Node n = dm.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element d) {
                assertEquals("dev.extractor", child(d, "groupId"));
                assertEquals("${project.version}", child(d, "version"));
                managed.add(child(d, "artifactId"));
            }
        }
        Set<String> published = new TreeSet<>();
        publishedJars(ROOT, published);
        assertFalse(published.isEmpty());
        assertEquals(published, managed, "extractor-bom/pom.xml lists exactly the published modules");
    }
}
