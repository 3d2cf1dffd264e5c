package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import javax.mail.internet.MimeUtility;

import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.pipeline.Handler;

class SubjectPrefixTest {
    private final HandlerFixture fixture = new HandlerFixture();
    private final Handler handler = fixture.handler("subject-prefix");

    SubjectPrefixTest() throws Exception {
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "hi | [team] hi",
        "Re: hi | Re: [team] hi",
        "Re: [team] Re: [team] hi | Re: [team] hi",
        "[team] Re: hi | Re: [team] hi",
        "RE: AW: Re[2]: [TEAM] hi | Re: [team] hi",
        "[team] hi | [team] hi",
        "Re: [team] hi | Re: [team] hi",
        "Fwd: [team] news | [team] Fwd: news",
        "'' | [team] (no subject)",
        "Re: | Re: [team] (no subject)",
        "Regarding the plan | [team] Regarding the plan"
    })
    void handleShouldPrefixOnceWhenSubjectHasPrefixesAndReplyMarkers(String subject, String expected) throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: " + subject + "\n\nhello\n");

        handler.handle(fixture.context(mail));

        assertThat(mail.getMessage().getSubject()).isEqualTo(expected);
    }

    @Test
    void handleShouldAddSubjectWhenPostHasNone() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\n\nhello\n");

        handler.handle(fixture.context(mail));

        assertThat(mail.getMessage().getSubject()).isEqualTo("[team] (no subject)");
    }

    @Test
    void handleShouldKeepNonAsciiSubjectWhenItIsEncoded() throws Exception {
        String encoded = MimeUtility.encodeText("Re: Café ünïcødé ✓", "UTF-8", "B");
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: " + encoded + "\n\nhello\n");

        handler.handle(fixture.context(mail));
        handler.handle(fixture.context(mail));

        assertThat(mail.getMessage().getSubject()).isEqualTo("Re: [team] Café ünïcødé ✓");
        assertThat(mail.getMessage().getHeader("Subject", null)).startsWith("=?UTF-8?");
    }

    @Test
    void handleShouldDecodeLatin1SubjectAndKeepPrefixOnce() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: =?ISO-8859-1?Q?Re=3A_=5Bteam=5D_caf=E9?=\n\nhello\n");

        handler.handle(fixture.context(mail));

        assertThat(mail.getMessage().getSubject()).isEqualTo("Re: [team] café");
    }

    @Test
    void handleShouldLeaveSubjectAloneWhenPrefixIsSwitchedOff() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(Setting.SUBJECT_PREFIX, "").build());
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: Re: hi\n\nhello\n");

        handler.handle(fixture.context(mail));

        assertThat(mail.getMessage().getSubject()).isEqualTo("Re: hi");
    }

    @Test
    void handleShouldUseConfiguredPrefixWhenSet() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(Setting.SUBJECT_PREFIX, "[Core Team]").build());
        Mail mail = HandlerFixture.mail("m1", "From: alice@example.com\nSubject: Re: [core team] Re: hi\n\nhello\n");

        handler.handle(fixture.context(mail));

        assertThat(mail.getMessage().getSubject()).isEqualTo("Re: [Core Team] hi");
    }
}
