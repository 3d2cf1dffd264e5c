package org.listkeeper.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.testing.MemoryHoldQueue;
import org.listkeeper.testing.MutableClock;
import org.listkeeper.notices.Notice;
import org.listkeeper.notices.NoticeKind;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.store.StoreConfiguration;

class ModerationTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private JdbcStores stores;
    private MutableClock clock;
    private MemoryHoldQueue queue;
    private Moderation moderation;
    private MailAddress team;

    @BeforeEach
    void setUp() throws Exception {
        stores = JdbcStores.open(StoreConfiguration.of("jdbc:h2:mem:moderation" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
            "sa", "", 4, Duration.ofSeconds(5)));
        clock = new MutableClock(NOW);
        queue = new MemoryHoldQueue();
        moderation = new Moderation(stores.heldPosts(), stores.roster(), stores.tokens(), queue, clock);
        team = new MailAddress("team@lists.example.org");
        stores.lists().saveList(team, ListChanges.none());
        stores.roster().saveMember(teamId(), Member.builder(new MailAddress("mod@member.example")).role(Role.MODERATOR).build());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private MailingList list() {
        return stores.lists().getList(team);
    }

    private static Mail mail(String name) throws Exception {
        return FakeMail.builder().name(name).sender("x@outside.example").recipient("team@lists.example.org")
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
                "From: x@outside.example\r\nSubject: hello\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII)))).build();
    }

    private HeldPost holdOne(String name) throws Exception {
        moderation.hold(list(), mail(name), name, "nonmember-moderation: x is not a member");
        return stores.heldPosts().heldPosts(list().id(), NOW.minusSeconds(1)).stream().filter(p -> p.postKey().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void holdShouldNotifyModeratorsAndPosterOnlyTheFirstTime() throws Exception {
        Mail mail = mail("p1");

        List<Notice> first = moderation.hold(list(), mail, "p1", "held for a reason");
        List<Notice> replay = moderation.hold(list(), mail, "p1", "held for a reason");

        assertThat(first).extracting(Notice::kind).containsExactly(NoticeKind.HELD_POST, NoticeKind.POST_HELD);
        assertThat(first.get(0).recipient().asString()).isEqualTo("mod@member.example");
        assertThat(first.get(0).attachment()).contains("p1");
        assertThat(replay).isEmpty();
        assertThat(queue.keys()).contains("p1");
        assertThat(stores.heldPosts().heldPosts(list().id(), NOW.minusSeconds(1))).hasSize(1);
    }

    @Test
    void concurrentDecisionsShouldLetExactlyOneActAndReleaseOnce() throws Exception {
        HeldPost held = holdOne("p1");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Moderation.Result> results = new ArrayList<>();
        try {
            List<Callable<Moderation.Result>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Moderation.Action action = i % 2 == 0 ? Moderation.Action.ACCEPT : Moderation.Action.REJECT;
                String moderator = "m" + i;
                calls.add(() -> moderation.decide(list(), held.id(), action, moderator, Optional.empty(), Optional.empty()));
            }
            for (Future<Moderation.Result> future : pool.invokeAll(calls)) {
                results.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(results).filteredOn(r -> r.outcome() == Moderation.Outcome.ACCEPTED || r.outcome() == Moderation.Outcome.REJECTED)
            .hasSize(1);
        assertThat(results).filteredOn(r -> r.outcome() == Moderation.Outcome.ALREADY_HANDLED).hasSize(5)
            .allSatisfy(r -> assertThat(r.message()).containsPattern("already (accepted|rejected) by m\\d"));
        boolean accepted = results.stream().anyMatch(r -> r.outcome() == Moderation.Outcome.ACCEPTED);
        assertThat(queue.released()).hasSize(accepted ? 1 : 0);
        assertThat(queue.keys()).doesNotContain("p1");
    }

    @Test
    void acceptWithAddSenderShouldPutThePosterOnTheRosterWhosePostsAreAccepted() throws Exception {
        HeldPost held = holdOne("p1");

        moderation.decide(list(), held.id(), Moderation.Action.ACCEPT, "mod", Optional.empty(), Optional.of(Role.NONMEMBER));

        Member sender = stores.roster().findMember(teamId(), new MailAddress("x@outside.example")).orElseThrow();
        assertThat(sender.role()).isEqualTo(Role.NONMEMBER);
        assertThat(sender.moderationAction()).contains(ModerationAction.ACCEPT);
    }

    @Test
    void recoverShouldReleaseAcceptedPostsLeftInTheQueueAndExpireOldOnes() throws Exception {
        HeldPost accepted = holdOne("p1");
        HeldPost old = holdOne("p2");
        stores.heldPosts().decideHeld(accepted.id(), HeldState.HELD, HeldState.ACCEPTED, "mod", null, NOW);
        clock.advance(Duration.ofDays(15));

        List<Notice> notices = moderation.recover(list());

        assertThat(queue.released()).hasSize(1);
        assertThat(queue.keys()).isEmpty();
        assertThat(stores.heldPosts().findHeld(list().id(), old.id()).orElseThrow().state()).isEqualTo(HeldState.EXPIRED);
        assertThat(notices).extracting(Notice::kind).containsExactly(NoticeKind.HELD_EXPIRED);
    }

    @Test
    void dailySummaryShouldBeSentOncePerDayWhenTheListAsksForIt() throws Exception {
        stores.lists().saveList(team, ListChanges.builder().set(ListChanges.Setting.MODERATOR_NOTIFICATION, "daily").build());
        holdOne("p1");

        List<Notice> first = moderation.summary(list());
        List<Notice> again = moderation.summary(list());
        clock.advance(Duration.ofDays(1));
        List<Notice> nextDay = moderation.summary(list());

        assertThat(first).extracting(Notice::kind).containsExactly(NoticeKind.HELD_SUMMARY);
        assertThat(first.get(0).value("posts").orElseThrow()).contains("hello");
        assertThat(again).isEmpty();
        assertThat(nextDay).hasSize(1);
    }

    private long teamId() {
        return stores.lists().getList(team).id();
    }
}
