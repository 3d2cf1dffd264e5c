package org.listkeeper.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.listkeeper.testing.TestMails.post;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailContext.SentMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.InMemoryStores;

class ForwardToListOwnersTest {
    private static final String TEAM_OWNER = "team-owner@lists.example.org";
    private static final String DEV_OWNER = "dev-owner@lists.example.org";
    private static final String POSTMASTER = "postmaster@lists.example.org";

    private final FakeMailContext context = FakeMailContext.builder().postmaster(address(POSTMASTER)).build();
    private JdbcStores stores;
    private ForwardToListOwners mailet;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        long team = stores.lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        stores.lists().saveList(address("dev@lists.example.org"), ListChanges.none());
        stores.roster().saveMember(team, Member.builder(address("owner@example.com")).role(Role.OWNER).build());
        stores.roster().saveMember(team, Member.builder(address("moderator@example.com")).role(Role.MODERATOR).build());
        stores.roster().saveMember(team, Member.of(address("member@example.com")));
        mailet = new ForwardToListOwners(stores.lists(), stores.roster(), new ListDirectory(stores.lists()));
        mailet.init(FakeMailetConfig.builder().mailetName("forward-to-owners").mailetContext(context).build());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void serviceShouldForwardToTheOwnersAndModeratorsOnlyWhenSentToTheOwnerAddress() throws Exception {
        FakeMail mail = post("m1", TEAM_OWNER).build();

        mailet.service(mail);

        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactlyInAnyOrder(address("owner@example.com"), address("moderator@example.com"));
            assertThat(sent.getSender()).isEqualTo(address("team-bounces@lists.example.org"));
            assertThat(sent.getState()).isEqualTo("transport");
            assertThat(sent.getMsg().getHeader("X-Listkeeper-Original-Recipient")).containsExactly(TEAM_OWNER);
            assertThat(sent.getMsg().getSubject()).isEqualTo("hello");
        });
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void serviceShouldForwardToThePostmasterWhenTheListHasNoOwners() throws Exception {
        mailet.service(post("m1", DEV_OWNER).build());

        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactly(address(POSTMASTER));
            assertThat(sent.getSender()).isEqualTo(address("dev-bounces@lists.example.org"));
        });
    }

    @Test
    void serviceShouldForwardOnceToEachListsOwnersWhenSentToTwoOwnerAddresses() throws Exception {
        mailet.service(post("m1", TEAM_OWNER, DEV_OWNER).build());

        assertThat(context.getSentMails()).extracting(SentMail::getSender)
            .containsExactlyInAnyOrder(address("team-bounces@lists.example.org"), address("dev-bounces@lists.example.org"));
        assertThat(context.getSentMails()).extracting(sent -> sent.getMsg().getHeader("X-Listkeeper-Original-Recipient")[0])
            .containsExactlyInAnyOrder(TEAM_OWNER, DEV_OWNER);
    }

    @Test
    void serviceShouldLeaveTheOtherRecipientsOnTheMailWhenOnlySomeAreListAddresses() throws Exception {
        FakeMail mail = post("m1", TEAM_OWNER, "bob@example.com").state("root").build();

        mailet.service(mail);

        assertThat(context.getSentMails()).hasSize(1);
        assertThat(mail.getRecipients()).containsExactly(address("bob@example.com"));
        assertThat(mail.getState()).isEqualTo("root");
    }

    @Test
    void serviceShouldForwardNothingWhenNoRecipientIsAListAddress() throws Exception {
        FakeMail mail = post("m1", "bob@example.com").state("root").build();

        mailet.service(mail);

        assertThat(context.getSentMails()).isEmpty();
        assertThat(mail.getRecipients()).containsExactly(address("bob@example.com"));
        assertThat(mail.getState()).isEqualTo("root");
    }

    @Test
    void initShouldRefuseAParameterWhenOneIsGiven() {
        ForwardToListOwners configured = new ForwardToListOwners(stores.lists(), stores.roster(), new ListDirectory(stores.lists()));

        assertThatThrownBy(() -> configured.init(FakeMailetConfig.builder().mailetName("forward-to-owners")
            .setProperty("includeModerators", "false").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("includeModerators");
    }
}
