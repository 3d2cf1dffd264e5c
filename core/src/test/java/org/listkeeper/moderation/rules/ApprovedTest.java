package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.moderation.Approval;

class ApprovedTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @BeforeEach
    void setPassword() {
        fixture.set(Setting.MODERATOR_PASSWORD, "s3cret-pass");
    }

    @Test
    void checkShouldHitWhenTheModerationHandlerFoundTheRightPassword() throws Exception {
        Mail mail = post("boss@outside.example", "Subject: news\n", "text\n");
        mail.setAttribute(new Attribute(Approval.APPROVED, AttributeValue.of(true)));

        assertThat(fixture.check("approved", mail)).hasToString("hit: approved with the moderator password");
    }

    @Test
    void checkShouldMissWhenTheModerationHandlerFoundNoRightPasswordEvenIfOneIsStillThere() throws Exception {
        Mail mail = post("boss@outside.example", "Subject: news\nApproved: s3cret-pass\n", "text\n");
        mail.setAttribute(new Attribute(Approval.APPROVED, AttributeValue.of(false)));

        assertThat(fixture.check("approved", mail)).hasToString("miss");
    }

    @Test
    void checkShouldHitAndTakeTheHeaderOutWhenRunOnItsOwnWithTheRightPassword() throws Exception {
        Mail mail = post("boss@outside.example", "Subject: news\nApproved: s3cret-pass\n", "text\n");

        assertThat(fixture.check("approved", mail)).hasToString("hit: approved with the moderator password");
        assertThat(mail.getMessage().getHeader("Approved")).isNull();
    }

    @Test
    void checkShouldHitWhenRunOnItsOwnWithThePasswordAsTheFirstLine() throws Exception {
        assertThat(fixture.check("approved", post("boss@outside.example", "Subject: news\n", "Approve: s3cret-pass\n\nthe text\n"))
            .isHit()).isTrue();
    }

    @Test
    void checkShouldMissWhenThePasswordIsWrong() throws Exception {
        assertThat(fixture.check("approved", post("boss@outside.example", "Subject: news\nApproved: guess-again\n", "text\n")))
            .hasToString("miss");
    }

    @Test
    void checkShouldMissWhenTheListHasNoModeratorPassword() throws Exception {
        fixture.set(Setting.MODERATOR_PASSWORD, null);

        assertThat(fixture.check("approved", post("boss@outside.example", "Subject: news\nApproved: s3cret-pass\n", "text\n")))
            .hasToString("miss");
    }

    @Test
    void checkShouldMissWhenTheRightPasswordSitsInASignedPartItCannotBeTakenOutOf() throws Exception {
        Mail signed = post("boss@outside.example", "Subject: news\nMIME-Version: 1.0\nContent-Type: multipart/signed; "
            + "micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"s\"\n", "--s\nContent-Type: text/plain\n\n"
            + "Approved: s3cret-pass\n\nthe text\n--s\nContent-Type: application/pgp-signature\n\nsig\n--s--\n");

        assertThat(fixture.check("approved", signed)).hasToString("miss");
    }
}
