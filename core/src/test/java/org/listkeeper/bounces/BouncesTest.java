package org.listkeeper.bounces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.store.StoreConfiguration;
import org.listkeeper.testing.FailingBounceRecords;
import org.listkeeper.testing.MutableClock;

class BouncesTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private JdbcStores stores;
    private MutableClock clock;
    private Bounces bounces;
    private MailAddress team;
    private MailAddress alice;

    @BeforeEach
    void setUp() throws Exception {
        stores = JdbcStores.open(StoreConfiguration.of("jdbc:h2:mem:bounces" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
            "sa", "", 4, Duration.ofSeconds(5)));
        clock = new MutableClock(Instant.parse("2026-11-02T09:00:00Z"));
        bounces = new Bounces(stores.roster(), stores.bounces(), stores.transactions(), clock);
        team = new MailAddress("team@lists.example.org");
        alice = new MailAddress("alice@member.example");
        stores.lists().saveList(team, ListChanges.none());
        stores.roster().saveMember(teamId(), Member.of(alice));
        stores.roster().saveMember(teamId(), Member.builder(new MailAddress("boss@member.example")).role(Role.OWNER).build());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private MailingList list() {
        return stores.lists().getList(team);
    }

    private Member alice() {
        return stores.roster().findMember(teamId(), alice).orElseThrow();
    }

    private int score() {
        return stores.bounces().bounceState(list().id(), alice).orElseThrow().score();
    }

    @Test
    void recordShouldLeaveTheMemberEnabledWhenTheBounceRecordCannotBeWrittenAfterTheRosterWas() {
        BounceRecords failing = new FailingBounceRecords(stores.bounces());
        Bounces breaking = new Bounces(stores.roster(), failing, stores.transactions(), clock);
        for (int day = 0; day < 4; day++) {
            bounces.record(list(), alice);
            clock.advance(Duration.ofDays(1));
        }

        // the fifth bounce disables alice (roster) and records the score (bounce record) in one unit of work
        assertThatThrownBy(() -> breaking.record(list(), alice)).hasMessageContaining("bounce record");

        assertThat(alice().delivery()).isEqualTo(Delivery.ENABLED);
        assertThat(alice().disabledBy()).isEmpty();
        assertThat(score()).isEqualTo(4);
    }

    @Test
    void fiveBouncesOnFiveDaysShouldDisableTheMemberAndSendOneWarningAsAProbe() {
        List<Notice> notices = List.of();
        for (int day = 0; day < 5; day++) {
            assertThat(alice().delivery()).isEqualTo(Delivery.ENABLED);
            notices = bounces.record(list(), alice);
            clock.advance(Duration.ofDays(1));
        }

        assertThat(alice().delivery()).isEqualTo(Delivery.DISABLED);
        assertThat(alice().disabledBy()).contains(DisabledBy.BOUNCE);
        assertThat(notices).singleElement().satisfies(warning -> {
            assertThat(warning.kind()).isEqualTo(NoticeKind.BOUNCE_WARNING);
            assertThat(warning.recipient()).isEqualTo(alice);
            assertThat(warning.envelope().isPresent()).isTrue();
        });
        assertThat(stores.roster().deliveryPage(list().id(), java.util.Optional.empty(), 10)).extracting(Member::address).doesNotContain(alice);
    }

    @Test
    void bouncesOfOneDayShouldCountOnceAndAWeekWithoutBouncesShouldStartAgain() {
        bounces.record(list(), alice);
        bounces.record(list(), alice);
        bounces.record(list(), alice);
        assertThat(score()).isEqualTo(1);

        clock.advance(Duration.ofDays(1));
        bounces.record(list(), alice);
        assertThat(score()).isEqualTo(2);

        clock.advance(Duration.ofDays(8));
        bounces.record(list(), alice);
        assertThat(score()).isEqualTo(1);
        clock.advance(Duration.ofDays(8));
        bounces.housekeeping(list());
        assertThat(score()).isZero();
    }

    @Test
    void aProbeThatIsNotBouncedShouldEnableDeliveryAgain() {
        for (int day = 0; day < 5; day++) {
            bounces.record(list(), alice);
            clock.advance(Duration.ofDays(1));
        }
        assertThat(alice().delivery()).isEqualTo(Delivery.DISABLED);

        clock.advance(Duration.ofDays(3));
        bounces.housekeeping(list());

        assertThat(alice().delivery()).isEqualTo(Delivery.ENABLED);
        assertThat(score()).isZero();
    }

    @Test
    void anAddressThatBouncesEveryWarningShouldBeRemovedAndTheOwnersTold() {
        for (int day = 0; day < 5; day++) {
            bounces.record(list(), alice);
            clock.advance(Duration.ofDays(1));
        }
        int warnings = 1;
        List<Notice> last = List.of();
        for (int round = 0; round < 10 && stores.roster().findMember(teamId(), alice).isPresent(); round++) {
            clock.advance(Duration.ofHours(1));
            bounces.record(list(), alice); // the warning bounced
            clock.advance(Duration.ofDays(7));
            last = bounces.housekeeping(list());
            warnings += (int) last.stream().filter(n -> n.kind() == NoticeKind.BOUNCE_WARNING).count();
        }

        assertThat(stores.roster().findMember(teamId(), alice)).isEmpty();
        assertThat(warnings).isEqualTo(3);
        assertThat(last).extracting(Notice::kind).containsExactly(NoticeKind.BOUNCE_REMOVED);
        assertThat(last.get(0).recipient().asString()).isEqualTo("boss@member.example");
    }

    @Test
    void verpShouldKeepLocalPartsWithin64CharactersAndMapBack() throws Exception {
        MailAddress shortOne = new MailAddress("bob@example.com");
        MailAddress longOne = new MailAddress("a.very.long.local.part.for.testing.purposes@subdomain.of.a.long.domain.example");
        stores.roster().saveMember(teamId(), Member.of(longOne));

        MailAddress plain = Verp.envelope(stores.bounces(), list(), shortOne, clock.instant());
        MailAddress token = Verp.envelope(stores.bounces(), list(), longOne, clock.instant());

        assertThat(plain.asString()).isEqualTo("team-bounces+bob=example.com@lists.example.org");
        assertThat(token.getLocalPart()).hasSizeLessThanOrEqualTo(Verp.MAX_LOCAL_PART).startsWith("team-bounces+t-");
        assertThat(Verp.envelope(stores.bounces(), list(), longOne, clock.instant())).isEqualTo(token);
        assertThat(Verp.member(stores.bounces(), list(), plain.getLocalPart().substring("team-bounces+".length()))).contains(shortOne);
        assertThat(Verp.member(stores.bounces(), list(), token.getLocalPart().substring("team-bounces+".length())).map(MailAddress::asString))
            .contains(longOne.asString());
    }

    @Test
    void verpShouldReadAMemberWhoseLocalPartStartsLikeAToken() throws Exception {
        MailAddress rex = new MailAddress("t-rex@example.com");
        MailAddress token = new MailAddress("T-1000@example.com");
        stores.roster().saveMember(teamId(), Member.of(rex));
        MailAddress longOne = new MailAddress("a.very.long.local.part.for.testing.purposes@subdomain.of.a.long.domain.example");
        stores.roster().saveMember(teamId(), Member.of(longOne));
        String alreadySent = Verp.envelope(stores.bounces(), list(), longOne, clock.instant()).getLocalPart().substring("team-bounces+".length());

        MailAddress envelope = Verp.envelope(stores.bounces(), list(), rex, clock.instant());

        assertThat(envelope.asString()).isEqualTo("team-bounces+t-rex=example.com@lists.example.org");
        assertThat(Verp.member(stores.bounces(), list(), "t-rex=example.com")).contains(rex);
        assertThat(Verp.member(stores.bounces(), list(), "T-1000=example.com")).contains(token);
        assertThat(alreadySent).startsWith("t-");
        assertThat(Verp.member(stores.bounces(), list(), alreadySent).map(MailAddress::asString)).contains(longOne.asString());
        assertThat(Verp.member(stores.bounces(), list(), "t-")).isEmpty();
        assertThat(Verp.member(stores.bounces(), list(), "t-unknowntoken1")).isEmpty();
    }

    private long teamId() {
        return stores.lists().getList(team).id();
    }

    private BounceDetail detail() {
        return stores.bounces().bounceDetail(list().id(), alice).orElseThrow();
    }

    @Test
    void policyMessageAndTransientFailuresShouldNeverCountButBeKeptAsTheLastBounce() {
        for (BounceClass unscored : List.of(BounceClass.POLICY, BounceClass.MESSAGE, BounceClass.TRANSIENT)) {
            for (int day = 0; day < 6; day++) {
                Bounces.Outcome outcome = bounces.record(list(), alice, unscored, "550 5.7.1 blocked");
                assertThat(outcome.member()).isTrue();
                assertThat(outcome.scored()).isFalse();
                assertThat(outcome.notices()).isEmpty();
                clock.advance(Duration.ofDays(1));
            }
            assertThat(detail().lastClass()).contains(unscored);
        }

        assertThat(score()).isZero();
        assertThat(alice().delivery()).isEqualTo(Delivery.ENABLED);
        assertThat(detail().lastReply()).contains("550 5.7.1 blocked");
        assertThat(detail().lastAt()).contains(clock.instant().minus(Duration.ofDays(1)));
    }

    @Test
    void aFullMailboxShouldCountOnlyOnceReportedFullOnTheConfiguredNumberOfDistinctDays() {
        // three reports on the first day are one day
        for (int i = 0; i < 3; i++) {
            assertThat(bounces.record(list(), alice, BounceClass.FULL, "552 5.2.2 over quota").scored()).isFalse();
        }
        clock.advance(Duration.ofDays(1));
        assertThat(bounces.record(list(), alice, BounceClass.FULL, "552 5.2.2 over quota").scored()).isFalse();
        assertThat(detail().fullDays()).isEqualTo(2);
        assertThat(score()).isZero();
        clock.advance(Duration.ofDays(1));

        assertThat(bounces.record(list(), alice, BounceClass.FULL, "552 5.2.2 over quota").scored()).isTrue();
        assertThat(score()).isEqualTo(1);
    }

    @Test
    void aFullMailboxThatWasEmptiedShouldStartCountingItsDaysAgain() {
        stores.lists().saveList(team, ListChanges.builder().set(ListChanges.Setting.BOUNCE_FULL_DAYS, "2").build());
        bounces.record(list(), alice, BounceClass.FULL, "over quota");
        clock.advance(Duration.ofDays(10)); // longer than bounceScoreDecay without a full report

        assertThat(bounces.record(list(), alice, BounceClass.FULL, "over quota").scored()).isFalse();
        assertThat(detail().fullDays()).isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        assertThat(bounces.record(list(), alice, BounceClass.FULL, "over quota").scored()).isTrue();
    }

    @Test
    void aMailboxFailureAndAPolicyRefusalOnOneDayShouldCountOnceForTheMailboxFailure() {
        assertThat(bounces.record(list(), alice, BounceClass.POLICY, "550 5.7.1 blocked").scored()).isFalse();
        assertThat(bounces.record(list(), alice, BounceClass.MAILBOX, "550 5.1.1 unknown").scored()).isTrue();
        assertThat(bounces.record(list(), alice, BounceClass.POLICY, "550 5.7.1 blocked").scored()).isFalse();
        assertThat(bounces.record(list(), alice, BounceClass.MAILBOX, "550 5.1.1 unknown").scored()).isFalse();

        assertThat(score()).isEqualTo(1);
    }

    @Test
    void aBounceOfAnAddressOffTheRosterShouldRecordNothing() throws Exception {
        Bounces.Outcome outcome = bounces.record(list(), new MailAddress("stranger@member.example"), BounceClass.MAILBOX, "unknown");

        assertThat(outcome.member()).isFalse();
        assertThat(outcome.scored()).isFalse();
    }

    @Test
    void policyRefusalsOfEnoughMembersAtOneDomainShouldOpenOneBlockEventWithOneNotice() throws Exception {
        long id = list().id();
        List<Notice> notices = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            MailAddress member = new MailAddress("m" + i + "@gmail.example");
            stores.roster().saveMember(id, Member.of(member));
            bounces.record(list(), member, BounceClass.POLICY, "550-5.7.1 blocked");
            stores.bounces().logBounce(id, "mail-" + i, new BounceLogEntry(clock.instant(), member, BounceClass.POLICY, false, "blocked"));
            bounces.detectBlock(list(), "gmail.example", "550-5.7.1 blocked").ifPresent(notices::add);
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(notices).singleElement().satisfies(notice -> {
            assertThat(notice.kind()).isEqualTo(NoticeKind.BOUNCE_BLOCK);
            assertThat(notice.values()).containsEntry("domain", "gmail.example").containsEntry("members", "5");
        });
        assertThat(stores.bounces().blocks(id, true, 10)).singleElement().extracting(BlockEvent::members).isEqualTo(7);
    }

    @Test
    void policyRefusalsSpreadWiderThanTheWindowShouldOpenNoBlockEvent() throws Exception {
        long id = list().id();
        for (int i = 0; i < 6; i++) {
            MailAddress member = new MailAddress("m" + i + "@gmail.example");
            stores.roster().saveMember(id, Member.of(member));
            stores.bounces().logBounce(id, "mail-" + i, new BounceLogEntry(clock.instant(), member, BounceClass.POLICY, false, "blocked"));
            assertThat(bounces.detectBlock(list(), "gmail.example", "blocked")).isEmpty();
            clock.advance(Duration.ofMinutes(20));
        }

        assertThat(stores.bounces().blocks(id, false, 10)).isEmpty();
    }

    @Test
    void housekeepingShouldCloseABlockEventOnceTheDomainHasRefusedNoOneForThreeDays() throws Exception {
        long id = list().id();
        stores.bounces().logBounce(id, "mail-1", new BounceLogEntry(clock.instant(), alice, BounceClass.POLICY, false, "blocked"));
        long event = stores.bounces().openBlock(id, "member.example", clock.instant(), clock.instant(), "blocked").orElseThrow().id();

        clock.advance(Duration.ofDays(2));
        bounces.housekeeping(list());
        assertThat(stores.bounces().blocks(id, true, 10)).extracting(BlockEvent::id).containsExactly(event);

        clock.advance(Duration.ofDays(2));
        bounces.housekeeping(list());
        assertThat(stores.bounces().blocks(id, true, 10)).isEmpty();
        assertThat(stores.bounces().blocks(id, false, 10)).singleElement()
            .satisfies(closed -> assertThat(closed.closedBy()).contains("expired"));
    }
}
