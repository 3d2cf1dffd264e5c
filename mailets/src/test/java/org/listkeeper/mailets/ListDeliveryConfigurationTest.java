package org.listkeeper.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.delivery.TlsMode;

class ListDeliveryConfigurationTest {
    private static final String MAILET = "ListDelivery";

    @TempDir
    Path directory;

    private static ListDeliveryConfiguration parse(String... parameters) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName(MAILET);
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        return ListDeliveryConfiguration.parse(config.build(), "lists.example.org");
    }

    @Test
    void parseShouldGiveTheDefaultsWithoutParameters() throws Exception {
        ListDeliveryConfiguration configuration = parse();

        assertThat(configuration.queue()).isEqualTo("listkeeper-delivery");
        assertThat(configuration.gateway()).isEmpty();
        assertThat(configuration.mxPort()).isEqualTo(25);
        assertThat(configuration.threads()).isEqualTo(8);
        assertThat(configuration.batchesPerDestination()).isEqualTo(1);
        assertThat(configuration.smtp().tls()).isEqualTo(TlsMode.OPPORTUNISTIC);
        assertThat(configuration.smtp().heloName()).isEqualTo("lists.example.org");
        assertThat(configuration.smtp().maxRecipientsPerTransaction()).isEqualTo(100);
        assertThat(configuration.retries().delayBefore(1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(configuration.retries().maxAttempts()).isEqualTo(128);
        assertThat(configuration.dkim().isEmpty()).isTrue();
    }

    @Test
    void parseShouldReadEveryParameter() throws Exception {
        ListDeliveryConfiguration configuration = parse("gateway", "relay.example.org", "gatewayPort", "2525", "deliveryThreads", "3",
            "maxBatchesPerDestination", "2", "maxRecipientsPerTransaction", "50", "maxMessagesPerConnection", "7", "connectTimeout", "5s",
            "readTimeout", "1m", "idleTimeout", "10s", "startTls", "required", "heloName", "mx.example.org", "retryBaseDelay", "2s",
            "retryMaxDelay", "1m", "retryMaxAttempts", "4", "queue", "list-out");

        assertThat(configuration.gateway()).contains("relay.example.org");
        assertThat(configuration.gatewayPort()).isEqualTo(2525);
        assertThat(configuration.threads()).isEqualTo(3);
        assertThat(configuration.batchesPerDestination()).isEqualTo(2);
        assertThat(configuration.smtp().maxRecipientsPerTransaction()).isEqualTo(50);
        assertThat(configuration.smtp().maxMessagesPerConnection()).isEqualTo(7);
        assertThat(configuration.smtp().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(configuration.smtp().readTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(configuration.smtp().idleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(configuration.smtp().tls()).isEqualTo(TlsMode.REQUIRED);
        assertThat(configuration.smtp().heloName()).isEqualTo("mx.example.org");
        assertThat(configuration.retries().delayBefore(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(configuration.retries().maxAttempts()).isEqualTo(4);
        assertThat(configuration.queue()).isEqualTo("list-out");
    }

    @Test
    void parseShouldRefuseAnUnknownParameterNamingIt() {
        assertThatThrownBy(() -> parse("gatway", "relay.example.org"))
            .isInstanceOf(MessagingException.class).hasMessageContaining("gatway").hasMessageContaining("gateway");
    }

    @Test
    void parseShouldRefuseBadValuesNamingTheParameter() {
        assertThatThrownBy(() -> parse("startTls", "sometimes")).isInstanceOf(MessagingException.class).hasMessageContaining("sometimes");
        assertThatThrownBy(() -> parse("gatewayPort", "70000")).isInstanceOf(MessagingException.class).hasMessageContaining("gatewayPort");
        assertThatThrownBy(() -> parse("deliveryThreads", "many")).isInstanceOf(MessagingException.class)
            .hasMessageContaining("deliveryThreads");
        assertThatThrownBy(() -> parse("maxBatchesPerDestination", "0")).isInstanceOf(MessagingException.class)
            .hasMessageContaining("maxBatchesPerDestination");
        assertThatThrownBy(() -> parse("heloName", "two words")).isInstanceOf(MessagingException.class).hasMessageContaining("HELO");
    }

    @Test
    void parseShouldRefuseADkimKeyThatCannotBeRead() throws Exception {
        Path notAKey = Files.writeString(directory.resolve("key.pem"), "not a key");

        assertThatThrownBy(() -> parse("dkimKeys", "lists.example.org:lk2026:" + directory.resolve("missing.pem")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("dkimKeys").hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> parse("dkimKeys", "lists.example.org:lk2026:" + notAKey))
            .isInstanceOf(MessagingException.class).hasMessageContaining("not a PEM private key");
        assertThatThrownBy(() -> parse("dkimKeys", "lists.example.org"))
            .isInstanceOf(MessagingException.class).hasMessageContaining("domain:selector:key.pem");
    }
}
