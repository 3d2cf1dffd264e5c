package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.listkeeper.NoSuchListException;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.MemberCursor;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;

/** What every {@link org.listkeeper.list.Roster} implementation must do. */
public interface RosterContract extends StoreContract {
    @Test
    default void saveMemberShouldThrowWhenListIsUnknown() {
        assertThatThrownBy(() -> stores().roster().saveMember(id(address("nobody@lists.example.org")), Member.of(address("a@example.com"))))
            .isInstanceOf(NoSuchListException.class);
    }

    @Test
    default void saveMemberShouldReplaceEntryWhenAddressDiffersOnlyInCase() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.none());
        stores().roster().saveMember(id(team), Member.of(address("alice@example.com")));

        stores().roster().saveMember(id(team), Member.of(address("Alice@Example.com"), "Alice", Role.OWNER, Delivery.DISABLED));

        assertThat(stores().roster().members(id(team))).containsExactly(
            Member.of(address("Alice@Example.com"), "Alice", Role.OWNER, Delivery.DISABLED));
        assertThat(stores().roster().memberCount(id(team))).isEqualTo(1);
        assertThat(stores().roster().findMember(id(team), address("alice@example.com"))).map(Member::role).contains(Role.OWNER);
    }

    @Test
    default void removeMemberShouldAnswerFalseWhenAddressIsNotOnRoster() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.none());
        stores().roster().saveMember(id(team), Member.of(address("a@example.com")));

        assertThat(stores().roster().removeMember(id(team), address("a@example.com"))).isTrue();
        assertThat(stores().roster().removeMember(id(team), address("a@example.com"))).isFalse();
        assertThat(stores().roster().members(id(team))).isEmpty();
    }

    @Test
    default void deliveryPageShouldWalkEnabledMembersByDomainThenAddress() throws Exception {
        MailAddress team = address("team@lists.example.org");
        MailingList list = stores().lists().saveList(team, ListChanges.none());
        for (String member : List.of("z@a.example", "b@c.example", "a@c.example", "m@b.example", "off@a.example")) {
            Delivery delivery = member.startsWith("off") ? Delivery.DISABLED : Delivery.ENABLED;
            stores().roster().saveMember(id(team), Member.of(address(member), null, Role.MEMBER, delivery));
        }

        List<String> walked = new ArrayList<>();
        Optional<MemberCursor> cursor = Optional.empty();
        List<Member> page;
        do {
            page = stores().roster().deliveryPage(list.id(), cursor, 2);
            page.forEach(member -> walked.add(member.address().asString()));
            if (!page.isEmpty()) {
                cursor = Optional.of(MemberCursor.after(page.get(page.size() - 1)));
            }
        } while (page.size() == 2);

        assertThat(walked).containsExactly("z@a.example", "m@b.example", "a@c.example", "b@c.example");
    }

    @Test
    default void saveMemberShouldKeepOneEntryWhenSameAddressIsSavedConcurrently() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.none());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> {
                    stores().roster().saveMember(id(team), Member.of(address("same@example.com")));
                    return null;
                });
            }
            for (Future<Void> future : pool.invokeAll(tasks)) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stores().roster().members(id(team))).hasSize(1);
    }

    @Test
    default void saveMemberShouldKeepEveryOption() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.none());
        Member member = Member.builder(address("Alice@Example.net")).displayName("Alice").role(Role.MODERATOR)
            .delivery(Delivery.DISABLED).disabledBy(DisabledBy.BOUNCE).digest(DigestMode.MIME).receiveOwnPosts(false)
            .hideAddress(true).moderationAction(ModerationAction.HOLD).build();

        stores().roster().saveMember(id(team), member);

        assertThat(stores().roster().findMember(id(team), address("alice@example.net"))).contains(member);
    }

    @Test
    default void addMemberShouldRefuseAddressAlreadyOnRosterAndLeaveItUnchanged() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.none());
        Member first = Member.builder(address("alice@example.net")).displayName("Alice").build();

        assertThat(stores().roster().addMember(id(team), first)).isTrue();
        assertThat(stores().roster().addMember(id(team), Member.builder(address("ALICE@example.net")).role(Role.OWNER).build())).isFalse();

        assertThat(stores().roster().findMember(id(team), address("alice@example.net"))).contains(first);
    }

    @Test
    default void membersShouldPageAndFilterByRoleAndCountWithoutNonmembers() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.none());
        for (int i = 0; i < 5; i++) {
            stores().roster().saveMember(id(team), Member.of(address("m" + i + "@example.net")));
        }
        stores().roster().saveMember(id(team), Member.builder(address("boss@example.net")).role(Role.OWNER).build());
        stores().roster().saveMember(id(team), Member.builder(address("known@example.net")).role(Role.NONMEMBER).build());

        assertThat(stores().roster().members(id(team), Optional.of(Role.MEMBER), 2, 2)).extracting(m -> m.address().asString())
            .containsExactly("m2@example.net", "m3@example.net");
        assertThat(stores().roster().members(id(team), Optional.empty(), 0, 100)).hasSize(7);
        assertThat(stores().roster().memberCount(id(team))).isEqualTo(6);
        assertThat(stores().roster().memberCount(id(team), Optional.of(Role.NONMEMBER))).isEqualTo(1);
        assertThat(stores().roster().deliveryPage(stores().lists().getList(team).id(), Optional.empty(), 100))
            .extracting(m -> m.address().asString()).doesNotContain("known@example.net").hasSize(6);
    }

    @Test
    default void deliveryPageShouldLeaveOutAuthorOnlyWhenTheyDoNotWantOwnPosts() throws Exception {
        MailAddress team = address("team@lists.example.org");
        long list = stores().lists().saveList(team, ListChanges.none()).id();
        stores().roster().saveMember(id(team), Member.builder(address("quiet@example.net")).receiveOwnPosts(false).build());
        stores().roster().saveMember(id(team), Member.of(address("echo@example.net")));

        assertThat(stores().roster().deliveryPage(list, Optional.empty(), 10, Optional.of(address("quiet@example.net"))))
            .extracting(m -> m.address().asString()).containsExactly("echo@example.net");
        assertThat(stores().roster().deliveryPage(list, Optional.empty(), 10, Optional.of(address("echo@example.net"))))
            .extracting(m -> m.address().asString()).containsExactly("echo@example.net", "quiet@example.net");
    }
}
