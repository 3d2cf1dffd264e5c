package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.listkeeper.moderation.ModerationChain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A site's own moderation rule, added through the rule registry from a Guice module, decides real posts. */
class SiteRuleEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().extensionModule(TestRules.class).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String message(String subject, String messageId) {
        return "From: ann@member.example\nTo: loud@lists.example.org\nSubject: " + subject + "\nMessage-ID: " + messageId
            + "\n\nbody\n";
    }

    @Test
    void chainNamingTheSiteRuleShouldHoldTheSiteRulesHitsWithItsReasonAndPassTheRest() throws Exception {
        SERVER.createList("loud@lists.example.org", "{\"moderationChain\":\"" + ModerationChain.DEFAULT + ",subject-shouting:hold\","
            + "\"moderatorNotification\":\"none\",\"notifyHeldPoster\":false}", "ann@member.example", "bob@member.example");

        assertThat(SERVER.post("ann@member.example", List.of("loud@lists.example.org"),
            message("BUY NOW, CHEAP", "<shout@example.com>")).accepted()).isTrue();
        assertThat(SERVER.post("ann@member.example", List.of("loud@lists.example.org"),
            message("Quiet news, NASA says", "<quiet@example.com>")).accepted()).isTrue();

        assertThat(SERVER.awaitDeliveries("<quiet@example.com>", 2)).extracting(d -> d.recipient)
            .containsExactlyInAnyOrder("ann@member.example", "bob@member.example");
        await().atMost(Duration.ofSeconds(30)).until(() -> held().size() == 1);
        JsonNode held = held().get(0);
        assertThat(held.get("subject").asText()).isEqualTo("BUY NOW, CHEAP");
        assertThat(held.get("reasons").asText()).isEqualTo("subject-shouting: the subject \"BUY NOW, CHEAP\" is written in capitals");
        assertThat(SERVER.deliveriesOf("<shout@example.com>")).isEmpty();
    }

    @Test
    void putOfAChainNamingAnUnknownRuleShouldBeRefusedNamingIt() throws Exception {
        HttpResponse<String> response = SERVER.webAdmin().put("/lists/typo@lists.example.org",
            "{\"moderationChain\":\"approved:accept,subject-yelling:hold\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("subject-yelling").contains("unknown rule").contains("subject-shouting");
        SERVER.webAdmin().expect(404, SERVER.webAdmin().get("/lists/typo@lists.example.org"));
    }

    private static JsonNode held() throws Exception {
        return JSON.readTree(SERVER.webAdmin().get("/lists/loud@lists.example.org/held").body());
    }
}
