package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.mailet.base.GenericMailet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listkeeper.list.ListRecipient;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Every configuration example we publish (class javadoc snippets and the sample conf/mailetcontainer.xml)
 * names classes that exist and parameters the mailet accepts: samples must not drift from the code.
 */
class ConfigurationSnippetsTest {
    private static final Path ROOT = Paths.get(System.getProperty("listkeeper.conf.dir", "../conf")).getParent();
    private static final Pattern SNIPPET = Pattern.compile("<pre>\\{@code(.*?)}</pre>", Pattern.DOTALL);
    private static final Set<String> COMMON_PARAMETERS = Set.of("onMailetException", "onMatchException");

    @ParameterizedTest
    @ValueSource(strings = {
        "mailets/src/main/java/org/listkeeper/mailets/ResumableListMailet.java",
        "mailets/src/main/java/org/listkeeper/mailets/ForwardToListOwners.java",
        "mailets/src/main/java/org/listkeeper/mailets/DropRepeatedListBatches.java",
        "mailets/src/main/java/org/listkeeper/mailets/ListDelivery.java",
        "mailets/src/main/java/org/listkeeper/james/StoreMailRepository.java",
        "matchers/src/main/java/org/listkeeper/matchers/RecipientIsList.java",
        "matchers/src/main/java/org/listkeeper/smtp/ListRcptHook.java"
    })
    void javadocSnippetShouldNameExistingClassesAndAcceptedParameters(String source) throws Exception {
        String text = Files.readString(ROOT.resolve(source));
        Matcher matcher = SNIPPET.matcher(text);
        List<String> snippets = new ArrayList<>();
        while (matcher.find()) {
            snippets.add(matcher.group(1).replaceAll("(?m)^\\s*\\* ?", ""));
        }

        assertThat(snippets).as("configuration snippet in " + source).isNotEmpty();
        for (String snippet : snippets) {
            checkElements(parse("<snippet>" + snippet + "</snippet>").getDocumentElement());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conf/mailetcontainer.xml", "conf/smtpserver.xml", "conf/mailrepositorystore.xml"})
    void sampleConfigurationShouldNameExistingClassesAndAcceptedParameters(String file) throws Exception {
        checkElements(parse(Files.readString(ROOT.resolve(file))).getDocumentElement());
    }

    private static void checkElements(Element element) throws Exception {
        String className = element.getAttribute("class");
        if (className.startsWith("org.listkeeper.")) {
            Class<?> type = Class.forName(className);
            if (GenericMailet.class.isAssignableFrom(type)) {
                Set<String> allowed = parametersOf(type);
                for (Element child : children(element)) {
                    assertThat(allowed).as("parameters of " + className).contains(child.getNodeName());
                }
            }
        }
        String match = element.getAttribute("match");
        if (match.startsWith("org.listkeeper.")) {
            String[] matcher = match.split("=", 2);
            Class.forName(matcher[0]);
            if (matcher.length == 2) {
                for (String kind : matcher[1].split(",")) {
                    assertThat(kind.strip().toUpperCase(java.util.Locale.ROOT))
                        .isIn(java.util.Arrays.stream(ListRecipient.Kind.values()).map(Enum::name).toArray());
                }
            }
        }
        for (Element child : children(element)) {
            checkElements(child);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> parametersOf(Class<?> type) throws Exception {
        try {
            java.lang.reflect.Field field = type.getDeclaredField("PARAMETERS");
            field.setAccessible(true);
            return (Set<String>) field.get(null);
        } catch (NoSuchFieldException e) {
            return COMMON_PARAMETERS;
        }
    }

    private static List<Element> children(Element element) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                result.add((Element) nodes.item(i));
            }
        }
        return result;
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml.strip()
            .replaceFirst("^<\\?xml[^>]*\\?>", ""))));
    }
}
