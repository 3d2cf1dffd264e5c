package org.listkeeper.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.listkeeper.testing.TestMails.post;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.RequestState;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.store.Stores;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.H2ServerFixture;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MemoryHoldQueue;
import org.listkeeper.testing.MutableClock;

/** The two housekeeping rounds, called directly rather than waited for. */
class HousekeepingTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String TEAM = "team@lists.example.org";
    private static final String OWNER = "owner@example.com";

    private final MutableClock clock = new MutableClock(NOW);
    private final FakeMailContext context = FakeMailContext.defaultContext();
    @TempDir
    Path dataDirectory;
    private Stores stores;
    private MemoryHoldQueue holdQueue;
    private Moderation moderation;
    private Housekeeping housekeeping;
    private ServerComponents server;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        long team = stores.lists().saveList(new MailAddress(TEAM), ListChanges.none()).id();
        stores.roster().saveMember(team, Member.builder(new MailAddress(OWNER)).role(Role.OWNER).build());
        server = new ServerComponents(stores, clock, dataDirectory.toFile());
        holdQueue = server.holdQueue;
        moderation = server.moderation;
        housekeeping = server.housekeeping;
    }

    @AfterEach
    void tearDown() {
        housekeeping.stop();
        stores.close();
    }

    /** Gives the housekeeping its context and claim window as the list mailets do, without leaving its rounds scheduled. */
    private void startedBy(Duration... duplicateWindows) {
        for (Duration window : duplicateWindows) {
            housekeeping.start(context, "transport", window);
        }
        housekeeping.stop();
    }

    private MailingList team() throws Exception {
        return stores.lists().getList(new MailAddress(TEAM));
    }

    private PendingRequest request(String address, Instant expiresAt) throws Exception {
        return stores.requests().createRequest(team().id(), RequestAction.SUBSCRIBE, Member.of(new MailAddress(address)),
            RequestState.CONFIRMING, address, NOW.minus(Duration.ofDays(3)), expiresAt);
    }

    private RequestState stateOf(PendingRequest request) throws Exception {
        return stores.requests().findRequest(team().id(), request.id()).orElseThrow().state();
    }

    private HeldPost hold(String name) throws Exception {
        moderation.hold(team(), post(name, TEAM).build(), name, "needs approval");
        return stores.heldPosts().heldPosts(team().id(), Instant.EPOCH).stream().filter(held -> held.postKey().equals(name))
            .findFirst().orElseThrow();
    }

    private HeldState stateOf(HeldPost held) throws Exception {
        return stores.heldPosts().findHeld(team().id(), held.id()).orElseThrow().state();
    }

    @Test
    void storeHousekeepingShouldMarkRequestsExpiredWhenPastTheirExpiry() throws Exception {
        PendingRequest expired = request("late@example.net", NOW.minus(Duration.ofHours(1)));
        PendingRequest open = request("early@example.net", NOW.plus(Duration.ofDays(1)));
        startedBy(Duration.ofDays(7));

        housekeeping.storeHousekeeping();

        assertThat(stateOf(expired)).isEqualTo(RequestState.EXPIRED);
        assertThat(stateOf(open)).isEqualTo(RequestState.CONFIRMING);
    }

    @Test
    void storeHousekeepingShouldForgetClaimsWhenOlderThanTheLongestDuplicateWindow() throws Exception {
        long team = team().id();
        stores.posts().claimBatch(team, "old-post", "0", "item-1", NOW.minus(Duration.ofDays(8)));
        stores.posts().claimBatch(team, "recent-post", "0", "item-2", NOW.minus(Duration.ofDays(3)));
        // two posting mailets, windows of 2 and 7 days: the longer one wins whatever the order
        startedBy(Duration.ofDays(7), Duration.ofDays(2));

        housekeeping.storeHousekeeping();

        assertThat(stores.posts().claimBatch(team, "old-post", "0", "item-3", NOW).isDuplicate()).isFalse();
        assertThat(stores.posts().claimBatch(team, "recent-post", "0", "item-3", NOW).isDuplicate()).isTrue();
    }

    @Test
    void storeHousekeepingShouldDropTokensWhenAMonthPastTheirExpiry() throws Exception {
        long team = team().id();
        stores.tokens().saveToken("old-hash", team, TokenAction.MODERATE, OWNER, Optional.empty(), Optional.empty(),
            NOW.minus(Duration.ofDays(45)), NOW.minus(Duration.ofDays(31)));
        stores.tokens().saveToken("recent-hash", team, TokenAction.MODERATE, OWNER, Optional.empty(), Optional.empty(),
            NOW.minus(Duration.ofDays(20)), NOW.minus(Duration.ofDays(6)));
        startedBy(Duration.ofDays(7));

        housekeeping.storeHousekeeping();

        assertThat(stores.tokens().findToken("old-hash")).isEmpty();
        assertThat(stores.tokens().findToken("recent-hash")).isPresent();
    }

    @Test
    void storeHousekeepingShouldReturnQuietlyWhenTheStoreIsDown(@TempDir Path h2Directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(h2Directory).start(); JdbcStores served = JdbcStores.open(h2.configuration())) {
            housekeeping = new ServerComponents(served, clock, dataDirectory.toFile()).housekeeping;
            startedBy(Duration.ofDays(7));
            h2.stop();

            // a scheduled task that throws is never run again
            assertThatCode(housekeeping::storeHousekeeping).doesNotThrowAnyException();
            assertThatCode(housekeeping::listHousekeeping).doesNotThrowAnyException();
        }
    }

    @Test
    void listHousekeepingShouldExpireAHeldPostAndTellTheOwnersWhenNobodyDecidedInTime() throws Exception {
        HeldPost held = hold("p1");
        startedBy(Duration.ofDays(7));
        context.resetSentMails();
        clock.advance(team().heldPostLifetime().plus(Duration.ofMinutes(1)));

        housekeeping.listHousekeeping();

        assertThat(stateOf(held)).isEqualTo(HeldState.EXPIRED);
        assertThat(holdQueue.keys()).isEmpty();
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactly(new MailAddress(OWNER));
            assertThat(sent.getState()).isEqualTo("transport");
            assertThat(sent.getSender()).isEqualTo(new MailAddress("team-bounces@lists.example.org"));
        });
    }

    @Test
    void listHousekeepingShouldLeaveAHeldPostWaitingWhenItHasNotExpired() throws Exception {
        HeldPost held = hold("p1");
        startedBy(Duration.ofDays(7));
        context.resetSentMails();
        clock.advance(Duration.ofDays(1));

        housekeeping.listHousekeeping();

        assertThat(stateOf(held)).isEqualTo(HeldState.HELD);
        assertThat(holdQueue.keys()).containsExactly("p1");
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void listHousekeepingShouldReleaseAnAcceptedPostWhenACrashLeftItInTheHoldQueue() throws Exception {
        HeldPost held = hold("p1");
        // a moderator accepted it, and the server stopped before the post was queued again
        stores.heldPosts().decideHeld(held.id(), HeldState.HELD, HeldState.ACCEPTED, OWNER, null, NOW);
        startedBy(Duration.ofDays(7));

        housekeeping.listHousekeeping();

        assertThat(holdQueue.released()).containsExactly("p1");
        assertThat(holdQueue.keys()).isEmpty();
    }

    @Test
    void twoNodesShouldDoEachRoundOneAtATimeAndTheSecondShouldTakeOverWhenTheFirstStops() throws Exception {
        Housekeeping other = server.housekeeping("other-node");
        HeldPost held = hold("p1");
        startedBy(Duration.ofDays(7));
        other.start(context, "transport", Duration.ofDays(7));
        other.stop();
        clock.advance(team().heldPostLifetime().plus(Duration.ofMinutes(1)));
        // this node does the round now: it took the lease (three rounds of the default five minutes)
        housekeeping.storeHousekeeping();
        assertThat(stores.leases().acquire(Housekeeping.LIST_LEASE, "this-node", clock.instant(), Duration.ofMinutes(15))).isTrue();

        // so the other node's round does nothing, though the held post has expired
        other.listHousekeeping();
        other.storeHousekeeping();
        assertThat(stateOf(held)).isEqualTo(HeldState.HELD);
        assertThat(stores.leases().holder(Housekeeping.STORE_LEASE, clock.instant())).contains("this-node");

        // this node dies: once its lease ran out, the other node takes the round over
        clock.advance(Duration.ofMinutes(16));
        other.listHousekeeping();
        assertThat(stateOf(held)).isEqualTo(HeldState.EXPIRED);
        assertThat(stores.leases().holder(Housekeeping.LIST_LEASE, clock.instant())).contains("other-node");

        // a node that stops gives its leases up at once
        other.stop();
        assertThat(stores.leases().holder(Housekeeping.LIST_LEASE, clock.instant())).isEmpty();
    }
}
