package org.listkeeper.moderation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.listkeeper.moderation.rules.RuleFixture.mail;
import static org.listkeeper.moderation.rules.RuleFixture.post;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.list.ListChanges.Setting;

class BannedAddressTest {
    @RegisterExtension
    final RuleFixture fixture = new RuleFixture();

    @Test
    void checkShouldHitWhenTheListBansTheSendersAddressInAnyCase() throws Exception {
        fixture.set(Setting.BANNED_ADDRESSES, "Seller@Spam.example");

        assertThat(fixture.check("banned-address", post("seller@spam.example", "Subject: offer\n", "buy\n")))
            .hasToString("hit: seller@spam.example is banned from team@lists.example.org");
    }

    @Test
    void checkShouldHitWhenTheSenderMatchesAListPattern() throws Exception {
        fixture.set(Setting.BANNED_ADDRESSES, "someone@else.example\n^.*@spam\\.example$");

        assertThat(fixture.check("banned-address", post("anyone@spam.example", "Subject: offer\n", "buy\n")))
            .hasToString("hit: anyone@spam.example is banned from team@lists.example.org");
    }

    @Test
    void checkShouldMissWhenAListPatternMatchesOnlyPartOfTheAddress() throws Exception {
        fixture.set(Setting.BANNED_ADDRESSES, "^.*@spam\\.example");

        assertThat(fixture.check("banned-address", post("ann@spam.example.org", "Subject: hi\n", "x\n"))).hasToString("miss");
    }

    @Test
    void checkShouldHitWhenTheSiteBansTheSenderFromEveryList() throws Exception {
        fixture.globalBans = AddressPatterns.parse("banned.addresses", "^.*@spam\\.example$");

        assertThat(fixture.check("banned-address", post("seller@spam.example", "Subject: offer\n", "buy\n")))
            .hasToString("hit: seller@spam.example is banned from every list of this site");
    }

    @Test
    void checkShouldNameTheListBanWhenTheListAndTheSiteBothBanTheSender() throws Exception {
        fixture.set(Setting.BANNED_ADDRESSES, "seller@spam.example");
        fixture.globalBans = AddressPatterns.parse("banned.addresses", "seller@spam.example");

        assertThat(fixture.check("banned-address", post("seller@spam.example", "Subject: offer\n", "buy\n")))
            .hasToString("hit: seller@spam.example is banned from team@lists.example.org");
    }

    @Test
    void checkShouldHitWhenOnlyTheEnvelopeSenderOrTheSenderHeaderIsBanned() throws Exception {
        fixture.set(Setting.BANNED_ADDRESSES, "^.*@spam\\.example$");

        assertThat(fixture.check("banned-address", mail("bounces@spam.example",
            "From: ann@member.example\nTo: team@lists.example.org\nSubject: hi\n\nx\n")))
            .hasToString("hit: bounces@spam.example is banned from team@lists.example.org");
        assertThat(fixture.check("banned-address", mail("ann@member.example",
            "From: ann@member.example\nSender: agent@spam.example\nTo: team@lists.example.org\nSubject: hi\n\nx\n")))
            .hasToString("hit: agent@spam.example is banned from team@lists.example.org");
    }

    @Test
    void checkShouldMissWhenNoBanMatches() throws Exception {
        fixture.set(Setting.BANNED_ADDRESSES, "^.*@spam\\.example$");
        fixture.globalBans = AddressPatterns.parse("banned.addresses", "seller@elsewhere.example");

        assertThat(fixture.check("banned-address", post("ann@member.example", "Subject: hi\n", "x\n"))).hasToString("miss");
    }
}
