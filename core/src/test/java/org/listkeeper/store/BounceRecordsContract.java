package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.Member;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.Delivery;
import org.listkeeper.bounces.BounceState;
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
}
