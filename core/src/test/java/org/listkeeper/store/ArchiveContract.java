package org.listkeeper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.store.StoreContract.address;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.listkeeper.archive.ArchiveEntry;
import org.listkeeper.archive.ArchiveQuery;
import org.listkeeper.list.ListChanges;

/** What every {@link org.listkeeper.archive.Archive} implementation must do. */
public interface ArchiveContract extends StoreContract {
    private long list() throws Exception {
        return stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
    }

    private static ArchiveEntry entry(long number, long thread, String subject, java.time.Instant date) {
        return ArchiveEntry.builder(number).messageId("<m" + number + "@example.net>").subject(subject).author("Ann", "ann@example.net")
            .date(date).threadId(thread).size(10).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    default void addShouldKeepAnEntryOnceAndAnswerFalseForItsReplay() throws Exception {
        long list = list();
        ArchiveEntry first = entry(1, 1, "Hello", NOW);

        assertThat(stores().archive().add(list, first, "m1@example.net", "hello", bytes("message one"), Set.of("hello"))).isTrue();
        assertThat(stores().archive().add(list, entry(1, 1, "Other", NOW), "m1@example.net", "other", bytes("other"), Set.of("other")))
            .isFalse();

        assertThat(stores().archive().find(list, 1)).contains(first);
        assertThat(stores().archive().message(list, 1)).hasValueSatisfying(m -> assertThat(new String(m, StandardCharsets.UTF_8))
            .isEqualTo("message one"));
        assertThat(stores().archive().count(list, ArchiveQuery.all())).isEqualTo(1);
        assertThat(stores().archive().hasMessage(list, "m1@example.net")).isTrue();
        assertThat(stores().archive().hasMessage(list, "m2@example.net")).isFalse();
    }

    @Test
    default void entriesShouldSelectByMonthThreadAndEveryWordAndPage() throws Exception {
        long list = list();
        stores().archive().add(list, entry(1, 1, "Plans", NOW.minus(Duration.ofDays(40))), "m1", "plans", bytes("1"),
            Set.of("plans", "garden"));
        stores().archive().add(list, entry(2, 2, "Budget", NOW), "m2", "budget", bytes("2"), Set.of("budget", "garden", "tools"));
        stores().archive().add(list, entry(3, 1, "Re: Plans", NOW), "m3", "plans", bytes("3"), Set.of("plans", "tools"));
        String thisMonth = NOW.toString().substring(0, 7);

        assertThat(stores().archive().entries(list, ArchiveQuery.all(), 0, 10)).extracting(ArchiveEntry::number).containsExactly(1L, 2L, 3L);
        assertThat(stores().archive().entries(list, ArchiveQuery.of(Optional.of(thisMonth), Optional.empty(), Optional.empty()), 0, 10))
            .extracting(ArchiveEntry::number).containsExactly(2L, 3L);
        assertThat(stores().archive().entries(list, ArchiveQuery.of(Optional.empty(), Optional.of(1L), Optional.empty()), 0, 10))
            .extracting(ArchiveEntry::number).containsExactly(1L, 3L);
        assertThat(stores().archive().entries(list, ArchiveQuery.of(Optional.empty(), Optional.empty(), Optional.of("Garden TOOLS")),
            0, 10)).extracting(ArchiveEntry::number).containsExactly(2L);
        assertThat(stores().archive().count(list, ArchiveQuery.of(Optional.empty(), Optional.empty(), Optional.of("garden")))).isEqualTo(2);
        assertThat(stores().archive().entries(list, ArchiveQuery.of(Optional.empty(), Optional.empty(), Optional.of("!")), 0, 10)).isEmpty();
        assertThat(stores().archive().entries(list, ArchiveQuery.all(), 1, 1)).extracting(ArchiveEntry::number).containsExactly(2L);
    }

    @Test
    default void threadLookupsShouldFindTheNewestEntryByMessageIdOrSubjectWithinTheWindow() throws Exception {
        long list = list();
        stores().archive().add(list, entry(1, 1, "Plans", NOW.minus(Duration.ofDays(60))), "m1", "plans", bytes("1"), Set.of());
        stores().archive().add(list, entry(2, 2, "Plans", NOW.minus(Duration.ofDays(2))), "m2", "plans", bytes("2"), Set.of());

        assertThat(stores().archive().threadOfMessage(list, List.of("unknown", "m1"))).contains(1L);
        assertThat(stores().archive().threadOfMessage(list, List.of("unknown"))).isEmpty();
        assertThat(stores().archive().threadOfSubject(list, "plans", NOW.minus(Duration.ofDays(30)))).contains(2L);
        assertThat(stores().archive().threadOfSubject(list, "plans", NOW.minus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    default void deleteShouldKeepTheNumberAndThreadButNotTheMessageOrItsWords() throws Exception {
        long list = list();
        stores().archive().add(list, entry(1, 1, "Secret", NOW), "m1", "secret", bytes("1"), Set.of("secret"));
        stores().archive().add(list, entry(2, 1, "Re: Secret", NOW), "m2", "secret", bytes("2"), Set.of("secret"));

        assertThat(stores().archive().delete(list, 1)).isTrue();
        assertThat(stores().archive().delete(list, 9)).isFalse();

        assertThat(stores().archive().find(list, 1)).hasValueSatisfying(entry -> {
            assertThat(entry.deleted()).isTrue();
            assertThat(entry.threadId()).isEqualTo(1);
            assertThat(entry.subject()).isEmpty();
        });
        assertThat(stores().archive().message(list, 1)).isEmpty();
        assertThat(stores().archive().entries(list, ArchiveQuery.of(Optional.empty(), Optional.of(1L), Optional.empty()), 0, 10))
            .extracting(ArchiveEntry::number).containsExactly(1L, 2L);
        assertThat(stores().archive().entries(list, ArchiveQuery.of(Optional.empty(), Optional.empty(), Optional.of("secret")), 0, 10))
            .extracting(ArchiveEntry::number).containsExactly(2L);
        assertThat(stores().archive().add(list, entry(1, 1, "Again", NOW), "m9", "again", bytes("9"), Set.of())).isFalse();
    }
}
