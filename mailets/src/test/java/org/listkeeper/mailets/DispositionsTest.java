package org.listkeeper.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.listkeeper.testing.TestMails.post;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.memory.MemoryMailRepository;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailContext.SentMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.TransientFailureException;
import org.listkeeper.james.ServerComponents;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.pipeline.Disposition;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerRegistry;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PipelineEngine;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.pipeline.RetryPolicy;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MutableClock;
import org.listkeeper.testing.TestMails;

/** Each disposition as the real engine answers it, acted on with real stores, James's memory repository and metrics. */
class DispositionsTest {
    private static final String PROCESSOR = "listkeeper";
    private static final String TEAM = "team@lists.example.org";
    private static final String OWNER = "owner@example.com";
    private static final MailRepositoryUrl PARKING_URL = MailRepositoryUrl.from(ServerComponents.PARKING_REPOSITORY);
    private static final List<String> OUTCOMES = List.of("received", "delivered", "retried", "parked", "discarded", "held");

    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final Step step = new Step();
    @TempDir
    Path dataDirectory;
    private MailRepository parking = new MemoryMailRepository();
    private JdbcStores stores;
    private ServerComponents server;
    private PipelineEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        stores.lists().saveList(new MailAddress(TEAM), ListChanges.none());
        stores.roster().saveMember(stores.lists().getList(new MailAddress(TEAM)).id(),
            Member.builder(new MailAddress(OWNER)).role(Role.OWNER).build());
        PipelineSettings settings = PipelineSettings.builder().pipeline(List.of(Step.NAME))
            .retryPolicy(RetryPolicy.of(Duration.ofSeconds(5), Duration.ofMinutes(10), 3)).build();
        engine = PipelineEngine.create(HandlerRegistry.of(List.of(step)), stores.lists(), settings, clock);
        server = new ServerComponents(stores, clock, dataDirectory.toFile());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private Dispositions dispositions() {
        return new Dispositions(metrics, stores.lists(), server.moderation, server.dispatch, server.holdQueue,
            new QueueDelayRetryScheduler(context), parking, PARKING_URL, "transport", clock);
    }

    /** Runs a post to the team list through the engine and acts on what it answers. */
    private Disposition runAndAct(Mail mail) throws Exception {
        Dispositions dispositions = dispositions();
        ListRecipient team = ListRecipient.post(new MailAddress(TEAM));
        Disposition disposition = engine.run(mail, team, context);
        dispositions.act(mail, team, disposition, context);
        return disposition;
    }

    private static FakeMail newPost() throws MessagingException {
        return post("m1", TEAM).state(PROCESSOR).build();
    }

    /** The listkeeper_posts_* counters: {@code counted} at one, every other at zero. */
    private static Map<String, Integer> onlyCounted(String counted) {
        Map<String, Integer> expected = new HashMap<>();
        OUTCOMES.forEach(outcome -> expected.put("listkeeper_posts_" + outcome, outcome.equals(counted) ? 1 : 0));
        return expected;
    }

    @Test
    void receivedShouldCountAMailEnteringThePipeline() {
        dispositions().received();

        assertThat(metrics.countForPrefixName("listkeeper_posts_")).isEqualTo(onlyCounted("received"));
    }

    @Test
    void actShouldLetGoOfTheMailAndCountItDeliveredWhenCompleted() throws Exception {
        FakeMail mail = newPost();

        assertThat(runAndAct(mail).kind()).isEqualTo(Disposition.Kind.COMPLETED);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(metrics.countForPrefixName("listkeeper_posts_")).isEqualTo(onlyCounted("delivered"));
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void actShouldLetGoOfTheMailAndCountItDiscardedWhenDiscarded() throws Exception {
        FakeMail mail = newPost();
        step.answer = () -> HandlerResult.discard("a loop");

        assertThat(runAndAct(mail).kind()).isEqualTo(Disposition.Kind.DISCARDED);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(metrics.countForPrefixName("listkeeper_posts_")).isEqualTo(onlyCounted("discarded"));
        assertThat(parking.size()).isZero();
    }

    @Test
    void actShouldScheduleTheMailBackIntoItsProcessorAfterTheDispositionDelayWhenRetry() throws Exception {
        FakeMail mail = newPost();
        step.answer = () -> {
            throw new TransientFailureException("store busy");
        };

        Disposition disposition = runAndAct(mail);

        assertThat(disposition.kind()).isEqualTo(Disposition.Kind.RETRY);
        assertThat(disposition.delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getState()).isEqualTo(PROCESSOR);
            assertThat(sent.getDelay()).contains(new FakeMailContext.Delay(5_000, TimeUnit.MILLISECONDS));
            assertThat(sent.getAttributes().get(PostProgress.ATTEMPTS).getValue().value()).isEqualTo(1);
            assertThat(sent.getRecipients()).containsExactly(new MailAddress(TEAM));
        });
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(metrics.countForPrefixName("listkeeper_posts_")).isEqualTo(onlyCounted("retried"));
    }

    @Test
    void actShouldDoubleTheDelayWhenTheRetriedMailFailsAgain() throws Exception {
        step.answer = () -> {
            throw new TransientFailureException("store busy");
        };
        runAndAct(newPost());
        SentMail retried = context.getSentMails().get(0);
        context.resetSentMails();
        FakeMail again = post("m1", TEAM).state(retried.getState()).attributes(retried.getAttributes().values()).build();

        assertThat(runAndAct(again).delay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(context.getSentMails()).singleElement()
            .satisfies(sent -> assertThat(sent.getDelay()).contains(new FakeMailContext.Delay(10_000, TimeUnit.MILLISECONDS)));
    }

    @Test
    void actShouldParkTheMailWithItsFailureAndCountItWhenParked() throws Exception {
        FakeMail mail = newPost();
        step.answer = () -> {
            throw new IllegalStateException("template broken");
        };

        assertThat(runAndAct(mail).kind()).isEqualTo(Disposition.Kind.PARK);

        Mail parked = parking.retrieve(new MailKey("m1"));
        assertThat(parked).isNotNull();
        assertThat(PostProgress.string(parked, PostProgress.FAILED_HANDLER)).contains(Step.NAME);
        assertThat(PostProgress.string(parked, PostProgress.ERROR)).hasValueSatisfying(error -> assertThat(error)
            .contains("template broken"));
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(metrics.countForPrefixName("listkeeper_posts_")).isEqualTo(onlyCounted("parked"));
    }

    @Test
    void actShouldFailAndKeepTheMailWhenTheParkingRepositoryCannotStoreIt() throws Exception {
        parking = new MemoryMailRepository() {
            @Override
            public MailKey store(Mail mail) {
                throw new IllegalStateException("disk full");
            }
        };
        FakeMail mail = newPost();
        step.answer = () -> {
            throw new IllegalStateException("template broken");
        };

        assertThatThrownBy(() -> runAndAct(mail))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("Cannot park post m1 in " + PARKING_URL.asString() + ": disk full");
        assertThat(mail.getState()).isEqualTo(PROCESSOR);
        assertThat(metrics.countFor("listkeeper_posts_parked")).isZero();
    }

    @Test
    void actShouldKeepThePostForTheModeratorsTellThemAndCountItWhenHeld() throws Exception {
        FakeMail mail = newPost();
        step.answer = () -> HandlerResult.hold("needs approval");

        assertThat(runAndAct(mail).kind()).isEqualTo(Disposition.Kind.HELD);

        assertThat(server.holdQueue.keys()).containsExactly("m1");
        long listId = stores.lists().getList(new MailAddress(TEAM)).id();
        assertThat(stores.heldPosts().heldPosts(listId, Instant.EPOCH)).singleElement().satisfies(held -> {
            assertThat(held.state()).isEqualTo(HeldState.HELD);
            assertThat(held.reasons()).isEqualTo("needs approval");
        });
        // the owner is asked to moderate, the author told the post waits
        assertThat(context.getSentMails()).extracting(sent -> sent.getRecipients().iterator().next().asString(), SentMail::getState)
            .containsExactlyInAnyOrder(tuple(OWNER, "transport"),
                tuple(TestMails.AUTHOR, "transport"));
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(metrics.countForPrefixName("listkeeper_posts_")).isEqualTo(onlyCounted("held"));
    }

    /** The one handler of the test pipeline: answers what the test scripts. */
    private static final class Step implements Handler {
        static final String NAME = "step";

        interface Answer {
            HandlerResult get() throws MessagingException;
        }

        volatile Answer answer = HandlerResult::proceed;

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "answers what the test scripts";
        }

        @Override
        public HandlerResult handle(PostContext post) throws MessagingException {
            return answer.get();
        }
    }
}
