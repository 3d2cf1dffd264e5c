package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.dmarc.DmarcPolicies;
import org.listkeeper.list.ListChanges;
import org.listkeeper.pipeline.PipelineSettings;
import org.listkeeper.pipeline.PostProgress;

class DmarcMitigationHandlerTest {
    private final HandlerFixture fixture = new HandlerFixture();
    private final List<String> asked = new ArrayList<>();

    DmarcMitigationHandlerTest() throws Exception {
    }

    @BeforeEach
    void setUp() {
        fixture.dmarcPolicies = new DmarcPolicies(name -> {
            asked.add(name);
            return name.equals("_dmarc.reject.example") ? List.of("v=DMARC1; p=reject") : List.of();
        }, Duration.ofHours(1));
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(ListChanges.Setting.DMARC_MITIGATION, "munge_from").build());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aSecondAuthorWhoseDomainRejectsShouldBeEnoughToMunge() throws Exception {
        Mail mail = HandlerFixture.mail("two", "From: Ann <ann@nopolicy.example>, Bea <bea@reject.example>\nSubject: hi\n\nhello\n");

        fixture.handler("dmarc").handle(fixture.context(mail));

        assertThat(mail.getMessage().getHeader("From", null)).contains("team@lists.example.org").doesNotContain("nopolicy.example");
        assertThat(PostProgress.string(mail, PostProgress.AUTHOR)).contains("ann@nopolicy.example");
    }

    @Test
    void hundredsOfAuthorsShouldCostAFewLookupsAndLeaveThePostAlone() throws Exception {
        StringBuilder from = new StringBuilder("From: ");
        for (int i = 0; i < 300; i++) {
            from.append(i == 0 ? "" : ", ").append("a").append(i).append("@d").append(i).append(".example");
        }
        Mail mail = HandlerFixture.mail("many", from + "\nSubject: hi\n\nhello\n");

        fixture.handler("dmarc").handle(fixture.context(mail));

        assertThat(mail.getMessage().getHeader("From", null)).startsWith("a0@d0.example");
        assertThat(asked).hasSizeLessThanOrEqualTo(10);
        assertThat(PostProgress.string(mail, PostProgress.AUTHOR)).isEmpty();
    }
}
