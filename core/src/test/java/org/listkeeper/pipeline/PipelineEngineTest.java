package org.listkeeper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.TransientFailureException;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.store.StoreConfiguration;
import org.listkeeper.testing.H2ServerFixture;

class PipelineEngineTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final Counting first = new Counting("first");
    private final Counting second = new Counting("second");
    private final Flaky flaky = new Flaky("flaky");
    private final HandlerRegistry registry = HandlerRegistry.of(List.of(first, second, flaky));
    private JdbcStores stores;
    private MailingList list;

    @BeforeEach
    void setUp() throws Exception {
        stores = JdbcStores.open(StoreConfiguration.of("jdbc:h2:mem:engine" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
            "sa", "", 2, Duration.ofSeconds(5)));
        list = stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.none());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private PipelineEngine engine(List<String> pipeline, int maxAttempts) {
        return PipelineEngine.create(registry, stores.lists(), PipelineSettings.builder().pipeline(pipeline)
            .retryPolicy(RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(30), maxAttempts)).build(), clock);
    }

    private static Mail mail() throws Exception {
        return FakeMail.builder().name("post-1").mimeMessage(org.apache.james.core.builder.MimeMessageBuilder.mimeMessageBuilder()
            .setSubject("hi").setText("hello")).recipient("team@lists.example.org").build();
    }

    @Test
    void runShouldCompleteAndRecordProgressWhenEveryHandlerProceeds() throws Exception {
        Mail mail = mail();

        Disposition disposition = engine(List.of("first", "second"), 3).run(mail, list, context);

        assertThat(disposition.kind()).isEqualTo(Disposition.Kind.COMPLETED);
        assertThat(first.calls.get()).isEqualTo(1);
        assertThat(second.calls.get()).isEqualTo(1);
        assertThat(PostProgress.next(mail)).isEqualTo(2);
        assertThat(PostProgress.pipeline(mail)).contains(List.of("first", "second"));
        assertThat(PostProgress.string(mail, PostProgress.POST_KEY)).contains("post-1");
        assertThat(PostProgress.string(mail, PostProgress.LIST)).contains("team@lists.example.org");
    }

    @Test
    void runShouldRetryWithGrowingBackoffAndResumeAtFailedHandlerWhenFailureIsTransient() throws Exception {
        flaky.failuresLeft.set(2);
        PipelineEngine engine = engine(List.of("first", "flaky", "second"), 5);
        Mail mail = mail();

        Disposition firstRun = engine.run(mail, list, context);
        Disposition secondRun = engine.run(mail, list, context);
        Disposition thirdRun = engine.run(mail, list, context);

        assertThat(firstRun.kind()).isEqualTo(Disposition.Kind.RETRY);
        assertThat(firstRun.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(firstRun.handler()).contains("flaky");
        assertThat(secondRun.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(secondRun.attempt()).isEqualTo(2);
        assertThat(thirdRun.kind()).isEqualTo(Disposition.Kind.COMPLETED);
        assertThat(first.calls.get()).isEqualTo(1);
        assertThat(flaky.calls.get()).isEqualTo(3);
        assertThat(second.calls.get()).isEqualTo(1);
        assertThat(PostProgress.attempts(mail)).isZero();
        assertThat(mail.getAttribute(PostProgress.FAILED_HANDLER)).isEmpty();
    }

    @Test
    void runShouldCarryAttemptHandlerAndErrorWhenRetryIsScheduled() throws Exception {
        flaky.failuresLeft.set(1);
        Mail mail = mail();

        engine(List.of("first", "flaky"), 5).run(mail, list, context);

        assertThat(PostProgress.attempts(mail)).isEqualTo(1);
        assertThat(PostProgress.string(mail, PostProgress.FAILED_HANDLER)).contains("flaky");
        assertThat(PostProgress.string(mail, PostProgress.ERROR)).hasValueSatisfying(error -> assertThat(error).contains("store is down"));
    }

    @Test
    void runShouldParkWhenRetriesAreExhausted() throws Exception {
        flaky.failuresLeft.set(10);
        PipelineEngine engine = engine(List.of("flaky"), 2);
        Mail mail = mail();

        engine.run(mail, list, context);
        engine.run(mail, list, context);
        Disposition third = engine.run(mail, list, context);

        assertThat(third.kind()).isEqualTo(Disposition.Kind.PARK);
        assertThat(third.reason()).hasValueSatisfying(reason -> assertThat(reason).startsWith("gave up after 2 retries"));
        assertThat(PostProgress.string(mail, PostProgress.STACK_TRACE)).hasValueSatisfying(trace -> assertThat(trace).contains("Flaky.handle"));
    }

    @Test
    void runShouldParkWithStackTraceAndResumeAtFailedHandlerWhenReplayed() throws Exception {
        flaky.permanent = true;
        flaky.failuresLeft.set(1);
        PipelineEngine engine = engine(List.of("first", "flaky", "second"), 5);
        Mail mail = mail();

        Disposition parked = engine.run(mail, list, context);
        Disposition replayed = engine.run(mail, list, context);

        assertThat(parked.kind()).isEqualTo(Disposition.Kind.PARK);
        assertThat(parked.handler()).contains("flaky");
        assertThat(replayed.kind()).isEqualTo(Disposition.Kind.COMPLETED);
        assertThat(first.calls.get()).isEqualTo(1);
        assertThat(second.calls.get()).isEqualTo(1);
        assertThat(mail.getAttribute(PostProgress.PARKED_AT)).isEmpty();
    }

    @Test
    void runShouldRecordParkingDetailsWhenHandlerFailsPermanently() throws Exception {
        flaky.permanent = true;
        flaky.failuresLeft.set(1);
        Mail mail = mail();

        engine(List.of("first", "flaky"), 5).run(mail, list, context);

        assertThat(PostProgress.string(mail, PostProgress.FAILED_HANDLER)).contains("flaky");
        assertThat(PostProgress.string(mail, PostProgress.ERROR)).contains("IllegalStateException: handler bug");
        assertThat(PostProgress.string(mail, PostProgress.STACK_TRACE))
            .hasValueSatisfying(trace -> assertThat(trace).contains("java.lang.IllegalStateException: handler bug").contains("at "));
        assertThat(PostProgress.string(mail, PostProgress.PARKED_AT)).contains("2026-11-23T10:00:00Z");
    }

    @Test
    void runShouldFinishWithItsSnapshotWhenPipelineConfigurationChanged() throws Exception {
        flaky.failuresLeft.set(1);
        Mail mail = mail();
        engine(List.of("first", "flaky", "second"), 5).run(mail, list, context);

        Disposition resumed = engine(List.of("first"), 5).run(mail, list, context);

        assertThat(resumed.kind()).isEqualTo(Disposition.Kind.COMPLETED);
        assertThat(second.calls.get()).isEqualTo(1);
    }

    @Test
    void runShouldParkNamingHandlerWhenSnapshotNamesOneThatNoLongerExists() throws Exception {
        Mail mail = mail();
        PostProgress.setPipeline(mail, List.of("first", "retired-handler"));

        Disposition disposition = engine(List.of("first"), 5).run(mail, list, context);

        assertThat(disposition.kind()).isEqualTo(Disposition.Kind.PARK);
        assertThat(disposition.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("'retired-handler'").contains("no longer exists"));
    }

    @Test
    void runShouldParkWhenListNoLongerExists() throws Exception {
        Mail mail = mail();
        stores.lists().deleteList(list.address());

        Disposition disposition = engine(List.of("first"), 5).run(mail, list.address(), context);

        assertThat(disposition.kind()).isEqualTo(Disposition.Kind.PARK);
        assertThat(disposition.handler()).contains(PipelineEngine.LIST_LOOKUP);
        assertThat(first.calls.get()).isZero();
    }

    @Test
    void runShouldRetryWhenListStoreIsUnreachable(@TempDir Path directory) throws Exception {
        try (H2ServerFixture h2 = new H2ServerFixture(directory).start();
             JdbcStores remote = JdbcStores.open(h2.configuration())) {
            MailingList remoteList = remote.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.none());
            PipelineEngine engine = PipelineEngine.create(registry, remote.lists(), PipelineSettings.builder()
                .pipeline(List.of("first")).build(), clock);
            h2.stop();

            Mail mail = mail();
            Disposition disposition = engine.run(mail, remoteList.address(), context);

            assertThat(disposition.kind()).isEqualTo(Disposition.Kind.RETRY);
            assertThat(disposition.handler()).contains(PipelineEngine.LIST_LOOKUP);
            assertThat(PostProgress.string(mail, PostProgress.ERROR)).hasValueSatisfying(e -> assertThat(e).contains("unavailable"));

            h2.start();
            // a pooled connection broken by the outage may fail once more: that is one more retry, as in production
            Disposition after = engine.run(mail, remoteList.address(), context);
            for (int retries = 0; after.kind() == Disposition.Kind.RETRY && retries < 3; retries++) {
                after = engine.run(mail, remoteList.address(), context);
            }
            assertThat(after.kind()).isEqualTo(Disposition.Kind.COMPLETED);
            assertThat(first.calls.get()).isEqualTo(1);
        }
    }

    @Test
    void createShouldFailNamingHandlerWhenPipelineNamesUnknownOne() {
        assertThatThrownBy(() -> engine(List.of("first", "no-such-handler"), 5))
            .isInstanceOf(UnknownHandlerException.class)
            .hasMessageContaining("'no-such-handler'");
    }

    @Test
    void retryPolicyShouldCapDelayWhenAttemptsGrow() {
        RetryPolicy policy = RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(5), 10);

        assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delayBefore(60)).isEqualTo(Duration.ofSeconds(5));
    }

    private static final class Counting implements Handler {
        private final String name;
        final AtomicInteger calls = new AtomicInteger();

        Counting(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "counts its calls";
        }

        @Override
        public HandlerResult handle(PostContext post) {
            calls.incrementAndGet();
            return HandlerResult.proceed();
        }
    }

    private static final class Flaky implements Handler {
        private final String name;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failuresLeft = new AtomicInteger();
        boolean permanent;

        Flaky(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "fails a set number of times";
        }

        @Override
        public HandlerResult handle(PostContext post) {
            calls.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                if (permanent) {
                    throw new IllegalStateException("handler bug");
                }
                throw new TransientFailureException("store is down");
            }
            return HandlerResult.proceed();
        }
    }
}
