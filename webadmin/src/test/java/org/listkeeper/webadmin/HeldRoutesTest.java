package org.listkeeper.webadmin;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.listkeeper.webadmin.InMemoryListkeeper.address;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.moderation.HeldPost;

import io.restassured.http.ContentType;

class HeldRoutesTest {
    private static final String LIST = "news@lists.example.org";
    private static final String HELD = "/lists/" + LIST + "/held";

    private InMemoryListkeeper listkeeper;
    private MailingList list;

    @BeforeEach
    void setUp() {
        listkeeper = new InMemoryListkeeper();
        listkeeper.serve(listkeeper.heldRoutes());
        list = listkeeper.createList(LIST);
        listkeeper.addMembers(list, Member.builder(address("mod@member.example")).role(Role.MODERATOR).build());
    }

    @AfterEach
    void tearDown() {
        listkeeper.close();
    }

    /** Holds a post from {@code sender} as the moderation handler would. */
    private HeldPost hold(String name, String sender, String subject) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(("From: " + sender
            + "\r\nTo: " + LIST + "\r\nSubject: " + subject + "\r\nX-Tag: one\r\nX-Tag: two\r\n\r\nFirst line\r\nSecond line\r\n")
            .getBytes(StandardCharsets.US_ASCII)));
        listkeeper.moderation.hold(list, FakeMail.builder().name(name).sender(sender).recipient(LIST).mimeMessage(message).build(),
            name, "nonmember-moderation: " + sender + " is not a member");
        return listkeeper.stores.heldPosts().heldPosts(list.id(), InMemoryListkeeper.START.minusSeconds(1)).stream()
            .filter(post -> post.postKey().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void heldShouldListThePostsWaitingForAModeratorOldestFirst() throws Exception {
        HeldPost first = hold("post-1", "x@outside.example", "Hello");
        listkeeper.clock.advance(Duration.ofMinutes(5));
        HeldPost second = hold("post-2", "y@outside.example", "Again");
        hold("post-3", "z@outside.example", "Decided");
        listkeeper.moderation.decide(list, second.id() + 1, org.listkeeper.moderation.Moderation.Action.DISCARD, "mod",
            java.util.Optional.empty(), java.util.Optional.empty());

        String body = when().get(HELD).then().statusCode(200).contentType(ContentType.JSON).extract().body().asString();

        assertThat(body).isEqualTo("[{\"id\":" + first.id() + ",\"sender\":\"x@outside.example\",\"subject\":\"Hello\","
            + "\"reasons\":\"nonmember-moderation: x@outside.example is not a member\",\"heldAt\":\"2026-12-01T09:00:00Z\","
            + "\"expiresAt\":\"2026-12-15T09:00:00Z\",\"state\":\"held\"},"
            + "{\"id\":" + second.id() + ",\"sender\":\"y@outside.example\",\"subject\":\"Again\","
            + "\"reasons\":\"nonmember-moderation: y@outside.example is not a member\",\"heldAt\":\"2026-12-01T09:05:00Z\","
            + "\"expiresAt\":\"2026-12-15T09:05:00Z\",\"state\":\"held\"}]");
    }

    @Test
    void heldPostShouldShowItsHeadersAndText() throws Exception {
        HeldPost post = hold("post-1", "x@outside.example", "Hello");

        String body = given().get(HELD + "/" + post.id()).then().statusCode(200)
            .body("headers.Subject", equalTo(List.of("Hello")))
            .body("headers.X-Tag", equalTo(List.of("one", "two")))
            .extract().body().asString();

        assertThat(body).startsWith("{\"id\":" + post.id() + ",\"sender\":\"x@outside.example\",\"subject\":\"Hello\","
            + "\"reasons\":\"nonmember-moderation: x@outside.example is not a member\",\"heldAt\":\"2026-12-01T09:00:00Z\","
            + "\"expiresAt\":\"2026-12-15T09:00:00Z\",\"state\":\"held\",\"headers\":{");
        assertThat(body).endsWith("},\"text\":\"First line\\r\\nSecond line\\r\\n\"}");
    }

    @Test
    void heldPostShouldAnswer404WhenUnknownAnd400ForAnIdThatIsNotANumber() {
        when().get(HELD + "/424242").then()
            .statusCode(404).body("type", equalTo("notFound")).body("message", equalTo("No held post 424242 of list " + LIST));
        when().get(HELD + "/abc").then()
            .statusCode(400).body("message", equalTo("Invalid held post id 'abc': expected a number"));
        when().get("/lists/missing@lists.example.org/held").then().statusCode(404);
    }

    @Test
    void acceptShouldReleaseThePostAndAddTheSenderWhenAsked() throws Exception {
        HeldPost post = hold("post-1", "x@outside.example", "Hello");

        String body = given().post(HELD + "/" + post.id() + "?action=accept&addSender=nonmember&moderator=mo").then().statusCode(200)
            .contentType(ContentType.JSON).extract().body().asString();

        assertThat(body).isEqualTo("{\"outcome\":\"accepted\",\"message\":\"Held post " + post.id() + " accepted: it goes to the list\"}");
        assertThat(listkeeper.holdQueue.released()).contains("post-1");
        Member sender = listkeeper.stores.roster().findMember(list.id(), address("x@outside.example")).orElseThrow();
        assertThat(sender.role()).isEqualTo(Role.NONMEMBER);
        assertThat(sender.moderationAction()).contains(ModerationAction.ACCEPT);
        given().get(HELD).then().body("", hasSize(0));
    }

    @Test
    void rejectShouldDropThePostAndTellTheSenderWhy() throws Exception {
        HeldPost post = hold("post-1", "x@outside.example", "Hello");
        listkeeper.mailetContext.resetSentMails();

        given().queryParam("action", "reject").queryParam("reason", "Off topic").post(HELD + "/" + post.id()).then().statusCode(200)
            .body("outcome", equalTo("rejected"));

        assertThat(listkeeper.holdQueue.keys()).doesNotContain("post-1");
        assertThat(listkeeper.mailetContext.getSentMails()).hasSize(1);
        assertThat(listkeeper.mailetContext.getSentMails().get(0).getRecipients()).containsExactly(address("x@outside.example"));
        assertThat(listkeeper.mailetContext.getSentMails().get(0).getMsg().getContent().toString()).contains("Off topic");
    }

    @Test
    void deferShouldLeaveThePostHeld() throws Exception {
        HeldPost post = hold("post-1", "x@outside.example", "Hello");

        given().post(HELD + "/" + post.id() + "?action=defer").then().statusCode(200).body("outcome", equalTo("deferred"));

        assertThat(listkeeper.holdQueue.keys()).contains("post-1");
        given().get(HELD).then().body("id", equalTo(List.of((int) post.id())));
    }

    @Test
    void secondDecisionShouldAnswer409NamingTheFirstAndWhoMadeIt() throws Exception {
        HeldPost post = hold("post-1", "x@outside.example", "Hello");
        given().post(HELD + "/" + post.id() + "?action=discard&moderator=mo").then().statusCode(200).body("outcome", equalTo("discarded"));

        given().post(HELD + "/" + post.id() + "?action=accept").then()
            .statusCode(409).body("type", equalTo("WrongState"))
            .body("message", equalTo("Held post " + post.id() + " was already discarded by mo; nothing more to do"));

        assertThat(listkeeper.holdQueue.released()).doesNotContain("post-1");
        String decided = given().get(HELD + "/" + post.id()).then().statusCode(200).extract().body().asString();
        assertThat(decided).endsWith("\"state\":\"discarded\",\"decidedBy\":\"mo\"}");
    }

    @Test
    void decisionShouldRefuseAnUnknownActionOrAddSenderRoleAndAnswer404ForAnUnknownPost() throws Exception {
        HeldPost post = hold("post-1", "x@outside.example", "Hello");

        given().post(HELD + "/" + post.id() + "?action=approve").then()
            .statusCode(400).body("type", equalTo("InvalidArgument")).body("message", containsString("approve"));
        given().post(HELD + "/" + post.id() + "?action=accept&addSender=owner").then()
            .statusCode(400).body("message", equalTo("Invalid addSender 'owner': expected member or nonmember"));
        given().post(HELD + "/424242?action=accept").then()
            .statusCode(404).body("message", equalTo("No held post 424242 on " + LIST));

        assertThat(listkeeper.holdQueue.keys()).contains("post-1");
    }
}
