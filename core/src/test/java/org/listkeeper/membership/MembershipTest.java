package org.listkeeper.membership;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.store.StoreConfiguration;
import org.listkeeper.testing.MutableClock;

class MembershipTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final Set<TokenAction> MAIL = Set.of(TokenAction.CONFIRM, TokenAction.APPROVE);

    private JdbcStores stores;
    private MutableClock clock;
    private Membership membership;
    private MailAddress team;
    private MailAddress alice;

    @BeforeEach
    void setUp() throws Exception {
        stores = JdbcStores.open(StoreConfiguration.of("jdbc:h2:mem:membership" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
            "sa", "", 4, Duration.ofSeconds(5)));
        clock = new MutableClock(NOW);
        membership = new Membership(stores.roster(), stores.requests(), stores.tokens(), stores.transactions(), clock);
        team = new MailAddress("team@lists.example.org");
        alice = new MailAddress("alice@example.net");
        stores.lists().saveList(team, ListChanges.none());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private MailingList list() {
        return stores.lists().getList(team);
    }

    private MailingList policy(Setting setting, String value) {
        stores.lists().saveList(team, ListChanges.builder().set(setting, value).build());
        return list();
    }

    private static String token(Result result) {
        return result.notices().get(0).value("token").orElseThrow();
    }

    @Test
    void joinShouldSendOneConfirmationToJoinerAndConfirmShouldSubscribeOnce() throws Exception {
        Result joined = membership.join(list(), Member.of(alice), Requester.address(alice));

        assertThat(joined.outcome()).isEqualTo(Outcome.CONFIRMATION_SENT);
        assertThat(joined.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.recipient()).isEqualTo(alice);
            assertThat(notice.kind()).isEqualTo(NoticeKind.CONFIRM_SUBSCRIBE);
        });
        assertThat(stores.roster().findMember(teamId(), alice)).isEmpty();

        Result confirmed = membership.confirm(list(), token(joined), MAIL, "reply-1");
        Result again = membership.confirm(list(), token(joined), MAIL, "reply-2");

        assertThat(confirmed.outcome()).isEqualTo(Outcome.SUBSCRIBED);
        assertThat(confirmed.notices()).extracting(Notice::kind).containsExactly(NoticeKind.WELCOME);
        assertThat(again.outcome()).isEqualTo(Outcome.ALREADY_HANDLED);
        assertThat(again.notices()).isEmpty();
        assertThat(stores.roster().findMember(teamId(), alice)).isPresent();
    }

    @Test
    void confirmShouldCompleteAgainWhenTheSameUseIsReplayed() throws Exception {
        Result joined = membership.join(list(), Member.of(alice), Requester.address(alice));
        membership.confirm(list(), token(joined), MAIL, "reply-1");

        Result replayed = membership.confirm(list(), token(joined), MAIL, "reply-1");

        assertThat(replayed.outcome()).isEqualTo(Outcome.SUBSCRIBED);
        assertThat(stores.roster().members(teamId())).hasSize(1);
    }

    @Test
    void joinOnBehalfShouldAskTheAddressItselfAndTellTheRequesterNoToken() throws Exception {
        MailAddress mallory = new MailAddress("mallory@example.org");
        policy(Setting.SUBSCRIPTION_POLICY, "open");

        Result result = membership.join(list(), Member.of(alice), Requester.address(mallory));

        assertThat(result.outcome()).isEqualTo(Outcome.CONFIRMATION_SENT);
        assertThat(result.notices()).extracting(Notice::recipient).containsExactly(alice);
        assertThat(result.message()).doesNotContain(token(result));
        assertThat(stores.roster().findMember(teamId(), alice)).isEmpty();
    }

    @Test
    void joinOnOpenListShouldSubscribeAtOnceAndSayWhenAlreadyMember() throws Exception {
        policy(Setting.SUBSCRIPTION_POLICY, "open");

        Result first = membership.join(list(), Member.of(alice), Requester.address(alice));
        Result second = membership.join(list(), Member.of(alice), Requester.address(alice));

        assertThat(first.outcome()).isEqualTo(Outcome.SUBSCRIBED);
        assertThat(second.outcome()).isEqualTo(Outcome.ALREADY_MEMBER);
        assertThat(second.message()).contains("already a member");
    }

    @Test
    void joinOnBehalfOfMemberShouldNotRevealMembership() throws Exception {
        stores.roster().saveMember(teamId(), Member.of(alice));

        Result result = membership.join(list(), Member.of(alice), Requester.address(new MailAddress("mallory@example.org")));

        assertThat(result.outcome()).isEqualTo(Outcome.CONFIRMATION_SENT);
        assertThat(result.message()).doesNotContain("already");
        assertThat(result.notices()).isEmpty();
    }

    @Test
    void leaveOnOpenListShouldUnsubscribeAtOnceAndOnConfirmListAfterConfirmation() throws Exception {
        stores.roster().saveMember(teamId(), Member.of(alice));
        policy(Setting.UNSUBSCRIPTION_POLICY, "open");

        Result left = membership.leave(list(), alice, Requester.address(alice));

        assertThat(left.outcome()).isEqualTo(Outcome.UNSUBSCRIBED);
        assertThat(stores.roster().findMember(teamId(), alice)).isEmpty();

        stores.roster().saveMember(teamId(), Member.of(alice));
        policy(Setting.UNSUBSCRIPTION_POLICY, "confirm");
        Result asked = membership.leave(list(), alice, Requester.address(alice));
        assertThat(asked.outcome()).isEqualTo(Outcome.CONFIRMATION_SENT);
        assertThat(stores.roster().findMember(teamId(), alice)).isPresent();
        assertThat(membership.confirm(list(), token(asked), MAIL, "reply").outcome()).isEqualTo(Outcome.UNSUBSCRIBED);
        assertThat(stores.roster().findMember(teamId(), alice)).isEmpty();
    }

    @Test
    void leaveOnBehalfOnOpenListShouldStillAskTheMember() throws Exception {
        stores.roster().saveMember(teamId(), Member.of(alice));
        policy(Setting.UNSUBSCRIPTION_POLICY, "open");

        Result result = membership.leave(list(), alice, Requester.address(new MailAddress("mallory@example.org")));

        assertThat(result.notices()).extracting(Notice::recipient, Notice::kind).containsExactly(
            org.assertj.core.groups.Tuple.tuple(alice, NoticeKind.CONFIRM_UNSUBSCRIBE));
        assertThat(stores.roster().findMember(teamId(), alice)).isPresent();
    }

    @Test
    void confirmShouldRefuseExpiredToken() throws Exception {
        Result joined = membership.join(list(), Member.of(alice), Requester.address(alice));
        clock.advance(Duration.ofDays(3).plusMinutes(1));

        Result result = membership.confirm(list(), token(joined), MAIL, "reply");

        assertThat(result.outcome()).isEqualTo(Outcome.TOKEN_EXPIRED);
        assertThat(result.message()).contains("expired");
        assertThat(stores.roster().findMember(teamId(), alice)).isEmpty();
    }

    @Test
    void confirmShouldRefuseTokenOfAnotherList() throws Exception {
        MailAddress other = new MailAddress("other@lists.example.org");
        stores.lists().saveList(other, ListChanges.none());
        Result joined = membership.join(stores.lists().getList(other), Member.of(alice), Requester.address(alice));

        Result result = membership.confirm(list(), token(joined), MAIL, "reply");

        assertThat(result.outcome()).isEqualTo(Outcome.TOKEN_WRONG_LIST);
        assertThat(result.message()).contains("another list");
        assertThat(stores.roster().findMember(stores.lists().getList(other).id(), alice)).isEmpty();
    }

    @Test
    void confirmShouldRefuseTokenMadeForAnotherPurpose() throws Exception {
        Result joined = membership.join(list(), Member.of(alice), Requester.address(alice));

        Result result = membership.confirm(list(), token(joined), Set.of(TokenAction.APPROVE), "reply");

        assertThat(result.outcome()).isEqualTo(Outcome.TOKEN_WRONG_ACTION);
        assertThat(result.message()).contains("cannot be used for this");
        assertThat(stores.roster().findMember(teamId(), alice)).isEmpty();
    }

    @Test
    void confirmShouldRefuseUnknownOrMalformedToken() throws Exception {
        assertThat(membership.confirm(list(), "not a token", MAIL, "reply").outcome()).isEqualTo(Outcome.TOKEN_UNKNOWN);
        assertThat(membership.confirm(list(), Tokens.generate(), MAIL, "reply").outcome()).isEqualTo(Outcome.TOKEN_UNKNOWN);
    }

    @Test
    void tokensShouldBeLongRandomUrlSafeAndStoredOnlyAsHash() throws Exception {
        Result joined = membership.join(list(), Member.of(alice), Requester.address(alice));
        String token = token(joined);

        assertThat(token).hasSize(Tokens.LENGTH).matches("[A-Za-z0-9_-]+");
        // the randomness a real token carries, read from the token itself: its decoded bytes
        assertThat(java.util.Base64.getUrlDecoder().decode(token).length * 8).isGreaterThanOrEqualTo(128);
        java.lang.reflect.Field random = Tokens.class.getDeclaredField("RANDOM");
        random.setAccessible(true);
        assertThat(random.get(null)).isExactlyInstanceOf(java.security.SecureRandom.class);
        assertThat(stores.tokens().findToken(token)).isEmpty();
        assertThat(stores.tokens().findToken(Tokens.hash(token))).isPresent();
        java.util.Set<String> many = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            many.add(Tokens.generate());
        }
        assertThat(many).hasSize(1000);
    }

    @Test
    void moderatePolicyShouldWaitForApprovalAndTellModerators() throws Exception {
        policy(Setting.SUBSCRIPTION_POLICY, "moderate");
        MailAddress boss = new MailAddress("boss@example.net");
        stores.roster().saveMember(teamId(), Member.builder(boss).role(Role.OWNER).build());

        Result joined = membership.join(list(), Member.of(alice), Requester.address(alice));

        assertThat(joined.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
        assertThat(joined.notices()).extracting(Notice::recipient, Notice::kind).containsExactly(
            org.assertj.core.groups.Tuple.tuple(boss, NoticeKind.APPROVAL_NEEDED));
        long id = joined.request().orElseThrow().id();
        assertThat(stores.requests().openRequests(list().id(), NOW)).extracting(PendingRequest::id).containsExactly(id);

        Result approved = membership.approve(list(), id, "boss");
        assertThat(approved.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stores.roster().findMember(teamId(), alice)).isPresent();
        assertThat(membership.reject(list(), id, "other", Optional.empty()).message()).contains("already handled by boss");
    }

    @Test
    void confirmThenModerateShouldAskApprovalOnlyAfterConfirmationAndModeratorTokenShouldApprove() throws Exception {
        policy(Setting.SUBSCRIPTION_POLICY, "confirm_then_moderate");

        Result joined = membership.join(list(), Member.of(alice), Requester.address(alice));
        Result confirmed = membership.confirm(list(), token(joined), MAIL, "reply");

        assertThat(confirmed.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
        Notice toModerators = confirmed.notices().get(0);
        assertThat(toModerators.recipient()).isEqualTo(list().ownerAddress());
        assertThat(stores.roster().findMember(teamId(), alice)).isEmpty();

        Result approved = membership.confirm(list(), toModerators.value("token").orElseThrow(), MAIL, "moderator-reply");
        assertThat(approved.outcome()).isEqualTo(Outcome.APPROVED);
        assertThat(stores.roster().findMember(teamId(), alice)).isPresent();
    }

    @Test
    void concurrentApproveAndRejectShouldHaveExactlyOneOutcome() throws Exception {
        policy(Setting.SUBSCRIPTION_POLICY, "moderate");
        long id = membership.join(list(), Member.of(alice), Requester.address(alice)).request().orElseThrow().id();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Result> results = new ArrayList<>();
        try {
            List<Callable<Result>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String moderator = "m" + i;
                calls.add(i % 2 == 0 ? () -> membership.approve(list(), id, moderator)
                    : () -> membership.reject(list(), id, moderator, Optional.of("no")));
            }
            for (Future<Result> future : pool.invokeAll(calls)) {
                results.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(results).filteredOn(r -> r.outcome() == Outcome.APPROVED || r.outcome() == Outcome.REJECTED).hasSize(1);
        assertThat(results).filteredOn(r -> r.outcome() == Outcome.ALREADY_HANDLED).hasSize(5)
            .allSatisfy(r -> assertThat(r.message()).contains("already handled by m"));
        boolean approved = results.stream().anyMatch(r -> r.outcome() == Outcome.APPROVED);
        assertThat(stores.roster().findMember(teamId(), alice).isPresent()).isEqualTo(approved);
    }

    @Test
    void adminAskingConsentShouldSendConfirmationAndSkipApproval() throws Exception {
        policy(Setting.SUBSCRIPTION_POLICY, "confirm_then_moderate");

        Result joined = membership.join(list(), Member.of(alice), Requester.adminAskingConsent("import"));
        Result confirmed = membership.confirm(list(), token(joined), MAIL, "reply");

        assertThat(confirmed.outcome()).isEqualTo(Outcome.SUBSCRIBED);
    }

    private long teamId() {
        return stores.lists().getList(team).id();
    }
}
