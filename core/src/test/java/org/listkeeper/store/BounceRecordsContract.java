package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.Member;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.Delivery;
import org.listkeeper.bounces.BlockEvent;
import org.listkeeper.bounces.BounceClass;
import org.listkeeper.bounces.BounceDetail;
import org.listkeeper.bounces.BounceLogEntry;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.bounces.BounceSummary;
import java.util.List;
import java.time.Duration;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;

/** What every {@link org.listkeeper.bounces.BounceRecords} implementation must do. */
public interface BounceRecordsContract extends StoreContract {
    @Test
    default void verpTokensShouldBeStablePerMemberAndMapBack() throws Exception {
        MailingList list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none());
        MailAddress member = address("someone.with.a.long.address@example.com");

        String token = stores().bounces().verpToken(list.id(), member, NOW);

        assertThat(stores().bounces().verpToken(list.id(), member, NOW)).isEqualTo(token);
        assertThat(stores().bounces().verpAddress(list.id(), token.toUpperCase(java.util.Locale.ROOT))).contains(org.listkeeper.list.Addresses.key(member));
        assertThat(stores().bounces().verpAddress(list.id(), "nosuchtoken")).isEmpty();
    }

    @Test
    default void bounceStateShouldBeKeptPerRosterEntryAndOnlyForEntriesOnTheRoster() throws Exception {
        MailAddress team = address("team@lists.example.org");
        MailAddress alice = address("alice@example.net");
        long list = stores().lists().saveList(team, ListChanges.none()).id();
        stores().roster().saveMember(list, Member.of(alice));

        assertThat(stores().bounces().bounceState(list, alice)).contains(BounceState.clean());
        assertThat(stores().bounces().saveBounceState(list, alice, BounceState.of(2, NOW, 1, NOW))).isTrue();
        assertThat(stores().bounces().bounceState(list, address("ALICE@example.net"))).contains(BounceState.of(2, NOW, 1, NOW));
        assertThat(stores().bounces().bounceState(list, address("nobody@example.net"))).isEmpty();
        assertThat(stores().bounces().saveBounceState(list, address("nobody@example.net"), BounceState.of(1, NOW, 0, null))).isFalse();
    }

    @Test
    default void disabledByBounceAndForgetBouncesBeforeShouldReadAndClearTheRoster() throws Exception {
        MailAddress team = address("team@lists.example.org");
        long list = stores().lists().saveList(team, ListChanges.none()).id();
        MailAddress old = address("old@example.net");
        MailAddress recent = address("recent@example.net");
        MailAddress disabled = address("disabled@example.net");
        stores().roster().saveMember(list, Member.of(old));
        stores().roster().saveMember(list, Member.of(recent));
        stores().roster().saveMember(list, Member.builder(disabled).delivery(Delivery.DISABLED).disabledBy(DisabledBy.BOUNCE).build());
        stores().bounces().saveBounceState(list, old, BounceState.of(1, NOW.minus(Duration.ofDays(10)), 0, null));
        stores().bounces().saveBounceState(list, recent, BounceState.of(1, NOW, 0, null));

        assertThat(stores().bounces().disabledByBounce(list)).extracting(Member::address).containsExactly(disabled);
        assertThat(stores().bounces().forgetBouncesBefore(list, NOW.minus(Duration.ofDays(7)))).isEqualTo(1);
        assertThat(stores().bounces().bounceState(list, old).map(BounceState::score)).contains(0);
        assertThat(stores().bounces().bounceState(list, recent).map(BounceState::score)).contains(1);
    }

    @Test
    default void bounceDetailShouldKeepTheLastBounceAndFullDaysOfRosterEntriesOnly() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        MailAddress alice = address("alice@example.net");
        stores().roster().saveMember(list, Member.of(alice));
        BounceDetail detail = BounceDetail.of(BounceClass.POLICY, "550 5.7.1 blocked", NOW, 2, NOW.minus(Duration.ofDays(1)));

        assertThat(stores().bounces().bounceDetail(list, alice)).contains(BounceDetail.none());
        assertThat(stores().bounces().saveBounceDetail(list, alice, detail)).isTrue();
        assertThat(stores().bounces().bounceDetail(list, alice)).contains(detail);
        assertThat(stores().bounces().bounceDetail(list, address("nobody@example.net"))).isEmpty();
        assertThat(stores().bounces().saveBounceDetail(list, address("nobody@example.net"), detail)).isFalse();
        // a long reply is cut, not refused
        stores().bounces().saveBounceDetail(list, alice, BounceDetail.of(BounceClass.MAILBOX, "x".repeat(2000), NOW, 0, null));
        assertThat(stores().bounces().bounceDetail(list, alice).flatMap(BounceDetail::lastReply).orElseThrow()).hasSize(500);
    }

    @Test
    default void theBounceLogShouldKeepEachMailsBounceOnceAndSummariseByClassAndDomain() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        MailAddress a = address("a@gmail.example");
        MailAddress b = address("b@gmail.example");
        MailAddress c = address("c@other.example");

        assertThat(stores().bounces().logBounce(list, "mail-1", new BounceLogEntry(NOW, a, BounceClass.POLICY, false, "blocked"))).isTrue();
        assertThat(stores().bounces().logBounce(list, "mail-1", new BounceLogEntry(NOW, a, BounceClass.POLICY, false, "blocked"))).isFalse();
        stores().bounces().logBounce(list, "mail-2", new BounceLogEntry(NOW, b, BounceClass.POLICY, false, "blocked"));
        stores().bounces().logBounce(list, "mail-3", new BounceLogEntry(NOW, a, BounceClass.POLICY, false, "blocked"));
        stores().bounces().logBounce(list, "mail-4", new BounceLogEntry(NOW, c, BounceClass.MAILBOX, true, "550 5.1.1 unknown"));
        stores().bounces().logBounce(list, "mail-5", new BounceLogEntry(NOW, null, null, false, "no report"));
        stores().bounces().logBounce(list, "mail-6", new BounceLogEntry(NOW.minus(Duration.ofDays(2)), c, BounceClass.MAILBOX, true, "old"));

        assertThat(stores().bounces().policyRefusals(list, "GMAIL.example", NOW.minusSeconds(60))).isEqualTo(2);
        assertThat(stores().bounces().policyRefusals(list, "other.example", NOW.minusSeconds(60))).isZero();
        List<BounceSummary> summary = stores().bounces().bounceSummary(list, NOW.minus(Duration.ofDays(1)));
        assertThat(summary).extracting(BounceSummary::bounceClass, BounceSummary::domain, BounceSummary::received, BounceSummary::scored)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("policy", "gmail.example", 3, 0),
                org.assertj.core.groups.Tuple.tuple("mailbox", "other.example", 1, 1),
                org.assertj.core.groups.Tuple.tuple("unrecognised", "", 1, 0));
        assertThat(stores().bounces().forgetBounceLogBefore(list, NOW.minus(Duration.ofDays(1)))).isEqualTo(1);
    }

    @Test
    default void aDomainShouldHaveOneOpenBlockEventAtATimeCountingTheMembersItRefused() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        for (int i = 0; i < 3; i++) {
            stores().bounces().logBounce(list, "mail-" + i, new BounceLogEntry(NOW, address("m" + i + "@gmail.example"),
                BounceClass.POLICY, false, "blocked"));
        }

        BlockEvent opened = stores().bounces().openBlock(list, "gmail.example", NOW.minusSeconds(3600), NOW, "550 5.7.1 blocked")
            .orElseThrow();
        assertThat(stores().bounces().openBlock(list, "gmail.example", NOW.minusSeconds(3600), NOW, "again")).isEmpty();
        assertThat(opened.members()).isEqualTo(3);
        assertThat(opened.open()).isTrue();
        assertThat(stores().bounces().openBlocks()).extracting(BlockEvent::domain).containsExactly("gmail.example");
        stores().bounces().logBounce(list, "mail-9", new BounceLogEntry(NOW.plusSeconds(5), address("m9@gmail.example"),
            BounceClass.POLICY, false, "blocked"));
        assertThat(stores().bounces().blocks(list, true, 10)).singleElement().extracting(BlockEvent::members).isEqualTo(4);

        // a delivery before the event opened closes nothing; one after it closes the event
        assertThat(stores().bounces().closeBlocks(list, List.of("gmail.example"), NOW.minusSeconds(1), "delivery")).isZero();
        assertThat(stores().bounces().closeBlocks(list, List.of("other.example", "gmail.example"), NOW.plusSeconds(10), "delivery"))
            .isEqualTo(1);
        assertThat(stores().bounces().blocks(list, true, 10)).isEmpty();
        assertThat(stores().bounces().blocks(list, false, 10)).singleElement().satisfies(event -> {
            assertThat(event.closedBy()).contains("delivery");
            assertThat(event.members()).isEqualTo(4);
        });
        // a closed event leaves room for a new one
        BlockEvent again = stores().bounces().openBlock(list, "gmail.example", NOW, NOW.plusSeconds(20), "blocked").orElseThrow();
        assertThat(stores().bounces().closeBlock(list, again.id(), NOW.plusSeconds(30), "owner")).isTrue();
        assertThat(stores().bounces().closeBlock(list, again.id(), NOW.plusSeconds(30), "owner")).isFalse();
        assertThat(stores().bounces().openBlocks()).isEmpty();
    }
}
