package org.listkeeper.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.listkeeper.testing.TestMails.post;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import javax.mail.MessagingException;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.mailrepository.memory.MemoryMailRepository;
import org.apache.james.mailrepository.memory.MemoryMailRepositoryStore;
import org.apache.james.mailrepository.memory.MemoryMailRepositoryUrlStore;
import org.apache.james.mailrepository.memory.SimpleMailRepositoryLoader;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.digest.DigestDispatch;
import org.listkeeper.digest.DigestEntry;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.dmarc.DmarcPolicies;
import org.listkeeper.handlers.BuiltinHandlers;
import org.listkeeper.james.ServerComponents;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.Member;
import org.listkeeper.moderation.RuleRegistry;
import org.listkeeper.moderation.rules.BuiltinRules;
import org.listkeeper.pipeline.HandlerRegistry;
import org.listkeeper.pipeline.PostProgress;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MutableClock;
import org.listkeeper.testing.TestMails;

/** The mailet as James runs it: parts wired by init() over real stores, James's memory repositories and metrics. */
class ResumableListMailetTest {
    private static final String MAILET = "list-posts";
    private static final String PROCESSOR = "listkeeper";
    private static final String TEAM = "team@lists.example.org";
    private static final String MEMBER = "member@example.net";

    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    @TempDir
    Path dataDirectory;
    private JdbcStores stores;
    private ServerComponents server;
    private MailRepositoryStore repositories;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        long team = stores.lists().saveList(new MailAddress(TEAM), ListChanges.none()).id();
        stores.roster().saveMember(team, Member.of(new MailAddress(TestMails.AUTHOR)));
        stores.roster().saveMember(team, Member.of(new MailAddress(MEMBER)));
        server = new ServerComponents(stores, clock, dataDirectory.toFile());
        MemoryMailRepositoryStore memory = new MemoryMailRepositoryStore(new MemoryMailRepositoryUrlStore(),
            new SimpleMailRepositoryLoader(), MailRepositoryStoreConfiguration.forItems(new MailRepositoryStoreConfiguration.Item(
                List.of(new Protocol("memory")), MemoryMailRepository.class.getName(), new BaseHierarchicalConfiguration())));
        memory.init();
        repositories = memory;
    }

    @AfterEach
    void tearDown() {
        server.housekeeping.stop();
        stores.close();
    }

    /** The mailet as Guice makes it, initialised with {@code parameters} given as name, value, name, value… */
    private ResumableListMailet mailet(String... parameters) throws MessagingException {
        BuiltinHandlers handlers = BuiltinHandlers.create(stores, server.holdQueue, DmarcPolicies.NONE,
            RuleRegistry.of(BuiltinRules.create(stores.roster(), AddressPatterns.none())), Optional.empty(), server.digestDispatch, clock);
        ResumableListMailet mailet = new ResumableListMailet(stores.lists(), new ListDirectory(stores.lists()),
            HandlerRegistry.of(handlers.all()), repositories, server.configuration, metrics, server.moderation, server.dispatch,
            server.holdQueue, server.housekeeping, new org.listkeeper.james.StoreRetries(stores, clock),
            new org.listkeeper.james.ListDeliveries(), clock);
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName(MAILET).mailetContext(context);
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    @Test
    void serviceShouldRunAPostThroughThePipelineToTheTransportWhenSentToAList() throws Exception {
        FakeMail mail = post("m1", TEAM).state(PROCESSOR).build();

        mailet().service(mail);

        assertThat(context.getSentMails()).singleElement().satisfies(batch -> {
            assertThat(batch.getState()).isEqualTo("transport");
            assertThat(batch.getRecipients()).contains(new MailAddress(MEMBER));
            assertThat(batch.getMsg().getHeader("List-Id")).isNotEmpty();
            assertThat(batch.getSubject()).hasValueSatisfying(subject -> assertThat(subject).endsWith("hello"));
        });
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(metrics.countFor("listkeeper_posts_received")).isEqualTo(1);
        assertThat(metrics.countFor("listkeeper_posts_delivered")).isEqualTo(1);
        assertThat(metrics.executionTimesFor("listkeeper_handler_fan_out")).hasSize(1);
    }

    @Test
    void aDigestIssuesDeliveryShouldBeCountedAsADigestNotAsAPost() throws Exception {
        long team = stores.lists().getList(new MailAddress(TEAM)).id();
        stores.roster().saveMember(team, Member.builder(new MailAddress("reader@example.net")).digest(DigestMode.MIME).build());
        stores.digests().add(team, DigestEntry.of(1, "hello", "Ann <ann@example.net>", clock.instant(),
            "Subject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)), OptionalLong.empty(), clock.instant());
        DigestIssue issue = stores.digests().close(team, clock.instant()).orElseThrow();
        FakeMail.Builder delivery = post("digest-" + issue.id(), TEAM).state(PROCESSOR);
        for (Attribute attribute : PostProgress.entering(new MailAddress(TEAM), DigestDispatch.postKey(issue), List.of(DigestDispatch.DELIVERY_HANDLER))) {
            delivery.attribute(attribute);
        }
        delivery.attribute(new Attribute(PostProgress.DIGEST_ISSUE, AttributeValue.of(issue.id())));

        mailet().service(delivery.build());

        assertThat(context.getSentMails()).singleElement().satisfies(digest ->
            assertThat(digest.getRecipients()).containsExactly(new MailAddress("reader@example.net")));
        assertThat(metrics.countFor("listkeeper_digests_delivered")).isEqualTo(1);
        assertThat(metrics.countFor("listkeeper_posts_delivered")).isZero();
        assertThat(metrics.countFor("listkeeper_posts_received")).isZero();
    }

    @Test
    void serviceShouldPassTheMailOnUncountedWhenNoRecipientIsAList() throws Exception {
        FakeMail mail = post("m1", "bob@example.com").state(PROCESSOR).build();

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(PROCESSOR);
        assertThat(context.getSentMails()).isEmpty();
        assertThat(metrics.countFor("listkeeper_posts_received")).isZero();
    }

    @Test
    void serviceShouldParkThePostInTheConfiguredRepositoryWhenItsListIsGone() throws Exception {
        ResumableListMailet mailet = mailet("parkingRepository", "memory://var/mail/elsewhere/");
        FakeMail mail = post("m1", TEAM).state(PROCESSOR).build();
        stores.lists().deleteList(new MailAddress(TEAM));
        // routed from the mail's own attribute: the directory may still list the address for a while
        mail.setAttribute(new Attribute(PostProgress.LIST, AttributeValue.of(TEAM)));

        mailet.service(mail);

        assertThat(repositories.select(MailRepositoryUrl.from("memory://var/mail/elsewhere/")).size()).isEqualTo(1);
        assertThat(metrics.countFor("listkeeper_posts_parked")).isEqualTo(1);
    }

    @Test
    void initShouldRefuseThePipelineWhenItNamesAnUnknownHandler() {
        assertThatThrownBy(() -> mailet("pipeline", "mime-check,no-such-handler"))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith(MAILET + ": ")
            .hasMessageContaining("no-such-handler");
    }

    @Test
    void initShouldRefuseTheParkingRepositoryWhenNotAMailRepositoryUrl() {
        assertThatThrownBy(() -> mailet("parkingRepository", "var/mail/parked"))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith(MAILET + ": invalid parkingRepository 'var/mail/parked'");
    }

    @Test
    void initShouldRefuseTheParkingRepositoryWhenJamesHasNoRepositoryForItsProtocol() {
        assertThatThrownBy(() -> mailet("parkingRepository", "nosuch://var/mail/parked/"))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith(MAILET + ": invalid parkingRepository 'nosuch://var/mail/parked/'");
    }

    @Test
    void initShouldRefuseABadParameterValueNamingTheMailet() {
        assertThatThrownBy(() -> mailet("batchSize", "0"))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith(MAILET + ": Invalid batchSize '0'");
    }

    @Test
    void requiredProcessingStateShouldNameTheTransportProcessorWhenConfigured() throws Exception {
        assertThat(mailet("transportProcessor", "relay").requiredProcessingState()).containsExactly(new ProcessingState("relay"));
        assertThat(mailet().requiredProcessingState()).containsExactly(new ProcessingState("transport"));
    }
}
