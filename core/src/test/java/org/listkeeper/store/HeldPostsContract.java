package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;

/** What every {@link org.listkeeper.moderation.HeldPosts} implementation must do. */
public interface HeldPostsContract extends StoreContract {
    @Test
    default void heldPostsShouldBeRecordedOnceAndDecidedOnce() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        HeldPost held = stores().heldPosts().holdPost(list, "post-1", "Mail1", "x@example.net", "hello", "nonmember", NOW, NOW.plus(Duration.ofDays(14)));
        HeldPost again = stores().heldPosts().holdPost(list, "post-1", "Mail1", "x@example.net", "hello", "nonmember", NOW, NOW.plus(Duration.ofDays(14)));

        assertThat(again.id()).isEqualTo(held.id());
        assertThat(stores().heldPosts().markHeldNotified(held.id())).isTrue();
        assertThat(stores().heldPosts().markHeldNotified(held.id())).isFalse();
        assertThat(stores().heldPosts().decideHeld(held.id(), HeldState.HELD, HeldState.ACCEPTED, "mod", null, NOW)).isTrue();
        assertThat(stores().heldPosts().decideHeld(held.id(), HeldState.HELD, HeldState.REJECTED, "other", "no", NOW)).isFalse();
        HeldPost decided = stores().heldPosts().findHeld(list, held.id()).orElseThrow();
        assertThat(decided.state()).isEqualTo(HeldState.ACCEPTED);
        assertThat(decided.decidedBy()).contains("mod");
        assertThat(stores().heldPosts().heldPosts(list, NOW.minusSeconds(1))).extracting(HeldPost::id).containsExactly(held.id());
    }

    @Test
    default void claimHeldSummaryShouldSucceedOncePerWindow() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        assertThat(stores().heldPosts().claimHeldSummary(list, NOW.minus(Duration.ofDays(1)), NOW)).isTrue();
        assertThat(stores().heldPosts().claimHeldSummary(list, NOW.minus(Duration.ofDays(1)), NOW.plusSeconds(60))).isFalse();
        assertThat(stores().heldPosts().claimHeldSummary(list, NOW.plusSeconds(1), NOW.plus(Duration.ofDays(1)))).isTrue();
    }
}
