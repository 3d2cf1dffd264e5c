package org.listkeeper.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.listkeeper.testing.TestMails.post;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailContext.SentMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.ListRecipient.Kind;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.InMemoryStores;

class PostRoutingTest {
    private static final String PROCESSOR = "listkeeper";
    private static final String TEAM = "team@lists.example.org";
    private static final String DEV = "dev@lists.example.org";
    private static final String BOB = "bob@example.com";

    private final FakeMailContext context = FakeMailContext.defaultContext();
    private JdbcStores stores;
    private ListDirectory directory;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        stores.lists().saveList(new MailAddress(TEAM), ListChanges.none());
        stores.lists().saveList(new MailAddress(DEV), ListChanges.none());
        directory = new ListDirectory(stores.lists());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private Optional<ListRecipient> route(Mail mail, Kind... kinds) throws MessagingException {
        return new PostRouting(directory, EnumSet.copyOf(Arrays.asList(kinds)), "list-posts").route(mail, context);
    }

    private static ListRecipient postTo(String list) throws Exception {
        return ListRecipient.post(new MailAddress(list));
    }

    private static Optional<String> attribute(SentMail sent, AttributeName name) {
        return Optional.ofNullable(sent.getAttributes().get(name)).map(attribute -> String.valueOf(attribute.getValue().value()));
    }

    private static Attribute string(AttributeName name, String value) {
        return new Attribute(name, AttributeValue.of(value));
    }

    @Test
    void routeShouldAnswerTheListWhenTheMailIsForOneListAddress() throws Exception {
        FakeMail mail = post("m1", TEAM).state(PROCESSOR).build();

        assertThat(route(mail, Kind.POST)).contains(postTo(TEAM));
        assertThat(mail.getState()).isEqualTo(PROCESSOR);
        assertThat(mail.getAttribute(PostProgress.RECIPIENT)).isEmpty();
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void routeShouldSplitTheMailIntoOneMailPerListWhenSentToTwoLists() throws Exception {
        FakeMail mail = post("m1", TEAM, DEV).state(PROCESSOR).build();

        assertThat(route(mail, Kind.POST)).isEmpty();

        assertThat(context.getSentMails()).hasSize(2).allSatisfy(sent -> {
            assertThat(sent.getState()).isEqualTo(PROCESSOR);
            assertThat(sent.getRecipients()).hasSize(1);
            assertThat(attribute(sent, PostProgress.LIST)).contains(sent.getRecipients().iterator().next().asString());
        });
        assertThat(context.getSentMails()).flatExtracting(SentMail::getRecipients)
            .containsExactlyInAnyOrder(new MailAddress(TEAM), new MailAddress(DEV));
        // one Message-ID for both copies, so that a list member on both lists can recognise the second
        assertThat(context.getSentMails()).extracting(sent -> sent.getMsg().getMessageID()).doesNotContainNull().containsOnly(
            context.getSentMails().get(0).getMsg().getMessageID());
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void routeShouldSplitOffTheListAddressAndLeaveTheOtherRecipientsWhenSentToAListAndSomeoneElse() throws Exception {
        FakeMail mail = post("m1", TEAM, BOB).state(PROCESSOR).build();

        assertThat(route(mail, Kind.POST)).isEmpty();

        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactly(new MailAddress(TEAM));
            assertThat(attribute(sent, PostProgress.LIST)).contains(TEAM);
        });
        assertThat(mail.getRecipients()).containsExactly(new MailAddress(BOB));
        assertThat(mail.getState()).isEqualTo(PROCESSOR);
    }

    @Test
    void routeShouldRecordTheSubAddressWhenTheMailIsForOneServedSubAddress() throws Exception {
        FakeMail mail = post("m1", "team-request@lists.example.org").state(PROCESSOR).build();

        Optional<ListRecipient> recipient = route(mail, Kind.REQUEST, Kind.CONFIRM);

        assertThat(recipient).hasValueSatisfying(r -> {
            assertThat(r.kind()).isEqualTo(Kind.REQUEST);
            assertThat(r.list().asString()).isEqualTo(TEAM);
        });
        assertThat(PostProgress.string(mail, PostProgress.RECIPIENT)).contains("team-request@lists.example.org");
    }

    @Test
    void routeShouldSplitSubAddressMailRecordingEachAddressWhenSentToTwoSubAddresses() throws Exception {
        FakeMail mail = post("m1", "team-request@lists.example.org", "dev-request@lists.example.org").state(PROCESSOR).build();

        assertThat(route(mail, Kind.REQUEST)).isEmpty();

        assertThat(context.getSentMails()).hasSize(2).allSatisfy(sent -> {
            assertThat(attribute(sent, PostProgress.RECIPIENT)).contains(sent.getRecipients().iterator().next().asString());
            assertThat(attribute(sent, PostProgress.LIST)).isEmpty();
        });
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void routeShouldLeaveOnlyTheOtherRecipientsWhenTheSubAddressWasSentInAnotherCase() throws Exception {
        FakeMail mail = post("m1", "Team-Request@lists.example.org", BOB).state(PROCESSOR).build();

        assertThat(route(mail, Kind.REQUEST)).isEmpty();

        assertThat(context.getSentMails()).singleElement()
            .satisfies(sent -> assertThat(attribute(sent, PostProgress.RECIPIENT)).isPresent());
        assertThat(mail.getRecipients()).containsExactly(new MailAddress(BOB));
    }

    @Test
    void routeShouldKeepTheListAssignedByAnEarlierRunWhenTheMailCarriesIt() throws Exception {
        FakeMail mail = post("m1", TEAM, DEV).state(PROCESSOR).attribute(string(PostProgress.LIST, DEV)).build();

        assertThat(route(mail, Kind.POST)).contains(postTo(DEV));
        assertThat(context.getSentMails()).isEmpty();
        assertThat(mail.getRecipients()).hasSize(2);
    }

    @Test
    void routeShouldKeepTheSubAddressAssignedByAnEarlierRunWhenTheMailCarriesIt() throws Exception {
        FakeMail mail = post("m1", "team-request@lists.example.org", BOB).state(PROCESSOR)
            .attribute(string(PostProgress.RECIPIENT, "team-request@lists.example.org")).build();

        assertThat(route(mail, Kind.REQUEST)).hasValueSatisfying(r -> assertThat(r.kind()).isEqualTo(Kind.REQUEST));
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void routeShouldFallBackToTheAssignedListWhenItsSubAddressNoLongerResolves() throws Exception {
        FakeMail mail = post("m1", "gone-request@lists.example.org").state(PROCESSOR)
            .attribute(string(PostProgress.RECIPIENT, "gone-request@lists.example.org"))
            .attribute(string(PostProgress.LIST, "gone@lists.example.org")).build();

        // the engine then parks it: "list gone@… no longer exists"
        assertThat(route(mail, Kind.REQUEST)).contains(postTo("gone@lists.example.org"));
    }

    @Test
    void routeShouldFailWhenTheAssignedListAttributeIsNotAnAddress() throws Exception {
        FakeMail mail = post("m1", TEAM).state(PROCESSOR).attribute(string(PostProgress.LIST, "not an address")).build();

        assertThatThrownBy(() -> route(mail, Kind.POST))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("m1 carries an unreadable list address attribute");
    }

    @Test
    void routeShouldPassTheMailOnWhenNoRecipientIsAServedAddress() throws Exception {
        FakeMail mail = post("m1", BOB, "team-request@lists.example.org").state(PROCESSOR).build();

        assertThat(route(mail, Kind.POST)).isEmpty();

        assertThat(context.getSentMails()).isEmpty();
        assertThat(mail.getState()).isEqualTo(PROCESSOR);
        assertThat(mail.getRecipients()).hasSize(2);
    }
}
