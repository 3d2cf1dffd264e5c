package org.listkeeper.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.listkeeper.testing.TestMails.post;

import java.nio.file.Path;
import java.time.Instant;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.list.ListChanges;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.store.Stores;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.H2ServerFixture;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MutableClock;

class DropRepeatedListBatchesTest {
    private static final String TRANSPORT = "transport";
    private static final String TEAM = "team@lists.example.org";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private Stores stores;
    private long listId;
    private DropRepeatedListBatches mailet;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        mailet = mailetOn(stores);
    }

    /** The mailet over {@code stores}, which get the team list, as {@link #listId}. */
    private DropRepeatedListBatches mailetOn(Stores stores) throws MessagingException, AddressException {
        listId = stores.lists().saveList(new MailAddress(TEAM), ListChanges.none()).id();
        DropRepeatedListBatches mailet = new DropRepeatedListBatches(stores.posts(), clock);
        mailet.init(FakeMailetConfig.builder().mailetName("drop-repeats").build());
        return mailet;
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    /** A fan-out batch of post {@code postKey} as the queue delivers it, named as its queue item. */
    private FakeMail batch(String queueItem, String postKey, String batch) throws MessagingException {
        return post(queueItem, "member@example.net").state(TRANSPORT)
            .attribute(new Attribute(PostProgress.BATCH, AttributeValue.of(batch)))
            .attribute(new Attribute(PostProgress.POST_KEY, AttributeValue.of(postKey)))
            .attribute(new Attribute(PostProgress.LIST_ID, AttributeValue.of(listId)))
            .attribute(new Attribute(PostProgress.LIST, AttributeValue.of(TEAM)))
            .build();
    }

    private FakeMail serviced(FakeMail mail) throws MessagingException {
        mailet.service(mail);
        return mail;
    }

    @Test
    void serviceShouldLetTheBatchGoOnWhenItIsTheFirstCopy() throws Exception {
        assertThat(serviced(batch("item-1", "post-1", "0")).getState()).isEqualTo(TRANSPORT);
    }

    @Test
    void serviceShouldDropTheCopyWhenAnotherQueueItemAlreadyCarriesTheBatch() throws Exception {
        serviced(batch("item-1", "post-1", "0"));

        assertThat(serviced(batch("item-2", "post-1", "0")).getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void serviceShouldLetTheBatchGoOnWhenTheClaimingQueueItemIsRedelivered() throws Exception {
        serviced(batch("item-1", "post-1", "0"));

        assertThat(serviced(batch("item-1", "post-1", "0")).getState()).isEqualTo(TRANSPORT);
    }

    @Test
    void serviceShouldLetEachBatchGoOnWhenTheyAreDifferentBatchesOrPosts() throws Exception {
        serviced(batch("item-1", "post-1", "0"));

        assertThat(serviced(batch("item-2", "post-1", "1")).getState()).isEqualTo(TRANSPORT);
        assertThat(serviced(batch("item-3", "post-2", "0")).getState()).isEqualTo(TRANSPORT);
    }

    @Test
    void serviceShouldRecogniseTheClaimingQueueItemWhenItsNameIsLongerThanAHolder() throws Exception {
        String longName = "Mail" + "x".repeat(400);
        serviced(batch(longName, "post-1", "0"));

        assertThat(serviced(batch(longName, "post-1", "0")).getState()).isEqualTo(TRANSPORT);
        assertThat(serviced(batch("item-2", "post-1", "0")).getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void serviceShouldPassMailUntouchedWhenItIsNotAListBatch() throws Exception {
        FakeMail notice = post("item-1", "member@example.net").state(TRANSPORT).build();
        FakeMail withoutListId = post("item-2", "member@example.net").state(TRANSPORT)
            .attribute(new Attribute(PostProgress.BATCH, AttributeValue.of("0")))
            .attribute(new Attribute(PostProgress.POST_KEY, AttributeValue.of("post-1"))).build();

        assertThat(serviced(notice).getState()).isEqualTo(TRANSPORT);
        assertThat(serviced(withoutListId).getState()).isEqualTo(TRANSPORT);
        assertThat(serviced(batch("item-3", "post-1", "0")).getState()).isEqualTo(TRANSPORT);
    }

    @Test
    void serviceShouldLetTheBatchGoOnWhenTheListStoreIsUnreachable(@TempDir Path directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(directory).start(); JdbcStores served = JdbcStores.open(h2.configuration())) {
            mailet = mailetOn(served);
            serviced(batch("item-1", "post-1", "0"));
            h2.stop();

            // a possible duplicate rather than a delay or a loss
            assertThat(serviced(batch("item-2", "post-1", "0")).getState()).isEqualTo(TRANSPORT);
        }
    }

    @Test
    void initShouldRefuseAParameterWhenOneIsGiven() {
        DropRepeatedListBatches configured = new DropRepeatedListBatches(stores.posts(), clock);

        assertThatThrownBy(() -> configured.init(FakeMailetConfig.builder().mailetName("drop-repeats")
            .setProperty("window", "1d").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("window");
    }
}
