package org.listkeeper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.listkeeper.NoSuchListException;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;

/** What every {@link ListStore} must do; each backend test implements {@link #store()}. */
public interface ListStoreContract {
    Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    /** The store under test, empty. */
    ListStore store();

    static MailAddress address(String value) throws Exception {
        return new MailAddress(value);
    }

    @Test
    default void saveListShouldCreateListWithDefaultsWhenNoSettingsGiven() throws Exception {
        MailingList list = store().saveList(address("team@lists.example.org"), ListChanges.none());

        assertThat(list.address()).isEqualTo(address("team@lists.example.org"));
        assertThat(list.displayName()).isEqualTo("team");
        assertThat(list.subjectPrefix()).isEqualTo("[team]");
        assertThat(list.footerTemplate()).isEqualTo(MailingList.DEFAULT_FOOTER);
        assertThat(store().findList(address("team@lists.example.org"))).contains(list);
    }

    @Test
    default void saveListShouldChangeOnlyGivenSettingsWhenListExists() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.builder().set(Setting.DISPLAY_NAME, "Team").set(Setting.FOOTER, "bye").build());

        MailingList updated = store().saveList(team, ListChanges.builder().set(Setting.SUBJECT_PREFIX, "[t]").build());

        assertThat(updated.displayName()).isEqualTo("Team");
        assertThat(updated.footerTemplate()).isEqualTo("bye");
        assertThat(updated.subjectPrefix()).isEqualTo("[t]");
    }

    @Test
    default void saveListShouldResetSettingWhenGivenNull() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.builder().set(Setting.DISPLAY_NAME, "Team").build());

        MailingList updated = store().saveList(team, ListChanges.builder().set(Setting.DISPLAY_NAME, null).build());

        assertThat(updated.configuredDisplayName()).isEmpty();
    }

    @Test
    default void findListShouldIgnoreCaseWhenAddressDiffersInCase() throws Exception {
        store().saveList(address("Team@Lists.Example.org"), ListChanges.none());

        assertThat(store().findList(address("team@lists.example.org"))).isPresent();
    }

    @Test
    default void getListShouldThrowWhenListIsUnknown() {
        assertThatThrownBy(() -> store().getList(address("nobody@lists.example.org")))
            .isInstanceOf(NoSuchListException.class)
            .hasMessageContaining("nobody@lists.example.org");
    }

    @Test
    default void listsShouldCountMembersWhenListsHaveRosters() throws Exception {
        MailAddress team = address("team@lists.example.org");
        MailAddress dev = address("dev@lists.example.org");
        store().saveList(team, ListChanges.none());
        store().saveList(dev, ListChanges.none());
        store().saveMember(team, Member.of(address("a@example.com")));
        store().saveMember(team, Member.of(address("b@example.com")));

        List<ListSummary> lists = store().lists();

        assertThat(lists).extracting(summary -> summary.list().address().asString(), ListSummary::members)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("dev@lists.example.org", 0),
                org.assertj.core.groups.Tuple.tuple("team@lists.example.org", 2));
        assertThat(store().listAddresses()).containsExactly(dev, team);
    }

    @Test
    default void deleteListShouldRemoveRosterWhenListExists() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.none());
        store().saveMember(team, Member.of(address("a@example.com")));

        assertThat(store().deleteList(team)).isTrue();

        assertThat(store().findList(team)).isEmpty();
        assertThat(store().deleteList(team)).isFalse();
        store().saveList(team, ListChanges.none());
        assertThat(store().members(team)).isEmpty();
    }

    @Test
    default void saveMemberShouldThrowWhenListIsUnknown() {
        assertThatThrownBy(() -> store().saveMember(address("nobody@lists.example.org"), Member.of(address("a@example.com"))))
            .isInstanceOf(NoSuchListException.class);
    }

    @Test
    default void saveMemberShouldReplaceEntryWhenAddressDiffersOnlyInCase() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.none());
        store().saveMember(team, Member.of(address("alice@example.com")));

        store().saveMember(team, Member.of(address("Alice@Example.com"), "Alice", Role.OWNER, Delivery.DISABLED));

        assertThat(store().members(team)).containsExactly(
            Member.of(address("Alice@Example.com"), "Alice", Role.OWNER, Delivery.DISABLED));
        assertThat(store().memberCount(team)).isEqualTo(1);
        assertThat(store().findMember(team, address("alice@example.com"))).map(Member::role).contains(Role.OWNER);
    }

    @Test
    default void removeMemberShouldAnswerFalseWhenAddressIsNotOnRoster() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.none());
        store().saveMember(team, Member.of(address("a@example.com")));

        assertThat(store().removeMember(team, address("a@example.com"))).isTrue();
        assertThat(store().removeMember(team, address("a@example.com"))).isFalse();
        assertThat(store().members(team)).isEmpty();
    }

    @Test
    default void deliveryPageShouldWalkEnabledMembersByDomainThenAddress() throws Exception {
        MailAddress team = address("team@lists.example.org");
        MailingList list = store().saveList(team, ListChanges.none());
        for (String member : List.of("z@a.example", "b@c.example", "a@c.example", "m@b.example", "off@a.example")) {
            Delivery delivery = member.startsWith("off") ? Delivery.DISABLED : Delivery.ENABLED;
            store().saveMember(team, Member.of(address(member), null, Role.MEMBER, delivery));
        }

        List<String> walked = new ArrayList<>();
        Optional<MemberCursor> cursor = Optional.empty();
        List<Member> page;
        do {
            page = store().deliveryPage(list.id(), cursor, 2);
            page.forEach(member -> walked.add(member.address().asString()));
            if (!page.isEmpty()) {
                cursor = Optional.of(MemberCursor.after(page.get(page.size() - 1)));
            }
        } while (page.size() == 2);

        assertThat(walked).containsExactly("z@a.example", "m@b.example", "a@c.example", "b@c.example");
    }

    @Test
    default void claimMessageIdShouldAnswerDuplicateWhenAnotherPostClaimedItWithinWindow() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        Duration window = Duration.ofDays(7);

        assertThat(store().claimMessageId(list, "k1", "post-1", NOW, window).isDuplicate()).isFalse();
        assertThat(store().claimMessageId(list, "k1", "post-1", NOW.plusSeconds(5), window).isDuplicate()).isFalse();
        assertThat(store().claimMessageId(list, "k1", "post-2", NOW.plusSeconds(5), window))
            .isEqualTo(Claim.duplicateOf("post-1"));
    }

    @Test
    default void claimMessageIdShouldLetAnotherPostClaimWhenWindowHasPassed() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        Duration window = Duration.ofDays(7);
        store().claimMessageId(list, "k1", "post-1", NOW, window);

        assertThat(store().claimMessageId(list, "k1", "post-2", NOW.plus(Duration.ofDays(8)), window).isDuplicate()).isFalse();
        assertThat(store().claimMessageId(list, "k1", "post-1", NOW.plus(Duration.ofDays(8)), window).isDuplicate()).isTrue();
    }

    @Test
    default void claimMessageIdShouldBeIndependentPerList() throws Exception {
        long team = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        long dev = store().saveList(address("dev@lists.example.org"), ListChanges.none()).id();

        assertThat(store().claimMessageId(team, "k1", "post-1", NOW, Duration.ofDays(7)).isDuplicate()).isFalse();
        assertThat(store().claimMessageId(dev, "k1", "post-2", NOW, Duration.ofDays(7)).isDuplicate()).isFalse();
    }

    @Test
    default void purgeClaimsBeforeShouldForgetOldMessageIdAndBatchClaims() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        store().claimMessageId(list, "old", "post-1", NOW, Duration.ofDays(7));
        store().claimMessageId(list, "new", "post-2", NOW.plusSeconds(60), Duration.ofDays(7));
        store().claimBatch(list, "post-1", "batch-1", "mail-a", NOW);

        assertThat(store().purgeClaimsBefore(NOW.plusSeconds(30))).isEqualTo(2);
        assertThat(store().claimMessageId(list, "old", "post-3", NOW.plusSeconds(90), Duration.ofDays(7)).isDuplicate()).isFalse();
        assertThat(store().claimBatch(list, "post-1", "batch-1", "mail-b", NOW.plusSeconds(90)).isDuplicate()).isFalse();
    }

    @Test
    default void claimBatchShouldLetOnlyFirstHolderThroughAndAnswerSameHolderAgain() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        assertThat(store().claimBatch(list, "post-1", "batch-1", "mail-a", NOW)).isEqualTo(Claim.claimed());
        assertThat(store().claimBatch(list, "post-1", "batch-1", "mail-b", NOW)).isEqualTo(Claim.duplicateOf("mail-a"));
        assertThat(store().claimBatch(list, "post-1", "batch-1", "mail-a", NOW)).isEqualTo(Claim.claimed());
        assertThat(store().claimBatch(list, "post-1", "batch-2", "mail-b", NOW)).isEqualTo(Claim.claimed());
        assertThat(store().claimBatch(list, "post-2", "batch-1", "mail-c", NOW)).isEqualTo(Claim.claimed());
    }

    @Test
    default void assignPostNumberShouldGiveSameNumberWhenCalledAgainForSamePost() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        long first = store().assignPostNumber(list, "post-a", NOW);
        long second = store().assignPostNumber(list, "post-b", NOW);
        long again = store().assignPostNumber(list, "post-a", NOW);

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(again).isEqualTo(1);
    }

    @Test
    default void assignPostNumberShouldGiveDistinctNumbersWhenPostsAreConcurrent() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Long>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String key = "post-" + i;
                tasks.add(() -> store().assignPostNumber(list, key, NOW));
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
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        MemberCursor first = MemberCursor.of("a.example", "x@a.example");
        MemberCursor second = MemberCursor.of("b.example", "y@b.example");

        assertThat(store().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.notStarted());

        store().fanoutBatchStarting(list, "post-1", first, NOW);
        assertThat(store().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(null, first, false, 0, 0));

        store().fanoutBatchHandedOff(list, "post-1", first, 3, Optional.of(second), NOW);
        assertThat(store().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(first, second, false, 1, 3));

        store().fanoutBatchHandedOff(list, "post-1", second, 2, Optional.empty(), NOW);
        store().fanoutCompleted(list, "post-1", NOW);
        assertThat(store().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(second, null, true, 2, 5));
        assertThat(store().fanoutProgress(list, "post-2")).isEqualTo(FanoutProgress.notStarted());
    }

    @Test
    default void saveListShouldSucceedEveryTimeWhenSameListIsCreatedConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<MailingList>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> store().saveList(address("race@lists.example.org"), ListChanges.none()));
            }
            for (Future<MailingList> future : pool.invokeAll(tasks)) {
                assertThat(future.get().address()).isEqualTo(address("race@lists.example.org"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store().lists()).hasSize(1);
    }

    @Test
    default void saveMemberShouldKeepOneEntryWhenSameAddressIsSavedConcurrently() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.none());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> {
                    store().saveMember(team, Member.of(address("same@example.com")));
                    return null;
                });
            }
            for (Future<Void> future : pool.invokeAll(tasks)) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store().members(team)).hasSize(1);
    }
}
