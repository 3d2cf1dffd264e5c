package org.listkeeper.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.listkeeper.testing.TestMails.post;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.ListRecipient.Kind;
import org.listkeeper.store.Stores;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.H2ServerFixture;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MutableClock;

class RecipientIsListTest {
    private static final String TEAM = "team@lists.example.org";
    private static final String TEAM_REQUEST = "team-request@lists.example.org";
    private static final String TEAM_OWNER = "team-owner@lists.example.org";
    private static final String TEAM_BOUNCE = "team-bounces+bob=example.com@lists.example.org";
    private static final String BOB = "bob@example.com";
    private static final String[] EVERY_KIND_OF_RECIPIENT = {TEAM, TEAM_REQUEST, TEAM_OWNER, TEAM_BOUNCE, BOB,
        "nobody@lists.example.org"};

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private Stores stores;
    private ListDirectory directory;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        directory = directoryOf(stores);
    }

    /** The directory of {@code stores}, which get the team list. */
    private ListDirectory directoryOf(Stores stores) throws AddressException {
        stores.lists().saveList(new MailAddress(TEAM), ListChanges.none());
        return new ListDirectory(stores.lists(), ListDirectory.DEFAULT_TTL, clock);
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private RecipientIsList matcher(String condition) throws MessagingException {
        RecipientIsList matcher = new RecipientIsList(directory);
        matcher.init(FakeMatcherConfig.builder().matcherName("RecipientIsList").condition(condition).build());
        return matcher;
    }

    private Collection<MailAddress> match(String condition, String... recipients) throws MessagingException {
        return matcher(condition).match(post("m1", recipients).build());
    }

    private static MailAddress[] addresses(String... addresses) throws Exception {
        MailAddress[] result = new MailAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            result[i] = new MailAddress(addresses[i]);
        }
        return result;
    }

    @Test
    void matchShouldAnswerThePostingAddressesWhenNoConditionIsGiven() throws Exception {
        assertThat(match(null, EVERY_KIND_OF_RECIPIENT)).containsExactly(addresses(TEAM));
        assertThat(matcher("  ").kinds()).containsExactly(Kind.POST);
    }

    @Test
    void matchShouldAnswerTheNamedKindsOfSubAddressWhenAConditionIsGiven() throws Exception {
        assertThat(match("owner, Request,BOUNCES", EVERY_KIND_OF_RECIPIENT)).containsExactly(addresses(TEAM_REQUEST, TEAM_OWNER,
            TEAM_BOUNCE));
    }

    @Test
    void matchShouldAnswerNoRecipientWhenNoneIsOfANamedKind() throws Exception {
        assertThat(match("confirm", TEAM, TEAM_REQUEST, BOB)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"post,admins", "post,,request"})
    void initShouldRefuseTheConditionWhenItNamesAnUnknownKind(String condition) {
        assertThatThrownBy(() -> matcher(condition))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("RecipientIsList: unknown address kind")
            .hasMessageContaining("known are post, request, owner, bounces");
    }

    @Test
    void initShouldRefuseTheConditionWhenItNamesNoKind() {
        assertThatThrownBy(() -> matcher(","))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("names no address kind");
    }

    @Test
    void matchShouldAnswerFromItsSnapshotWhenTheStoreGoesDownAfterALookup(@TempDir Path directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(directory).start(); JdbcStores served = JdbcStores.open(h2.configuration())) {
            this.directory = directoryOf(served);
            RecipientIsList matcher = matcher(null);
            matcher.match(post("m1", TEAM).build());
            h2.stop();
            clock.advance(Duration.ofMinutes(1));

            assertThat(matcher.match(post("m2", TEAM, BOB).build())).containsExactly(addresses(TEAM));
        }
    }

    @Test
    void matchShouldFailWhenTheStoreIsDownBeforeAnyLookup(@TempDir Path directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(directory).start(); JdbcStores served = JdbcStores.open(h2.configuration())) {
            this.directory = directoryOf(served);
            RecipientIsList matcher = matcher(null);
            h2.stop();

            assertThatThrownBy(() -> matcher.match(post("m1", TEAM).build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("RecipientIsList cannot read the list directory");
        }
    }
}
