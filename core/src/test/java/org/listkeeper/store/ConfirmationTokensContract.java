package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;

/** What every {@link org.listkeeper.membership.ConfirmationTokens} implementation must do. */
public interface ConfirmationTokensContract extends StoreContract {
    @Test
    default void useTokenShouldSucceedOnceAndAgainOnlyForTheSameUse() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        stores().tokens().saveToken("hash-1", list, TokenAction.CONFIRM, "alice@example.net", Optional.empty(), Optional.empty(), NOW,
            NOW.plus(Duration.ofDays(3)));

        assertThat(stores().tokens().useToken("hash-1", "mail-1", NOW)).isTrue();
        assertThat(stores().tokens().useToken("hash-1", "mail-1", NOW)).isTrue();
        assertThat(stores().tokens().useToken("hash-1", "mail-2", NOW)).isFalse();
        TokenRecord record = stores().tokens().findToken("hash-1").orElseThrow();
        assertThat(record.usedBy()).contains("mail-1");
        assertThat(record.action()).isEqualTo(TokenAction.CONFIRM);
        assertThat(stores().tokens().findToken("hash-2")).isEmpty();
    }
}
