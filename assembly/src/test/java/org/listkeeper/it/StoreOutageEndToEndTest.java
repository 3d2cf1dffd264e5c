package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.testing.H2ServerFixture;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * The list store (H2 served over TCP) goes down in the middle of a post's pipeline and comes back 20 s
 * later, while more posts arrive: every post is retried with backoff and delivered once, nothing is lost or
 * doubled, and the handler before the outage ran once.
 */
class StoreOutageEndToEndTest {
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static Path h2Directory;
    private static H2ServerFixture h2;
    private static ListkeeperServer server;
    private static final ScheduledExecutorService RESTARTER = Executors.newSingleThreadScheduledExecutor();
    private static final AtomicBoolean RESTARTED = new AtomicBoolean();
    private static final AtomicInteger DELIVERIES_DURING_OUTAGE = new AtomicInteger(-1);

    /** Stops the list store the first time it sees an "[outage]" post, and starts it again later. */
    public static final class OutageModule extends AbstractModule {
        @Override
        protected void configure() {
            Multibinder.newSetBinder(binder(), Handler.class).addBinding().toInstance(new Handler() {
                private final AtomicBoolean triggered = new AtomicBoolean();

                @Override
                public String name() {
                    return "store-outage";
                }

                @Override
                public String description() {
                    return "test: takes the list store down once";
                }

                @Override
                public HandlerResult handle(PostContext post) throws javax.mail.MessagingException {
                    String subject = post.mail().getMessage().getSubject();
                    if (subject != null && subject.contains("[outage]") && triggered.compareAndSet(false, true)) {
                        h2.stop();
                        RESTARTER.schedule(StoreOutageEndToEndTest::restart, OUTAGE.toMillis(), TimeUnit.MILLISECONDS);
                    }
                    return HandlerResult.proceed();
                }
            });
        }
    }

    private static void restart() {
        try {
            DELIVERIES_DURING_OUTAGE.set(server.deliveriesOf("<outage@example.com>").size());
            h2.start();
            RESTARTED.set(true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean h2Running() {
        try (java.sql.Connection ignored = java.sql.DriverManager.getConnection(h2.jdbcUrl(), "sa", "")) {
            return true;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @BeforeAll
    static void startStoreAndServer() throws Exception {
        h2Directory = Files.createTempDirectory("listkeeper-h2");
        h2 = new H2ServerFixture(h2Directory).start();
        server = ListkeeperServer.builder()
            .extensionModule(TestHandlers.class)
            .extensionModule(OutageModule.class)
            .listkeeperProperties("jdbc.url=" + h2.jdbcUrl() + "\njdbc.username=sa\njdbc.password=\njdbc.connectionTimeout=1s\n")
            .mailetContainer(xml -> ListkeeperServer.replace(xml, "<retryMaxAttempts>12</retryMaxAttempts>",
                "<retryMaxAttempts>30</retryMaxAttempts>"))
            .mailetContainer(xml -> ListkeeperServer.replace(xml,
                "<pipeline>mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,archive,digest,fan-out</pipeline>",
                "<pipeline>mime-check,side-effects,store-outage,duplicate-check,list-headers,post-number,subject-prefix,footer,fan-out</pipeline>"))
            .build();
        server.start();
    }

    @AfterAll
    static void stopServerAndStore() throws Exception {
        RESTARTER.shutdownNow();
        try {
            server.stop();
        } finally {
            h2.close();
            try (var paths = Files.walk(h2Directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void postShouldBeRetriedThroughStoreOutageAndDeliveredOnce() throws Exception {
        server.createList("outage@lists.example.org", "{}", "ann@member.example", "bob@member.example", "cid@member.example");

        SmtpClient.Result result = server.post("alice@example.com", List.of("outage@lists.example.org"),
            "From: alice@example.com\nSubject: [outage] still delivered\nMessage-ID: <outage@example.com>\n\nbody\n");

        assertThat(result.accepted()).isTrue();
        // posts keep arriving while the store is down: SMTP intake answers from the list snapshot
        await().atMost(Duration.ofSeconds(10)).until(() -> !h2Running());
        for (int i = 0; i < 5; i++) {
            assertThat(server.post("alice@example.com", List.of("outage@lists.example.org"),
                "From: alice@example.com\nSubject: during the outage " + i + "\nMessage-ID: <during-" + i + "@example.com>\n\nbody\n")
                .accepted()).isTrue();
        }
        await().atMost(Duration.ofSeconds(60)).untilTrue(RESTARTED);
        List<ListkeeperServer.Delivery> deliveries = server.awaitDeliveries("<outage@example.com>", 3);
        assertThat(DELIVERIES_DURING_OUTAGE.get()).isZero();
        assertThat(deliveries).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("ann@member.example", "bob@member.example", "cid@member.example");
        for (int i = 0; i < 5; i++) {
            assertThat(server.awaitDeliveries("<during-" + i + "@example.com>", 3)).extracting(d -> d.recipient)
                .containsExactlyInAnyOrder("ann@member.example", "bob@member.example", "cid@member.example");
        }
        assertThat(TestHandlers.SIDE_EFFECTS.calls("<outage@example.com>")).hasSize(1);
    }
}
