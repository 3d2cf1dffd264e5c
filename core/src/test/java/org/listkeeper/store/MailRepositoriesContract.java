package org.listkeeper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** What every {@link MailRepositories} implementation must do. */
public interface MailRepositoriesContract extends StoreContract {
    String HELD = "listkeeper://var/mail/listkeeper/held/";
    String PARKED = "listkeeper://var/mail/listkeeper/parked/";

    private MailRepositories repositories() {
        return stores().mailRepositories();
    }

    private static StoredMail mail(String key, String body) {
        return StoredMail.builder(key, ("Subject: test\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8))
            .sender("ann@example.net").recipients(List.of("team@lists.example.org")).state("root").build();
    }

    @Test
    default void findShouldAnswerEveryFieldOfTheStoredMail() {
        StoredMail stored = StoredMail.builder("Mail1-a", "Subject: caf\u00e9 \ud83d\udc0b\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8))
            .sender("\"ann smith\"@example.net")
            .recipients(List.of("team@lists.example.org", "dev@lists.example.org"))
            .state("listkeeper-parked")
            .errorMessage("handler fan-out failed: caf\u00e9 \ud83d\udc0b\nat line 2")
            .remoteHost("mx.example.net")
            .remoteAddress("2001:db8::1")
            .lastUpdated(NOW)
            .attributes("{\"listkeeper.handler\":{\"serializer\":\"StringSerializer\",\"value\":\"fan-out\"}}")
            .recipientHeaders("{\"dev@lists.example.org\":[[\"X-A\",\"1\"]]}")
            .build();

        repositories().store(PARKED, stored);

        assertThat(repositories().find(PARKED, "Mail1-a")).contains(stored);
    }

    @Test
    default void findShouldKeepTheNullSenderAndAbsentFields() {
        StoredMail bounce = StoredMail.builder("Mail2", new byte[] {'x'}).recipients(List.of("team-bounces@lists.example.org"))
            .state("error").build();

        repositories().store(HELD, bounce);

        StoredMail found = repositories().find(HELD, "Mail2").orElseThrow();
        assertThat(found).isEqualTo(bounce);
        assertThat(found.sender()).isEmpty();
        assertThat(found.lastUpdated()).isEmpty();
        assertThat(found.attributes()).isEmpty();
    }

    @Test
    default void findShouldKeepAMailWithoutRecipients() {
        StoredMail none = StoredMail.builder("Mail3", new byte[] {'x'}).state("root").build();

        repositories().store(HELD, none);

        assertThat(repositories().find(HELD, "Mail3")).hasValueSatisfying(mail -> assertThat(mail.recipients()).isEmpty());
    }

    @Test
    default void findShouldBeEmptyWhenNoMailHasTheKey() {
        repositories().store(HELD, mail("Mail1", "one"));

        assertThat(repositories().find(HELD, "Mail9")).isEmpty();
        assertThat(repositories().find(PARKED, "Mail1")).isEmpty();
    }

    @Test
    default void storeShouldReplaceTheMailStoredUnderTheSameKeyAndKeepItsPlace() {
        repositories().store(HELD, mail("Mail1", "one"));
        repositories().store(HELD, mail("Mail2", "two"));
        StoredMail replacement = StoredMail.builder("Mail1", "Subject: again\r\n\r\nnew\r\n".getBytes(StandardCharsets.UTF_8))
            .recipients(List.of("dev@lists.example.org")).state("error").errorMessage("retried").build();

        repositories().store(HELD, replacement);

        assertThat(repositories().count(HELD)).isEqualTo(2);
        assertThat(repositories().keys(HELD)).containsExactly("Mail1", "Mail2");
        assertThat(repositories().find(HELD, "Mail1")).contains(replacement);
    }

    @Test
    default void keysShouldListTheMailsInTheOrderTheyWereFirstStored() {
        List<String> keys = List.of("Mail5", "Mail1", "Mail3", "Mail2", "Mail4");
        keys.forEach(key -> repositories().store(PARKED, mail(key, key)));

        assertThat(repositories().keys(PARKED)).containsExactlyElementsOf(keys);
    }

    @Test
    default void repositoriesShouldNotSeeEachOthersMails() {
        repositories().store(HELD, mail("Mail1", "held"));
        repositories().store(PARKED, mail("Mail1", "parked"));
        repositories().store(PARKED, mail("Mail2", "parked"));

        assertThat(repositories().count(HELD)).isEqualTo(1);
        assertThat(repositories().count(PARKED)).isEqualTo(2);
        assertThat(repositories().find(HELD, "Mail1")).contains(mail("Mail1", "held"));
        assertThat(repositories().keys("listkeeper://var/mail/other/")).isEmpty();
        assertThat(repositories().count("listkeeper://var/mail/other/")).isZero();
    }

    @Test
    default void removeShouldRemoveTheMailOnceAndBeANoOpForAMissingKey() {
        repositories().store(HELD, mail("Mail1", "one"));
        repositories().store(HELD, mail("Mail2", "two"));

        assertThat(repositories().remove(HELD, "Mail1")).isTrue();
        assertThat(repositories().remove(HELD, "Mail1")).isFalse();
        assertThat(repositories().remove(HELD, "Mail9")).isFalse();
        assertThat(repositories().remove(PARKED, "Mail2")).isFalse();

        assertThat(repositories().keys(HELD)).containsExactly("Mail2");
        assertThat(repositories().find(HELD, "Mail1")).isEmpty();
    }

    @Test
    default void removeShouldRemoveTheNamedKeysOnlyAndSkipMissingOnes() {
        List.of("Mail1", "Mail2", "Mail3").forEach(key -> repositories().store(HELD, mail(key, key)));
        repositories().store(PARKED, mail("Mail1", "parked"));

        assertThat(repositories().remove(HELD, List.of("Mail1", "Mail3", "Mail9", "Mail1"))).isEqualTo(2);
        assertThat(repositories().remove(HELD, List.of())).isZero();

        assertThat(repositories().keys(HELD)).containsExactly("Mail2");
        assertThat(repositories().keys(PARKED)).containsExactly("Mail1");
    }

    @Test
    default void removeShouldTakeMoreKeysThanOneStatementHolds() {
        List<String> keys = IntStream.range(0, 450).mapToObj(i -> "Mail" + i).collect(Collectors.toList());
        keys.forEach(key -> repositories().store(PARKED, StoredMail.builder(key, new byte[] {'x'}).state("root").build()));

        assertThat(repositories().remove(PARKED, keys.subList(0, 449))).isEqualTo(449);

        assertThat(repositories().keys(PARKED)).containsExactly("Mail449");
    }

    @Test
    default void removeAllShouldEmptyOnlyThatRepositoryAndBeIdempotent() {
        repositories().store(HELD, mail("Mail1", "one"));
        repositories().store(HELD, mail("Mail2", "two"));
        repositories().store(PARKED, mail("Mail1", "parked"));

        assertThat(repositories().removeAll(HELD)).isEqualTo(2);
        assertThat(repositories().removeAll(HELD)).isZero();

        assertThat(repositories().count(HELD)).isZero();
        assertThat(repositories().find(HELD, "Mail1")).isEmpty();
        assertThat(repositories().keys(PARKED)).containsExactly("Mail1");
    }

    @Test
    default void storeShouldKeepAMessageOfSeveralMegabytesByteForByte() {
        byte[] message = new byte[5 * 1024 * 1024 + 17];
        new Random(42).nextBytes(message);
        repositories().store(PARKED, StoredMail.builder("Big", message).state("root").build());

        assertThat(repositories().find(PARKED, "Big")).hasValueSatisfying(found -> assertThat(found.message()).isEqualTo(message));
    }

    @Test
    default void storeShouldNotBeKeptWhenItsTransactionRollsBack() {
        assertThatThrownBy(() -> stores().transactions().atomically(() -> {
            repositories().store(HELD, mail("Mail1", "one"));
            throw new IllegalStateException("a later step failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(repositories().count(HELD)).isZero();
    }

    @Test
    default void concurrentStoresOfOneKeyShouldAllSucceedAndLeaveOneOfTheirMails() throws Exception {
        int writers = 6;
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> stores = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                String body = "writer " + writer;
                stores.add(threads.submit(() -> {
                    start.await();
                    repositories().store(PARKED, mail("Mail1", body));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> store : stores) {
                store.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(repositories().keys(PARKED)).containsExactly("Mail1");
        List<StoredMail> written = IntStream.range(0, writers).mapToObj(writer -> mail("Mail1", "writer " + writer))
            .collect(Collectors.toList());
        assertThat(repositories().find(PARKED, "Mail1")).hasValueSatisfying(found -> assertThat(written).contains(found));
    }

    @Test
    default void storeShouldRefuseARepositoryNameLongerThanTheStoreKeeps() {
        String tooLong = "listkeeper://" + "a".repeat(StoredMail.MAX_KEY_LENGTH);

        assertThatThrownBy(() -> repositories().store(tooLong, mail("Mail1", "one"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredMail.builder("k".repeat(StoredMail.MAX_KEY_LENGTH + 1), new byte[0]))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
