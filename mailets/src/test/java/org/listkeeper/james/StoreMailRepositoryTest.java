package org.listkeeper.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.mailrepository.memory.MemoryMailRepositoryStore;
import org.apache.james.mailrepository.memory.MemoryMailRepositoryUrlStore;
import org.apache.james.modules.mailrepository.guice.GuiceMailRepositoryLoader;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.apache.james.utils.ExtendedClassLoader;
import org.apache.james.utils.ExtensionConfiguration;
import org.apache.james.utils.GuiceGenericLoader;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.store.MailRepositories;
import org.listkeeper.store.StoreConfiguration;
import org.listkeeper.store.jdbc.JdbcStores;

import com.google.inject.Guice;
import com.google.inject.Injector;

/**
 * {@link StoreMailRepository} on an H2 list store: the behaviour James's own {@code MailRepositoryContract} asks of a
 * mail repository (its test-jar is not published with James 3.8.1's artifacts), what a cluster adds (two nodes, one
 * database), and that James's repository loader builds it from the documented {@code mailrepositorystore.xml} element.
 */
class StoreMailRepositoryTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final MailRepositoryUrl HELD = MailRepositoryUrl.from("listkeeper://var/mail/listkeeper/held/");
    private static final MailRepositoryUrl PARKED = MailRepositoryUrl.from("listkeeper://var/mail/listkeeper/parked/");
    private static final AttributeName HANDLER = AttributeName.of("listkeeper.handler");

    private String jdbcUrl;
    private JdbcStores stores;
    private StoreMailRepository repository;

    @BeforeEach
    void setUp() {
        jdbcUrl = "jdbc:h2:mem:mailrepository" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        stores = open(jdbcUrl);
        repository = new StoreMailRepository(stores.mailRepositories(), HELD);
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private static JdbcStores open(String jdbcUrl) {
        return JdbcStores.open(StoreConfiguration.of(jdbcUrl, "sa", "", 8, Duration.ofSeconds(5)));
    }

    private static MailImpl mail(String name, String body) throws MessagingException {
        return MailImpl.builder()
            .name(name)
            .sender("ann@example.net")
            .addRecipient("team@lists.example.org")
            .addRecipient("dev@lists.example.org")
            .addAttribute(new Attribute(HANDLER, AttributeValue.of("fan-out")))
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("test").setText(body))
            .build();
    }

    private static byte[] bytes(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private static List<MailKey> keys(MailRepository repository) throws MessagingException {
        List<MailKey> keys = new ArrayList<>();
        repository.list().forEachRemaining(keys::add);
        return keys;
    }

    /** Every field the repository keeps, compared one by one: James's Mail has no equals. */
    private static void assertSameMail(Mail actual, Mail expected) throws Exception {
        assertThat(actual).isInstanceOf(MailImpl.class);
        assertThat(bytes(actual.getMessage())).isEqualTo(bytes(expected.getMessage()));
        assertThat(actual.getName()).isEqualTo(expected.getName());
        assertThat(actual.getState()).isEqualTo(expected.getState());
        assertThat(actual.getMaybeSender()).isEqualTo(expected.getMaybeSender());
        assertThat(actual.getRecipients()).containsExactlyElementsOf(expected.getRecipients());
        assertThat(actual.getErrorMessage()).isEqualTo(expected.getErrorMessage());
        assertThat(actual.getRemoteHost()).isEqualTo(expected.getRemoteHost());
        assertThat(actual.getRemoteAddr()).isEqualTo(expected.getRemoteAddr());
        assertThat(actual.getLastUpdated()).isEqualTo(expected.getLastUpdated());
        assertThat(actual.attributesMap()).isEqualTo(expected.attributesMap());
        assertThat(actual.getPerRecipientSpecificHeaders()).isEqualTo(expected.getPerRecipientSpecificHeaders());
    }

    @Test
    void sizeShouldBeZeroWhenTheRepositoryIsNew() throws Exception {
        assertThat(repository.size()).isZero();
        assertThat(keys(repository)).isEmpty();
    }

    @Test
    void storeShouldAnswerTheKeyOfTheMailsName() throws Exception {
        assertThat(repository.store(mail("mail1", "body"))).isEqualTo(new MailKey("mail1"));
        assertThat(repository.size()).isEqualTo(1);
    }

    @Test
    void retrieveShouldAnswerAMailImplEqualInEveryKeptFieldWhenEveryFieldIsSet() throws Exception {
        MailImpl mail = mail("mail1", "caf\u00e9 \ud83d\udc0b");
        mail.setState("listkeeper-parked");
        mail.setErrorMessage("handler fan-out failed");
        mail.setRemoteHost("mx.example.net");
        mail.setRemoteAddr("2001:db8::1");
        mail.setLastUpdated(Date.from(Instant.parse("2026-11-23T10:00:00.123Z")));
        MailAddress dev = new MailAddress("dev@lists.example.org");
        mail.addSpecificHeaderForRecipient(PerRecipientHeaders.Header.builder().name("X-A").value("1").build(), dev);
        mail.addSpecificHeaderForRecipient(PerRecipientHeaders.Header.builder().name("X-A").value("2").build(), dev);
        mail.addSpecificHeaderForRecipient(PerRecipientHeaders.Header.builder().name("X-B").value("3").build(),
            new MailAddress("team@lists.example.org"));
        mail.setAttribute(new Attribute(AttributeName.of("listkeeper.attempt"), AttributeValue.of(3L)));
        mail.setAttribute(new Attribute(AttributeName.of("listkeeper.resumed"), AttributeValue.of(true)));
        mail.setAttribute(new Attribute(AttributeName.of("listkeeper.done"),
            AttributeValue.of(List.<AttributeValue<?>>of(AttributeValue.of("intake"), AttributeValue.of("moderation")))));
        mail.setAttribute(new Attribute(AttributeName.of("listkeeper.map"), AttributeValue.of(Map.<String, AttributeValue<?>>of("a",
            AttributeValue.of("b")))));

        MailKey key = repository.store(mail);

        assertSameMail(repository.retrieve(key), mail);
    }

    @Test
    void retrieveShouldKeepTheDsnParametersWhenTheMailHasThem() throws Exception {
        DsnParameters dsn = DsnParameters.builder()
            .envId(DsnParameters.EnvId.of("434554-55445-33443"))
            .ret(DsnParameters.Ret.HDRS)
            .addRcptParameter(new MailAddress("team@lists.example.org"),
                DsnParameters.RecipientDsnParameters.of(EnumSet.of(DsnParameters.Notify.FAILURE), new MailAddress("ann@example.net")))
            .build().orElseThrow();
        MailImpl mail = mail("mail1", "body");
        mail.setDsnParameters(dsn);

        repository.store(mail);

        assertThat(repository.retrieve(new MailKey("mail1")).dsnParameters()).contains(dsn);
    }

    @Test
    void retrieveShouldKeepTheNullSenderWhenTheMailHasIt() throws Exception {
        Mail bounce = FakeMail.builder()
            .name("bounce1")
            .sender(MailAddress.nullSender())
            .recipient("team-bounces@lists.example.org")
            .state(Mail.DEFAULT)
            .lastUpdated(new Date())
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("failure").setText("body"))
            .build();

        repository.store(bounce);

        Mail retrieved = repository.retrieve(new MailKey("bounce1"));
        assertThat(retrieved.getMaybeSender()).isEqualTo(MaybeSender.nullSender());
        assertSameMail(retrieved, bounce);
    }

    @Test
    void retrieveShouldReturnNullWhenNoMailHasTheKey() throws Exception {
        repository.store(mail("mail1", "body"));

        assertThat(repository.retrieve(new MailKey("unknown"))).isNull();
    }

    @Test
    void retrieveShouldGiveAMessageOfSeveralMegabytesBackByteForByte() throws Exception {
        MailImpl mail = mail("big", "my mail is big \ud83d\udc0b\r\n".repeat(250_000));
        byte[] original = bytes(mail.getMessage());

        repository.store(mail);

        assertThat(original.length).isGreaterThan(4_000_000);
        assertThat(bytes(repository.retrieve(new MailKey("big")).getMessage())).isEqualTo(original);
    }

    @Test
    void storeShouldReplaceTheMailWhenItsKeyIsStoredAgain() throws Exception {
        repository.store(mail("mail1", "original"));
        repository.store(mail("mail2", "other"));
        MailImpl updated = mail("mail1", "modified");
        updated.setAttribute(new Attribute(HANDLER, AttributeValue.of("archive")));

        repository.store(updated);

        assertThat(repository.size()).isEqualTo(2);
        assertThat(keys(repository)).containsExactly(new MailKey("mail1"), new MailKey("mail2"));
        assertSameMail(repository.retrieve(new MailKey("mail1")), updated);
    }

    @Test
    void storeShouldKeepTheMailWithoutAnAttributeThatHasNoJsonForm() throws Exception {
        MailImpl mail = mail("mail1", "body");
        mail.setAttribute(new Attribute(AttributeName.of("server.object"), AttributeValue.ofUnserializable(new Object())));

        repository.store(mail);

        Mail retrieved = repository.retrieve(new MailKey("mail1"));
        assertThat(retrieved.getAttribute(AttributeName.of("server.object"))).isEmpty();
        assertThat(retrieved.getAttribute(HANDLER)).contains(new Attribute(HANDLER, AttributeValue.of("fan-out")));
    }

    @Test
    void storeShouldFailWithoutStoringWhenTheMailsNameIsLongerThanTheStoreKeeps() throws Exception {
        assertThatThrownBy(() -> repository.store(mail("m".repeat(256), "body"))).isInstanceOf(MessagingException.class);

        assertThat(repository.size()).isZero();
    }

    @Test
    void listShouldAnswerTheKeysInTheOrderTheMailsWereStored() throws Exception {
        for (String name : List.of("mail3", "mail1", "mail2")) {
            repository.store(mail(name, name));
        }

        assertThat(keys(repository)).containsExactly(new MailKey("mail3"), new MailKey("mail1"), new MailKey("mail2"));
    }

    @Test
    void repositoriesShouldNotSeeEachOthersMailsWhenTheirUrlsDiffer() throws Exception {
        StoreMailRepository parked = new StoreMailRepository(stores.mailRepositories(), PARKED);

        parked.store(mail("mail1", "parked"));
        parked.store(mail("mail2", "parked"));

        assertThat(repository.size()).isZero();
        assertThat(repository.retrieve(new MailKey("mail1"))).isNull();
        assertThat(parked.size()).isEqualTo(2);
    }

    @Test
    void removeShouldRemoveOnlyTheNamedMails() throws Exception {
        for (String name : List.of("mail1", "mail2", "mail3")) {
            repository.store(mail(name, name));
        }

        repository.remove(new MailKey("mail2"));
        repository.remove(List.of(new MailKey("mail3"), new MailKey("unknown")));

        assertThat(keys(repository)).containsExactly(new MailKey("mail1"));
        assertThat(repository.retrieve(new MailKey("mail2"))).isNull();
    }

    @Test
    void removeShouldDoNothingWhenNoMailHasTheKey() throws Exception {
        repository.store(mail("mail1", "body"));

        repository.remove(new MailKey("unknown"));
        repository.remove(List.of(new MailKey("unknown")));

        assertThat(repository.size()).isEqualTo(1);
    }

    @Test
    void removeAllShouldEmptyTheRepositoryAndDoNothingTheSecondTime() throws Exception {
        repository.store(mail("mail1", "body"));
        StoreMailRepository parked = new StoreMailRepository(stores.mailRepositories(), PARKED);
        parked.store(mail("mail1", "parked"));

        repository.removeAll();
        repository.removeAll();

        assertThat(repository.size()).isZero();
        assertThat(repository.retrieve(new MailKey("mail1"))).isNull();
        assertThat(parked.size()).isEqualTo(1);
    }

    @Test
    void aMailStoredOnOneNodeShouldBeRetrievedAndRemovedOnAnotherWhenTheyShareTheDatabase() throws Exception {
        try (JdbcStores otherNode = open(jdbcUrl)) {
            StoreMailRepository elsewhere = new StoreMailRepository(otherNode.mailRepositories(), HELD);
            MailImpl mail = mail("mail1", "held on node one");

            repository.store(mail);

            assertSameMail(elsewhere.retrieve(new MailKey("mail1")), mail);
            elsewhere.remove(new MailKey("mail1"));
            assertThat(repository.retrieve(new MailKey("mail1"))).isNull();
        }
    }

    @Test
    void storingAndRemovingConcurrentlyShouldLeaveTheKeysOfTheLastStoreOfEachKey() throws Exception {
        int keyCount = 10;
        Object[] locks = new Object[keyCount];
        for (int i = 0; i < keyCount; i++) {
            locks[i] = new Object();
        }
        Set<MailKey> expected = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> operations = new ArrayList<>();
            for (int operation = 0; operation < 100; operation++) {
                operations.add(threads.submit(() -> {
                    int index = ThreadLocalRandom.current().nextInt(keyCount);
                    MailKey key = new MailKey("mail" + index);
                    // a lock per key orders what this test expects; the repository itself takes none
                    synchronized (locks[index]) {
                        if (ThreadLocalRandom.current().nextInt(4) == 0) {
                            repository.store(mail(key.asString(), "body"));
                            expected.add(key);
                        } else {
                            repository.remove(key);
                            expected.remove(key);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> operation : operations) {
                operation.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(keys(repository)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void constructorShouldRefuseAUrlLongerThanTheStoreKeeps() {
        MailRepositoryUrl tooLong = MailRepositoryUrl.from("listkeeper://var/mail/" + "a".repeat(250));

        assertThatThrownBy(() -> new StoreMailRepository(stores.mailRepositories(), tooLong))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jamesShouldBuildItFromTheDocumentedMailRepositoryStoreElement() throws Exception {
        String configuration = "<mailrepositorystore>"
            + "<defaultProtocol>memory</defaultProtocol>"
            + "<mailrepositories>"
            + "<mailrepository class=\"org.apache.james.mailrepository.memory.MemoryMailRepository\">"
            + "<protocols><protocol>memory</protocol></protocols>"
            + "</mailrepository>"
            + "<mailrepository class=\"org.listkeeper.james.StoreMailRepository\">"
            + "<protocols><protocol>listkeeper</protocol></protocols>"
            + "</mailrepository>"
            + "</mailrepositories>"
            + "</mailrepositorystore>";
        // the extension injector, as ListkeeperModule binds the store's repositories in it
        Injector extensions = Guice.createInjector(binder -> binder.bind(MailRepositories.class).toInstance(stores.mailRepositories()));
        GuiceGenericLoader loader = new GuiceGenericLoader(extensions, new ExtendedClassLoader(new NoExtensionJars()),
            ExtensionConfiguration.DEFAULT);
        MemoryMailRepositoryStore store = new MemoryMailRepositoryStore(new MemoryMailRepositoryUrlStore(),
            new GuiceMailRepositoryLoader(loader), MailRepositoryStoreConfiguration.parse(FileConfigurationProvider.getConfig(
                new ByteArrayInputStream(configuration.getBytes(StandardCharsets.UTF_8)))));
        store.init();

        MailRepository held = store.select(HELD);
        held.store(mail("mail1", "body"));

        assertThat(held).isInstanceOf(StoreMailRepository.class);
        assertThat(store.select(HELD)).isSameAs(held);
        assertThat(stores.mailRepositories().keys(HELD.asString())).containsExactly("mail1");
        assertThat(store.select(PARKED).size()).isZero();
    }

    /** A James file system without an extensions-jars folder: the loader finds classes on the test class path. */
    private static final class NoExtensionJars implements FileSystem {
        @Override
        public InputStream getResource(String url) throws FileNotFoundException {
            throw new FileNotFoundException(url);
        }

        @Override
        public File getFile(String fileURL) throws FileNotFoundException {
            throw new FileNotFoundException(fileURL);
        }

        @Override
        public File getBasedir() throws FileNotFoundException {
            throw new FileNotFoundException("no base directory");
        }
    }
}
