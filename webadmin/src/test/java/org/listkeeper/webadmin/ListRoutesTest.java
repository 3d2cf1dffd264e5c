package org.listkeeper.webadmin;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.listkeeper.webadmin.InMemoryListkeeper.address;

import org.apache.james.core.Domain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.parking.ParkedPost;

import io.restassured.http.ContentType;

class ListRoutesTest {
    private InMemoryListkeeper listkeeper;

    @BeforeEach
    void setUp() {
        listkeeper = new InMemoryListkeeper();
        listkeeper.serve(listkeeper.listRoutes());
    }

    @AfterEach
    void tearDown() {
        listkeeper.close();
    }

    private static ListChanges displayName(String name) {
        return ListChanges.builder().set(Setting.DISPLAY_NAME, name).build();
    }

    // ---- lists

    @Test
    void getListsShouldListEveryListByAddressWithItsMemberCount() {
        MailingList beta = listkeeper.createList("beta@lists.example.org", displayName("Beta"));
        listkeeper.createList("alpha@lists.example.org", displayName("Alpha"));
        listkeeper.addMembers(beta, Member.of(address("a@member.example")), Member.of(address("b@member.example")),
            Member.builder(address("known@other.example")).role(Role.NONMEMBER).build());

        String body = when().get("/lists").then().statusCode(200).contentType(ContentType.JSON).extract().body().asString();

        assertThat(body).isEqualTo("[{\"address\":\"alpha@lists.example.org\",\"displayName\":\"Alpha\",\"members\":0},"
            + "{\"address\":\"beta@lists.example.org\",\"displayName\":\"Beta\",\"members\":2}]");
    }

    @Test
    void putListShouldCreateTheListAndAddItsDomainToJames() throws Exception {
        given().body("{\"displayName\":\"Fresh\"}").put("/lists/news@fresh.example").then().statusCode(204);

        assertThat(listkeeper.stores.lists().getList(address("news@fresh.example")).displayName()).isEqualTo("Fresh");
        assertThat(listkeeper.domainList.containsDomain(Domain.of("fresh.example"))).isTrue();
        assertThat(listkeeper.directory.isPostingAddress(address("news@fresh.example"))).isTrue();
    }

    @Test
    void putListShouldChangeOnlyTheGivenSettingsAndPutNullSettingsBackToTheirDefault() {
        listkeeper.createList("news@lists.example.org", ListChanges.builder().set(Setting.DISPLAY_NAME, "News")
            .set(Setting.SUBJECT_PREFIX, "[N]").set(Setting.MAX_RECIPIENTS, "3").build());

        given().body("{\"subjectPrefix\":\"[News]\",\"maxRecipients\":null}").put("/lists/news@lists.example.org").then().statusCode(204);

        MailingList list = listkeeper.stores.lists().getList(address("news@lists.example.org"));
        assertThat(list.displayName()).isEqualTo("News");
        assertThat(list.subjectPrefix()).isEqualTo("[News]");
        assertThat(list.maxRecipients()).isEqualTo(10);
        assertThat(list.setting(Setting.MAX_RECIPIENTS)).isEmpty();
    }

    @Test
    void putListShouldRefuseAModerationChainNamingAnUnknownRuleAndCreateNothing() {
        given().body("{\"moderationChain\":\"no-subject:hold,no-such-rule:hold\"}").put("/lists/news@lists.example.org").then()
            .statusCode(400)
            .body("statusCode", equalTo(400))
            .body("type", equalTo("InvalidArgument"))
            .body("message", containsString("no-such-rule"));

        assertThat(listkeeper.stores.lists().findList(address("news@lists.example.org"))).isEmpty();
    }

    @Test
    void putListShouldRefuseAnUnknownFieldNamingIt() {
        given().body("{\"colour\":\"red\"}").put("/lists/news@lists.example.org").then()
            .statusCode(400)
            .body("type", equalTo("InvalidArgument"))
            .body("message", equalTo("Invalid field 'colour': unknown; known fields are " + String.join(", ", RouteSupport.settingNames())));
    }

    @Test
    void putListShouldRefuseABodyThatIsNotJsonOrNotAnObject() {
        given().body("{\"displayName\":").put("/lists/news@lists.example.org").then()
            .statusCode(400).body("message", startsWith("Invalid JSON body '{\"displayName\":': not valid JSON"));
        given().body("[1]").put("/lists/news@lists.example.org").then()
            .statusCode(400).body("message", equalTo("Invalid JSON body '[1]': expected a JSON object"));
    }

    @Test
    void putListShouldRefuseAMalformedListAddressNamingIt() {
        given().body("{}").put("/lists/not-an-address").then()
            .statusCode(400).body("message", containsString("not-an-address"));
    }

    @Test
    void patchListShouldChangeOnlyTheNamedSettings() {
        listkeeper.createList("news@lists.example.org", displayName("News"));

        given().body("{\"subscriptionPolicy\":\"moderate\",\"privateRoster\":false,\"autoRepliesPerDay\":5}")
            .patch("/lists/news@lists.example.org").then().statusCode(204);

        MailingList list = listkeeper.stores.lists().getList(address("news@lists.example.org"));
        assertThat(list.displayName()).isEqualTo("News");
        assertThat(list.subscriptionPolicy().value()).isEqualTo("moderate");
        assertThat(list.privateRoster()).isFalse();
        assertThat(list.autoRepliesPerDay()).isEqualTo(5);
    }

    @Test
    void patchListShouldAnswer404ForAnUnknownListAndCreateNothing() {
        given().body("{\"privateRoster\":true}").patch("/lists/missing@lists.example.org").then()
            .statusCode(404)
            .body("statusCode", equalTo(404))
            .body("type", equalTo("notFound"))
            .body("message", startsWith("No such list: missing@lists.example.org"));

        assertThat(listkeeper.stores.lists().findList(address("missing@lists.example.org"))).isEmpty();
    }

    @Test
    void patchListShouldRefuseABadValueNamingTheFieldAndWriteNothing() {
        listkeeper.createList("news@lists.example.org", displayName("News"));

        given().body("{\"displayName\":\"Renamed\",\"subscriptionPolicy\":\"whoever\"}").patch("/lists/news@lists.example.org").then()
            .statusCode(400).body("message", containsString("subscriptionPolicy")).body("message", containsString("whoever"));
        given().body("{\"privateRoster\":\"maybe\"}").patch("/lists/news@lists.example.org").then()
            .statusCode(400).body("message", equalTo("Invalid privateRoster '\"maybe\"': expected true, false or null"));

        assertThat(listkeeper.stores.lists().getList(address("news@lists.example.org")).displayName()).isEqualTo("News");
    }

    @Test
    void getListShouldShowEverySettingInOrderWithTheMemberCount() {
        MailingList list = listkeeper.createList("news@lists.example.org", ListChanges.builder().set(Setting.DISPLAY_NAME, "News")
            .set(Setting.MODERATOR_PASSWORD, "long secret").set(Setting.BANNED_ADDRESSES, "spam@example.com\n^.*@junk\\.example$").build());
        listkeeper.addMembers(list, Member.of(address("a@member.example")));

        String body = when().get("/lists/news@lists.example.org").then().statusCode(200).contentType(ContentType.JSON)
            .extract().body().asString();

        assertThat(body).isEqualTo("{\"address\":\"news@lists.example.org\",\"listId\":\"news.lists.example.org\","
            + "\"displayName\":\"News\",\"description\":null,\"subjectPrefix\":\"[News]\","
            + "\"footer\":\"_______________________________________________\\n{{displayName}} mailing list -- {{listAddress}}\\n"
            + "To unsubscribe send an email to {{leaveAddress}}\",\"archiveUrl\":null,\"archivePolicy\":\"private\","
            + "\"subscriptionPolicy\":\"confirm\",\"unsubscriptionPolicy\":\"confirm\",\"privateRoster\":true,\"advertised\":true,\"autoRepliesPerDay\":10,"
            + "\"confirmationLifetime\":\"3d\",\"moderatorPassword\":true,\"emergency\":false,\"defaultMemberAction\":\"defer\","
            + "\"defaultNonmemberAction\":\"hold\",\"bannedAddresses\":[\"spam@example.com\",\"^.*@junk\\\\.example$\"],"
            + "\"acceptableAliases\":[],\"requireExplicitDestination\":true,\"maxRecipients\":10,\"maxMessageSize\":40,"
            + "\"administrivia\":true,\"suspiciousHeaders\":[],\"moderationChain\":\"" + org.listkeeper.moderation.ModerationChain.DEFAULT
            + "\",\"moderatorNotification\":\"immediate\",\"heldPostLifetime\":\"14d\",\"notifyHeldPoster\":true,"
            + "\"bounceScoreThreshold\":5,\"bounceWarnings\":3,\"bounceWarningInterval\":\"7d\",\"bounceProbeGrace\":\"2d\","
            + "\"bounceScoreDecay\":\"7d\",\"bounceFullDays\":3,\"bounceBlockMembers\":5,\"bounceBlockWindow\":\"1h\",\"delivery\":\"bulk\",\"verp\":\"probes\",\"dmarcMitigation\":\"none\","
            + "\"dmarcMitigateUnconditionally\":false,\"keepAuthorDkimSignature\":false,\"digestsEnabled\":true,\"digestSizeThreshold\":30,\"digestInterval\":\"1d\","
            + "\"digestHeader\":\"\",\"digestFooter\":\"_______________________________________________\\n{{displayName}} mailing list -- "
            + "{{listAddress}}\\nTo unsubscribe send an email to {{leaveAddress}}\",\"members\":1}");
    }

    @Test
    void getListShouldAnswer404ForAnUnknownList() {
        when().get("/lists/missing@lists.example.org").then()
            .statusCode(404).body("type", equalTo("notFound")).body("message", startsWith("No such list: missing@lists.example.org"));
    }

    @Test
    void deleteListShouldRemoveTheListAndAnswer204AlsoWhenItIsAlreadyGone() {
        listkeeper.createList("news@lists.example.org");
        listkeeper.directory.load();

        when().delete("/lists/news@lists.example.org").then().statusCode(204);
        when().delete("/lists/news@lists.example.org").then().statusCode(204);

        assertThat(listkeeper.stores.lists().findList(address("news@lists.example.org"))).isEmpty();
        assertThat(listkeeper.directory.isPostingAddress(address("news@lists.example.org"))).isFalse();
    }

    // ---- templates

    @Test
    void templatesShouldBeListedWithWhetherTheListHasItsOwnAndTheirVariables() {
        listkeeper.createList("news@lists.example.org");
        given().contentType(ContentType.TEXT).body("Subject: Hi\n\nHello {{address}}").put("/lists/news@lists.example.org/templates/welcome")
            .then().statusCode(204);

        when().get("/lists/news@lists.example.org/templates").then().statusCode(200)
            .body("find { it.name == 'welcome' }.custom", equalTo(true))
            .body("find { it.name == 'goodbye' }.custom", equalTo(false))
            .body("find { it.name == 'welcome' }.variables", org.hamcrest.Matchers.hasItem("address"));
        String all = when().get("/lists/news@lists.example.org/templates").then().extract().body().asString();
        assertThat(all).matches("\\[\\{\"name\":\"[a-z-]+\",\"custom\":(true|false),\"variables\":\\[\"[a-zA-Z]+\".*");
    }

    @Test
    void templateShouldBeTheDefaultTextUntilTheListSavesItsOwnAndAgainAfterADelete() {
        listkeeper.createList("news@lists.example.org");

        when().get("/lists/news@lists.example.org/templates/welcome").then().statusCode(200)
            .contentType(containsString("text/plain")).body(startsWith("Subject: Welcome"));
        given().contentType(ContentType.TEXT).body("Subject: Hi {{displayName}}\n\nHello {{address}}")
            .put("/lists/news@lists.example.org/templates/welcome").then().statusCode(204);
        assertThat(when().get("/lists/news@lists.example.org/templates/welcome").then().extract().body().asString())
            .isEqualTo("Subject: Hi {{displayName}}\n\nHello {{address}}");
        when().delete("/lists/news@lists.example.org/templates/welcome").then().statusCode(204);
        when().get("/lists/news@lists.example.org/templates/welcome").then().body(startsWith("Subject: Welcome"));
    }

    @Test
    void putTemplateShouldRefuseAnUnknownVariableOrAMissingSubjectLine() {
        listkeeper.createList("news@lists.example.org");

        given().contentType(ContentType.TEXT).body("Subject: x\n\n{{token}}").put("/lists/news@lists.example.org/templates/welcome")
            .then().statusCode(400).body("type", equalTo("InvalidArgument")).body("message", containsString("{{token}}"));
        given().contentType(ContentType.TEXT).body("Hello\n\nthere").put("/lists/news@lists.example.org/templates/welcome")
            .then().statusCode(400).body("message", containsString("Subject:"));
    }

    @Test
    void templateRoutesShouldAnswer404ForAnUnknownTemplateOrList() {
        listkeeper.createList("news@lists.example.org");

        when().get("/lists/news@lists.example.org/templates/goodnight").then()
            .statusCode(404).body("type", equalTo("notFound")).body("message", startsWith("No template 'goodnight'; known are "));
        when().get("/lists/missing@lists.example.org/templates/welcome").then().statusCode(404);
        when().get("/lists/missing@lists.example.org/templates").then().statusCode(404);
    }

    // ---- parked posts

    private void park(String id, String list) {
        listkeeper.parkedPosts.park(ParkedPost.of(id, list, "fan-out", "relay refused", "2026-12-01T08:00:00Z",
            "<" + id + "@example.org>", "Hello", "poster@example.org"));
    }

    @Test
    void parkedPostsShouldBeListedAndShownOneByOne() {
        park("p1", "news@lists.example.org");
        park("p2", "other@lists.example.org");

        String list = when().get("/lists/news@lists.example.org/parked").then().statusCode(200).extract().body().asString();
        String one = when().get("/lists/news@lists.example.org/parked/p1").then().statusCode(200).extract().body().asString();

        String p1 = "{\"id\":\"p1\",\"handler\":\"fan-out\",\"error\":\"relay refused\",\"parkedAt\":\"2026-12-01T08:00:00Z\","
            + "\"messageId\":\"<p1@example.org>\",\"subject\":\"Hello\",\"sender\":\"poster@example.org\"}";
        assertThat(list).isEqualTo("[" + p1 + "]");
        assertThat(one).isEqualTo(p1);
    }

    @Test
    void parkedPostShouldAnswer404WhenUnknownOrOfAnotherList() {
        park("p2", "other@lists.example.org");

        when().get("/lists/news@lists.example.org/parked/p2").then()
            .statusCode(404).body("message", equalTo("No parked post 'p2' of list news@lists.example.org"));
        when().post("/lists/news@lists.example.org/parked/p2?action=replay").then().statusCode(404);
    }

    @Test
    void parkedPostShouldBeReplayedOrDiscarded() {
        park("p1", "news@lists.example.org");
        park("p2", "news@lists.example.org");

        when().post("/lists/news@lists.example.org/parked/p1?action=replay").then().statusCode(204);
        when().post("/lists/news@lists.example.org/parked/p2?action=discard").then().statusCode(204);

        assertThat(listkeeper.parkedPosts.replayed).containsExactly("p1");
        assertThat(listkeeper.parkedPosts.list(address("news@lists.example.org"))).isEmpty();
    }

    @Test
    void parkedPostShouldRefuseAnUnknownActionNamingIt() {
        park("p1", "news@lists.example.org");

        when().post("/lists/news@lists.example.org/parked/p1?action=burn").then()
            .statusCode(400).body("message", equalTo("Invalid action 'burn': expected replay or discard"));
    }
}
