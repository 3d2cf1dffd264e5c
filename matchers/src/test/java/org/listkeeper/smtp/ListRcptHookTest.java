package org.listkeeper.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.H2ServerFixture;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

class ListRcptHookTest {
    private static final String TOKEN = "Zm9vYmFyYmF6cXV4cXV1eHF1dXg";

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            logged.add(event.getFormattedMessage());
        }
    };
    private final AtomicBoolean domainsDown = new AtomicBoolean();
    private H2ServerFixture h2;
    private JdbcStores stores;
    private ListRcptHook hook;

    @BeforeEach
    void setUp(@TempDir Path directory) throws Exception {
        h2 = new H2ServerFixture(directory).start();
        stores = JdbcStores.open(h2.configuration());
        stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.none());
        hook = new ListRcptHook(new ListDirectory(stores.lists()), new LocalDomains());
        appender.start();
        ((Logger) LoggerFactory.getLogger(ListRcptHook.class)).addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(ListRcptHook.class)).detachAppender(appender);
        stores.close();
        h2.close();
    }

    private HookResult rcpt(String address) throws Exception {
        return hook.doRcpt(null, MaybeSender.of(new MailAddress("someone@example.net")), new MailAddress(address), java.util.Map.of());
    }

    @Test
    void doRcptShouldAcceptListAddressesAtLocalDomainsOnly() throws Exception {
        assertThat(rcpt("team@lists.example.org").getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(rcpt("team-confirm+" + TOKEN + "@lists.example.org").getResult()).isEqualTo(HookReturnCode.ok());
        assertThat(rcpt("nobody@lists.example.org").getResult()).isEqualTo(HookReturnCode.declined());
        assertThat(rcpt("team@remote.example").getResult()).isEqualTo(HookReturnCode.declined());
    }

    @Test
    void doRcptShouldAnswer451AndLogNoTokenWhenTheStoreIsDown() throws Exception {
        h2.stop();

        HookResult result = rcpt("team-confirm+" + TOKEN + "@lists.example.org");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(result.getSmtpRetCode()).isEqualTo("451");
        assertThat(logged).singleElement().satisfies(line -> assertThat(line)
            .contains("team-confirm+\u2026@lists.example.org").doesNotContain(TOKEN));
    }

    @Test
    void doRcptShouldAnswer451AndLogNoTokenWhenTheDomainListFails() throws Exception {
        domainsDown.set(true);

        HookResult result = rcpt("team-confirm+" + TOKEN + "@lists.example.org");

        assertThat(result.getSmtpRetCode()).isEqualTo("451");
        assertThat(logged).singleElement().satisfies(line -> assertThat(line).doesNotContain(TOKEN));
    }

    /** James's domain list with one local domain, which can be made to fail. */
    private final class LocalDomains implements DomainList {
        @Override
        public List<Domain> getDomains() {
            return List.of(Domain.of("lists.example.org"));
        }

        @Override
        public boolean containsDomain(Domain domain) throws DomainListException {
            if (domainsDown.get()) {
                throw new DomainListException("domain list unreachable");
            }
            return domain.equals(Domain.of("lists.example.org"));
        }

        @Override
        public void addDomain(Domain domain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeDomain(Domain domain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Domain getDefaultDomain() {
            return Domain.of("lists.example.org");
        }
    }
}
