package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;

/** What every {@link org.listkeeper.unsubscribe.UnsubscribeTokens} implementation must do. */
public interface UnsubscribeTokensContract extends StoreContract {
    @Test
    default void unsubscribeTokensShouldBeIssuedOncePerMemberAndFindTheirMember() throws Exception {
        MailingList list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none());
        MailingList other = stores().lists().saveList(address("other@lists.example.org"), ListChanges.none());
        stores().roster().saveMember(list.id(), Member.of(address("alice@example.com")));
        stores().roster().saveMember(list.id(), Member.of(address("bob@example.com")));
        stores().roster().saveMember(other.id(), Member.of(address("alice@example.com")));

        java.util.Map<String, String> first = stores().unsubscribeTokens().unsubscribeTokens(list.id(),
            java.util.List.of(address("Alice@Example.com"), address("bob@example.com")), NOW);
        java.util.Map<String, String> again = stores().unsubscribeTokens().unsubscribeTokens(list.id(), java.util.List.of(address("alice@example.com")), NOW);
        java.util.Map<String, String> elsewhere = stores().unsubscribeTokens().unsubscribeTokens(other.id(), java.util.List.of(address("alice@example.com")), NOW);

        assertThat(first).hasSize(2);
        String alice = first.get(org.listkeeper.list.Addresses.key(address("alice@example.com")));
        assertThat(alice).matches("[A-Za-z0-9_-]{27}");
        assertThat(again.values()).containsExactly(alice);
        assertThat(elsewhere.values()).doesNotContain(alice);
        assertThat(stores().unsubscribeTokens().unsubscribeTarget(alice)).hasValueSatisfying(target -> {
            assertThat(target.listId()).isEqualTo(list.id());
            assertThat(target.list()).isEqualTo(list.address());
            assertThat(target.member().asString()).isEqualTo("alice@example.com");
        });
        assertThat(stores().unsubscribeTokens().unsubscribeTarget("AAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(stores().unsubscribeTokens().unsubscribeTokens(list.id(), java.util.List.of(), NOW)).isEmpty();
    }

    @Test
    default void unsubscribeTokenShouldDieWithTheMembershipAndWhenRevoked() throws Exception {
        MailingList list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none());
        stores().roster().saveMember(list.id(), Member.of(address("alice@example.com")));
        stores().roster().saveMember(list.id(), Member.of(address("bob@example.com")));
        String alice = stores().unsubscribeTokens().unsubscribeTokens(list.id(), java.util.List.of(address("alice@example.com")), NOW).values().iterator().next();
        String bob = stores().unsubscribeTokens().unsubscribeTokens(list.id(), java.util.List.of(address("bob@example.com")), NOW).values().iterator().next();

        stores().roster().removeMember(list.id(), address("alice@example.com"));
        assertThat(stores().unsubscribeTokens().revokeUnsubscribeToken(list.id(), address("bob@example.com"))).isTrue();

        assertThat(stores().unsubscribeTokens().unsubscribeTarget(alice)).isEmpty();
        assertThat(stores().unsubscribeTokens().unsubscribeTarget(bob)).isEmpty();
        // coming back gets a new token; the old link stays dead
        stores().roster().saveMember(list.id(), Member.of(address("alice@example.com")));
        String renewed = stores().unsubscribeTokens().unsubscribeTokens(list.id(), java.util.List.of(address("alice@example.com")), NOW).values().iterator().next();
        assertThat(renewed).isNotEqualTo(alice);
        assertThat(stores().unsubscribeTokens().unsubscribeTarget(alice)).isEmpty();
        assertThat(stores().unsubscribeTokens().unsubscribeTarget(renewed)).isPresent();
    }

    @Test
    default void unsubscribeTokensShouldBeIssuedOnlyForAddressesStillOnTheRoster() throws Exception {
        MailingList list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none());
        stores().roster().saveMember(list.id(), Member.of(address("stays@example.com")));

        // "gone" left between the fan-out's page read and the token issue
        java.util.Map<String, String> tokens = stores().unsubscribeTokens().unsubscribeTokens(list.id(),
            java.util.List.of(address("stays@example.com"), address("gone@example.com")), NOW);

        assertThat(tokens).containsOnlyKeys(org.listkeeper.list.Addresses.key(address("stays@example.com")));
        stores().roster().saveMember(list.id(), Member.of(address("gone@example.com")));
        String fresh = stores().unsubscribeTokens().unsubscribeTokens(list.id(), java.util.List.of(address("gone@example.com")), NOW).values().iterator().next();
        assertThat(stores().unsubscribeTokens().unsubscribeTarget(fresh)).isPresent();
    }
}
