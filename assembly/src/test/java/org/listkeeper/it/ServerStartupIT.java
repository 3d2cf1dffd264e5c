package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad start-up input gives one clear line and a non-zero exit, never a stack-trace wall. */
class ServerStartupIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private List<String> base(Path data) throws IOException {
        return List.of("--data", data.toString(), "--smtp-port", String.valueOf(ServerProcess.freePort()),
            "--webadmin-port", String.valueOf(ServerProcess.freePort()), "--web-port", String.valueOf(ServerProcess.freePort()));
    }

    private static List<String> plus(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void busyPortShouldFailWithOneLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerProcess.Result result = ServerProcess.run(plus(base(directory.resolve("data")),
                "--smtp-port", String.valueOf(busy.getLocalPort())), TIMEOUT);

            assertThat(result.exitCode).isNotZero();
            assertThat(result.lines()).hasSize(1);
            assertThat(result.lines().get(0)).contains("SMTP port " + busy.getLocalPort()).contains("not available")
                .contains("--smtp-port");
        }
    }

    @Test
    void unwritableDataDirectoryShouldFailWithOneLine() throws Exception {
        Path file = Files.writeString(directory.resolve("a-file"), "not a directory");

        ServerProcess.Result result = ServerProcess.run(base(file.resolve("data")), TIMEOUT);

        assertThat(result.exitCode).isNotZero();
        assertThat(result.lines()).hasSize(1);
        assertThat(result.lines().get(0)).contains("Cannot write to data directory");
    }

    @Test
    void unreachableDatabaseShouldFailWithOneLine() throws Exception {
        ServerProcess.Result result = ServerProcess.run(plus(base(directory.resolve("data")),
            "--jdbc-url", "jdbc:postgresql://127.0.0.1:" + ServerProcess.freePort() + "/listkeeper"), TIMEOUT);

        assertThat(result.exitCode).isNotZero();
        assertThat(result.lines()).hasSize(1);
        assertThat(result.lines().get(0)).contains("Cannot reach the list store");
    }

    @Test
    void unsupportedJdbcUrlShouldFailAsUsageError() throws Exception {
        ServerProcess.Result result = ServerProcess.run(plus(base(directory.resolve("data")), "--jdbc-url", "mysql://db/lists"), TIMEOUT);

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.lines()).hasSize(1);
        assertThat(result.lines().get(0)).contains("Invalid --jdbc-url 'mysql://db/lists'");
    }

    @Test
    void badConfigurationFileShouldFailNamingFileAndLine() throws Exception {
        Path conf = Files.createDirectories(directory.resolve("conf"));
        Files.writeString(conf.resolve("mailetcontainer.xml"), "<mailetcontainer>\n<processors>\n</mailetcontainer>\n");

        ServerProcess.Result result = ServerProcess.run(plus(base(directory.resolve("data")), "--conf", conf.toString()), TIMEOUT);

        assertThat(result.exitCode).isNotZero();
        assertThat(result.lines()).hasSize(1);
        assertThat(result.lines().get(0)).contains("Bad configuration file").contains("mailetcontainer.xml").contains("line 3");
    }

    @Test
    void unknownOptionShouldFailAsUsageError() throws Exception {
        ServerProcess.Result result = ServerProcess.run(List.of("--smpt-port", "25"), TIMEOUT);

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.lines()).containsExactly("Listkeeper: Unknown option --smpt-port (see --help)");
    }

    @Test
    void helpShouldPrintUsageAndExitZero() throws Exception {
        ServerProcess.Result result = ServerProcess.run(List.of("--help"), TIMEOUT);

        assertThat(result.exitCode).isZero();
        assertThat(result.output).contains("--relay HOST:PORT").contains("LISTKEEPER_JAVA_OPTS");
    }
}
