package org.listkeeper.webadmin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.archive.Archiver;
import org.listkeeper.list.MailingList;

import io.restassured.http.ContentType;

class ArchiveRoutesTest {
    private static final String LIST = "news@lists.example.org";
    private static final String ARCHIVE = "/lists/" + LIST + "/archive";

    private InMemoryListkeeper listkeeper;
    private MailingList list;

    @BeforeEach
    void setUp() throws Exception {
        listkeeper = new InMemoryListkeeper();
        listkeeper.serve(listkeeper.archiveRoutes());
        list = listkeeper.createList(LIST);
        Archiver archiver = new Archiver(listkeeper.stores.archive(), listkeeper.clock);
        // numbers come from the list's sequence, as the post-number handler takes them
        listkeeper.stores.posts().assignPostNumber(list.id(), "one", listkeeper.clock.instant());
        listkeeper.stores.posts().assignPostNumber(list.id(), "two", listkeeper.clock.instant());
        archiver.archive(list, 1, message("<one@example.net>", "Plans", "", "first body"));
        archiver.archive(list, 2, message("<two@example.net>", "Re: Plans", "In-Reply-To: <one@example.net>\r\n", "second zeppelin"));
    }

    @AfterEach
    void tearDown() {
        listkeeper.close();
    }

    private static byte[] message(String id, String subject, String headers, String body) {
        return ("From: Ann <ann@example.net>\r\nSubject: " + subject + "\r\nMessage-ID: " + id + "\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n"
            + headers + "\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void getShouldListTheEntriesWithTheirThreadsAndCount() {
        given().get(ARCHIVE).then().statusCode(200).header("X-Total-Count", "2")
            .body(equalTo("[{\"number\":1,\"messageId\":\"<one@example.net>\",\"subject\":\"Plans\",\"author\":\"Ann\","
                + "\"date\":\"2026-12-01T09:00:00Z\",\"threadId\":1,\"inReplyTo\":null,\"deleted\":false},"
                + "{\"number\":2,\"messageId\":\"<two@example.net>\",\"subject\":\"Re: Plans\",\"author\":\"Ann\","
                + "\"date\":\"2026-12-01T09:00:00Z\",\"threadId\":1,\"inReplyTo\":\"<one@example.net>\",\"deleted\":false}]"));
        given().get(ARCHIVE + "?q=zeppelin&private=true").then().statusCode(200).header("X-Total-Count", "1")
            .body(containsString("\"address\":\"ann@example.net\""));
        given().get(ARCHIVE + "?limit=1&page=2").then().statusCode(200).header("X-Total-Count", "2")
            .body(containsString("\"number\":2"));
    }

    @Test
    void getShouldRefuseABadMonthOrThreadAndAnUnknownList() {
        given().get(ARCHIVE + "?month=2026-13").then().statusCode(400).body(containsString("month"));
        given().get(ARCHIVE + "?thread=x").then().statusCode(400).body(containsString("thread"));
        given().get("/lists/nobody@lists.example.org/archive").then().statusCode(404);
    }

    @Test
    void getOneShouldAnswerTheMessageOr404And410AfterATakedown() {
        String message = given().get(ARCHIVE + "/2").then().statusCode(200).contentType("message/rfc822").extract().asString();
        assertThat(message).contains("second zeppelin");
        given().get(ARCHIVE + "/3").then().statusCode(404);
        given().get(ARCHIVE + "/zero").then().statusCode(400);

        given().delete(ARCHIVE + "/1").then().statusCode(204);

        given().get(ARCHIVE + "/1").then().statusCode(410);
        given().delete(ARCHIVE + "/9").then().statusCode(404);
        given().get(ARCHIVE + "?thread=1").then().statusCode(200).body(containsString("\"deleted\":true"));
    }

    @Test
    void getMboxShouldWriteTheMonthAndLeaveTakenDownPostsOut() {
        listkeeper.stores.archive().delete(list.id(), 1);

        String mbox = given().get(ARCHIVE + "/2026-12.mbox").then().statusCode(200).contentType("application/mbox").extract().asString();

        assertThat(mbox).startsWith("From ann@example.net Tue Dec 1 09:00:00 2026\n").contains("second zeppelin")
            .doesNotContain("first body");
        given().get(ARCHIVE + "/2026-1.mbox").then().statusCode(400);
        assertThat(given().get(ARCHIVE + "/2025-01.mbox").then().statusCode(200).extract().asString()).isEmpty();
    }

    @Test
    void postShouldImportAnMboxAsATaskAndRefuseAnEmptyBodyOrABadAction() {
        byte[] mbox = ("From x@example.net Tue Dec  1 09:00:00 2026\n"
            + "From: Bob <bob@example.net>\nSubject: Imported\nMessage-ID: <imported@example.net>\n\nold\n\n")
            .getBytes(StandardCharsets.US_ASCII);
        String taskId = given().contentType("application/mbox").body(mbox)
            .post(ARCHIVE + "?action=import").then().statusCode(201).extract().jsonPath().getString("taskId");
        await().atMost(Duration.ofSeconds(30)).until(() -> listkeeper.taskManager.getExecutionDetails(
            org.apache.james.task.TaskId.fromString(taskId)).getStatus().isFinished());
        await().atMost(Duration.ofSeconds(30)).until(() -> listkeeper.stores.archive().hasMessage(list.id(),
            org.listkeeper.internal.MessageIds.key("<imported@example.net>")));

        given().contentType(ContentType.TEXT).body("").post(ARCHIVE + "?action=import").then().statusCode(400);
        given().contentType(ContentType.TEXT).body("x").post(ARCHIVE + "?action=export").then().statusCode(400)
            .body(containsString("action"));
        assertThat(taskId).isNotBlank();
    }
}
