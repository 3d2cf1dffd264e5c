package org.listkeeper.notices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.store.StoreConfiguration;

import javax.mail.internet.MimeMessage;

class TemplatesTest {
    private final JdbcStores stores = JdbcStores.open(StoreConfiguration.of("jdbc:h2:mem:templates;DB_CLOSE_DELAY=-1", "sa", "", 2,
        Duration.ofSeconds(5)));

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private MailingList list() throws Exception {
        return stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.builder()
            .set(ListChanges.Setting.DISPLAY_NAME, "Équipe").build());
    }

    @Test
    void everyDefaultTemplateShouldHaveASubjectAndUseOnlyItsVariables() {
        for (NoticeKind kind : NoticeKind.values()) {
            Templates.check(kind, new Templates(stores.templates()).defaultText(kind));
        }
    }

    @Test
    void renderShouldFillListAndNoticeVariables() throws Exception {
        Templates.RenderedText text = new Templates(stores.templates()).render(list(), NoticeKind.WELCOME, Map.of("address", "alice@example.net"));

        assertThat(text.subject()).isEqualTo("Welcome to the \"Équipe\" mailing list");
        assertThat(text.body()).contains("Welcome to the Équipe mailing list, alice@example.net")
            .contains("team-leave@lists.example.org").doesNotContain("{{");
    }

    @Test
    void saveShouldRefuseUnknownVariableAndMissingSubject() throws Exception {
        Templates templates = new Templates(stores.templates());
        MailingList list = list();

        assertThatThrownBy(() -> templates.save(list, NoticeKind.WELCOME, "Subject: hi\n\n{{token}}"))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("{{token}}").hasMessageContaining("unknown variable");
        assertThatThrownBy(() -> templates.save(list, NoticeKind.WELCOME, "Hello {{address}}"))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("Subject");
        templates.save(list, NoticeKind.WELCOME, "Subject: Salut {{displayName}}\n\nBonjour {{address}}");
        assertThat(templates.render(list, NoticeKind.WELCOME, Map.of("address", "a@b.example")).body()).isEqualTo("Bonjour a@b.example");
        assertThat(templates.reset(list, NoticeKind.WELCOME)).isTrue();
        assertThat(templates.ownText(list, NoticeKind.WELCOME)).isEmpty();
    }

    @Test
    void lettersShouldBeUtf8PlainTextMarkedAutomaticAndSurviveTheirAttributeForm() throws Exception {
        MailingList list = list();
        MimeMessage request = new MimeMessage((javax.mail.Session) null);
        request.setHeader("Message-ID", "<request-1@example.net>");
        Notice notice = Notice.to(new MailAddress("alice@example.net"), NoticeKind.WELCOME, Map.of("address", "alice@example.net"));

        Letters.Letter letter = Letters.write(list, new Templates(stores.templates()), notice, Optional.of(request), Optional.empty());
        Letters.Letter copy = Letters.decode(Letters.encode(java.util.List.of(letter))).get(0);

        MimeMessage message = copy.message();
        assertThat(copy.recipient().asString()).isEqualTo("alice@example.net");
        assertThat(message.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(message.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(message.getHeader("In-Reply-To", null)).isEqualTo("<request-1@example.net>");
        assertThat(message.getSubject()).isEqualTo("Welcome to the \"Équipe\" mailing list");
        assertThat(message.getFrom()[0].toString()).contains("team-request@lists.example.org");
        assertThat(message.getMessageID()).endsWith("@lists.example.org>");
        assertThat((String) message.getContent()).contains("alice@example.net");
    }
}
