package org.listkeeper.webadmin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.digest.DigestEntry;
import org.listkeeper.list.MailingList;

class DigestRoutesTest {
    private static final String LIST = "news@lists.example.org";
    private static final String DIGEST = "/lists/" + LIST + "/digest";

    private InMemoryListkeeper listkeeper;
    private MailingList list;

    @BeforeEach
    void setUp() throws Exception {
        listkeeper = new InMemoryListkeeper();
        listkeeper.serve(listkeeper.digestRoutes());
        list = listkeeper.createList(LIST);
    }

    @AfterEach
    void tearDown() {
        listkeeper.close();
    }

    private void gather(long number) {
        byte[] message = ("Subject: post " + number + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        listkeeper.stores.digests().add(list.id(), DigestEntry.of(number, "post " + number, "Ann", listkeeper.clock.instant(), message),
            OptionalLong.empty(), listkeeper.clock.instant());
    }

    @Test
    void getShouldShowNoOpenIssueBeforeTheFirstPost() {
        given().get(DIGEST).then().statusCode(200)
            .body(equalTo("{\"digestsEnabled\":true,\"open\":null,\"recent\":[]}"));
    }

    @Test
    void getShouldShowTheOpenIssueWithItsPostsAndSize() {
        gather(1);
        gather(2);

        given().get(DIGEST).then().statusCode(200)
            .body(containsString("\"open\":{\"volume\":1,\"number\":1,\"state\":\"open\",\"posts\":2,\"size\":50,"
                + "\"openedAt\":\"2026-12-01T09:00:00Z\"}"));
    }

    @Test
    void sendShouldCloseTheOpenIssueAndHandItToDelivery() {
        gather(1);

        given().post(DIGEST + "?action=send").then().statusCode(202)
            .body(containsString("\"volume\":1,\"number\":1,\"state\":\"closed\",\"posts\":1"));

        assertThat(listkeeper.dispatchedDigests).singleElement().satisfies(issue -> assertThat(issue.number()).isEqualTo(1));
        given().get(DIGEST).then().statusCode(200).body(containsString("\"open\":null"))
            .body(containsString("\"state\":\"sending\""));
    }

    @Test
    void sendShouldAnswerNoContentWhenTheIssueHasNoPost() {
        given().post(DIGEST + "?action=send").then().statusCode(204);

        assertThat(listkeeper.dispatchedDigests).isEmpty();
    }

    @Test
    void sendShouldRefuseAnotherAction() {
        given().post(DIGEST + "?action=publish").then().statusCode(400).body(containsString("expected send"));
    }

    @Test
    void routesShouldAnswerNotFoundForAnUnknownList() {
        given().get("/lists/nobody@lists.example.org/digest").then().statusCode(404);
        given().post("/lists/nobody@lists.example.org/digest?action=send").then().statusCode(404);
    }
}
