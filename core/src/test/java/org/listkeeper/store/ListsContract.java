package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.listkeeper.NoSuchListException;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.SubscriptionPolicy;
import org.listkeeper.list.UnsubscriptionPolicy;

/** What every {@link org.listkeeper.list.Lists} implementation must do. */
public interface ListsContract extends StoreContract {
    @Test
    default void saveListShouldCreateListWithDefaultsWhenNoSettingsGiven() throws Exception {
        MailingList list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none());

        assertThat(list.address()).isEqualTo(address("team@lists.example.org"));
        assertThat(list.displayName()).isEqualTo("team");
        assertThat(list.subjectPrefix()).isEqualTo("[team]");
        assertThat(list.footerTemplate()).isEqualTo(MailingList.DEFAULT_FOOTER);
        assertThat(stores().lists().findList(address("team@lists.example.org"))).contains(list);
    }

    @Test
    default void saveListShouldChangeOnlyGivenSettingsWhenListExists() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.builder().set(Setting.DISPLAY_NAME, "Team").set(Setting.FOOTER, "bye").build());

        MailingList updated = stores().lists().saveList(team, ListChanges.builder().set(Setting.SUBJECT_PREFIX, "[t]").build());

        assertThat(updated.displayName()).isEqualTo("Team");
        assertThat(updated.footerTemplate()).isEqualTo("bye");
        assertThat(updated.subjectPrefix()).isEqualTo("[t]");
    }

    @Test
    default void saveListShouldResetSettingWhenGivenNull() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.builder().set(Setting.DISPLAY_NAME, "Team").build());

        MailingList updated = stores().lists().saveList(team, ListChanges.builder().set(Setting.DISPLAY_NAME, null).build());

        assertThat(updated.configuredDisplayName()).isEmpty();
    }

    @Test
    default void findListShouldIgnoreCaseWhenAddressDiffersInCase() throws Exception {
        stores().lists().saveList(address("Team@Lists.Example.org"), ListChanges.none());

        assertThat(stores().lists().findList(address("team@lists.example.org"))).isPresent();
    }

    @Test
    default void getListShouldThrowWhenListIsUnknown() {
        assertThatThrownBy(() -> stores().lists().getList(address("nobody@lists.example.org")))
            .isInstanceOf(NoSuchListException.class)
            .hasMessageContaining("nobody@lists.example.org");
    }

    @Test
    default void listsShouldCountMembersWhenListsHaveRosters() throws Exception {
        MailAddress team = address("team@lists.example.org");
        MailAddress dev = address("dev@lists.example.org");
        stores().lists().saveList(team, ListChanges.none());
        stores().lists().saveList(dev, ListChanges.none());
        stores().roster().saveMember(id(team), Member.of(address("a@example.com")));
        stores().roster().saveMember(id(team), Member.of(address("b@example.com")));

        List<ListSummary> lists = stores().lists().lists();

        assertThat(lists).extracting(summary -> summary.list().address().asString(), ListSummary::members)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("dev@lists.example.org", 0),
                org.assertj.core.groups.Tuple.tuple("team@lists.example.org", 2));
        assertThat(stores().lists().listAddresses()).containsExactly(dev, team);
    }

    @Test
    default void deleteListShouldRemoveRosterWhenListExists() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.none());
        stores().roster().saveMember(id(team), Member.of(address("a@example.com")));

        assertThat(stores().lists().deleteList(team)).isTrue();

        assertThat(stores().lists().findList(team)).isEmpty();
        assertThat(stores().lists().deleteList(team)).isFalse();
        stores().lists().saveList(team, ListChanges.none());
        assertThat(stores().roster().members(id(team))).isEmpty();
    }

    @Test
    default void saveListShouldSucceedEveryTimeWhenSameListIsCreatedConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<MailingList>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> stores().lists().saveList(address("race@lists.example.org"), ListChanges.none()));
            }
            for (Future<MailingList> future : pool.invokeAll(tasks)) {
                assertThat(future.get().address()).isEqualTo(address("race@lists.example.org"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stores().lists().lists()).hasSize(1);
    }

    @Test
    default void saveListShouldKeepPoliciesAndOtherSettingsAndResetThemWithNull() throws Exception {
        MailAddress team = address("team@lists.example.org");
        stores().lists().saveList(team, ListChanges.builder().set(Setting.SUBSCRIPTION_POLICY, "confirm-then-moderate")
            .set(Setting.PRIVATE_ROSTER, "false").set(Setting.AUTO_REPLIES_PER_DAY, "3").build());

        MailingList list = stores().lists().getList(team);
        assertThat(list.subscriptionPolicy()).isEqualTo(SubscriptionPolicy.CONFIRM_THEN_MODERATE);
        assertThat(list.privateRoster()).isFalse();
        assertThat(list.autoRepliesPerDay()).isEqualTo(3);
        assertThat(list.unsubscriptionPolicy()).isEqualTo(UnsubscriptionPolicy.CONFIRM);

        stores().lists().saveList(team, ListChanges.builder().set(Setting.SUBSCRIPTION_POLICY, null).set(Setting.UNSUBSCRIPTION_POLICY, "open").build());

        MailingList changed = stores().lists().getList(team);
        assertThat(changed.subscriptionPolicy()).isEqualTo(SubscriptionPolicy.CONFIRM);
        assertThat(changed.unsubscriptionPolicy()).isEqualTo(UnsubscriptionPolicy.OPEN);
        assertThat(changed.privateRoster()).isFalse();
    }
}
