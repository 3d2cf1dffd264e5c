package org.listkeeper.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.TransientFailureException;
import org.listkeeper.list.ListRecipient.Kind;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.H2ServerFixture;

class ListDirectoryTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void resolveShouldReadPostingAndSubAddressesWhenListExists(@TempDir Path directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(directory).start(); JdbcStores stores = JdbcStores.open(h2.configuration())) {
            stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.none());
            stores.lists().saveList(new MailAddress("team-owner@lists.example.org"), ListChanges.none());
            ListDirectory lists = new ListDirectory(stores.lists(), Duration.ofSeconds(10), clock);

            assertThat(lists.resolve(new MailAddress("Team@Lists.Example.org"))).map(ListRecipient::kind).contains(Kind.POST);
            assertThat(lists.resolve(new MailAddress("team-request@lists.example.org"))).map(ListRecipient::kind).contains(Kind.REQUEST);
            // a list whose name ends like a sub-address is still that list
            assertThat(lists.resolve(new MailAddress("team-owner@lists.example.org"))).map(ListRecipient::kind).contains(Kind.POST);
            assertThat(lists.resolve(new MailAddress("team-bounces+alice=example.com@lists.example.org")))
                .hasValueSatisfying(r -> {
                    assertThat(r.kind()).isEqualTo(Kind.BOUNCES);
                    assertThat(r.detail()).contains("alice=example.com");
                });
            assertThat(lists.resolve(new MailAddress("team-request+x@lists.example.org"))).isEmpty();
            assertThat(lists.resolve(new MailAddress("other@lists.example.org"))).isEmpty();
        }
    }

    @Test
    void resolveShouldAnswerFromLastSnapshotWhenStoreIsDown(@TempDir Path directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(directory).start(); JdbcStores stores = JdbcStores.open(h2.configuration())) {
            stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.none());
            ListDirectory lists = new ListDirectory(stores.lists(), Duration.ofSeconds(10), clock);
            lists.load();
            h2.stop();
            now.set(now.get().plusSeconds(60));

            assertThat(lists.isPostingAddress(new MailAddress("team@lists.example.org"))).isTrue();
        }
    }

    @Test
    void resolveShouldFailTransientlyWhenStoreIsDownAndNothingWasLoaded(@TempDir Path directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(directory).start(); JdbcStores stores = JdbcStores.open(h2.configuration())) {
            ListDirectory lists = new ListDirectory(stores.lists(), Duration.ofSeconds(10), clock);
            h2.stop();

            assertThatThrownBy(() -> lists.isPostingAddress(new MailAddress("team@lists.example.org")))
                .isInstanceOf(TransientFailureException.class);
        }
    }

    @Test
    void aListCreatedElsewhereShouldBeRoutedWithinASecondAndADeletedOneForgottenWithinTheTtl(@TempDir Path directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(directory).start(); JdbcStores stores = JdbcStores.open(h2.configuration())) {
            stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.none());
            ListDirectory lists = new ListDirectory(stores.lists(), Duration.ofSeconds(5), clock);
            lists.load();
            // another node creates a list: this directory is not told
            stores.lists().saveList(new MailAddress("news@lists.example.org"), ListChanges.none());

            assertThat(lists.isPostingAddress(new MailAddress("news@lists.example.org"))).isFalse();
            now.set(now.get().plusMillis(1_001));
            assertThat(lists.isPostingAddress(new MailAddress("news@lists.example.org"))).isTrue();
            assertThat(lists.resolve(new MailAddress("news-request@lists.example.org"))).map(ListRecipient::kind).contains(Kind.REQUEST);

            // another node deletes one: known addresses are trusted for the time to live, no longer
            stores.lists().deleteList(new MailAddress("team@lists.example.org"));
            now.set(now.get().plusSeconds(4));
            assertThat(lists.isPostingAddress(new MailAddress("team@lists.example.org"))).isTrue();
            now.set(now.get().plusMillis(1_001));
            assertThat(lists.isPostingAddress(new MailAddress("team@lists.example.org"))).isFalse();
        }
    }
}
