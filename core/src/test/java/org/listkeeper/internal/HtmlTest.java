package org.listkeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapeShouldNeutraliseMarkupInContentAndQuotedAttributes() {
        assertThat(Html.escape("<b>\"Tom\" & 'Jerry'</b>")).isEqualTo("&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;");
    }

    @Test
    void plainTextShouldStayAsItIs() {
        assertThat(Html.escape("Team list — été")).isEqualTo("Team list — été");
    }
}
