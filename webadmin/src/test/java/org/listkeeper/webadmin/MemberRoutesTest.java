package org.listkeeper.webadmin;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.listkeeper.webadmin.InMemoryListkeeper.address;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.james.json.DTOConverter;
import org.apache.james.webadmin.routes.TasksRoutes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.Requester;
import org.listkeeper.testing.FailingBounceRecords;
import org.listkeeper.webadmin.service.MemberImportDetailsDTO;

import io.restassured.http.ContentType;

class MemberRoutesTest {
    private static final String LIST = "news@lists.example.org";
    private static final String MEMBERS = "/lists/" + LIST + "/members";

    private InMemoryListkeeper listkeeper;
    private MailingList list;

    @BeforeEach
    void setUp() {
        listkeeper = new InMemoryListkeeper();
        start(listkeeper.memberRoutes());
        list = listkeeper.createList(LIST);
    }

    /** The routes with James's own task routes, for {@code GET /tasks/{id}} on imports. */
    private void start(MemberRoutes routes) {
        listkeeper.serve(routes, new TasksRoutes(listkeeper.taskManager, listkeeper.jsonTransformer,
            DTOConverter.of(MemberImportDetailsDTO.MODULE)));
    }

    /** Serves the routes again on bounce records that cannot be written, as when the database goes away mid-request. */
    private void restartWithFailingBounceRecords() {
        start(listkeeper.memberRoutes(new FailingBounceRecords(listkeeper.stores.bounces())));
    }

    @AfterEach
    void tearDown() {
        listkeeper.close();
    }

    private Optional<Member> member(String address) {
        return listkeeper.stores.roster().findMember(list.id(), address(address));
    }

    private BounceState bounces(String address) {
        return listkeeper.stores.bounces().bounceState(list.id(), address(address)).orElseThrow();
    }

    // ---- the roster

    @Test
    void membersShouldBeTheWholeRosterOrderedByAddressWithTheTotalInAHeader() {
        listkeeper.addMembers(list, Member.of(address("b@member.example"), "Bea", Role.MEMBER, Delivery.ENABLED),
            Member.builder(address("a@member.example")).role(Role.OWNER).delivery(Delivery.DISABLED).disabledBy(DisabledBy.BOUNCE)
                .moderationAction(ModerationAction.HOLD).build());

        String body = when().get(MEMBERS).then().statusCode(200).contentType(ContentType.JSON).header("X-Total-Count", "2")
            .extract().body().asString();

        assertThat(body).isEqualTo("[{\"address\":\"a@member.example\",\"role\":\"owner\",\"displayName\":null,\"delivery\":\"disabled\","
            + "\"disabledBy\":\"bounce\",\"digest\":\"none\",\"receiveOwnPosts\":true,\"hideAddress\":false,\"moderationAction\":\"hold\"},"
            + "{\"address\":\"b@member.example\",\"role\":\"member\",\"displayName\":\"Bea\",\"delivery\":\"enabled\","
            + "\"disabledBy\":null,\"digest\":\"none\",\"receiveOwnPosts\":true,\"hideAddress\":false,\"moderationAction\":null}]");
    }

    @Test
    void membersShouldBePagedAndFilteredByRole() {
        listkeeper.addMembers(list, Member.of(address("a@member.example")), Member.of(address("b@member.example")),
            Member.of(address("c@member.example")), Member.builder(address("boss@member.example")).role(Role.OWNER).build());

        given().queryParam("role", "member").queryParam("page", 2).queryParam("limit", 2).get(MEMBERS).then()
            .statusCode(200).header("X-Total-Count", "3")
            .body("address", equalTo(List.of("c@member.example")));
        given().queryParam("limit", 3).get(MEMBERS).then()
            .header("X-Total-Count", "4")
            .body("address", equalTo(List.of("a@member.example", "b@member.example", "boss@member.example")));
        given().queryParam("role", "owner").get(MEMBERS).then()
            .body("address", equalTo(List.of("boss@member.example")));
    }

    @Test
    void membersShouldRefuseABadRoleLimitOrFormatNamingIt() {
        given().queryParam("role", "king").get(MEMBERS).then()
            .statusCode(400).body("type", equalTo("InvalidArgument")).body("message", containsString("king"));
        given().queryParam("limit", 0).get(MEMBERS).then()
            .statusCode(400).body("message", equalTo("Invalid limit '0': expected a whole number from 1 to 10000"));
        given().queryParam("page", "x").get(MEMBERS).then()
            .statusCode(400).body("message", containsString("page"));
        given().queryParam("format", "xml").get(MEMBERS).then()
            .statusCode(400).body("message", equalTo("Invalid format 'xml': expected json or csv"));
    }

    @Test
    void membersShouldAnswer404ForAnUnknownList() {
        when().get("/lists/missing@lists.example.org/members").then()
            .statusCode(404).body("type", equalTo("notFound")).body("message", startsWith("No such list: missing@lists.example.org"));
    }

    @Test
    void membersAsCsvShouldHaveAHeaderLineWithTheExportColumnsAndOneLinePerEntry() {
        listkeeper.addMembers(list, Member.of(address("b@member.example"), "Bea, the second", Role.MEMBER, Delivery.ENABLED),
            Member.builder(address("a@member.example")).role(Role.MODERATOR).moderationAction(ModerationAction.ACCEPT).build(),
            Member.builder(address("known@other.example")).role(Role.NONMEMBER).build());

        String csv = given().queryParam("format", "csv").get(MEMBERS).then().statusCode(200)
            .contentType(startsWith("text/csv"))
            .header("Content-Disposition", "attachment; filename=\"news-members.csv\"")
            .extract().body().asString();
        String nonmembers = given().queryParam("format", "csv").queryParam("role", "nonmember").get(MEMBERS).then()
            .extract().body().asString();

        assertThat(csv).isEqualTo("address,displayName,role,delivery,disabledBy,digest,receiveOwnPosts,hideAddress,moderationAction\r\n"
            + "a@member.example,,moderator,enabled,,none,true,false,accept\r\n"
            + "b@member.example,\"Bea, the second\",member,enabled,,none,true,false,\r\n"
            + "known@other.example,,nonmember,enabled,,none,true,false,\r\n");
        assertThat(nonmembers).endsWith("moderationAction\r\nknown@other.example,,nonmember,enabled,,none,true,false,\r\n");
    }

    // ---- one member

    @Test
    void getMemberShouldShowItsOptionsAndBounceRecord() {
        listkeeper.addMembers(list, Member.of(address("a@member.example"), "Ann", Role.MEMBER, Delivery.ENABLED));
        listkeeper.stores.bounces().saveBounceState(list.id(), address("a@member.example"),
            BounceState.of(3, Instant.parse("2026-11-30T12:00:00Z"), 1, Instant.parse("2026-11-30T13:00:00Z")));
        listkeeper.stores.bounces().saveBounceDetail(list.id(), address("a@member.example"), org.listkeeper.bounces.BounceDetail.of(
            org.listkeeper.bounces.BounceClass.POLICY, "550 5.7.1 blocked", Instant.parse("2026-11-30T14:00:00Z"), 1,
            Instant.parse("2026-11-29T10:00:00Z")));

        String body = when().get(MEMBERS + "/a@member.example").then().statusCode(200).contentType(ContentType.JSON)
            .extract().body().asString();

        assertThat(body).isEqualTo("{\"address\":\"a@member.example\",\"role\":\"member\",\"displayName\":\"Ann\",\"delivery\":\"enabled\","
            + "\"disabledBy\":null,\"digest\":\"none\",\"receiveOwnPosts\":true,\"hideAddress\":false,\"moderationAction\":null,"
            + "\"bounceScore\":3,\"lastBounceAt\":\"2026-11-30T12:00:00Z\",\"bounceWarnings\":1,"
            + "\"lastBounce\":{\"class\":\"policy\",\"reply\":\"550 5.7.1 blocked\",\"at\":\"2026-11-30T14:00:00Z\"},\"fullDays\":1}");
    }

    // ---- bounces by class, block events

    @Test
    void bouncesShouldSummariseByClassAndDomainAndListBlockEventsWhichAnOwnerCanClose() {
        Instant now = Instant.now();
        org.listkeeper.bounces.BounceRecords records = listkeeper.stores.bounces();
        for (int i = 0; i < 3; i++) {
            records.logBounce(list.id(), "mail-" + i, new org.listkeeper.bounces.BounceLogEntry(now, address("m" + i + "@gmail.example"),
                org.listkeeper.bounces.BounceClass.POLICY, false, "550 5.7.1 blocked"));
        }
        records.logBounce(list.id(), "mail-9", new org.listkeeper.bounces.BounceLogEntry(now, address("gone@other.example"),
            org.listkeeper.bounces.BounceClass.MAILBOX, true, "550 5.1.1 no such user"));
        records.logBounce(list.id(), "mail-old", new org.listkeeper.bounces.BounceLogEntry(now.minus(java.time.Duration.ofDays(3)),
            address("gone@other.example"), org.listkeeper.bounces.BounceClass.MAILBOX, true, "550 5.1.1 no such user"));
        long id = records.openBlock(list.id(), "gmail.example", now.minusSeconds(60), now, "550 5.7.1 blocked").orElseThrow().id();

        when().get("/lists/" + LIST + "/bounces?since=1d").then().statusCode(200)
            .body("classes.policy.received", equalTo(3)).body("classes.policy.scored", equalTo(0))
            .body("classes.policy.notScored", equalTo(3))
            .body("classes.mailbox.received", equalTo(1)).body("classes.mailbox.scored", equalTo(1))
            .body("classes.full.received", equalTo(0))
            .body("domains[0].domain", equalTo("gmail.example")).body("domains[0].class", equalTo("policy"))
            .body("blocks[0].id", equalTo((int) id)).body("blocks[0].open", equalTo(true)).body("blocks[0].members", equalTo(3))
            .body("blocks[0].reply", equalTo("550 5.7.1 blocked"));
        when().get("/lists/" + LIST + "/bounces").then().statusCode(200).body("classes.mailbox.received", equalTo(2));
        when().get("/lists/" + LIST + "/bounces?since=yesterday").then().statusCode(400);

        when().delete("/lists/" + LIST + "/bounces/blocks/" + id).then().statusCode(204);
        when().delete("/lists/" + LIST + "/bounces/blocks/" + id).then().statusCode(404);
        when().delete("/lists/" + LIST + "/bounces/blocks/x").then().statusCode(400);
        when().get("/lists/" + LIST + "/bounces").then().statusCode(200).body("blocks[0].open", equalTo(false))
            .body("blocks[0].closedBy", equalTo("owner"));
    }

    @Test
    void getMemberShouldAnswer404WhenTheAddressIsNotOnTheRosterOrTheListIsUnknown() {
        when().get(MEMBERS + "/nobody@member.example").then()
            .statusCode(404).body("type", equalTo("notFound"))
            .body("message", equalTo("nobody@member.example is not on the roster of " + LIST));
        when().get("/lists/missing@lists.example.org/members/a@member.example").then().statusCode(404);
    }

    @Test
    void putMemberShouldAddTheAddressWithTheGivenOptions() {
        given().body("{\"role\":\"moderator\",\"displayName\":\"Mo\",\"digest\":\"mime\",\"moderationAction\":\"accept\"}")
            .put(MEMBERS + "/mo@member.example").then().statusCode(204);
        given().body("").put(MEMBERS + "/plain@member.example").then().statusCode(204);

        Member mo = member("mo@member.example").orElseThrow();
        assertThat(mo.role()).isEqualTo(Role.MODERATOR);
        assertThat(mo.displayName()).contains("Mo");
        assertThat(mo.digest().value()).isEqualTo("mime");
        assertThat(mo.moderationAction()).contains(ModerationAction.ACCEPT);
        assertThat(member("plain@member.example")).contains(Member.of(address("plain@member.example")));
    }

    @Test
    void putMemberShouldKeepTheOptionsTheBodyDoesNotName() {
        listkeeper.addMembers(list, Member.of(address("a@member.example"), "Ann", Role.OWNER, Delivery.ENABLED));

        given().body("{\"hideAddress\":true}").put(MEMBERS + "/a@member.example").then().statusCode(204);

        Member a = member("a@member.example").orElseThrow();
        assertThat(a.role()).isEqualTo(Role.OWNER);
        assertThat(a.displayName()).contains("Ann");
        assertThat(a.hideAddress()).isTrue();
    }

    @Test
    void putMemberShouldResetTheBounceRecordWithBounceScoreZeroAndRefuseAnyOtherScore() {
        listkeeper.addMembers(list, Member.of(address("a@member.example")));
        listkeeper.stores.bounces().saveBounceState(list.id(), address("a@member.example"),
            BounceState.of(4, Instant.parse("2026-11-30T12:00:00Z"), 2, Instant.parse("2026-11-30T13:00:00Z")));

        given().body("{\"bounceScore\":2}").put(MEMBERS + "/a@member.example").then()
            .statusCode(400).body("message", equalTo("Invalid bounceScore '2': can only be reset to 0"));
        assertThat(bounces("a@member.example").score()).isEqualTo(4);

        given().body("{\"bounceScore\":0}").put(MEMBERS + "/a@member.example").then().statusCode(204);
        assertThat(bounces("a@member.example")).isEqualTo(BounceState.clean());
    }

    @Test
    void putMemberShouldRefuseAnUnknownFieldABadValueOrABadAddressAndWriteNothing() {
        given().body("{\"colour\":\"red\"}").put(MEMBERS + "/a@member.example").then()
            .statusCode(400).body("message", startsWith("Invalid field 'colour': unknown; known fields are "));
        given().body("{\"role\":\"king\"}").put(MEMBERS + "/a@member.example").then()
            .statusCode(400).body("message", containsString("role")).body("message", containsString("king"));
        given().body("{\"hideAddress\":\"yes\"}").put(MEMBERS + "/a@member.example").then()
            .statusCode(400).body("message", equalTo("Invalid hideAddress '\"yes\"': expected true or false"));
        given().body("{\"displayName\":3}").put(MEMBERS + "/a@member.example").then()
            .statusCode(400).body("message", equalTo("Invalid displayName '3': expected a string or null"));
        given().body("").put(MEMBERS + "/not-an-address").then()
            .statusCode(400).body("message", containsString("not-an-address"));

        assertThat(listkeeper.stores.roster().members(list.id())).isEmpty();
    }

    @Test
    void putMemberShouldAnswer404ForAnUnknownList() {
        given().body("{}").put("/lists/missing@lists.example.org/members/a@member.example").then()
            .statusCode(404).body("message", startsWith("No such list: missing@lists.example.org"));
    }

    @Test
    void patchMemberShouldChangeOnlyTheNamedOptions() {
        listkeeper.addMembers(list, Member.of(address("a@member.example"), "Ann", Role.MEMBER, Delivery.ENABLED));

        given().body("{\"delivery\":\"disabled\",\"digest\":\"mime\",\"receiveOwnPosts\":false,\"hideAddress\":true}")
            .patch(MEMBERS + "/a@member.example").then().statusCode(204);

        given().get(MEMBERS + "/a@member.example").then()
            .body("displayName", equalTo("Ann"))
            .body("delivery", equalTo("disabled"))
            .body("disabledBy", equalTo("admin"))
            .body("digest", equalTo("mime"))
            .body("receiveOwnPosts", equalTo(false))
            .body("hideAddress", equalTo(true));
    }

    @Test
    void patchMemberShouldClearTheDisplayNameAndModerationActionWithNull() {
        listkeeper.addMembers(list, Member.builder(address("a@member.example")).displayName("Ann")
            .moderationAction(ModerationAction.HOLD).build());

        given().body("{\"displayName\":null,\"moderationAction\":null}").patch(MEMBERS + "/a@member.example").then().statusCode(204);

        Member a = member("a@member.example").orElseThrow();
        assertThat(a.displayName()).isEmpty();
        assertThat(a.moderationAction()).isEmpty();
    }

    @Test
    void patchMemberShouldResetTheBounceScoreAndWarningsWithBounceScoreZero() {
        listkeeper.addMembers(list, Member.builder(address("a@member.example")).delivery(Delivery.DISABLED)
            .disabledBy(DisabledBy.BOUNCE).build());
        listkeeper.stores.bounces().saveBounceState(list.id(), address("a@member.example"),
            BounceState.of(6, Instant.parse("2026-11-30T12:00:00Z"), 2, Instant.parse("2026-11-30T13:00:00Z")));

        given().body("{\"bounceScore\":0,\"delivery\":\"enabled\"}").patch(MEMBERS + "/a@member.example").then().statusCode(204);

        assertThat(bounces("a@member.example")).isEqualTo(BounceState.clean());
        assertThat(member("a@member.example").orElseThrow().delivery()).isEqualTo(Delivery.ENABLED);
        given().get(MEMBERS + "/a@member.example").then()
            .body("bounceScore", equalTo(0)).body("lastBounceAt", equalTo(null)).body("bounceWarnings", equalTo(0));
    }

    @Test
    void putMemberShouldKeepNeitherTheMemberNorItsBounceRecordWhenTheBounceRecordCannotBeWritten() {
        listkeeper.addMembers(list, Member.of(address("a@member.example"), "Ann", Role.MEMBER, Delivery.ENABLED));
        BounceState before = BounceState.of(4, Instant.parse("2026-11-30T12:00:00Z"), 2, Instant.parse("2026-11-30T13:00:00Z"));
        listkeeper.stores.bounces().saveBounceState(list.id(), address("a@member.example"), before);
        restartWithFailingBounceRecords();

        given().body("{\"displayName\":\"Anna\",\"bounceScore\":0}").put(MEMBERS + "/a@member.example").then().statusCode(500);
        given().body("{\"bounceScore\":0}").put(MEMBERS + "/new@member.example").then().statusCode(500);

        assertThat(member("a@member.example").orElseThrow().displayName()).contains("Ann");
        assertThat(bounces("a@member.example")).isEqualTo(before);
        assertThat(member("new@member.example")).isEmpty();
    }

    @Test
    void patchMemberShouldKeepNeitherTheMemberNorItsBounceRecordWhenTheBounceRecordCannotBeWritten() {
        listkeeper.addMembers(list, Member.builder(address("a@member.example")).delivery(Delivery.DISABLED)
            .disabledBy(DisabledBy.BOUNCE).build());
        BounceState before = BounceState.of(6, Instant.parse("2026-11-30T12:00:00Z"), 2, Instant.parse("2026-11-30T13:00:00Z"));
        listkeeper.stores.bounces().saveBounceState(list.id(), address("a@member.example"), before);
        restartWithFailingBounceRecords();

        given().body("{\"delivery\":\"enabled\",\"bounceScore\":0}").patch(MEMBERS + "/a@member.example").then().statusCode(500);

        Member a = member("a@member.example").orElseThrow();
        assertThat(a.delivery()).isEqualTo(Delivery.DISABLED);
        assertThat(a.disabledBy()).contains(DisabledBy.BOUNCE);
        assertThat(bounces("a@member.example")).isEqualTo(before);
    }

    @Test
    void patchMemberShouldAnswer404WhenTheAddressIsNotOnTheRosterAndAddNobody() {
        given().body("{\"digest\":\"mime\"}").patch(MEMBERS + "/nobody@member.example").then()
            .statusCode(404).body("type", equalTo("notFound"))
            .body("message", equalTo("nobody@member.example is not on the roster of " + LIST));

        assertThat(member("nobody@member.example")).isEmpty();
    }

    @Test
    void patchMemberShouldRefuseABadValueNamingItAndChangeNothing() {
        listkeeper.addMembers(list, Member.of(address("a@member.example"), "Ann", Role.MEMBER, Delivery.ENABLED));

        given().body("{\"displayName\":\"Anna\",\"digest\":\"weekly\"}").patch(MEMBERS + "/a@member.example").then()
            .statusCode(400).body("message", containsString("digest")).body("message", containsString("weekly"));

        assertThat(member("a@member.example").orElseThrow().displayName()).contains("Ann");
    }

    @Test
    void deleteMemberShouldRemoveTheEntryAndAnswer204AlsoWhenItIsNotThere() {
        listkeeper.addMembers(list, Member.of(address("a@member.example")));

        when().delete(MEMBERS + "/a@member.example").then().statusCode(204);
        when().delete(MEMBERS + "/a@member.example").then().statusCode(204);

        assertThat(member("a@member.example")).isEmpty();
    }

    @Test
    void deleteUnsubscribeTokenShouldMakeTheLinksAlreadySentStopWorking() {
        listkeeper.addMembers(list, Member.of(address("a@member.example")));
        String token = listkeeper.stores.unsubscribeTokens().unsubscribeTokens(list.id(), List.of(address("a@member.example")),
            listkeeper.clock.instant()).values().iterator().next();

        when().delete(MEMBERS + "/a@member.example/unsubscribe-token").then().statusCode(204);

        assertThat(listkeeper.stores.unsubscribeTokens().unsubscribeTarget(token)).isEmpty();
        assertThat(member("a@member.example")).isPresent();
    }

    @Test
    void deleteUnsubscribeTokenShouldAnswer404WhenTheAddressIsNotOnTheRoster() {
        when().delete(MEMBERS + "/nobody@member.example/unsubscribe-token").then()
            .statusCode(404).body("message", equalTo("nobody@member.example is not on the roster of " + LIST));
    }

    // ---- imports

    private String awaitTask(String taskId) {
        return given().queryParam("timeout", "10s").get("/tasks/" + taskId + "/await").then().statusCode(200)
            .body("status", equalTo("completed")).extract().body().asString();
    }

    @Test
    void importOfCsvShouldAddNewAddressesSkipKnownOnesAndReportRefusedLinesInTheTask() {
        listkeeper.addMembers(list, Member.of(address("known@member.example"), "Known", Role.MEMBER, Delivery.ENABLED));
        String csv = "address,displayName,role\nnew@member.example,New,member\nknown@member.example,Changed,owner\n"
            + "not-an-address,X,member\nmod@member.example,,moderator\n";

        String taskId = given().contentType("text/csv").body(csv).queryParam("action", "import").post(MEMBERS).then()
            .statusCode(201).body("taskId", notNullValue()).extract().path("taskId");

        given().queryParam("timeout", "10s").get("/tasks/" + taskId + "/await").then().statusCode(200)
            .body("status", equalTo("completed"))
            .body("type", equalTo("listkeeper-member-import"))
            .body("additionalInformation.list", equalTo(LIST))
            .body("additionalInformation.total", equalTo(4))
            .body("additionalInformation.processed", equalTo(4))
            .body("additionalInformation.added", equalTo(2))
            .body("additionalInformation.confirmationsSent", equalTo(0))
            .body("additionalInformation.skipped", equalTo(1))
            .body("additionalInformation.invalid", equalTo(1))
            .body("additionalInformation.errors", hasSize(1))
            .body("additionalInformation.errors[0].line", equalTo(4))
            .body("additionalInformation.errors[0].error", containsString("not-an-address"));
        assertThat(member("new@member.example").orElseThrow().displayName()).contains("New");
        assertThat(member("mod@member.example").orElseThrow().role()).isEqualTo(Role.MODERATOR);
        assertThat(member("known@member.example").orElseThrow().displayName()).contains("Known");
    }

    @Test
    void importOfCsvWithoutAHeaderShouldReadAddressDisplayNameAndRole() {
        String taskId = given().contentType("text/csv").body("a@member.example,Ann\nb@member.example,,owner\n")
            .queryParam("action", "import").post(MEMBERS).then().statusCode(201).extract().path("taskId");

        assertThat(awaitTask(taskId)).contains("\"added\":2");
        assertThat(member("a@member.example").orElseThrow().displayName()).contains("Ann");
        assertThat(member("b@member.example").orElseThrow().role()).isEqualTo(Role.OWNER);
    }

    @Test
    void importOfJsonShouldTakeMemberObjectsAndPlainAddresses() {
        String taskId = given().body("[{\"address\":\"a@member.example\",\"digest\":\"mime\"},\"b@member.example\"]")
            .queryParam("action", "import").post(MEMBERS).then().statusCode(201).extract().path("taskId");

        assertThat(awaitTask(taskId)).contains("\"added\":2");
        assertThat(member("a@member.example").orElseThrow().digest().value()).isEqualTo("mime");
        assertThat(member("b@member.example")).isPresent();
    }

    @Test
    void importWithConfirmationShouldAskEachNewAddressInsteadOfAddingIt() {
        String taskId = given().contentType("text/csv").body("a@member.example\nb@member.example\n")
            .queryParam("action", "import").queryParam("confirm", "true").post(MEMBERS).then().statusCode(201).extract().path("taskId");

        assertThat(awaitTask(taskId)).contains("\"confirmationsSent\":2").contains("\"added\":0");
        assertThat(member("a@member.example")).isEmpty();
        assertThat(listkeeper.mailetContext.getSentMails()).extracting(mail -> mail.getRecipients().iterator().next().asString())
            .containsExactlyInAnyOrder("a@member.example", "b@member.example");
    }

    @Test
    void importShouldRefuseABodyWithAnUnknownColumnOrNoRowsBeforeAnyTaskStarts() {
        given().contentType("text/csv").body("address,colour\na@member.example,red\n").queryParam("action", "import").post(MEMBERS)
            .then().statusCode(400).body("message", startsWith("Invalid CSV column 'colour': unknown; known are address,"));
        given().contentType("text/csv").body("").queryParam("action", "import").post(MEMBERS)
            .then().statusCode(400).body("message", containsString("no member rows to import"));
        given().body("{\"address\":\"a@member.example\"}").queryParam("action", "import").post(MEMBERS)
            .then().statusCode(400).body("message", containsString("expected an array of members"));

        assertThat(listkeeper.taskManager.list()).isEmpty();
        assertThat(listkeeper.stores.roster().members(list.id())).isEmpty();
    }

    @Test
    void importShouldRefuseAnUnknownActionOrConfirmValueAndAnUnknownList() {
        given().contentType("text/csv").body("a@member.example").queryParam("action", "merge").post(MEMBERS)
            .then().statusCode(400).body("message", equalTo("Invalid action 'merge': expected import"));
        given().contentType("text/csv").body("a@member.example").queryParam("action", "import").queryParam("confirm", "maybe")
            .post(MEMBERS).then().statusCode(400).body("message", equalTo("Invalid confirm 'maybe': expected true or false"));
        given().contentType("text/csv").body("a@member.example").queryParam("action", "import")
            .post("/lists/missing@lists.example.org/members").then().statusCode(404);
    }

    // ---- requests

    private PendingRequest requestToJoin(MailingList moderated, String address) {
        return listkeeper.membership.join(moderated, Member.of(address(address)), Requester.address(address(address))).request().orElseThrow();
    }

    private MailingList moderatedList() {
        return listkeeper.stores.lists().saveList(address(LIST), ListChanges.builder().set(Setting.SUBSCRIPTION_POLICY, "moderate").build());
    }

    @Test
    void requestsShouldListOpenRequestsOldestFirst() {
        MailingList moderated = moderatedList();
        PendingRequest ivy = requestToJoin(moderated, "ivy@applicant.example");
        listkeeper.clock.advance(Duration.ofMinutes(1));
        requestToJoin(moderated, "jo@applicant.example");

        String body = when().get("/lists/" + LIST + "/requests").then().statusCode(200).extract().body().asString();

        assertThat(body).startsWith("[{\"id\":" + ivy.id() + ",\"action\":\"subscribe\",\"address\":\"ivy@applicant.example\","
            + "\"displayName\":null,\"state\":\"approving\",\"requestedBy\":\"ivy@applicant.example\","
            + "\"createdAt\":\"2026-12-01T09:00:00Z\",\"expiresAt\":\"2026-12-04T09:00:00Z\",\"decidedBy\":null},{");
        given().get("/lists/" + LIST + "/requests").then().body("address", equalTo(List.of("ivy@applicant.example", "jo@applicant.example")));
    }

    @Test
    void approveShouldAddTheAddressWelcomeItAndAnswerTheDecidedRequest() {
        PendingRequest ivy = requestToJoin(moderatedList(), "ivy@applicant.example");

        String body = given().post("/lists/" + LIST + "/requests/" + ivy.id() + "?action=approve").then().statusCode(200)
            .contentType(ContentType.JSON).extract().body().asString();

        assertThat(body).startsWith("{\"outcome\":\"approved\",\"message\":\"");
        assertThat(body).contains("\",\"request\":{\"id\":" + ivy.id() + ",\"action\":\"subscribe\",");
        assertThat(body).endsWith("\"state\":\"done\",\"requestedBy\":\"ivy@applicant.example\",\"createdAt\":\"2026-12-01T09:00:00Z\","
            + "\"expiresAt\":\"2026-12-04T09:00:00Z\",\"decidedBy\":\"admin\"}}");
        assertThat(member("ivy@applicant.example")).isPresent();
        assertThat(listkeeper.mailetContext.getSentMails()).extracting(mail -> mail.getRecipients().iterator().next().asString())
            .contains("ivy@applicant.example");
        given().get("/lists/" + LIST + "/requests").then().body("", hasSize(0));
    }

    @Test
    void secondDecisionShouldAnswer409NamingWhoDecided() {
        PendingRequest ivy = requestToJoin(moderatedList(), "ivy@applicant.example");
        given().post("/lists/" + LIST + "/requests/" + ivy.id() + "?action=reject&reason=spam").then().statusCode(200)
            .body("outcome", equalTo("rejected"));

        given().post("/lists/" + LIST + "/requests/" + ivy.id() + "?action=approve").then()
            .statusCode(409).body("type", equalTo("WrongState")).body("message", containsString("already handled by admin"));

        assertThat(member("ivy@applicant.example")).isEmpty();
    }

    @Test
    void decisionOnAnExpiredRequestShouldAnswer409() {
        PendingRequest ivy = requestToJoin(moderatedList(), "ivy@applicant.example");
        listkeeper.clock.advance(Duration.ofDays(4));

        given().post("/lists/" + LIST + "/requests/" + ivy.id() + "?action=approve").then()
            .statusCode(409).body("type", equalTo("WrongState")).body("message", containsString("expired"));
    }

    @Test
    void decisionShouldAnswer404ForAnUnknownRequestAnd400ForABadIdOrAction() {
        PendingRequest ivy = requestToJoin(moderatedList(), "ivy@applicant.example");

        given().post("/lists/" + LIST + "/requests/999999?action=approve").then()
            .statusCode(404).body("message", equalTo("No request 999999 on " + LIST));
        given().post("/lists/" + LIST + "/requests/abc?action=approve").then()
            .statusCode(400).body("message", equalTo("Invalid request id 'abc': expected a number"));
        given().post("/lists/" + LIST + "/requests/" + ivy.id() + "?action=maybe").then()
            .statusCode(400).body("message", equalTo("Invalid action 'maybe': expected approve or reject"));
    }
}
