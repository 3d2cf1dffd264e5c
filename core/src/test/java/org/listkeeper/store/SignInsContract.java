package org.listkeeper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.store.StoreContract.address;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.listkeeper.signin.LinkUse;
import org.listkeeper.signin.WebSession;

/** What every {@link org.listkeeper.signin.SignIns} implementation must do. */
public interface SignInsContract extends StoreContract {
    Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    default void signInLinkShouldSignInOnceThenBeUsed() throws Exception {
        stores().signIns().saveSignInLink("hash-1", address("alice@example.com"), T0, T0.plus(Duration.ofMinutes(30)));

        assertThat(stores().signIns().useSignInLink("hash-1", T0.plusSeconds(60))).isEqualTo(LinkUse.signedIn(address("alice@example.com")));
        assertThat(stores().signIns().useSignInLink("hash-1", T0.plusSeconds(61)).state()).isEqualTo(LinkUse.State.USED);
        assertThat(stores().signIns().useSignInLink("no-such-hash", T0).state()).isEqualTo(LinkUse.State.UNKNOWN);
    }

    @Test
    default void signInLinkShouldBeExpiredAfterItsTime() throws Exception {
        stores().signIns().saveSignInLink("hash-2", address("bob@example.com"), T0, T0.plus(Duration.ofMinutes(30)));

        assertThat(stores().signIns().useSignInLink("hash-2", T0.plus(Duration.ofMinutes(30))).state()).isEqualTo(LinkUse.State.EXPIRED);
    }

    @Test
    default void signInLinkUsedTwiceAtOnceShouldSignInOnce() throws Exception {
        stores().signIns().saveSignInLink("hash-3", address("carol@example.com"), T0, T0.plus(Duration.ofMinutes(30)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LinkUse>> uses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                uses.add(pool.submit((Callable<LinkUse>) () -> stores().signIns().useSignInLink("hash-3", T0.plusSeconds(5))));
            }
            int signedIn = 0;
            for (Future<LinkUse> use : uses) {
                signedIn += use.get().state() == LinkUse.State.SIGNED_IN ? 1 : 0;
            }
            assertThat(signedIn).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    default void passwordsShouldBeKeptReplacedAndForgottenByAddress() throws Exception {
        assertThat(stores().signIns().passwordHash(address("frank@example.com"))).isEmpty();
        stores().signIns().savePassword(address("frank@example.com"), "hash-a", T0);
        stores().signIns().savePassword(address("Frank@Example.com"), "hash-b", T0.plusSeconds(1));

        assertThat(stores().signIns().passwordHash(address("frank@example.com"))).contains("hash-b");
        assertThat(stores().signIns().deletePassword(address("frank@example.com"))).isTrue();
        assertThat(stores().signIns().deletePassword(address("frank@example.com"))).isFalse();
        assertThat(stores().signIns().passwordHash(address("frank@example.com"))).isEmpty();
    }

    @Test
    default void sessionsShouldBeFoundTouchedDeletedAndPurged() throws Exception {
        stores().signIns().saveSession("session-1", address("dave@example.com"), T0);
        stores().signIns().saveSession("session-2", address("erin@example.com"), T0);
        stores().signIns().touchSession("session-1", T0.plus(Duration.ofHours(1)));

        assertThat(stores().signIns().findSession("session-1")).contains(WebSession.of(address("dave@example.com"), T0,
            T0.plus(Duration.ofHours(1))));
        stores().signIns().deleteSession("session-2");
        assertThat(stores().signIns().findSession("session-2")).isEmpty();

        stores().signIns().saveSignInLink("hash-4", address("dave@example.com"), T0, T0.plus(Duration.ofMinutes(30)));
        int purged = stores().signIns().purgeSignIns(T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofHours(3)), T0.minus(Duration.ofDays(1)));
        assertThat(purged).isGreaterThanOrEqualTo(2);
        assertThat(stores().signIns().findSession("session-1")).isEmpty();
    }
}
