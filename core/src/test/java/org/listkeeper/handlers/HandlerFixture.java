package org.listkeeper.handlers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.net.URI;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.listkeeper.dmarc.DmarcPolicies;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.MailingList;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.RuleRegistry;
import org.listkeeper.moderation.rules.BuiltinRules;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.store.StoreConfiguration;

/** A list on an in-memory H2 store, and helpers to run one handler on raw MIME. */
final class HandlerFixture implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    final JdbcStores stores;
    final MailAddress listAddress;
    final FakeMailContext mailetContext = FakeMailContext.defaultContext();
    PipelineSettings settings = PipelineSettings.defaults();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    /** What the server-wide handler collaborators are in this test: set before {@link #handler(String)}. */
    DmarcPolicies dmarcPolicies = DmarcPolicies.NONE;
    Optional<URI> publicBaseUrl = Optional.empty();
    HoldQueue holdQueue = NO_HOLD_QUEUE;
    AddressPatterns globalBans = AddressPatterns.none();
    /** The digest issues handed to delivery, in order. */
    final java.util.List<org.listkeeper.digest.DigestIssue> dispatched = new java.util.concurrent.CopyOnWriteArrayList<>();
    org.listkeeper.digest.DigestDispatch digestDispatch = (list, issue) -> dispatched.add(issue);

    /** For tests that never hold a post: using it fails. */
    static final HoldQueue NO_HOLD_QUEUE = new HoldQueue() {
        @Override
        public void keep(Mail mail) throws MessagingException {
            throw new MessagingException("No hold queue in this test");
        }

        @Override
        public Optional<Mail> get(String key) {
            return Optional.empty();
        }

        @Override
        public boolean release(String key) throws MessagingException {
            throw new MessagingException("No hold queue in this test");
        }

        @Override
        public boolean drop(String key) {
            return false;
        }
    };

    HandlerFixture() throws Exception {
        stores = JdbcStores.open(StoreConfiguration.of("jdbc:h2:mem:handlers" + DATABASES.incrementAndGet()
            + ";DB_CLOSE_DELAY=-1", "sa", "", 4, Duration.ofSeconds(5)));
        listAddress = new MailAddress("team@lists.example.org");
        stores.lists().saveList(listAddress, ListChanges.none());
    }

    MailingList list() {
        return stores.lists().getList(listAddress);
    }

    long listId() {
        return list().id();
    }

    /** The built-in handler {@code name}, made as the server makes it, with this fixture's collaborators. */
    Handler handler(String name) {
        return BuiltinHandlers.create(stores, holdQueue, dmarcPolicies,
            RuleRegistry.of(BuiltinRules.create(stores.roster(), globalBans)), publicBaseUrl, digestDispatch, clock).get(name);
    }

    static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getDefaultInstance(new Properties()),
            new ByteArrayInputStream(raw.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    }

    static String serialize(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static Mail mail(String name, String raw) throws Exception {
        return FakeMail.builder().name(name).mimeMessage(parse(raw)).sender("alice@example.com")
            .recipient("team@lists.example.org").build();
    }

    PostContext context(Mail mail) {
        return context(mail, mailetContext);
    }

    PostContext context(Mail mail, MailetContext context) {
        return PostContext.of(mail, list(), mail.getName(), context, settings, clock);
    }

    /** A context for mail to one of the list's sub-addresses. */
    PostContext context(Mail mail, ListRecipient.Kind kind, String detail) {
        return PostContext.of(mail, list(), mail.getName(), mailetContext, settings, clock, ListRecipient.of(listAddress, kind, detail));
    }

    @Override
    public void close() {
        stores.close();
    }
}
