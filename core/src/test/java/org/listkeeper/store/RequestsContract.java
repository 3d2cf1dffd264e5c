package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.Member;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.RequestState;

/** What every {@link org.listkeeper.membership.Requests} implementation must do. */
public interface RequestsContract extends StoreContract {
    @Test
    default void moveRequestShouldLetExactlyOneOfConcurrentDecisionsWin() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        PendingRequest request = stores().requests().createRequest(list, RequestAction.SUBSCRIBE, Member.of(address("alice@example.net")),
            RequestState.APPROVING, "alice@example.net", NOW, NOW.plus(Duration.ofDays(3)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> decisions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RequestState target = i % 2 == 0 ? RequestState.DONE : RequestState.REJECTED;
                String moderator = "moderator" + i;
                decisions.add(() -> stores().requests().moveRequest(request.id(), RequestState.APPROVING, target, moderator, NOW));
            }
            int winners = 0;
            for (Future<Boolean> decision : pool.invokeAll(decisions)) {
                winners += decision.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(stores().requests().findRequest(list, request.id()).orElseThrow().state()).isIn(RequestState.DONE, RequestState.REJECTED);
        assertThat(stores().requests().openRequests(list, NOW)).isEmpty();
    }

    @Test
    default void openRequestsShouldLeaveOutExpiredOnesAndExpireRequestsShouldMarkThem() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();
        PendingRequest old = stores().requests().createRequest(list, RequestAction.SUBSCRIBE, Member.of(address("old@example.net")),
            RequestState.CONFIRMING, "old@example.net", NOW.minus(Duration.ofDays(4)), NOW.minus(Duration.ofDays(1)));
        PendingRequest fresh = stores().requests().createRequest(list, RequestAction.UNSUBSCRIBE, Member.of(address("new@example.net")),
            RequestState.CONFIRMING, "new@example.net", NOW, NOW.plus(Duration.ofDays(3)));

        assertThat(stores().requests().openRequests(list, NOW)).extracting(PendingRequest::id).containsExactly(fresh.id());
        assertThat(stores().requests().openRequest(list, RequestAction.UNSUBSCRIBE, address("NEW@example.net"), NOW)).isPresent();
        assertThat(stores().requests().expireRequests(NOW)).isEqualTo(1);
        assertThat(stores().requests().findRequest(list, old.id()).orElseThrow().state()).isEqualTo(RequestState.EXPIRED);
    }
}
