package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MemberCursor;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.pipeline.DeliveryRecord;
import org.listkeeper.pipeline.TransportStep;

/** What every {@link org.listkeeper.pipeline.PostLedger} implementation must do. */
public interface PostLedgerContract extends StoreContract {
    @Test
    default void claimMessageIdShouldAnswerDuplicateWhenAnotherPostClaimedItWithinWindow() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        Duration window = Duration.ofDays(7);

        assertThat(stores().posts().claimMessageId(list, "k1", "post-1", NOW, window).isDuplicate()).isFalse();
        assertThat(stores().posts().claimMessageId(list, "k1", "post-1", NOW.plusSeconds(5), window).isDuplicate()).isFalse();
        assertThat(stores().posts().claimMessageId(list, "k1", "post-2", NOW.plusSeconds(5), window))
            .isEqualTo(Claim.duplicateOf("post-1"));
    }

    @Test
    default void claimMessageIdShouldLetAnotherPostClaimWhenWindowHasPassed() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        Duration window = Duration.ofDays(7);
        stores().posts().claimMessageId(list, "k1", "post-1", NOW, window);

        assertThat(stores().posts().claimMessageId(list, "k1", "post-2", NOW.plus(Duration.ofDays(8)), window).isDuplicate()).isFalse();
        assertThat(stores().posts().claimMessageId(list, "k1", "post-1", NOW.plus(Duration.ofDays(8)), window).isDuplicate()).isTrue();
    }

    @Test
    default void claimMessageIdShouldBeIndependentPerList() throws Exception {
        long team = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        long dev = stores().lists().saveList(address("dev@lists.example.org"), ListChanges.none()).id();

        assertThat(stores().posts().claimMessageId(team, "k1", "post-1", NOW, Duration.ofDays(7)).isDuplicate()).isFalse();
        assertThat(stores().posts().claimMessageId(dev, "k1", "post-2", NOW, Duration.ofDays(7)).isDuplicate()).isFalse();
    }

    @Test
    default void purgeClaimsBeforeShouldForgetOldMessageIdAndBatchClaims() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        stores().posts().claimMessageId(list, "old", "post-1", NOW, Duration.ofDays(7));
        stores().posts().claimMessageId(list, "new", "post-2", NOW.plusSeconds(60), Duration.ofDays(7));
        stores().posts().claimBatch(list, "post-1", "batch-1", "mail-a", NOW);

        assertThat(stores().posts().purgeClaimsBefore(NOW.plusSeconds(30))).isEqualTo(2);
        assertThat(stores().posts().claimMessageId(list, "old", "post-3", NOW.plusSeconds(90), Duration.ofDays(7)).isDuplicate()).isFalse();
        assertThat(stores().posts().claimBatch(list, "post-1", "batch-1", "mail-b", NOW.plusSeconds(90)).isDuplicate()).isFalse();
    }

    @Test
    default void transportMarksShouldGoFromNoneToQueuedToDonePerAttempt() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        assertThat(stores().posts().transportStep("mail-a-to-example.com", 0)).isEqualTo(TransportStep.NONE);
        stores().posts().transportQueued(list, "mail-a-to-example.com", 0, NOW);
        stores().posts().transportQueued(list, "mail-a-to-example.com", 0, NOW.plusSeconds(1));
        assertThat(stores().posts().transportStep("mail-a-to-example.com", 0)).isEqualTo(TransportStep.QUEUED);
        assertThat(stores().posts().transportStep("mail-a-to-example.net", 0)).isEqualTo(TransportStep.NONE);

        stores().posts().transportQueued(list, "mail-a-to-example.com", 1, NOW.plusSeconds(2));
        stores().posts().transportDone(list, "mail-a-to-example.com", 0, NOW.plusSeconds(2));
        stores().posts().transportDone(list, "mail-a-to-example.com", 0, NOW.plusSeconds(3));
        assertThat(stores().posts().transportStep("mail-a-to-example.com", 0)).isEqualTo(TransportStep.DONE);
        assertThat(stores().posts().transportStep("mail-a-to-example.com", 1)).isEqualTo(TransportStep.QUEUED);
    }

    @Test
    default void oneNodeShouldClaimADeliveryAttemptAndAnotherTakeItOverOnlyFromItsHolder() throws Exception {
        assertThat(stores().posts().claimDelivery("item-1", 0, "node-a", NOW)).isEqualTo("node-a");
        assertThat(stores().posts().claimDelivery("item-1", 0, "node-b", NOW)).isEqualTo("node-a");
        assertThat(stores().posts().claimDelivery("item-1", 0, "node-a", NOW)).isEqualTo("node-a");
        // each attempt is claimed on its own
        assertThat(stores().posts().claimDelivery("item-1", 1, "node-b", NOW)).isEqualTo("node-b");

        // node-a died: node-b takes the claim over, once
        assertThat(stores().posts().takeOverDelivery("item-1", 0, "node-a", "node-b")).isTrue();
        assertThat(stores().posts().takeOverDelivery("item-1", 0, "node-a", "node-c")).isFalse();
        assertThat(stores().posts().claimDelivery("item-1", 0, "node-c", NOW)).isEqualTo("node-b");

        assertThat(stores().posts().purgeClaimsBefore(NOW.plusSeconds(1))).isGreaterThanOrEqualTo(2);
        assertThat(stores().posts().claimDelivery("item-1", 0, "node-c", NOW)).isEqualTo("node-c");
    }

    @Test
    default void aDeliveryShouldBeRecordedOncePerAttemptWithItsDeferredRecipients() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        DeliveryRecord first = DeliveryRecord.of(40, 10, List.of("a@x.example", "b@y.example"), false);

        assertThat(stores().posts().deliveryRecord("item-1", 0)).isEmpty();
        assertThat(stores().posts().recordDelivery(list, "post-1", "item-1", 0, first, NOW)).isTrue();
        // the same attempt handed over again: the first record stands
        assertThat(stores().posts().recordDelivery(list, "post-1", "item-1", 0, DeliveryRecord.of(50, 0, List.of(), false), NOW))
            .isFalse();
        assertThat(stores().posts().deliveryRecord("item-1", 0)).contains(first);
        assertThat(stores().posts().deliveryRecord("item-1", 1)).isEmpty();

        stores().posts().deliveryRetryQueued("item-1", 0);
        assertThat(stores().posts().deliveryRecord("item-1", 0)).contains(DeliveryRecord.of(40, 10, first.deferred(), true));
        assertThat(stores().posts().recordDelivery(list, "post-1", "item-1", 1, DeliveryRecord.of(2, 0, List.of(), false), NOW)).isTrue();
        assertThat(stores().posts().deliveryRecord("item-1", 1).orElseThrow().deferred()).isEmpty();
    }

    @Test
    default void aDeliveryRecordShouldHoldAWholeBatchOfDeferredRecipientsAndBePurgedWithTheClaims() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        List<String> deferred = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            deferred.add("member-with-a-long-local-part-" + i + "@subdomain.of.a.rather.long.domain.example");
        }

        stores().posts().recordDelivery(list, "post-1", "item-2", 0, DeliveryRecord.of(0, 0, deferred, false), NOW);

        assertThat(stores().posts().deliveryRecord("item-2", 0).orElseThrow().deferred()).isEqualTo(deferred);
        stores().posts().purgeClaimsBefore(NOW.plusSeconds(1));
        assertThat(stores().posts().deliveryRecord("item-2", 0)).isEmpty();
    }

    @Test
    default void transportDoneShouldMarkAnItemThatWasNeverMarkedQueued() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        stores().posts().transportDone(list, "mail-b", 2, NOW);

        assertThat(stores().posts().transportStep("mail-b", 2)).isEqualTo(TransportStep.DONE);
        assertThat(stores().posts().transportStep("mail-b", 0)).isEqualTo(TransportStep.NONE);
    }

    @Test
    default void transportMarksShouldBePurgedWithTheClaimsAndGoWithTheirList() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        long other = stores().lists().saveList(address("dev@lists.example.org"), ListChanges.none()).id();
        stores().posts().transportQueued(list, "old", 0, NOW);
        stores().posts().transportQueued(list, "new", 0, NOW.plusSeconds(60));
        stores().posts().transportQueued(other, "gone", 0, NOW.plusSeconds(60));

        assertThat(stores().posts().purgeClaimsBefore(NOW.plusSeconds(30))).isEqualTo(1);
        stores().lists().deleteList(address("dev@lists.example.org"));

        assertThat(stores().posts().transportStep("old", 0)).isEqualTo(TransportStep.NONE);
        assertThat(stores().posts().transportStep("new", 0)).isEqualTo(TransportStep.QUEUED);
        assertThat(stores().posts().transportStep("gone", 0)).isEqualTo(TransportStep.NONE);
    }

    @Test
    default void claimBatchShouldLetOnlyFirstHolderThroughAndAnswerSameHolderAgain() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        assertThat(stores().posts().claimBatch(list, "post-1", "batch-1", "mail-a", NOW)).isEqualTo(Claim.claimed());
        assertThat(stores().posts().claimBatch(list, "post-1", "batch-1", "mail-b", NOW)).isEqualTo(Claim.duplicateOf("mail-a"));
        assertThat(stores().posts().claimBatch(list, "post-1", "batch-1", "mail-a", NOW)).isEqualTo(Claim.claimed());
        assertThat(stores().posts().claimBatch(list, "post-1", "batch-2", "mail-b", NOW)).isEqualTo(Claim.claimed());
        assertThat(stores().posts().claimBatch(list, "post-2", "batch-1", "mail-c", NOW)).isEqualTo(Claim.claimed());
    }

    @Test
    default void assignPostNumberShouldGiveSameNumberWhenCalledAgainForSamePost() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        long first = stores().posts().assignPostNumber(list, "post-a", NOW);
        long second = stores().posts().assignPostNumber(list, "post-b", NOW);
        long again = stores().posts().assignPostNumber(list, "post-a", NOW);

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(again).isEqualTo(1);
    }

    @Test
    default void assignPostNumberShouldGiveDistinctNumbersWhenPostsAreConcurrent() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Long>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String key = "post-" + i;
                tasks.add(() -> stores().posts().assignPostNumber(list, key, NOW));
            }
            List<Long> numbers = new ArrayList<>();
            for (Future<Long> future : pool.invokeAll(tasks)) {
                numbers.add(future.get());
            }
            Set<Long> distinct = numbers.stream().collect(Collectors.toSet());
            assertThat(distinct).hasSize(40);
            assertThat(distinct).allMatch(n -> n >= 1 && n <= 40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    default void fanoutProgressShouldFollowBatchLifecycle() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        MemberCursor first = MemberCursor.of("a.example", "x@a.example");
        MemberCursor second = MemberCursor.of("b.example", "y@b.example");

        assertThat(stores().posts().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.notStarted());

        stores().posts().fanoutBatchStarting(list, "post-1", first, "bulk", NOW);
        assertThat(stores().posts().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(null, first, false, 0, 0, "bulk"));

        stores().posts().fanoutBatchHandedOff(list, "post-1", first, 3, Optional.of(second), NOW);
        assertThat(stores().posts().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(first, second, false, 1, 3, "bulk"));
        // a replay started under another delivery setting keeps the mode the first run pinned
        stores().posts().fanoutBatchStarting(list, "post-1", second, "personalized", NOW);
        assertThat(stores().posts().fanoutProgress(list, "post-1").mode()).contains("bulk");

        stores().posts().fanoutBatchHandedOff(list, "post-1", second, 2, Optional.empty(), NOW);
        stores().posts().fanoutCompleted(list, "post-1", NOW);
        assertThat(stores().posts().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(second, null, true, 2, 5, "bulk"));
        assertThat(stores().posts().fanoutProgress(list, "post-2")).isEqualTo(FanoutProgress.notStarted());
    }
}
