package org.listkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.listkeeper.InvalidValueException;

class WebConfigurationTest {
    @Test
    void fromShouldListenOnLoopbackPort8080WhenNothingIsSet() {
        WebConfiguration configuration = WebConfiguration.from(Map.of());

        assertThat(configuration.port()).hasValue(8080);
        assertThat(configuration.bind()).isEqualTo("127.0.0.1");
        assertThat(configuration.publicBaseUrl()).isEmpty();
        assertThat(configuration.secureCookies()).isFalse();
    }

    @Test
    void fromShouldTurnThePagesOffWhenPortIsOff() {
        assertThat(WebConfiguration.from(Map.of("web.port", "off")).port()).isEmpty();
    }

    @Test
    void fromShouldNameTheKeyWhenThePortIsInvalid() {
        assertThatThrownBy(() -> WebConfiguration.from(Map.of("web.port", "80800")))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("web.port").hasMessageContaining("80800");
    }

    @Test
    void fromShouldMakeCookiesSecureWhenThePublicAddressIsHttps() {
        WebConfiguration configuration = WebConfiguration.from(Map.of("public.base.url", "https://lists.example.org/",
            "web.bind", "0.0.0.0"));

        assertThat(configuration.secureCookies()).isTrue();
        assertThat(configuration.bind()).isEqualTo("0.0.0.0");
        assertThat(configuration.publicBaseUrl()).hasValueSatisfying(uri -> assertThat(uri.toString()).isEqualTo("https://lists.example.org"));
    }

    @Test
    void fromShouldRefuseAPublicAddressThatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> WebConfiguration.from(Map.of("public.base.url", "lists.example.org")))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("public.base.url");
    }
}
