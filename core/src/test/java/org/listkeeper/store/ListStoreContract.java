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
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.list.SubscriptionPolicy;
import org.listkeeper.list.UnsubscriptionPolicy;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.RequestState;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;

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

        store().fanoutBatchStarting(list, "post-1", first, "bulk", NOW);
        assertThat(store().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(null, first, false, 0, 0, "bulk"));

        store().fanoutBatchHandedOff(list, "post-1", first, 3, Optional.of(second), NOW);
        assertThat(store().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(first, second, false, 1, 3, "bulk"));
        // a replay started under another delivery setting keeps the mode the first run pinned
        store().fanoutBatchStarting(list, "post-1", second, "personalized", NOW);
        assertThat(store().fanoutProgress(list, "post-1").mode()).contains("bulk");

        store().fanoutBatchHandedOff(list, "post-1", second, 2, Optional.empty(), NOW);
        store().fanoutCompleted(list, "post-1", NOW);
        assertThat(store().fanoutProgress(list, "post-1")).isEqualTo(FanoutProgress.of(second, null, true, 2, 5, "bulk"));
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

    // ---- membership

    @Test
    default void saveListShouldKeepPoliciesAndOtherSettingsAndResetThemWithNull() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.builder().set(Setting.SUBSCRIPTION_POLICY, "confirm-then-moderate")
            .set(Setting.PRIVATE_ROSTER, "false").set(Setting.AUTO_REPLIES_PER_DAY, "3").build());

        MailingList list = store().getList(team);
        assertThat(list.subscriptionPolicy()).isEqualTo(SubscriptionPolicy.CONFIRM_THEN_MODERATE);
        assertThat(list.privateRoster()).isFalse();
        assertThat(list.autoRepliesPerDay()).isEqualTo(3);
        assertThat(list.unsubscriptionPolicy()).isEqualTo(UnsubscriptionPolicy.CONFIRM);

        store().saveList(team, ListChanges.builder().set(Setting.SUBSCRIPTION_POLICY, null).set(Setting.UNSUBSCRIPTION_POLICY, "open").build());

        MailingList changed = store().getList(team);
        assertThat(changed.subscriptionPolicy()).isEqualTo(SubscriptionPolicy.CONFIRM);
        assertThat(changed.unsubscriptionPolicy()).isEqualTo(UnsubscriptionPolicy.OPEN);
        assertThat(changed.privateRoster()).isFalse();
    }

    @Test
    default void saveMemberShouldKeepEveryOption() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.none());
        Member member = Member.builder(address("Alice@Example.net")).displayName("Alice").role(Role.MODERATOR)
            .delivery(Delivery.DISABLED).disabledBy(DisabledBy.BOUNCE).digest(DigestMode.MIME).receiveOwnPosts(false)
            .hideAddress(true).moderationAction(ModerationAction.HOLD).build();

        store().saveMember(team, member);

        assertThat(store().findMember(team, address("alice@example.net"))).contains(member);
    }

    @Test
    default void addMemberShouldRefuseAddressAlreadyOnRosterAndLeaveItUnchanged() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.none());
        Member first = Member.builder(address("alice@example.net")).displayName("Alice").build();

        assertThat(store().addMember(team, first)).isTrue();
        assertThat(store().addMember(team, Member.builder(address("ALICE@example.net")).role(Role.OWNER).build())).isFalse();

        assertThat(store().findMember(team, address("alice@example.net"))).contains(first);
    }

    @Test
    default void membersShouldPageAndFilterByRoleAndCountWithoutNonmembers() throws Exception {
        MailAddress team = address("team@lists.example.org");
        store().saveList(team, ListChanges.none());
        for (int i = 0; i < 5; i++) {
            store().saveMember(team, Member.of(address("m" + i + "@example.net")));
        }
        store().saveMember(team, Member.builder(address("boss@example.net")).role(Role.OWNER).build());
        store().saveMember(team, Member.builder(address("known@example.net")).role(Role.NONMEMBER).build());

        assertThat(store().members(team, Optional.of(Role.MEMBER), 2, 2)).extracting(m -> m.address().asString())
            .containsExactly("m2@example.net", "m3@example.net");
        assertThat(store().members(team, Optional.empty(), 0, 100)).hasSize(7);
        assertThat(store().memberCount(team)).isEqualTo(6);
        assertThat(store().memberCount(team, Optional.of(Role.NONMEMBER))).isEqualTo(1);
        assertThat(store().deliveryPage(store().getList(team).id(), Optional.empty(), 100))
            .extracting(m -> m.address().asString()).doesNotContain("known@example.net").hasSize(6);
    }

    @Test
    default void deliveryPageShouldLeaveOutAuthorOnlyWhenTheyDoNotWantOwnPosts() throws Exception {
        MailAddress team = address("team@lists.example.org");
        long list = store().saveList(team, ListChanges.none()).id();
        store().saveMember(team, Member.builder(address("quiet@example.net")).receiveOwnPosts(false).build());
        store().saveMember(team, Member.of(address("echo@example.net")));

        assertThat(store().deliveryPage(list, Optional.empty(), 10, Optional.of(address("quiet@example.net"))))
            .extracting(m -> m.address().asString()).containsExactly("echo@example.net");
        assertThat(store().deliveryPage(list, Optional.empty(), 10, Optional.of(address("echo@example.net"))))
            .extracting(m -> m.address().asString()).containsExactly("echo@example.net", "quiet@example.net");
    }

    @Test
    default void moveRequestShouldLetExactlyOneOfConcurrentDecisionsWin() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        PendingRequest request = store().createRequest(list, RequestAction.SUBSCRIBE, Member.of(address("alice@example.net")),
            RequestState.APPROVING, "alice@example.net", NOW, NOW.plus(Duration.ofDays(3)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> decisions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RequestState target = i % 2 == 0 ? RequestState.DONE : RequestState.REJECTED;
                String moderator = "moderator" + i;
                decisions.add(() -> store().moveRequest(request.id(), RequestState.APPROVING, target, moderator, NOW));
            }
            int winners = 0;
            for (Future<Boolean> decision : pool.invokeAll(decisions)) {
                winners += decision.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store().findRequest(list, request.id()).orElseThrow().state()).isIn(RequestState.DONE, RequestState.REJECTED);
        assertThat(store().openRequests(list, NOW)).isEmpty();
    }

    @Test
    default void openRequestsShouldLeaveOutExpiredOnesAndExpireRequestsShouldMarkThem() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        PendingRequest old = store().createRequest(list, RequestAction.SUBSCRIBE, Member.of(address("old@example.net")),
            RequestState.CONFIRMING, "old@example.net", NOW.minus(Duration.ofDays(4)), NOW.minus(Duration.ofDays(1)));
        PendingRequest fresh = store().createRequest(list, RequestAction.UNSUBSCRIBE, Member.of(address("new@example.net")),
            RequestState.CONFIRMING, "new@example.net", NOW, NOW.plus(Duration.ofDays(3)));

        assertThat(store().openRequests(list, NOW)).extracting(PendingRequest::id).containsExactly(fresh.id());
        assertThat(store().openRequest(list, RequestAction.UNSUBSCRIBE, address("NEW@example.net"), NOW)).isPresent();
        assertThat(store().expireRequests(NOW)).isEqualTo(1);
        assertThat(store().findRequest(list, old.id()).orElseThrow().state()).isEqualTo(RequestState.EXPIRED);
    }

    @Test
    default void useTokenShouldSucceedOnceAndAgainOnlyForTheSameUse() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        store().saveToken("hash-1", list, TokenAction.CONFIRM, "alice@example.net", Optional.empty(), Optional.empty(), NOW,
            NOW.plus(Duration.ofDays(3)));

        assertThat(store().useToken("hash-1", "mail-1", NOW)).isTrue();
        assertThat(store().useToken("hash-1", "mail-1", NOW)).isTrue();
        assertThat(store().useToken("hash-1", "mail-2", NOW)).isFalse();
        TokenRecord record = store().findToken("hash-1").orElseThrow();
        assertThat(record.usedBy()).contains("mail-1");
        assertThat(record.action()).isEqualTo(TokenAction.CONFIRM);
        assertThat(store().findToken("hash-2")).isEmpty();
    }

    @Test
    default void countAutoReplyShouldAllowUpToTheLimitPerAddressAndDay() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        MailAddress alice = address("alice@example.net");
        List<Boolean> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(store().countAutoReply(list, alice, 100, 3));
        }

        assertThat(answers).containsExactly(true, true, true, false);
        assertThat(store().countAutoReply(list, alice, 101, 3)).isTrue();
        assertThat(store().countAutoReply(list, address("bob@example.net"), 100, 3)).isTrue();
        assertThat(store().countAutoReply(list, alice, 100, 0)).isTrue();
    }

    @Test
    default void atomicallyShouldWriteNothingWhenWorkFails() throws Exception {
        MailAddress team = address("team@lists.example.org");
        MailAddress alice = address("alice@example.net");
        store().saveList(team, ListChanges.none());

        assertThatThrownBy(() -> store().atomically(() -> {
            store().addMember(team, Member.of(alice));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(store().findMember(team, alice)).isEmpty();
        assertThat(store().atomically(() -> store().addMember(team, Member.of(alice)))).isTrue();
        assertThat(store().findMember(team, address("alice@example.net"))).isPresent();
    }

    @Test
    default void templatesShouldBeSavedReplacedAndDeleted() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        store().saveTemplate(list, "welcome", "Subject: hi\n\none");
        store().saveTemplate(list, "welcome", "Subject: hi\n\ntwo");

        assertThat(store().template(list, "welcome")).contains("Subject: hi\n\ntwo");
        assertThat(store().deleteTemplate(list, "welcome")).isTrue();
        assertThat(store().template(list, "welcome")).isEmpty();
    }

    // ---- moderation

    @Test
    default void recordModerationShouldKeepTheFirstDecisionAndMarkItsNoticesOnce() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        ModerationRecord first = store().recordModeration(list, "post-1", ModerationAction.HOLD, "max-size", "too big", NOW);
        ModerationRecord second = store().recordModeration(list, "post-1", ModerationAction.ACCEPT, "", "fine", NOW);

        assertThat(second.action()).isEqualTo(ModerationAction.HOLD);
        assertThat(second.reason()).isEqualTo("too big");
        assertThat(first.notified()).isFalse();
        assertThat(store().markModerationNotified(list, "post-1")).isTrue();
        assertThat(store().markModerationNotified(list, "post-1")).isFalse();
        assertThat(store().moderation(list, "post-2")).isEmpty();
    }

    @Test
    default void heldPostsShouldBeRecordedOnceAndDecidedOnce() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        HeldPost held = store().holdPost(list, "post-1", "Mail1", "x@example.net", "hello", "nonmember", NOW, NOW.plus(Duration.ofDays(14)));
        HeldPost again = store().holdPost(list, "post-1", "Mail1", "x@example.net", "hello", "nonmember", NOW, NOW.plus(Duration.ofDays(14)));

        assertThat(again.id()).isEqualTo(held.id());
        assertThat(store().markHeldNotified(held.id())).isTrue();
        assertThat(store().markHeldNotified(held.id())).isFalse();
        assertThat(store().decideHeld(held.id(), HeldState.HELD, HeldState.ACCEPTED, "mod", null, NOW)).isTrue();
        assertThat(store().decideHeld(held.id(), HeldState.HELD, HeldState.REJECTED, "other", "no", NOW)).isFalse();
        HeldPost decided = store().findHeld(list, held.id()).orElseThrow();
        assertThat(decided.state()).isEqualTo(HeldState.ACCEPTED);
        assertThat(decided.decidedBy()).contains("mod");
        assertThat(store().heldPosts(list, NOW.minusSeconds(1))).extracting(HeldPost::id).containsExactly(held.id());
    }

    @Test
    default void claimHeldSummaryShouldSucceedOncePerWindow() throws Exception {
        long list = store().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        assertThat(store().claimHeldSummary(list, NOW.minus(Duration.ofDays(1)), NOW)).isTrue();
        assertThat(store().claimHeldSummary(list, NOW.minus(Duration.ofDays(1)), NOW.plusSeconds(60))).isFalse();
        assertThat(store().claimHeldSummary(list, NOW.plusSeconds(1), NOW.plus(Duration.ofDays(1)))).isTrue();
    }

    @Test
    default void unsubscribeTokensShouldBeIssuedOncePerMemberAndFindTheirMember() throws Exception {
        MailingList list = store().saveList(address("team@lists.example.org"), ListChanges.none());
        MailingList other = store().saveList(address("other@lists.example.org"), ListChanges.none());
        store().saveMember(list.address(), Member.of(address("alice@example.com")));
        store().saveMember(list.address(), Member.of(address("bob@example.com")));
        store().saveMember(other.address(), Member.of(address("alice@example.com")));

        java.util.Map<String, String> first = store().unsubscribeTokens(list.id(),
            java.util.List.of(address("Alice@Example.com"), address("bob@example.com")), NOW);
        java.util.Map<String, String> again = store().unsubscribeTokens(list.id(), java.util.List.of(address("alice@example.com")), NOW);
        java.util.Map<String, String> elsewhere = store().unsubscribeTokens(other.id(), java.util.List.of(address("alice@example.com")), NOW);

        assertThat(first).hasSize(2);
        String alice = first.get(org.listkeeper.list.Addresses.key(address("alice@example.com")));
        assertThat(alice).matches("[A-Za-z0-9_-]{27}");
        assertThat(again.values()).containsExactly(alice);
        assertThat(elsewhere.values()).doesNotContain(alice);
        assertThat(store().unsubscribeTarget(alice)).hasValueSatisfying(target -> {
            assertThat(target.listId()).isEqualTo(list.id());
            assertThat(target.list()).isEqualTo(list.address());
            assertThat(target.member().asString()).isEqualTo("alice@example.com");
        });
        assertThat(store().unsubscribeTarget("AAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(store().unsubscribeTokens(list.id(), java.util.List.of(), NOW)).isEmpty();
    }

    @Test
    default void unsubscribeTokenShouldDieWithTheMembershipAndWhenRevoked() throws Exception {
        MailingList list = store().saveList(address("team@lists.example.org"), ListChanges.none());
        store().saveMember(list.address(), Member.of(address("alice@example.com")));
        store().saveMember(list.address(), Member.of(address("bob@example.com")));
        String alice = store().unsubscribeTokens(list.id(), java.util.List.of(address("alice@example.com")), NOW).values().iterator().next();
        String bob = store().unsubscribeTokens(list.id(), java.util.List.of(address("bob@example.com")), NOW).values().iterator().next();

        store().removeMember(list.address(), address("alice@example.com"));
        assertThat(store().revokeUnsubscribeToken(list.id(), address("bob@example.com"))).isTrue();

        assertThat(store().unsubscribeTarget(alice)).isEmpty();
        assertThat(store().unsubscribeTarget(bob)).isEmpty();
        // coming back gets a new token; the old link stays dead
        store().saveMember(list.address(), Member.of(address("alice@example.com")));
        String renewed = store().unsubscribeTokens(list.id(), java.util.List.of(address("alice@example.com")), NOW).values().iterator().next();
        assertThat(renewed).isNotEqualTo(alice);
        assertThat(store().unsubscribeTarget(alice)).isEmpty();
        assertThat(store().unsubscribeTarget(renewed)).isPresent();
    }

    @Test
    default void unsubscribeTokensShouldBeIssuedOnlyForAddressesStillOnTheRoster() throws Exception {
        MailingList list = store().saveList(address("team@lists.example.org"), ListChanges.none());
        store().saveMember(list.address(), Member.of(address("stays@example.com")));

        // "gone" left between the fan-out's page read and the token issue
        java.util.Map<String, String> tokens = store().unsubscribeTokens(list.id(),
            java.util.List.of(address("stays@example.com"), address("gone@example.com")), NOW);

        assertThat(tokens).containsOnlyKeys(org.listkeeper.list.Addresses.key(address("stays@example.com")));
        store().saveMember(list.address(), Member.of(address("gone@example.com")));
        String fresh = store().unsubscribeTokens(list.id(), java.util.List.of(address("gone@example.com")), NOW).values().iterator().next();
        assertThat(store().unsubscribeTarget(fresh)).isPresent();
    }

    @Test
    default void verpTokensShouldBeStablePerMemberAndMapBack() throws Exception {
        MailingList list = store().saveList(address("team@lists.example.org"), ListChanges.none());
        MailAddress member = address("someone.with.a.long.address@example.com");

        String token = store().verpToken(list.id(), member, NOW);

        assertThat(store().verpToken(list.id(), member, NOW)).isEqualTo(token);
        assertThat(store().verpAddress(list.id(), token.toUpperCase(java.util.Locale.ROOT))).contains(org.listkeeper.list.Addresses.key(member));
        assertThat(store().verpAddress(list.id(), "nosuchtoken")).isEmpty();
    }
}
