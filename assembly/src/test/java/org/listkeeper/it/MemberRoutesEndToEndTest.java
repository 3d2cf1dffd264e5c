package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** List settings, member options, requests and templates over WebAdmin, end to end. */
class MemberRoutesEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static WebAdminClient admin() {
        return SERVER.webAdmin();
    }

    @Test
    void patchListShouldChangeOnlyTheNamedSettingsAndRefuseBadValuesNamingThem() throws Exception {
        SERVER.createList("settings@lists.example.org", "{\"displayName\":\"Settings\"}");

        admin().expect(204, admin().patch("/lists/settings@lists.example.org",
            "{\"subscriptionPolicy\":\"moderate\",\"unsubscriptionPolicy\":\"open\",\"privateRoster\":false,\"autoRepliesPerDay\":5}"));

        JsonNode list = json(admin().get("/lists/settings@lists.example.org"));
        assertThat(list.get("displayName").asText()).isEqualTo("Settings");
        assertThat(list.get("subscriptionPolicy").asText()).isEqualTo("moderate");
        assertThat(list.get("unsubscriptionPolicy").asText()).isEqualTo("open");
        assertThat(list.get("privateRoster").asBoolean()).isFalse();
        assertThat(list.get("autoRepliesPerDay").asInt()).isEqualTo(5);

        HttpResponse<String> badPolicy = admin().patch("/lists/settings@lists.example.org", "{\"subscriptionPolicy\":\"whoever\"}");
        HttpResponse<String> badType = admin().patch("/lists/settings@lists.example.org", "{\"privateRoster\":\"maybe\"}");
        HttpResponse<String> unknown = admin().patch("/lists/settings@lists.example.org", "{\"colour\":\"red\"}");
        HttpResponse<String> missing = admin().patch("/lists/missing@lists.example.org", "{\"privateRoster\":true}");
        assertThat(badPolicy.statusCode()).isEqualTo(400);
        assertThat(badPolicy.body()).contains("subscriptionPolicy").contains("whoever");
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badType.body()).contains("privateRoster");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("colour");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(admin().get("/lists/settings@lists.example.org")).get("subscriptionPolicy").asText()).isEqualTo("moderate");
    }

    @Test
    void membersShouldPageFilterByRoleAndTakeOptionsByPatch() throws Exception {
        SERVER.createList("roster@lists.example.org", "{}", "a@member.example", "b@member.example", "c@member.example");
        admin().expect(204, admin().put("/lists/roster@lists.example.org/members/boss@member.example", "{\"role\":\"owner\"}"));
        admin().expect(204, admin().put("/lists/roster@lists.example.org/members/known@other.example", "{\"role\":\"nonmember\","
            + "\"moderationAction\":\"hold\"}"));

        HttpResponse<String> page = admin().get("/lists/roster@lists.example.org/members?role=member&page=2&limit=2");
        assertThat(json(page)).extracting(m -> m.get("address").asText()).containsExactly("c@member.example");
        assertThat(page.headers().firstValue("X-Total-Count")).contains("3");
        assertThat(json(admin().get("/lists/roster@lists.example.org/members?role=nonmember")).get(0).get("moderationAction").asText())
            .isEqualTo("hold");

        admin().expect(204, admin().patch("/lists/roster@lists.example.org/members/a@member.example",
            "{\"delivery\":\"disabled\",\"digest\":\"mime\",\"receiveOwnPosts\":false,\"hideAddress\":true}"));
        JsonNode a = json(admin().get("/lists/roster@lists.example.org/members/a@member.example"));
        assertThat(a.get("delivery").asText()).isEqualTo("disabled");
        assertThat(a.get("disabledBy").asText()).isEqualTo("admin");
        assertThat(a.get("digest").asText()).isEqualTo("mime");
        assertThat(a.get("receiveOwnPosts").asBoolean()).isFalse();
        assertThat(a.get("hideAddress").asBoolean()).isTrue();

        assertThat(admin().patch("/lists/roster@lists.example.org/members/nobody@member.example", "{\"digest\":\"mime\"}").statusCode())
            .isEqualTo(404);
        HttpResponse<String> badRole = admin().get("/lists/roster@lists.example.org/members?role=king");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(badRole.body()).contains("king");
        HttpResponse<String> badOption = admin().patch("/lists/roster@lists.example.org/members/a@member.example", "{\"digest\":\"weekly\"}");
        assertThat(badOption.statusCode()).isEqualTo(400);
        assertThat(badOption.body()).contains("digest").contains("weekly");
        HttpResponse<String> badAddress = admin().put("/lists/roster@lists.example.org/members/not-an-address", "");
        assertThat(badAddress.statusCode()).isEqualTo(400);
        assertThat(badAddress.body()).contains("not-an-address");
        assertThat(json(admin().get("/lists/roster@lists.example.org")).get("members").asInt()).isEqualTo(4);
    }

    @Test
    void requestsShouldBeListedAndDecidedOnceEvenWhenModeratorsRace() throws Exception {
        SERVER.createList("moderated@lists.example.org", "{\"subscriptionPolicy\":\"moderate\"}");
        admin().expect(204, admin().put("/lists/moderated@lists.example.org/members/mod@member.example", "{\"role\":\"moderator\"}"));
        SERVER.post("ivy@applicant.example", List.of("moderated-join@lists.example.org"),
            "From: ivy@applicant.example\nSubject: join\nMessage-ID: <ivy-1@applicant.example>\n\n");
        assertThat(SERVER.awaitDeliveriesTo("mod@member.example", 1).get(0).body()).contains("ivy@applicant.example");

        JsonNode requests = json(admin().get("/lists/moderated@lists.example.org/requests"));
        assertThat(requests).hasSize(1);
        String id = requests.get(0).get("id").asText();
        assertThat(requests.get(0).get("state").asText()).isEqualTo("approving");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<HttpResponse<String>>> answers;
        try {
            Callable<HttpResponse<String>> approve = () -> admin().post("/lists/moderated@lists.example.org/requests/" + id + "?action=approve", "");
            Callable<HttpResponse<String>> reject = () -> admin().post("/lists/moderated@lists.example.org/requests/" + id + "?action=reject", "");
            answers = pool.invokeAll(List.of(approve, reject));
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> first = answers.get(0).get();
        HttpResponse<String> second = answers.get(1).get();
        assertThat(List.of(first.statusCode(), second.statusCode())).containsExactlyInAnyOrder(200, 409);
        HttpResponse<String> loser = first.statusCode() == 409 ? first : second;
        assertThat(loser.body()).contains("already handled by admin");
        boolean approved = (first.statusCode() == 200 ? first : second).body().contains("\"approved\"");
        assertThat(admin().get("/lists/moderated@lists.example.org/members/ivy@applicant.example").statusCode())
            .isEqualTo(approved ? 200 : 404);
        assertThat(json(admin().get("/lists/moderated@lists.example.org/requests"))).isEmpty();
        assertThat(admin().post("/lists/moderated@lists.example.org/requests/999999?action=approve", "").statusCode()).isEqualTo(404);
        assertThat(admin().post("/lists/moderated@lists.example.org/requests/" + id + "?action=maybe", "").statusCode()).isEqualTo(400);
    }

    @Test
    void templatesShouldBeReplacedCheckedAndResetPerList() throws Exception {
        SERVER.createList("words@lists.example.org", "{}");

        assertThat(admin().get("/lists/words@lists.example.org/templates/welcome").body()).startsWith("Subject: Welcome");
        admin().expect(204, admin().put("/lists/words@lists.example.org/templates/welcome", "Subject: Hi {{displayName}}\n\nHello {{address}}"));
        assertThat(admin().get("/lists/words@lists.example.org/templates/welcome").body()).isEqualTo("Subject: Hi {{displayName}}\n\nHello {{address}}");
        HttpResponse<String> unknownVariable = admin().put("/lists/words@lists.example.org/templates/welcome", "Subject: x\n\n{{token}}");
        assertThat(unknownVariable.statusCode()).isEqualTo(400);
        assertThat(unknownVariable.body()).contains("{{token}}");
        assertThat(admin().get("/lists/words@lists.example.org/templates/goodnight").statusCode()).isEqualTo(404);
        assertThat(json(admin().get("/lists/words@lists.example.org/templates"))).anySatisfy(t -> {
            assertThat(t.get("name").asText()).isEqualTo("welcome");
            assertThat(t.get("custom").asBoolean()).isTrue();
        });
        admin().expect(204, admin().delete("/lists/words@lists.example.org/templates/welcome"));
        assertThat(admin().get("/lists/words@lists.example.org/templates/welcome").body()).startsWith("Subject: Welcome");
    }
}
