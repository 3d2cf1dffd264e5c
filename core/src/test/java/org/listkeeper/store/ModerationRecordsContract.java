package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.moderation.ModerationRecord;

/** What every {@link org.listkeeper.moderation.ModerationRecords} implementation must do. */
public interface ModerationRecordsContract extends StoreContract {
    @Test
    default void recordModerationShouldKeepTheFirstDecisionAndMarkItsNoticesOnce() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        ModerationRecord first = stores().moderationRecords().recordModeration(list, "post-1", ModerationAction.HOLD, "max-size", "too big", NOW);
        ModerationRecord second = stores().moderationRecords().recordModeration(list, "post-1", ModerationAction.ACCEPT, "", "fine", NOW);

        assertThat(second.action()).isEqualTo(ModerationAction.HOLD);
        assertThat(second.reason()).isEqualTo("too big");
        assertThat(first.notified()).isFalse();
        assertThat(stores().moderationRecords().markModerationNotified(list, "post-1")).isTrue();
        assertThat(stores().moderationRecords().markModerationNotified(list, "post-1")).isFalse();
        assertThat(stores().moderationRecords().moderation(list, "post-2")).isEmpty();
    }
}
