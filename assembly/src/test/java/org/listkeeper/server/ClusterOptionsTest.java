package org.listkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster mode's options: what start-up refuses in one line, and what it makes of the configuration. */
class ClusterOptionsTest {
    private static final String POSTGRES = "jdbc:postgresql://10.0.0.7:5432/listkeeper";

    @Test
    void aBrokerWithoutAListStoreOnPostgresShouldBeRefusedInOneLine() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--broker", "tcp://10.0.0.5:61616"}, Map.of()))
            .isInstanceOf(StartupException.class).hasMessageStartingWith("--broker needs --jdbc-url jdbc:postgresql://")
            .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--broker", "tcp://10.0.0.5:61616", "--jdbc-url",
            "jdbc:h2:/srv/listkeeper/store;PASSWORD=secret"}, Map.of()))
            .isInstanceOf(StartupException.class).hasMessageContaining("not jdbc:h2:…").hasMessageContaining("one node only")
            .hasMessageNotContaining("secret");
    }

    @Test
    void aBrokerUrlThatIsNoneShouldBeRefused() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--broker", "10.0.0.5", "--jdbc-url", POSTGRES}, Map.of()))
            .isInstanceOf(StartupException.class).hasMessageStartingWith("Invalid --broker '10.0.0.5'");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--node-id", "node one", "--broker", "tcp://h:1", "--jdbc-url",
            POSTGRES}, Map.of()))
            .isInstanceOf(StartupException.class).hasMessageStartingWith("Invalid --node-id 'node one'");
    }

    @Test
    void clusterOptionsShouldComeFromFlagsOrEnvironment() throws Exception {
        ServerOptions options = ServerOptions.parse(new String[] {"--node-id", "mx-2"}, Map.of("LISTKEEPER_BROKER",
            "failover:(tcp://10.0.0.5:61616,tcp://10.0.0.6:61616)", "LISTKEEPER_JDBC_URL", POSTGRES));
        assertThat(options.broker).contains("failover:(tcp://10.0.0.5:61616,tcp://10.0.0.6:61616)");
        assertThat(options.nodeId).isEqualTo("mx-2");
        assertThat(ServerOptions.parse(new String[0], Map.of()).broker).isEmpty();
        assertThat(ServerOptions.parse(new String[0], Map.of()).nodeId).isNotBlank();
    }

    @Test
    void aBrokerThatCannotBeReachedShouldBeSaidInOneLineWithoutItsPassword(@TempDir Path directory) throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        ServerOptions options = ServerOptions.parse(new String[] {"--data", directory.toString(), "--broker",
            "failover:(tcp://127.0.0.1:" + closed + ")?jms.password=secret", "--jdbc-url", POSTGRES}, Map.of());

        assertThatThrownBy(() -> ListkeeperServerMain.checkBroker(options.broker.get())).isInstanceOf(StartupException.class)
            .hasMessageStartingWith("Cannot reach the ActiveMQ broker").hasMessageContaining("127.0.0.1:" + closed)
            .hasMessageNotContaining("secret").hasMessageNotContaining("\n");
    }

    @Test
    void connectionUrlShouldReconnectForEverAndGiveUpOnASendAfterFiveSeconds() {
        assertThat(BrokerQueueModule.connectionUrl("tcp://10.0.0.5:61616")).isEqualTo("failover:(tcp://10.0.0.5:61616)?timeout=5000");
        assertThat(BrokerQueueModule.connectionUrl("failover:(tcp://a:1,tcp://b:1)?randomize=false"))
            .isEqualTo("failover:(tcp://a:1,tcp://b:1)?randomize=false&timeout=5000");
        assertThat(BrokerQueueModule.connectionUrl("failover:(tcp://a:1)?timeout=2000")).isEqualTo("failover:(tcp://a:1)?timeout=2000");
    }

    @Test
    void clusterModeShouldKeepHeldParkedAndErrorMailInTheListStore(@TempDir Path directory) throws Exception {
        ServerOptions options = ServerOptions.parse(new String[] {"--data", directory.toString(), "--broker", "tcp://10.0.0.5:61616",
            "--jdbc-url", POSTGRES}, Map.of());
        ServerConfiguration.write(options, directory.resolve("conf"));

        String properties = Files.readString(directory.resolve("conf/listkeeper.properties"));
        assertThat(properties).contains("held.repository=listkeeper://var/mail/listkeeper/held/")
            .contains("parking.repository=listkeeper://var/mail/listkeeper/parked/").contains("jdbc.url=" + POSTGRES)
            .contains("cluster=true");
        String mailets = Files.readString(directory.resolve("conf/mailetcontainer.xml"));
        assertThat(mailets).contains("<errorRepository>listkeeper://var/mail/error/</errorRepository>").doesNotContain("file://");
        assertThat(Files.readString(directory.resolve("conf/mailrepositorystore.xml"))).contains("org.listkeeper.james.StoreMailRepository");
    }

    @Test
    void aSingleNodeShouldKeepItsFileRepositories(@TempDir Path directory) throws Exception {
        ServerOptions options = ServerOptions.parse(new String[] {"--data", directory.toString()}, Map.of());
        ServerConfiguration.write(options, directory.resolve("conf"));

        assertThat(Files.readString(directory.resolve("conf/listkeeper.properties")))
            .contains("held.repository=file://var/mail/listkeeper/held/").doesNotContainPattern("(?m)^cluster=");
        assertThat(Files.readString(directory.resolve("conf/mailetcontainer.xml"))).doesNotContain("listkeeper://");
    }
}
