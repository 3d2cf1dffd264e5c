package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;

/** What every {@link org.listkeeper.notices.AutoReplies} implementation must do. */
public interface AutoRepliesContract extends StoreContract {
    @Test
    default void countAutoReplyShouldAllowUpToTheLimitPerAddressAndDay() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        MailAddress alice = address("alice@example.net");
        List<Boolean> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(stores().autoReplies().countAutoReply(list, alice, 100, 3));
        }

        assertThat(answers).containsExactly(true, true, true, false);
        assertThat(stores().autoReplies().countAutoReply(list, alice, 101, 3)).isTrue();
        assertThat(stores().autoReplies().countAutoReply(list, address("bob@example.net"), 100, 3)).isTrue();
        assertThat(stores().autoReplies().countAutoReply(list, alice, 100, 0)).isTrue();
    }
}
