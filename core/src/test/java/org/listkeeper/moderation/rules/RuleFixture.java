package org.listkeeper.moderation.rules;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleInput;
import org.listkeeper.moderation.RuleRegistry;
import org.listkeeper.moderation.RuleResult;
import org.listkeeper.store.StoreConfiguration;
import org.listkeeper.store.jdbc.JdbcStores;

/**
 * The list {@value #LIST} on an in-memory H2 store, its roster, posts to it, and the built-in rules taken from a
 * registry by name, as the moderation handler takes them. A test registers it ({@code @RegisterExtension}) and gets a
 * fresh list each time.
 */
final class RuleFixture implements AfterEachCallback {
    static final String LIST = "team@lists.example.org";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final JdbcStores stores;
    private final MailAddress listAddress;
    /** The site's {@code banned.addresses}: set before {@link #check}. */
    AddressPatterns globalBans = AddressPatterns.none();

    RuleFixture() {
        stores = JdbcStores.open(StoreConfiguration.of("jdbc:h2:mem:rules" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
            "sa", "", 2, Duration.ofSeconds(5)));
        listAddress = Addresses.parse("list", LIST);
        stores.lists().saveList(listAddress, ListChanges.none());
    }

    /** Changes one setting, validated as a REST change is. */
    RuleFixture set(ListChanges.Setting setting, String value) {
        stores.lists().saveList(listAddress, ListChanges.builder().set(setting, value).build());
        return this;
    }

    MailingList list() {
        return stores.lists().getList(listAddress);
    }

    /** Puts {@code address} on the roster with {@code role} and, unless null, a moderation action of its own. */
    void addToRoster(String address, Role role, ModerationAction action) throws Exception {
        Member.Builder member = Member.builder(new MailAddress(address)).role(role);
        if (action != null) {
            member.moderationAction(action);
        }
        stores.roster().saveMember(list().id(), member.build());
    }

    /** The built-in rule {@code name}, made as the server makes it. */
    Rule rule(String name) {
        return RuleRegistry.of(BuiltinRules.create(stores.roster(), globalBans)).named(name).orElseThrow();
    }

    RuleResult check(String rule, Mail mail) throws MessagingException {
        return rule(rule).check(RuleInput.of(list(), mail));
    }

    /** A post from {@code from} (From and envelope sender) To the list, with {@code headers} ("\n"-ended) and a body. */
    static Mail post(String from, String headers, String body) throws Exception {
        return mail(from, "From: " + from + "\nTo: " + LIST + "\n" + headers + "\n" + body);
    }

    /** A post of raw MIME ("\n" line ends) with {@code envelopeSender}, or the null sender when that is null. */
    static Mail mail(String envelopeSender, String raw) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
        FakeMail.Builder mail = FakeMail.builder().name("post").mimeMessage(message).recipient(LIST);
        if (envelopeSender != null) {
            mail.sender(envelopeSender);
        }
        return mail.build();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stores.close();
    }
}
