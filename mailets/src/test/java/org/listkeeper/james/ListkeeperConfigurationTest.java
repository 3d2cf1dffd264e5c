package org.listkeeper.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.listkeeper.InvalidValueException;

/** listkeeper.properties' {@code cluster} key: off unless a node of a cluster says so. */
class ListkeeperConfigurationTest {
    private static final File DATA = new File("var/listkeeper");

    @Test
    void clusterShouldBeOffUnlessSetToTrue() {
        assertThat(ListkeeperConfiguration.from(Map.of(), DATA).cluster()).isFalse();
        assertThat(ListkeeperConfiguration.from(Map.of("cluster", "false"), DATA).cluster()).isFalse();
        assertThat(ListkeeperConfiguration.from(Map.of("cluster", " true "), DATA).cluster()).isTrue();
    }

    @Test
    void aClusterValueThatIsNeitherTrueNorFalseShouldBeRefusedNamingIt() {
        assertThatThrownBy(() -> ListkeeperConfiguration.from(Map.of("cluster", "yes"), DATA))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("cluster").hasMessageContaining("yes");
    }
}
