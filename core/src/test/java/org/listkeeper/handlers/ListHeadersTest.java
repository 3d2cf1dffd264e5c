package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;

class ListHeadersTest {
    private final HandlerFixture fixture = new HandlerFixture();
    private final Handler handler = fixture.handler("list-headers");

    ListHeadersTest() throws Exception {
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void handleShouldAddListHeadersWhenPostArrives() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\n\nhello\n");

        HandlerResult result = handler.handle(fixture.context(mail));

        MimeMessage message = mail.getMessage();
        assertThat(result).isEqualTo(HandlerResult.proceed());
        assertThat(message.getHeader("List-Id", null)).isEqualTo("team <team.lists.example.org>");
        assertThat(message.getHeader("List-Post", null)).isEqualTo("<mailto:team@lists.example.org>");
        assertThat(message.getHeader("List-Help", null)).isEqualTo("<mailto:team-request@lists.example.org?subject=help>");
        assertThat(message.getHeader("List-Subscribe", null)).isEqualTo("<mailto:team-join@lists.example.org>");
        assertThat(message.getHeader("List-Unsubscribe", null)).isEqualTo("<mailto:team-leave@lists.example.org>");
        assertThat(message.getHeader("List-Owner", null)).isEqualTo("<mailto:team-owner@lists.example.org>");
        assertThat(message.getHeader("List-Archive")).isNull();
        assertThat(message.getHeader("Precedence", null)).isEqualTo("list");
        assertThat(message.getHeader("X-BeenThere", null)).isEqualTo("team@lists.example.org");
    }

    @Test
    void handleShouldReplaceListHeadersWhenPostBroughtItsOwn() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder()
            .set(Setting.DISPLAY_NAME, "Team: \"core\"").set(Setting.ARCHIVE_URL, "https://archive.example.org/team").build());
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nList-Id: other <other.example.com>\n"
            + "List-Unsubscribe: <mailto:evil@example.com>\nPrecedence: bulk\nSubject: hi\n\nhello\n");

        handler.handle(fixture.context(mail));

        MimeMessage message = mail.getMessage();
        assertThat(message.getHeader("List-Id")).containsExactly("\"Team: \\\"core\\\"\" <team.lists.example.org>");
        assertThat(message.getHeader("List-Unsubscribe")).containsExactly("<mailto:team-leave@lists.example.org>");
        assertThat(message.getHeader("Precedence")).containsExactly("list");
        assertThat(message.getHeader("List-Archive")).containsExactly("<https://archive.example.org/team>");
    }

    @Test
    void handleShouldEncodeDisplayNameWhenItIsNotAscii() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(Setting.DISPLAY_NAME, "Équipe").build());
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\n\nhello\n");

        handler.handle(fixture.context(mail));

        assertThat(mail.getMessage().getHeader("List-Id", null)).isEqualTo("=?UTF-8?Q?=C3=89quipe?= <team.lists.example.org>");
    }

    @Test
    void handleShouldDiscardWhenPostCarriesThisListsLoopMarker() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nX-BeenThere: Team@Lists.Example.org\nSubject: hi\n\nhello\n");

        HandlerResult result = handler.handle(fixture.context(mail));

        assertThat(result.kind()).isEqualTo(HandlerResult.Kind.DISCARD);
        assertThat(result.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("mail loop"));
    }

    @Test
    void handleShouldProceedWhenLoopMarkerIsAnotherLists() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nX-BeenThere: dev@lists.example.org\nSubject: hi\n\nhello\n");

        HandlerResult result = handler.handle(fixture.context(mail));

        assertThat(result).isEqualTo(HandlerResult.proceed());
        assertThat(mail.getMessage().getHeader("X-BeenThere")).containsExactly("dev@lists.example.org", "team@lists.example.org");
    }
}
