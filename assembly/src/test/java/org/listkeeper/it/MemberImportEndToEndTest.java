package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Bulk imports as James WebAdmin tasks, and the CSV export, against an in-process James. */
class MemberImportEndToEndTest {
    @RegisterExtension
    static final ListkeeperServer SERVER = ListkeeperServer.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String submit(String path, String body, String contentType) throws Exception {
        HttpResponse<String> response = SERVER.webAdmin().expect(201, SERVER.webAdmin().post(path, body, contentType));
        return json(response).get("taskId").asText();
    }

    @Test
    void importOfTenThousandRowsShouldRunAsATaskWithProgressAndExactCounts() throws Exception {
        SERVER.createList("big@lists.example.org", "{}", "already@member.example");
        StringBuilder csv = new StringBuilder("address,displayName,role\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append("m").append(i).append("@d").append(i % 37).append(".example,Member ").append(i).append(",member\n");
        }
        csv.append("not-an-address,Broken,member\n");            // line 10,002
        csv.append("half@member.example,Half,chief\n");          // line 10,003: valid address, invalid role
        csv.append("m5@d5.example,Again,member\n");              // line 10,004: a repeat of line 7
        csv.append("already@member.example,,owner\n");           // line 10,005: on the roster already

        String taskId = submit("/lists/big@lists.example.org/members?action=import", csv.toString(), "text/csv");

        List<JsonNode> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(25)).until(() -> {
            JsonNode task = json(SERVER.webAdmin().get("/tasks/" + taskId));
            seen.add(task);
            return task.get("status").asText().equals("completed");
        });
        JsonNode done = seen.get(seen.size() - 1).get("additionalInformation");
        assertThat(done.get("type").asText()).isEqualTo("listkeeper-member-import");
        assertThat(done.get("total").asInt()).isEqualTo(10_004);
        assertThat(done.get("processed").asInt()).isEqualTo(10_004);
        assertThat(done.get("added").asInt()).isEqualTo(10_000);
        assertThat(done.get("skipped").asInt()).isEqualTo(2);
        assertThat(done.get("invalid").asInt()).isEqualTo(2);
        assertThat(done.get("errors")).extracting(e -> e.get("line").asInt()).containsExactly(10_002, 10_003);
        assertThat(done.get("errors").get(1).get("error").asText()).contains("chief");
        assertThat(seen).anySatisfy(task -> {
            assertThat(task.get("status").asText()).isEqualTo("inProgress");
            assertThat(task.get("additionalInformation").get("processed").asInt()).isBetween(1, 10_003);
        });

        HttpResponse<String> count = SERVER.webAdmin().get("/lists/big@lists.example.org/members?limit=1");
        assertThat(count.headers().firstValue("X-Total-Count")).contains("10001");
        assertThat(SERVER.webAdmin().get("/lists/big@lists.example.org/members/half@member.example").statusCode()).isEqualTo(404);
        assertThat(json(SERVER.webAdmin().get("/lists/big@lists.example.org/members/m5@d5.example")).get("displayName").asText())
            .isEqualTo("Member 5");
        assertThat(json(SERVER.webAdmin().get("/lists/big@lists.example.org/members/already@member.example")).get("role").asText())
            .isEqualTo("member");

        String export = SERVER.webAdmin().get("/lists/big@lists.example.org/members?format=csv").body();
        assertThat(export.split("\r\n")).hasSize(10_002);
        assertThat(export).startsWith("address,displayName,role,delivery,disabledBy,digest,receiveOwnPosts,hideAddress,moderationAction");
    }

    @Test
    void importShouldRefuseABodyThatIsNotCsvOrHasUnknownColumnsAndImportNothing() throws Exception {
        SERVER.createList("strict@lists.example.org", "{}");

        HttpResponse<String> unknownColumn = SERVER.webAdmin().post("/lists/strict@lists.example.org/members?action=import",
            "address,shoeSize\na@b.example,42\n", "text/csv");
        HttpResponse<String> badQuote = SERVER.webAdmin().post("/lists/strict@lists.example.org/members?action=import",
            "a@b.example,\"unclosed\n", "text/csv");
        HttpResponse<String> badAction = SERVER.webAdmin().post("/lists/strict@lists.example.org/members?action=erase", "a@b.example",
            "text/csv");
        HttpResponse<String> noList = SERVER.webAdmin().post("/lists/none@lists.example.org/members?action=import", "a@b.example",
            "text/csv");

        assertThat(unknownColumn.statusCode()).isEqualTo(400);
        assertThat(unknownColumn.body()).contains("shoeSize");
        assertThat(badQuote.statusCode()).isEqualTo(400);
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(badAction.body()).contains("erase");
        assertThat(noList.statusCode()).isEqualTo(404);
        assertThat(SERVER.webAdmin().get("/lists/strict@lists.example.org/members").body()).isEqualTo("[]");
    }

    @Test
    void importWithConfirmationShouldAskEachNewAddressInsteadOfAddingIt() throws Exception {
        SERVER.createList("asked@lists.example.org", "{}");

        String taskId = submit("/lists/asked@lists.example.org/members?action=import&confirm=true",
            "[{\"address\":\"gina@invited.example\",\"displayName\":\"Gina\"},\"hal@invited.example\"]", "application/json");

        await().atMost(Duration.ofSeconds(30)).until(() -> json(SERVER.webAdmin().get("/tasks/" + taskId)).get("status").asText()
            .equals("completed"));
        JsonNode details = json(SERVER.webAdmin().get("/tasks/" + taskId)).get("additionalInformation");
        assertThat(details.get("confirmationsSent").asInt()).isEqualTo(2);
        assertThat(details.get("added").asInt()).isZero();
        assertThat(SERVER.awaitDeliveriesTo("gina@invited.example", 1).get(0).header("Subject")).startsWith("confirm ");
        assertThat(SERVER.awaitDeliveriesTo("hal@invited.example", 1).get(0).body()).contains("the list administrators");
        assertThat(SERVER.webAdmin().get("/lists/asked@lists.example.org/members").body()).isEqualTo("[]");
        assertThat(json(SERVER.webAdmin().get("/lists/asked@lists.example.org/requests"))).hasSize(2);
    }
}
