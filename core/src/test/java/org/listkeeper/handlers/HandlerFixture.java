package org.listkeeper.handlers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListRecipient;
import org.listkeeper.list.MailingList;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerRegistry;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.store.JdbcListStore;
import org.listkeeper.store.StoreConfiguration;

/** A list on an in-memory H2 store, and helpers to run one handler on raw MIME. */
final class HandlerFixture implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    final JdbcListStore store;
    final MailAddress listAddress;
    final FakeMailContext mailetContext = FakeMailContext.defaultContext();
    PipelineSettings settings = PipelineSettings.defaults();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    HandlerFixture() throws Exception {
        store = JdbcListStore.open(StoreConfiguration.of("jdbc:h2:mem:handlers" + DATABASES.incrementAndGet()
            + ";DB_CLOSE_DELAY=-1", "sa", "", 4, Duration.ofSeconds(5)));
        listAddress = new MailAddress("team@lists.example.org");
        store.saveList(listAddress, ListChanges.none());
    }

    MailingList list() {
        return store.getList(listAddress);
    }

    static Handler handler(String name) {
        return HandlerRegistry.builtin().get(name);
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
        return PostContext.of(mail, list(), mail.getName(), store, context, settings, clock);
    }

    /** A context for mail to one of the list's sub-addresses. */
    PostContext context(Mail mail, ListRecipient.Kind kind, String detail) {
        return PostContext.of(mail, list(), mail.getName(), store, mailetContext, settings, clock, ListRecipient.of(listAddress, kind, detail));
    }

    @Override
    public void close() {
        store.close();
    }
}
