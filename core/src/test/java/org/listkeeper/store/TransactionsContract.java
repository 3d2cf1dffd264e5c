package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
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
}
