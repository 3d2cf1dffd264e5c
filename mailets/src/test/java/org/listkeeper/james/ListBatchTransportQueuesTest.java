package org.listkeeper.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.testing.TestMails.post;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueue.MailQueueItem;
import org.apache.james.queue.api.MailQueue.MailQueueItem.CompletionStatus;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory.MemoryCacheableMailQueue;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.pipeline.TransportStep;
import org.listkeeper.store.Stores;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MutableClock;

import reactor.core.publisher.Flux;

class ListBatchTransportQueuesTest {
    private static final MailQueueName OUTGOING = MailQueueName.of("outgoing");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final MemoryMailQueueFactory broker = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
    private Stores stores;
    private long listId;
    private MailQueue outgoing;
    private MemoryCacheableMailQueue raw;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        listId = stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.none()).id();
        outgoing = new ListBatchTransportQueues(broker, handle(), clock).createQueue(OUTGOING);
        raw = broker.createQueue(OUTGOING);
    }

    @AfterEach
    void tearDown() {
        broker.clean();
        stores.close();
    }

    /** A list batch as RemoteDelivery puts it on its queue: one item per destination, named after it. */
    private FakeMail batch(String item, int retries) throws MessagingException {
        FakeMail.Builder mail = post(item, "member@example.net")
            .attribute(new Attribute(PostProgress.BATCH, AttributeValue.of("0")))
            .attribute(new Attribute(PostProgress.POST_KEY, AttributeValue.of("post-1")))
            .attribute(new Attribute(PostProgress.LIST_ID, AttributeValue.of(listId)));
        if (retries > 0) {
            mail.attribute(new Attribute(ListBatchTransportQueues.DELIVERY_RETRY_COUNT, AttributeValue.of(retries)));
        }
        return mail.build();
    }

    private ListBatchTransportQueues.StoreHandle handle() {
        ListBatchTransportQueues.StoreHandle handle = new ListBatchTransportQueues.StoreHandle();
        handle.open(stores.posts(), stores.bounces(), clock);
        return handle;
    }

    private List<MailQueueItem> take(int count) {
        return Flux.from(outgoing.deQueue()).take(count).collectList().block(WAIT);
    }

    private static List<String> names(List<MailQueueItem> items) {
        return items.stream().map(item -> item.getMail().getName()).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void enQueueShouldQueueAListBatchOnceWhenTheSpoolHandsItOverAgain() throws Exception {
        outgoing.enQueue(batch("mail-1-to-example.net", 0));
        outgoing.enQueue(batch("mail-1-to-example.net", 0));
        outgoing.enQueue(batch("mail-1-to-example.net", 0), Duration.ofSeconds(1));

        assertThat(raw.getSize()).isEqualTo(1);
        assertThat(stores.posts().transportStep("outgoing mail-1-to-example.net", 0)).isEqualTo(TransportStep.QUEUED);
    }

    @Test
    void enQueueShouldQueueTheNextAttemptAndEachDestinationOnItsOwn() throws Exception {
        outgoing.enQueue(batch("mail-1-to-example.net", 0));
        outgoing.enQueue(batch("mail-1-to-example.com", 0));
        outgoing.enQueue(batch("mail-1-to-example.net", 1), Duration.ofMillis(1));

        assertThat(raw.getSize()).isEqualTo(3);
    }

    @Test
    void enQueueShouldLeaveMailThatIsNotAListBatchAlone() throws Exception {
        outgoing.enQueue(post("relayed", "someone@example.net").build());
        outgoing.enQueue(post("relayed", "someone@example.net").build());

        assertThat(raw.getSize()).isEqualTo(2);
    }

    @Test
    void enqueueReactiveShouldQueueAListBatchOnce() throws Exception {
        reactor.core.publisher.Mono.from(outgoing.enqueueReactive(batch("mail-2", 0))).block(WAIT);
        reactor.core.publisher.Mono.from(outgoing.enqueueReactive(batch("mail-2", 0))).block(WAIT);

        assertThat(raw.getSize()).isEqualTo(1);
    }

    @Test
    void deQueueShouldNotDeliverAnAttemptAgainWhenItWasFinishedBeforeTheQueueHandedItOver() throws Exception {
        outgoing.enQueue(batch("mail-1", 0));
        MailQueueItem first = take(1).get(0);
        first.done(CompletionStatus.SUCCESS);
        assertThat(stores.posts().transportStep("outgoing mail-1", 0)).isEqualTo(TransportStep.DONE);

        // the broker hands the same item over again (its acknowledgement was lost in a crash), then new work comes
        raw.enQueue(batch("mail-1", 0));
        outgoing.enQueue(batch("mail-2", 0));

        List<MailQueueItem> handed = take(1);
        assertThat(names(handed)).containsExactly("mail-2");
        handed.get(0).done(CompletionStatus.SUCCESS);
        // the repeat was acknowledged, not left on the queue
        assertThat(raw.getSize()).isZero();
    }

    @Test
    void deQueueShouldNotDeliverAnAttemptWhoseNextAttemptWasQueuedBeforeItWasMarkedFinished() throws Exception {
        outgoing.enQueue(batch("mail-3", 0));
        // RemoteDelivery took attempt 0, failed temporarily and queued attempt 1; the process died before attempt 0 was
        // marked finished and acknowledged, so the broker hands attempt 0 over again beside attempt 1
        MailQueueItem taken = take(1).get(0);
        raw.enQueue(batch("mail-3", 0));
        outgoing.enQueue(batch("mail-3", 1));

        List<MailQueueItem> handed = take(1);

        assertThat(handed).hasSize(1);
        assertThat(handed.get(0).getMail().getAttribute(ListBatchTransportQueues.DELIVERY_RETRY_COUNT)).isPresent();
        assertThat(taken.getMail().getName()).isEqualTo("mail-3");
    }

    @Test
    void deQueueShouldDeliverAgainAnAttemptThatFailedOrWasNeverFinished() throws Exception {
        outgoing.enQueue(batch("mail-1", 0));
        take(1).get(0).done(CompletionStatus.RETRY);
        raw.enQueue(batch("mail-1", 0));

        assertThat(names(take(1))).containsExactly("mail-1");
        assertThat(stores.posts().transportStep("outgoing mail-1", 0)).isEqualTo(TransportStep.QUEUED);
    }

    @Test
    void deQueueShouldDeliverTheNextAttemptOfAFinishedOne() throws Exception {
        outgoing.enQueue(batch("mail-1", 0));
        MailQueueItem first = take(1).get(0);
        // RemoteDelivery's temporary failure: the rest goes back as the next attempt, then the item is done
        outgoing.enQueue(batch("mail-1", 1), Duration.ofMillis(1));
        first.done(CompletionStatus.SUCCESS);

        MailQueueItem retry = take(1).get(0);

        assertThat(retry.getMail().getName()).isEqualTo("mail-1");
        assertThat(retry.getMail().getAttribute(ListBatchTransportQueues.DELIVERY_RETRY_COUNT)).isPresent();
    }

    @Test
    void aStoreThatCannotBeReachedShouldNeverHoldMailBack() throws Exception {
        stores.close();

        outgoing.enQueue(batch("mail-1", 0));
        outgoing.enQueue(batch("mail-1", 0));
        MailQueueItem item = take(1).get(0);
        item.done(CompletionStatus.SUCCESS);

        assertThat(item.getMail().getName()).isEqualTo("mail-1");
        assertThat(raw.getSize()).isEqualTo(1);
    }

    @Test
    void theSpoolShouldBeJamesOwnQueue() {
        MailQueueFactory<MailQueue> queues = new ListBatchTransportQueues(broker, handle(), clock);

        assertThat(queues.createQueue(MailQueueFactory.SPOOL)).isSameAs(broker.createQueue(MailQueueFactory.SPOOL));
        assertThat(queues.createQueue(OUTGOING)).isNotSameAs(raw);
        assertThat(queues.listCreatedMailQueues()).contains(OUTGOING);
    }

    @Test
    void aLongItemNameShouldBeMarkedByItsEnd() throws Exception {
        String longName = "Mail" + "x".repeat(400) + "-to-example.net";
        outgoing.enQueue(batch(longName, 0));
        outgoing.enQueue(batch(longName, 0));

        assertThat(raw.getSize()).isEqualTo(1);
        assertThat(stores.posts().transportStep(longName.substring(longName.length() - 255), 0)).isEqualTo(TransportStep.QUEUED);
    }

    @Test
    void eachTransportQueueShouldKeepItsOwnMarks() throws Exception {
        MailQueue other = new ListBatchTransportQueues(broker, handle(), clock).createQueue(MailQueueName.of("outgoing-gateway"));
        outgoing.enQueue(batch("mail-1", 0));
        other.enQueue(batch("mail-1", 0));

        assertThat(raw.getSize()).isEqualTo(1);
        assertThat(broker.createQueue(MailQueueName.of("outgoing-gateway")).getSize()).isEqualTo(1);
    }

    // ---- block events closed by a delivery

    private long openBlock(String domain) {
        return stores.bounces().openBlock(listId, domain, clock.instant().minusSeconds(60), clock.instant(), "550 5.7.1 blocked")
            .orElseThrow().id();
    }

    private boolean open(long block) {
        return stores.bounces().blocks(listId, true, 10).stream().anyMatch(event -> event.id() == block);
    }

    @Test
    void aBatchDeliveredToEveryRecipientShouldCloseTheBlockEventOfTheirDomain() throws Exception {
        long gmail = openBlock("example.net");
        long other = openBlock("elsewhere.example");
        clock.advance(Duration.ofMinutes(1));
        outgoing.enQueue(batch("mail-1-to-example.net", 0));

        take(1).get(0).done(CompletionStatus.SUCCESS);

        assertThat(open(gmail)).isFalse();
        assertThat(stores.bounces().blocks(listId, false, 10)).filteredOn(event -> event.id() == gmail).singleElement()
            .satisfies(event -> assertThat(event.closedBy()).contains("delivery"));
        assertThat(open(other)).isTrue();
    }

    @Test
    void aBatchWhoseDeliveryFailedShouldLeaveTheBlockEventOpen() throws Exception {
        long block = openBlock("example.net");
        clock.advance(Duration.ofMinutes(1));
        outgoing.enQueue(batch("mail-1-to-example.net", 0));

        // RemoteDelivery marks each failed attempt before it queues the mail again or bounces it
        MailQueueItem failed = take(1).get(0);
        failed.getMail().setAttribute(new Attribute(ListBatchTransportQueues.DELIVERY_FAILED, AttributeValue.of(false)));
        failed.done(CompletionStatus.SUCCESS);
        assertThat(open(block)).isTrue();

        // an attempt that failed before and now succeeds does close it: the old mark does not count
        FakeMail retried = batch("mail-1-to-example.net", 1);
        retried.setAttribute(new Attribute(ListBatchTransportQueues.DELIVERY_FAILED, AttributeValue.of(false)));
        outgoing.enQueue(retried, Duration.ofMillis(1));
        take(1).get(0).done(CompletionStatus.SUCCESS);
        assertThat(open(block)).isFalse();
    }

    @Test
    void aBatchThatWasNotFinishedShouldLeaveTheBlockEventOpen() throws Exception {
        long block = openBlock("example.net");
        clock.advance(Duration.ofMinutes(1));
        outgoing.enQueue(batch("mail-1-to-example.net", 0));

        take(1).get(0).done(CompletionStatus.RETRY);

        assertThat(open(block)).isTrue();
    }
}
