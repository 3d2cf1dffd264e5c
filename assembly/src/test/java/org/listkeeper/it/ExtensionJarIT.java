package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension jar loaded the way James loads it: from {@code extensions-jars/} of the server's working
 * directory, with none of Listkeeper's classes on this test's classpath (failsafe excludes them).
 */
class ExtensionJarIT {
    private static final Path JAR = Paths.get(System.getProperty("listkeeper.extension.jar", "target/listkeeper-extension/listkeeper-extension.jar"));

    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().extensionJar(JAR).build();

    @Test
    void listkeeperShouldNotBeOnTheTestClasspath() {
        assertThatThrownBy(() -> Class.forName("org.listkeeper.james.ListkeeperModule"))
            .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void postShouldBeDeliveredThroughTheExtensionJar() throws Exception {
        SERVER.createList("ext@lists.example.org", "{\"footer\":\"sent through the extension jar\"}",
            "ann@member.example", "bob@member.example");

        SmtpClient.Result result = SERVER.post("alice@example.com", List.of("ext@lists.example.org"),
            "From: alice@example.com\nTo: ext@lists.example.org\nSubject: hello\nMessage-ID: <ext@example.com>\n\nhi\n");

        assertThat(result.accepted()).isTrue();
        List<ListkeeperServer.Delivery> deliveries = SERVER.awaitDeliveries("<ext@example.com>", 2);
        assertThat(deliveries).extracting(d -> d.recipient).containsExactlyInAnyOrder("ann@member.example", "bob@member.example");
        assertThat(deliveries).allSatisfy(delivery -> {
            assertThat(delivery.header("List-Id")).isEqualTo("ext <ext.lists.example.org>");
            assertThat(delivery.header("Subject")).isEqualTo("[ext] hello");
            assertThat(delivery.body()).contains("sent through the extension jar");
        });
    }

    @Test
    void configurationSnippetsShouldShipBesideTheJar() {
        assertThat(JAR.resolveSibling("conf").resolve("mailetcontainer.xml")).exists();
        assertThat(JAR.resolveSibling("conf").resolve("extensions.properties")).exists();
    }

    @Test
    void webPagesShouldRenderFromTheExtensionJar() throws Exception {
        SERVER.createList("pages@lists.example.org", "{\"displayName\":\"Pages from the jar\"}");

        java.net.http.HttpResponse<String> list = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + SERVER.webPort() + "/lists/pages@lists.example.org/")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("<h1>Pages from the jar</h1>").contains("name=\"csrf\"");
    }

    @Test
    void thirdPartyLibrariesShouldBeRelocatedAndJamesLeftOut() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> classes = jar.stream().map(entry -> entry.getName()).filter(name -> name.endsWith(".class"))
                .collect(Collectors.toList());

            assertThat(classes).allSatisfy(name -> assertThat(name).startsWith("org/listkeeper/"));
            assertThat(classes).anySatisfy(name -> assertThat(name).startsWith("org/listkeeper/internal/shaded/h2/"));
            assertThat(classes).anySatisfy(name -> assertThat(name).startsWith("org/listkeeper/internal/shaded/flywaydb/"));
            assertThat(classes).anySatisfy(name -> assertThat(name).startsWith("org/listkeeper/internal/shaded/postgresql/"));
            assertThat(classes).anySatisfy(name -> assertThat(name).startsWith("org/listkeeper/internal/shaded/hikari/"));
            assertThat(classes).anySatisfy(name -> assertThat(name).startsWith("org/listkeeper/internal/shaded/pebble/"));
            assertThat(classes).noneSatisfy(name -> assertThat(name).startsWith("org/listkeeper/server/"));
        }
    }
}
