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

    /** Seen end to end: two bounces forwarded at once, and the second was dropped as if ten had gone out that day. */
    @Test
    default void countAutoReplyShouldCountEveryConcurrentFirstReplyOfTheDayUpToTheLimit() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        MailAddress owner = address("team-owner@lists.example.org");
        for (int day = 200; day < 220; day++) {
            long epochDay = day;
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Boolean>> answers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    answers.add(threads.submit(() -> {
                        start.await();
                        return stores().autoReplies().countAutoReply(list, owner, epochDay, 10);
                    }));
                }
                start.countDown();
                for (java.util.concurrent.Future<Boolean> answer : answers) {
                    assertThat(answer.get()).as("day " + day).isTrue();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
