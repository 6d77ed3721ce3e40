package dev.relay.it.docker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** What the poms say about modules and the shaded jar, read with XPath (no Maven model needed). */
final class MavenPoms {
    private MavenPoms() {}

    private static final String SERVER = "relay-server";

    /** The shade plugin's output, relative to the repository root. */
    static String shadedJar() {
        Document pom = read(SERVER + "/pom.xml");
        String plugin = "/project/build/plugins/plugin[artifactId='maven-shade-plugin']";
        String execution = plugin + "/executions/execution[goals/goal='shade']";
        String phase = text(pom, execution + "/phase");
        if (!phase.equals("package")) {
            throw new AssertionError("the shade execution runs in phase '" + phase + "', not package");
        }
        String finalName = text(pom, execution + "/configuration/finalName");
        if (finalName.isEmpty()) {
            throw new AssertionError("the shade execution sets no finalName");
        }
        String buildDirectory = text(pom, "/project/build/directory");
        return SERVER + "/" + (buildDirectory.isEmpty() ? "target" : buildDirectory) + "/" + finalName + ".jar";
    }

    /** The parent pom's modules. */
    static List<String> modules() {
        return texts(read("pom.xml"), "/project/modules/module");
    }

    /** relay-server and the modules it depends on: what {@code -pl relay-server -am} builds. */
    static Set<String> modulesRelayServerIsBuiltFrom() {
        Set<String> modules = new LinkedHashSet<>();
        modules.add(SERVER);
        Document pom = read(SERVER + "/pom.xml");
        List<String> ours = texts(pom, "/project/dependencies/dependency[groupId='dev.relay']/artifactId");
        for (String artifactId : ours) {
            if (!modules().contains(artifactId)) {
                throw new AssertionError(artifactId + " is not a module directory of the parent pom");
            }
            modules.add(artifactId);
        }
        return modules;
    }

    /** Resource directories of relay-server outside its own folder (like ../config), relative to the root. */
    static List<String> relayServerResourceDirectoriesOutsideTheModule() {
        List<String> outside = new ArrayList<>();
        for (String directory : texts(read(SERVER + "/pom.xml"), "/project/build/resources/resource/directory")) {
            String path = directory.startsWith("${project.basedir}") ? directory.replace("${project.basedir}", SERVER)
                    : SERVER + "/" + directory;
            Path normalized = Path.of(path).normalize();
            if (!normalized.startsWith(SERVER)) {
                outside.add(normalized.toString());
            }
        }
        return outside;
    }

    private static Document read(String relative) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(Repository.file(relative).toFile());
        } catch (Exception e) {
            throw new AssertionError("cannot read " + relative, e);
        }
    }

    private static String text(Document document, String xpath) {
        List<String> all = texts(document, xpath);
        return all.isEmpty() ? "" : all.get(0);
    }

    private static List<String> texts(Document document, String xpath) {
        try {
            XPath path = XPathFactory.newInstance().newXPath();
            NodeList nodes = (NodeList) path.evaluate(xpath, document, XPathConstants.NODESET);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                texts.add(nodes.item(i).getTextContent().strip());
            }
            return texts;
        } catch (Exception e) {
            throw new AssertionError("bad XPath " + xpath, e);
        }
    }
}
