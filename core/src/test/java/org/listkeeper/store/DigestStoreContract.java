package org.listkeeper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.store.StoreContract.address;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.listkeeper.digest.DigestEntry;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.digest.DigestStore;
import org.listkeeper.list.Audience;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.Member;

/** What every {@link DigestStore} implementation must do, and the roster's digest audiences that rest on it. */
public interface DigestStoreContract extends StoreContract {
    private long list() throws Exception {
        return stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
    }

    private static DigestEntry entry(long number, int size) {
        return DigestEntry.of(number, "Subject " + number, "Ann <ann@example.net>", NOW, "x".repeat(size).getBytes(StandardCharsets.US_ASCII));
    }

    private DigestStore digests() {
        return stores().digests();
    }

    @Test
    default void addShouldOpenIssueOneAndKeepEachPostOnce() throws Exception {
        long list = list();

        DigestStore.Addition first = digests().add(list, entry(1, 100), OptionalLong.empty(), NOW);
        DigestStore.Addition replay = digests().add(list, entry(1, 100), OptionalLong.empty(), NOW);
        digests().add(list, entry(2, 50), OptionalLong.empty(), NOW);

        assertThat(first.added()).isTrue();
        assertThat(replay.added()).isFalse();
        assertThat(replay.issue().id()).isEqualTo(first.issue().id());
        DigestIssue open = digests().openIssue(list).orElseThrow();
        assertThat(open.volume()).isEqualTo(1);
        assertThat(open.number()).isEqualTo(1);
        assertThat(open.posts()).isEqualTo(2);
        assertThat(open.size()).isEqualTo(150);
        assertThat(open.state()).isEqualTo("open");
        assertThat(digests().entries(open.id())).extracting(DigestEntry::postNumber).containsExactly(1L, 2L);
        assertThat(digests().entries(open.id()).get(0)).isEqualTo(entry(1, 100));
    }

    @Test
    default void addShouldCloseTheIssueWhenItsSizeReachesTheThresholdAndOpenTheNextAfter() throws Exception {
        long list = list();

        assertThat(digests().add(list, entry(1, 600), OptionalLong.of(1000), NOW).closed()).isFalse();
        DigestStore.Addition crossing = digests().add(list, entry(2, 400), OptionalLong.of(1000), NOW);
        DigestStore.Addition next = digests().add(list, entry(3, 10), OptionalLong.of(1000), NOW);

        assertThat(crossing.closed()).isTrue();
        assertThat(crossing.issue().closedAt()).contains(NOW);
        assertThat(next.issue().number()).isEqualTo(2);
        assertThat(next.issue().id()).isGreaterThan(crossing.issue().id());
        assertThat(digests().closedNotTriggered(list)).extracting(DigestIssue::number).containsExactly(1);
        // a replay of the post that closed issue 1 finds it there, closed
        DigestStore.Addition replay = digests().add(list, entry(2, 400), OptionalLong.of(1000), NOW);
        assertThat(replay.added()).isFalse();
        assertThat(replay.issue().number()).isEqualTo(1);
        assertThat(replay.issue().open()).isFalse();
    }

    @Test
    default void closeShouldCloseOnlyAnIssueWithPosts() throws Exception {
        long list = list();
        assertThat(digests().close(list, NOW)).isEmpty();
        digests().add(list, entry(1, 10), OptionalLong.empty(), NOW);

        Optional<DigestIssue> closed = digests().close(list, NOW.plusSeconds(5));

        assertThat(closed).hasValueSatisfying(issue -> {
            assertThat(issue.closedAt()).contains(NOW.plusSeconds(5));
            assertThat(issue.state()).isEqualTo("closed");
        });
        assertThat(digests().openIssue(list)).isEmpty();
        assertThat(digests().close(list, NOW)).isEmpty();
    }

    @Test
    default void markTriggeredAndSentShouldMoveTheIssueOn() throws Exception {
        long list = list();
        digests().add(list, entry(1, 10), OptionalLong.empty(), NOW);
        DigestIssue issue = digests().close(list, NOW).orElseThrow();

        digests().markTriggered(issue.id(), NOW.plusSeconds(1));
        assertThat(digests().issue(list, issue.id()).orElseThrow().state()).isEqualTo("sending");
        assertThat(digests().closedNotTriggered(list)).isEmpty();
        digests().markSent(issue.id(), NOW.plusSeconds(2));

        DigestIssue sent = digests().issue(list, issue.id()).orElseThrow();
        assertThat(sent.state()).isEqualTo("sent");
        assertThat(sent.sentAt()).contains(NOW.plusSeconds(2));
        assertThat(digests().issues(list, 10)).containsExactly(sent);
    }

    @Test
    default void aNewMonthShouldStartANewVolume() throws Exception {
        long list = list();
        Instant december = Instant.parse("2026-12-31T23:00:00Z");
        digests().add(list, entry(1, 10), OptionalLong.empty(), december);
        digests().close(list, december);
        digests().add(list, entry(2, 10), OptionalLong.empty(), december);
        digests().close(list, december);

        DigestIssue january = digests().add(list, entry(3, 10), OptionalLong.empty(), Instant.parse("2027-01-01T00:30:00Z")).issue();

        assertThat(digests().issues(list, 10)).extracting(i -> i.volume() + "/" + i.number()).containsExactly("2/1", "1/2", "1/1");
        assertThat(january.volume()).isEqualTo(2);
    }

    @Test
    default void purgeShouldForgetThePostsOfIssuesSentBeforeButKeepTheIssues() throws Exception {
        long list = list();
        digests().add(list, entry(1, 10), OptionalLong.empty(), NOW);
        DigestIssue old = digests().close(list, NOW).orElseThrow();
        digests().markSent(old.id(), NOW);
        digests().add(list, entry(2, 10), OptionalLong.empty(), NOW);

        assertThat(digests().purgeSentBefore(NOW.plus(Duration.ofDays(1)))).isEqualTo(1);

        assertThat(digests().entries(old.id())).isEmpty();
        assertThat(digests().issue(list, old.id())).isPresent();
        assertThat(digests().entries(digests().openIssue(list).orElseThrow().id())).hasSize(1);
    }

    @Test
    default void deliveryPagesShouldSplitTheRosterBetweenSinglesAndEachDigestKind() throws Exception {
        long list = list();
        stores().roster().saveMember(list, Member.of(address("single@example.net")));
        stores().roster().saveMember(list, Member.builder(address("mime@example.net")).digest(DigestMode.MIME).build());
        stores().roster().saveMember(list, Member.builder(address("plain@example.net")).digest(DigestMode.PLAIN).build());
        DigestIssue issue = digests().add(list, entry(1, 10), OptionalLong.empty(), NOW).issue();

        assertThat(page(list, Audience.everyone())).containsExactly("mime@example.net", "plain@example.net", "single@example.net");
        assertThat(page(list, Audience.singles())).containsExactly("single@example.net");
        assertThat(page(list, Audience.digest(DigestMode.MIME, issue.id()))).containsExactly("mime@example.net");
        assertThat(page(list, Audience.digest(DigestMode.PLAIN, issue.id()))).containsExactly("plain@example.net");
    }

    @Test
    default void aMemberLeavingADigestKindShouldStillGetTheIssuesNotYetSent() throws Exception {
        long list = list();
        Member mime = Member.builder(address("mime@example.net")).digest(DigestMode.MIME).build();
        stores().roster().saveMember(list, mime);
        DigestIssue closed = digests().add(list, entry(1, 10), OptionalLong.of(5), NOW).issue();
        DigestIssue open = digests().add(list, entry(2, 1), OptionalLong.of(5), NOW).issue();

        stores().roster().saveMember(list, mime.toBuilder().digest(DigestMode.NONE).build());
        DigestIssue later = digests().add(list, entry(3, 10), OptionalLong.of(5), NOW).issue();
        DigestIssue afterThat = digests().add(list, entry(4, 10), OptionalLong.of(5), NOW).issue();

        assertThat(page(list, Audience.singles())).containsExactly("mime@example.net");
        assertThat(page(list, Audience.digest(DigestMode.MIME, closed.id()))).containsExactly("mime@example.net");
        assertThat(page(list, Audience.digest(DigestMode.MIME, open.id()))).containsExactly("mime@example.net");
        // issue 2 took post 3 and closed; issue 3 opened after the change, so the member left before it
        assertThat(later.id()).isEqualTo(open.id());
        assertThat(page(list, Audience.digest(DigestMode.MIME, afterThat.id()))).isEmpty();
        assertThat(page(list, Audience.digest(DigestMode.PLAIN, open.id()))).isEmpty();
    }

    @Test
    default void aMemberLeavingADigestKindWithNothingUnsentShouldLeaveAtOnce() throws Exception {
        long list = list();
        Member plain = Member.builder(address("plain@example.net")).digest(DigestMode.PLAIN).build();
        stores().roster().saveMember(list, plain);
        digests().add(list, entry(1, 10), OptionalLong.empty(), NOW);
        DigestIssue sent = digests().close(list, NOW).orElseThrow();
        digests().markSent(sent.id(), NOW);

        stores().roster().saveMember(list, plain.toBuilder().digest(DigestMode.MIME).build());
        DigestIssue next = digests().add(list, entry(2, 10), OptionalLong.empty(), NOW).issue();

        assertThat(page(list, Audience.digest(DigestMode.PLAIN, next.id()))).isEmpty();
        assertThat(page(list, Audience.digest(DigestMode.MIME, next.id()))).containsExactly("plain@example.net");
    }

    private List<String> page(long list, Audience audience) {
        return stores().roster().deliveryPage(list, Optional.empty(), 100, Optional.empty(), audience).stream()
            .map(member -> member.address().asString()).collect(java.util.stream.Collectors.toList());
    }
}
