package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
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
}
