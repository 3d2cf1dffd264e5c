package org.listkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

class PagesTest {
    private final Pages pages = new Pages(Locale.ENGLISH);

    @Test
    void textShouldFormatEveryMessageOfTheBundleWithoutQuotingMarksOrPlaceholdersLeft() {
        ResourceBundle bundle = ResourceBundle.getBundle(Pages.BUNDLE, Locale.ENGLISH, Pages.class.getClassLoader());
        for (String key : Collections.list(bundle.getKeys())) {
            boolean numeric = bundle.getString(key).contains(",choice") || bundle.getString(key).contains(",number");
            String text = numeric ? pages.text(key, 2, 3, 4) : pages.text(key, "first", "second", "third");

            assertThat(text).as(key).doesNotContain("''").doesNotContain("{0}").doesNotContain("{1}").isNotBlank();
        }
    }

    @Test
    void renderShouldEscapeValuesInThePage() {
        String html = pages.render("message", Map.of("title", "<script>alert(1)</script>", "text", "a & b"));

        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("a &amp; b").doesNotContain("<script>");
    }
}
