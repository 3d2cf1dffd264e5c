package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.moderation.ModerationChain;
import org.listkeeper.moderation.RuleRegistry;
import org.listkeeper.moderation.rules.BuiltinRules;
import org.listkeeper.pipeline.HandlerResult;

class ModerationHandlerTest {
    private final HandlerFixture fixture = new HandlerFixture();

    ModerationHandlerTest() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture.stores.roster().saveMember(fixture.listId(), Member.of(new MailAddress("ann@member.example")));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void set(Setting setting, String value) {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(setting, value).build());
    }

    private static Mail post(String name, String from, String headers, String body) throws Exception {
        return FakeMail.builder().name(name).sender(from).recipient("team@lists.example.org")
            .mimeMessage(HandlerFixture.parse("From: " + from + "\nTo: team@lists.example.org\n" + headers
                + "Message-ID: <" + name + "@example.net>\n\n" + body)).build();
    }

    private HandlerResult moderate(Mail mail) throws Exception {
        return fixture.handler("moderation").handle(fixture.context(mail));
    }

    @Test
    void memberPostShouldProceedAndNonmemberPostShouldBeHeld() throws Exception {
        assertThat(moderate(post("m1", "ann@member.example", "Subject: hi\n", "hello\n")).kind()).isEqualTo(HandlerResult.Kind.PROCEED);

        HandlerResult held = moderate(post("m2", "stranger@outside.example", "Subject: hi\n", "hello\n"));
        assertThat(held.kind()).isEqualTo(HandlerResult.Kind.HOLD);
        assertThat(held.reason().orElseThrow()).startsWith("nonmember-moderation").contains("stranger@outside.example");
    }

    @Test
    void knownNonmemberWithAcceptShouldPass() throws Exception {
        fixture.stores.roster().saveMember(fixture.listId(), Member.builder(new MailAddress("friend@outside.example")).role(Role.NONMEMBER)
            .moderationAction(ModerationAction.ACCEPT).build());

        assertThat(moderate(post("m1", "friend@outside.example", "Subject: hi\n", "hello\n")).kind())
            .isEqualTo(HandlerResult.Kind.PROCEED);
    }

    @Test
    void loopShouldBeDiscarded() throws Exception {
        HandlerResult result = moderate(post("m1", "ann@member.example", "Subject: hi\nList-Id: team <team.lists.example.org>\n", "x\n"));

        assertThat(result.kind()).isEqualTo(HandlerResult.Kind.DISCARD);
        assertThat(result.reason().orElseThrow()).contains("loop");
    }

    @Test
    void bannedSenderShouldBeDiscardedWithoutNoticeByTheDefaultChainAsInMailman() throws Exception {
        set(Setting.BANNED_ADDRESSES, "^.*@spam\\.example$");

        HandlerResult result = moderate(post("m1", "seller@spam.example", "Subject: offer\n", "buy\n"));

        assertThat(result.kind()).isEqualTo(HandlerResult.Kind.DISCARD);
        assertThat(result.reason().orElseThrow()).startsWith("discarded by banned-address");
        assertThat(fixture.mailetContext.getSentMails()).isEmpty();
    }

    @Test
    void defaultChainShouldCollectEveryHoldReasonBeforeHolding() throws Exception {
        set(Setting.MAX_MESSAGE_SIZE, "1");

        HandlerResult held = moderate(post("many", "ann@member.example", "Subject: unsubscribe\nCc: a@x.example, b@x.example, "
            + "c@x.example, d@x.example, e@x.example, f@x.example, g@x.example, h@x.example, i@x.example\n", "x".repeat(3000) + "\n"));

        assertThat(held.kind()).isEqualTo(HandlerResult.Kind.HOLD);
        assertThat(held.reason().orElseThrow()).startsWith("administrivia: ").contains("; max-recipients: ").contains("; max-size: ")
            .doesNotContain("max-size: max-size");
    }

    @Test
    void bannedSenderShouldBeRejectedWithOneNoticeEvenWhenReplayedWhenTheChainSaysReject() throws Exception {
        set(Setting.BANNED_ADDRESSES, "^.*@spam\\.example$");
        set(Setting.MODERATION_CHAIN, ModerationChain.DEFAULT.replace("banned-address:discard", "banned-address:reject"));
        Mail mail = post("m1", "seller@spam.example", "Subject: offer\n", "buy\n");

        HandlerResult first = moderate(mail);
        HandlerResult replay = moderate(post("m1", "seller@spam.example", "Subject: offer\n", "buy\n"));

        assertThat(first.kind()).isEqualTo(HandlerResult.Kind.DISCARD);
        assertThat(first.reason().orElseThrow()).startsWith("rejected by banned-address");
        assertThat(replay.kind()).isEqualTo(HandlerResult.Kind.DISCARD);
        assertThat(fixture.mailetContext.getSentMails()).singleElement().satisfies(notice -> {
            assertThat(notice.getRecipients()).extracting(Object::toString).containsExactly("seller@spam.example");
            assertThat(notice.getMsg().getSubject()).contains("not accepted");
        });
    }

    @Test
    void rightPasswordShouldAcceptAndBeRemovedWrongOneShouldNot() throws Exception {
        set(Setting.MODERATOR_PASSWORD, "s3cret-pass");
        Mail header = post("m1", "boss@outside.example", "Subject: news\nApproved: s3cret-pass\n", "text\n");
        Mail line = post("m2", "boss@outside.example", "Subject: news\n", "Approved: s3cret-pass\n\nthe text\n");
        Mail wrong = post("m3", "boss@outside.example", "Subject: news\nApproved: guess\n", "text\n");

        assertThat(moderate(header).kind()).isEqualTo(HandlerResult.Kind.PROCEED);
        assertThat(moderate(line).kind()).isEqualTo(HandlerResult.Kind.PROCEED);
        assertThat(moderate(wrong).kind()).isEqualTo(HandlerResult.Kind.HOLD);
        assertThat(header.getMessage().getHeader("Approved")).isNull();
        assertThat(wrong.getMessage().getHeader("Approved")).isNull();
        assertThat(HandlerFixture.serialize(line.getMessage())).doesNotContain("s3cret-pass").contains("the text");
    }

    @Test
    void rightPasswordShouldBeRemovedFromTheHtmlAlternativeToo() throws Exception {
        set(Setting.MODERATOR_PASSWORD, "s3cret-pass");
        Mail post = post("alt", "boss@outside.example", "Subject: news\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/alternative; boundary=\"b\"\n", "--b\nContent-Type: text/plain\n\n"
            + "Approved: s3cret-pass\n\nthe text\n--b\nContent-Type: text/html\n\n"
            + "<p>Approved: s3cret-pass</p><p>the text</p>\n--b--\n");

        assertThat(moderate(post).kind()).isEqualTo(HandlerResult.Kind.PROCEED);
        assertThat(HandlerFixture.serialize(post.getMessage())).doesNotContain("s3cret-pass").contains("<p>the text</p>");
    }

    @Test
    void passwordInsideASignedPartShouldHoldThePostInsteadOfDeliveringIt() throws Exception {
        set(Setting.MODERATOR_PASSWORD, "s3cret-pass");
        Mail post = post("signed", "ann@member.example", "Subject: news\nMIME-Version: 1.0\nContent-Type: multipart/signed; "
            + "micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"s\"\n", "--s\nContent-Type: text/plain\n\n"
            + "Approved: s3cret-pass\n\nthe text\n--s\nContent-Type: application/pgp-signature\n\nsig\n--s--\n");

        HandlerResult result = moderate(post);

        assertThat(result.kind()).isEqualTo(HandlerResult.Kind.HOLD);
        assertThat(result.reason().orElseThrow()).startsWith("approved").contains("signed");
    }

    @Test
    void holdRulesShouldNameThemselves() throws Exception {
        set(Setting.MAX_MESSAGE_SIZE, "1");
        assertThat(moderate(post("big", "ann@member.example", "Subject: big\n", "x".repeat(3000) + "\n")).reason().orElseThrow())
            .startsWith("max-size");
        set(Setting.MAX_MESSAGE_SIZE, "0");
        assertThat(moderate(post("nosubject", "ann@member.example", "", "text\n")).reason().orElseThrow()).startsWith("no-subject");
        assertThat(moderate(post("admin", "ann@member.example", "Subject: unsubscribe\n", "\n")).reason().orElseThrow())
            .startsWith("administrivia");
        Mail bcc = FakeMail.builder().name("bcc").sender("ann@member.example").recipient("team@lists.example.org")
            .mimeMessage(HandlerFixture.parse("From: ann@member.example\nTo: someone@else.example\nSubject: fwd\n\nx\n")).build();
        assertThat(moderate(bcc).reason().orElseThrow()).startsWith("implicit-destination");
        Mail many = post("many", "ann@member.example", "Subject: many\nCc: a@x.example, b@x.example, c@x.example, d@x.example, "
            + "e@x.example, f@x.example, g@x.example, h@x.example, i@x.example\n", "x\n");
        assertThat(moderate(many).reason().orElseThrow()).startsWith("max-recipients");
        set(Setting.SUSPICIOUS_HEADERS, "X-Spam-Flag: ^yes");
        assertThat(moderate(post("spam", "ann@member.example", "Subject: s\nX-Spam-Flag: YES\n", "x\n")).reason().orElseThrow())
            .startsWith("suspicious-header");
        set(Setting.EMERGENCY, "true");
        assertThat(moderate(post("urgent", "ann@member.example", "Subject: s\n", "x\n")).reason().orElseThrow()).startsWith("emergency");
    }

    @Test
    void subjectThatIsOnlyThePrefixOrAReplyMarkerShouldNotBeHeldAsNoSubject() throws Exception {
        String prefix = fixture.list().subjectPrefix();

        assertThat(moderate(post("p1", "ann@member.example", "Subject: " + prefix + "\n", "x\n")).kind())
            .isEqualTo(HandlerResult.Kind.PROCEED);
        assertThat(moderate(post("p2", "ann@member.example", "Subject: Re:\n", "x\n")).kind()).isEqualTo(HandlerResult.Kind.PROCEED);
        assertThat(moderate(post("p3", "ann@member.example", "Subject:   \n", "x\n")).reason().orElseThrow()).startsWith("no-subject");
    }

    @Test
    void replayShouldActOnTheRecordedDecisionEvenAfterTheSettingsChanged() throws Exception {
        assertThat(moderate(post("m1", "stranger@outside.example", "Subject: hi\n", "x\n")).kind()).isEqualTo(HandlerResult.Kind.HOLD);
        set(Setting.DEFAULT_NONMEMBER_ACTION, "accept");

        assertThat(moderate(post("m1", "stranger@outside.example", "Subject: hi\n", "x\n")).kind()).isEqualTo(HandlerResult.Kind.HOLD);
        assertThat(moderate(post("m2", "stranger@outside.example", "Subject: hi\n", "x\n")).kind()).isEqualTo(HandlerResult.Kind.PROCEED);
    }

    @Test
    void chainShouldParseItsOwnFormatAndRefuseUnknownRulesAndActions() {
        RuleRegistry rules = RuleRegistry.of(BuiltinRules.create(fixture.stores.roster(), AddressPatterns.none()));
        assertThat(ModerationChain.parse(ModerationChain.DEFAULT, rules).format()).isEqualTo(ModerationChain.DEFAULT);
        assertThatThrownBy(() -> ModerationChain.parse("approved:accept,charisma:hold", rules)).isInstanceOf(InvalidValueException.class)
            .hasMessageContaining("charisma");
        assertThatThrownBy(() -> ModerationChain.parse("loop:explode", rules)).isInstanceOf(InvalidValueException.class)
            .hasMessageContaining("explode");
        assertThatThrownBy(() -> ListChanges.builder().set(Setting.MODERATION_CHAIN, "loop:explode").build())
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("explode");
        assertThatThrownBy(() -> ListChanges.builder().set(Setting.BANNED_ADDRESSES, "^(unclosed").build())
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("bannedAddresses");
    }
}
