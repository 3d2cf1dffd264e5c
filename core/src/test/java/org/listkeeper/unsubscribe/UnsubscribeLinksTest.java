package org.listkeeper.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.listkeeper.InvalidValueException;

class UnsubscribeLinksTest {

    @Test
    void linkShouldHangTheTokenUnderTheBaseWithoutDoubleSlashes() {
        assertThat(UnsubscribeLinks.link(UnsubscribeLinks.base("public.base.url", " https://lists.example.org/ "), "TOKEN"))
            .isEqualTo("https://lists.example.org/unsubscribe/TOKEN");
        assertThat(UnsubscribeLinks.link(UnsubscribeLinks.base("public.base.url", "https://example.org/lists//"), "T"))
            .isEqualTo("https://example.org/lists/unsubscribe/T");
    }

    @Test
    void brokenBaseUrlsShouldBeRefusedSayingWhy() {
        assertThatThrownBy(() -> UnsubscribeLinks.base("public.base.url", "lists.example.org"))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("absolute https://");
        assertThatThrownBy(() -> UnsubscribeLinks.base("public.base.url", "https://lists.example.org/?x=1"))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("no query");
        assertThatThrownBy(() -> UnsubscribeLinks.base("public.base.url", "https://user@lists.example.org"))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("user name");
        assertThatThrownBy(() -> UnsubscribeLinks.base("public.base.url", "https://lists example.org"))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("not a URL");
    }
}
