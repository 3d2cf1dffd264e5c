package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.Delivery;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.Member;

/** What every {@link org.listkeeper.Transactions} implementation must do. */
public interface TransactionsContract extends StoreContract {
    @Test
    default void atomicallyShouldWriteNothingWhenWorkFails() throws Exception {
        MailAddress team = address("team@lists.example.org");
        MailAddress alice = address("alice@example.net");
        stores().lists().saveList(team, ListChanges.none());

        assertThatThrownBy(() -> stores().transactions().atomically(() -> {
            stores().roster().addMember(id(team), Member.of(alice));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(stores().roster().findMember(id(team), alice)).isEmpty();
        assertThat(stores().transactions().atomically(() -> stores().roster().addMember(id(team), Member.of(alice)))).isTrue();
        assertThat(stores().roster().findMember(id(team), address("alice@example.net"))).isPresent();
    }

    /** A unit of work across aggregates (bounce processing disabling a member): the second write fails, the first goes too. */
    @Test
    default void atomicallyShouldUndoTheRosterWriteWhenTheBounceRecordWriteFails() throws Exception {
        MailAddress team = address("team@lists.example.org");
        MailAddress alice = address("alice@example.net");
        long list = stores().lists().saveList(team, ListChanges.none()).id();
        stores().roster().saveMember(list, Member.of(alice));

        assertThatThrownBy(() -> stores().transactions().atomically(() -> {
            stores().roster().saveMember(list, Member.builder(alice).delivery(Delivery.DISABLED).disabledBy(DisabledBy.BOUNCE).build());
            stores().bounces().saveBounceState(list, alice, BounceState.of(5, NOW, 1, NOW));
            throw new IllegalStateException("the bounce record could not be written");
        })).hasMessageContaining("bounce record");

        assertThat(stores().roster().findMember(list, alice)).hasValueSatisfying(member ->
            assertThat(member.delivery()).isEqualTo(Delivery.ENABLED));
        assertThat(stores().bounces().bounceState(list, alice)).contains(BounceState.clean());
    }
}
