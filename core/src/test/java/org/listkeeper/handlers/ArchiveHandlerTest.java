package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;

import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.ListkeeperException;
import org.listkeeper.archive.ArchiveQuery;
import org.listkeeper.list.ListChanges;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostProgress;

class ArchiveHandlerTest {
    private final HandlerFixture fixture = new HandlerFixture();

    ArchiveHandlerTest() throws Exception {
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private Mail numbered(String name, long number) throws Exception {
        Mail mail = HandlerFixture.mail(name, "From: Ann <ann@example.net>\nSubject: hi\nMessage-ID: <" + name + "@example.net>\n\nhello\n");
        PostProgress.setPostNumber(mail, number);
        return mail;
    }

    private int archived() {
        return fixture.stores.archive().count(fixture.listId(), ArchiveQuery.all());
    }

    @Test
    void handleShouldArchiveThePostOnceUnderItsNumberWithArchivedAt() throws Exception {
        fixture.publicBaseUrl = Optional.of(URI.create("https://lists.example.org/"));
        Mail post = numbered("p1", 3);

        assertThat(fixture.handler("archive").handle(fixture.context(post)).kind()).isEqualTo(HandlerResult.Kind.PROCEED);
        fixture.handler("archive").handle(fixture.context(numbered("p1", 3)));

        assertThat(post.getMessage().getHeader("Archived-At", null))
            .isEqualTo("<https://lists.example.org/lists/team@lists.example.org/archive/3>");
        assertThat(archived()).isEqualTo(1);
        assertThat(fixture.stores.archive().message(fixture.listId(), 3)).hasValueSatisfying(message ->
            assertThat(new String(message, java.nio.charset.StandardCharsets.UTF_8))
                .contains("Archived-At: <https://lists.example.org/lists/team@lists.example.org/archive/3>"));
    }

    @Test
    void handleShouldArchiveWithoutArchivedAtWhenThePublicAddressIsUnknown() throws Exception {
        Mail post = numbered("p1", 1);

        fixture.handler("archive").handle(fixture.context(post));

        assertThat(post.getMessage().getHeader("Archived-At")).isNull();
        assertThat(archived()).isEqualTo(1);
    }

    @Test
    void handleShouldDoNothingWhenTheListNeverArchives() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(ListChanges.Setting.ARCHIVE_POLICY, "never").build());
        fixture.publicBaseUrl = Optional.of(URI.create("https://lists.example.org"));
        Mail post = numbered("p1", 1);

        fixture.handler("archive").handle(fixture.context(post));

        assertThat(post.getMessage().getHeader("Archived-At")).isNull();
        assertThat(archived()).isZero();
    }

    @Test
    void handleShouldRefuseAPostWithoutANumber() throws Exception {
        Mail post = HandlerFixture.mail("p1", "Subject: hi\n\nhello\n");

        assertThatThrownBy(() -> fixture.handler("archive").handle(fixture.context(post))).isInstanceOf(ListkeeperException.class)
            .hasMessageContaining("post-number");
    }

    @Test
    void listHeadersShouldPointListArchiveAtThePublicArchiveUnlessTheListNamesItsOwn() throws Exception {
        fixture.publicBaseUrl = Optional.of(URI.create("https://lists.example.org"));
        Mail post = HandlerFixture.mail("p1", "Subject: hi\n\nhello\n");
        fixture.handler("list-headers").handle(fixture.context(post));
        assertThat(post.getMessage().getHeader("List-Archive", null)).isEqualTo("<https://lists.example.org/lists/team@lists.example.org/archive>");

        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(ListChanges.Setting.ARCHIVE_URL,
            "https://mail-archive.example.com/team").build());
        Mail other = HandlerFixture.mail("p2", "Subject: hi\n\nhello\n");
        fixture.handler("list-headers").handle(fixture.context(other));
        assertThat(other.getMessage().getHeader("List-Archive", null)).isEqualTo("<https://mail-archive.example.com/team>");
    }
}
