package org.listkeeper.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.junit.jupiter.api.Test;

class AutoReplyGuardTest {
    private static final MailAddress LIST = address("team@lists.example.org");

    private static MailAddress address(String value) {
        try {
            return new MailAddress(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static MimeMessage message(String headers) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream((headers + "Subject: join\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)));
    }

    private static MaybeSender alice() {
        return MaybeSender.of(address("alice@example.net"));
    }

    @Test
    void shouldAllowReplyToPlainMailFromAPerson() throws Exception {
        assertThat(AutoReplyGuard.reasonNotToReply(alice(), message("Auto-Submitted: no\r\nPrecedence: first-class\r\n"), LIST)).isEmpty();
    }

    @Test
    void shouldRefuseNullSenderAndMailerDaemon() throws Exception {
        assertThat(AutoReplyGuard.reasonNotToReply(MaybeSender.nullSender(), message(""), LIST)).contains("null sender");
        assertThat(AutoReplyGuard.reasonNotToReply(MaybeSender.of(address("MAILER-DAEMON@example.net")), message(""), LIST)).isPresent();
    }

    @Test
    void shouldRefuseAutomaticBulkAndListMail() throws Exception {
        assertThat(AutoReplyGuard.reasonNotToReply(alice(), message("Auto-Submitted: auto-replied\r\n"), LIST))
            .contains("Auto-Submitted: auto-replied");
        assertThat(AutoReplyGuard.reasonNotToReply(alice(), message("Precedence: Bulk\r\n"), LIST)).contains("Precedence: bulk");
        assertThat(AutoReplyGuard.reasonNotToReply(alice(), message("Precedence: junk\r\n"), LIST)).isPresent();
        assertThat(AutoReplyGuard.reasonNotToReply(alice(), message("List-Id: <other.example.org>\r\n"), LIST)).isPresent();
        assertThat(AutoReplyGuard.reasonNotToReply(alice(), message("X-Loop: team@lists.example.org\r\n"), LIST)).isPresent();
        assertThat(AutoReplyGuard.reasonNotToReply(alice(), message("X-Loop: procmail@example.net\r\n"), LIST)).isEmpty();
    }
}
