package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.pipeline.Handler;

class MimeCheckTest {
    private final HandlerFixture fixture = new HandlerFixture();
    private final Handler handler = fixture.handler("mime-check");

    MimeCheckTest() throws Exception {
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void handleShouldRelabelBodyAndKeepBytesWhenMultipartHasNoBoundary() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: hi\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed;\n boundary=\"missing\"\n\nno boundary here\n");

        handler.handle(fixture.context(mail));
        mail.getMessage().saveChanges();

        String serialized = HandlerFixture.serialize(mail.getMessage());
        assertThat(mail.getMessage().getContentType()).isEqualTo("text/plain; charset=us-ascii");
        assertThat(mail.getMessage().getHeader(MimeCheck.ORIGINAL_CONTENT_TYPE, null)).isEqualTo("multipart/mixed; boundary=\"missing\"");
        assertThat(serialized).endsWith("\r\n\r\nno boundary here\r\n");
    }

    @Test
    void handleShouldUseOctetStreamWhenMalformedBodyHasEightBitData() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "Subject: hi\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"x\"\n\n\u00e9t\u00e9\n");

        handler.handle(fixture.context(mail));

        assertThat(mail.getMessage().getContentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void handleShouldLeaveWellFormedPostAlone() throws Exception {
        String raw = "Subject: hi\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
            + "Content-Type: text/plain\n\nfine\n--b--\n";
        Mail mail = HandlerFixture.mail("m1", raw);

        handler.handle(fixture.context(mail));

        assertThat(HandlerFixture.serialize(mail.getMessage())).isEqualTo(raw.replace("\n", "\r\n"));
    }
}
