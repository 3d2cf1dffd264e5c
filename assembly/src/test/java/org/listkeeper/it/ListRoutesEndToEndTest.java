package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The /lists WebAdmin routes over real HTTP, with James's conventions for success and errors. */
class ListRoutesEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebAdminClient web() {
        return SERVER.webAdmin();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void putListShouldCreateListAndAddItsDomainToJames() throws Exception {
        web().expect(204, web().put("/lists/news@announce.example.net",
            "{\"displayName\":\"News\",\"description\":\"Announcements\",\"subjectPrefix\":\"[news]\",\"footer\":\"bye\"}"));

        JsonNode list = json(web().expect(200, web().get("/lists/news@announce.example.net")));
        assertThat(list.get("address").asText()).isEqualTo("news@announce.example.net");
        assertThat(list.get("listId").asText()).isEqualTo("news.announce.example.net");
        assertThat(list.get("displayName").asText()).isEqualTo("News");
        assertThat(list.get("description").asText()).isEqualTo("Announcements");
        assertThat(list.get("subjectPrefix").asText()).isEqualTo("[news]");
        assertThat(list.get("footer").asText()).isEqualTo("bye");
        assertThat(list.get("members").asInt()).isZero();
        web().expect(204, web().get("/domains/announce.example.net"));
    }

    @Test
    void putListShouldUpdateOnlyGivenFieldsWhenListExists() throws Exception {
        web().expect(204, web().put("/lists/upd@lists.example.org", "{\"displayName\":\"Before\",\"footer\":\"kept\"}"));

        web().expect(204, web().put("/lists/upd@lists.example.org", "{\"displayName\":\"After\"}"));

        JsonNode list = json(web().expect(200, web().get("/lists/upd@lists.example.org")));
        assertThat(list.get("displayName").asText()).isEqualTo("After");
        assertThat(list.get("footer").asText()).isEqualTo("kept");
    }

    @Test
    void getListsShouldListEveryListWithItsMemberCount() throws Exception {
        SERVER.createList("counted@lists.example.org", "{\"displayName\":\"Counted\"}", "a@member.example", "b@member.example");

        JsonNode lists = json(web().expect(200, web().get("/lists")));

        assertThat(lists.isArray()).isTrue();
        JsonNode counted = null;
        for (JsonNode list : lists) {
            if (list.get("address").asText().equals("counted@lists.example.org")) {
                counted = list;
            }
        }
        assertThat(counted).isNotNull();
        assertThat(counted.get("displayName").asText()).isEqualTo("Counted");
        assertThat(counted.get("members").asInt()).isEqualTo(2);
    }

    @Test
    void membersShouldBeAddedListedAndRemoved() throws Exception {
        web().expect(204, web().put("/lists/roster@lists.example.org", ""));
        web().expect(204, web().put("/lists/roster@lists.example.org/members/owner@member.example",
            "{\"role\":\"owner\",\"displayName\":\"The Owner\"}"));
        web().expect(204, web().put("/lists/roster@lists.example.org/members/plain@member.example", ""));

        JsonNode members = json(web().expect(200, web().get("/lists/roster@lists.example.org/members")));
        assertThat(members).hasSize(2);
        assertThat(members.get(0).get("address").asText()).isEqualTo("owner@member.example");
        assertThat(members.get(0).get("role").asText()).isEqualTo("owner");
        assertThat(members.get(0).get("displayName").asText()).isEqualTo("The Owner");
        assertThat(members.get(0).get("delivery").asText()).isEqualTo("enabled");
        assertThat(members.get(1).get("role").asText()).isEqualTo("member");

        web().expect(204, web().delete("/lists/roster@lists.example.org/members/plain@member.example"));
        assertThat(json(web().expect(200, web().get("/lists/roster@lists.example.org/members")))).hasSize(1);
    }

    @Test
    void deleteListShouldRemoveListAndAnswer404Afterwards() throws Exception {
        SERVER.createList("gone@lists.example.org", "{}", "a@member.example");

        web().expect(204, web().delete("/lists/gone@lists.example.org"));

        JsonNode error = json(web().expect(404, web().get("/lists/gone@lists.example.org")));
        assertThat(error.get("statusCode").asInt()).isEqualTo(404);
        assertThat(error.get("type").asText()).isEqualTo("notFound");
        assertThat(error.get("message").asText()).contains("gone@lists.example.org");
        web().expect(204, web().delete("/lists/gone@lists.example.org"));
    }

    @Test
    void malformedListAddressShouldAnswer400NamingIt() throws Exception {
        JsonNode error = json(web().expect(400, web().put("/lists/not-an-address", "{}")));

        assertThat(error.get("type").asText()).isEqualTo("InvalidArgument");
        assertThat(error.get("message").asText()).contains("not-an-address");
    }

    @Test
    void memberOfUnknownListShouldAnswer404() throws Exception {
        JsonNode error = json(web().expect(404, web().put("/lists/nolist@lists.example.org/members/a@member.example", "")));

        assertThat(error.get("message").asText()).contains("nolist@lists.example.org");
    }

    @Test
    void unknownRoleShouldAnswer400NamingItAndAddNobody() throws Exception {
        web().expect(204, web().put("/lists/roles@lists.example.org", ""));

        JsonNode error = json(web().expect(400, web().put("/lists/roles@lists.example.org/members/a@member.example",
            "{\"role\":\"boss\"}")));

        assertThat(error.get("message").asText()).contains("boss").contains("owner, moderator, member");
        assertThat(json(web().expect(200, web().get("/lists/roles@lists.example.org/members")))).isEmpty();
    }

    @Test
    void invalidJsonShouldAnswer400() throws Exception {
        JsonNode error = json(web().expect(400, web().put("/lists/json@lists.example.org", "{\"displayName\":")));

        assertThat(error.get("message").asText()).contains("not valid JSON");
        web().expect(404, web().get("/lists/json@lists.example.org"));
    }

    @Test
    void unknownFieldShouldAnswer400NamingIt() throws Exception {
        JsonNode error = json(web().expect(400, web().put("/lists/field@lists.example.org", "{\"displayname\":\"typo\"}")));

        assertThat(error.get("message").asText()).contains("displayname").contains("displayName");
        web().expect(404, web().get("/lists/field@lists.example.org"));
    }

    @Test
    void invalidSettingShouldAnswer400AndWriteNothing() throws Exception {
        JsonNode error = json(web().expect(400, web().put("/lists/half@lists.example.org",
            "{\"displayName\":\"Fine\",\"archiveUrl\":\"ftp://archive.example.org\"}")));

        assertThat(error.get("message").asText()).contains("archiveUrl").contains("ftp://archive.example.org");
        web().expect(404, web().get("/lists/half@lists.example.org"));
    }

    @Test
    void footerWithUnknownVariableShouldAnswer400NamingIt() throws Exception {
        JsonNode error = json(web().expect(400, web().put("/lists/foot@lists.example.org", "{\"footer\":\"bye {{unsubscribeLink}}\"}")));

        assertThat(error.get("message").asText()).contains("{{unsubscribeLink}}");
    }

    @Test
    void headerInjectionInDisplayNameShouldAnswer400() throws Exception {
        JsonNode error = json(web().expect(400, web().put("/lists/inject@lists.example.org",
            "{\"displayName\":\"Team\\r\\nBcc: victim@example.com\"}")));

        assertThat(error.get("message").asText()).contains("displayName");
        web().expect(404, web().get("/lists/inject@lists.example.org"));
    }

    @Test
    void nonStringValueShouldAnswer400NamingField() throws Exception {
        JsonNode error = json(web().expect(400, web().put("/lists/types@lists.example.org", "{\"displayName\":42}")));

        assertThat(error.get("message").asText()).contains("displayName").contains("42");
    }
}
