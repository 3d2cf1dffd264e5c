package org.listkeeper.webadmin;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.listkeeper.webadmin.InMemoryListkeeper.address;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;


class UnsubscribeRoutesTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String NOTHING = "There is nothing to unsubscribe with this link";
    private static final String DONE = "Done: the address this link was sent to receives no more mail";

    private InMemoryListkeeper listkeeper;
    private MailingList list;

    @BeforeEach
    void setUp() {
        listkeeper = new InMemoryListkeeper();
        listkeeper.serve(listkeeper.unsubscribeRoutes());
        list = listkeeper.createList("news@lists.example.org", ListChanges.builder().set(Setting.DISPLAY_NAME, "News & <Views>").build());
    }

    @AfterEach
    void tearDown() {
        listkeeper.close();
    }

    private String tokenOf(Member member) {
        listkeeper.addMembers(list, member);
        return listkeeper.stores.unsubscribeTokens().unsubscribeTokens(list.id(), List.of(member.address()), listkeeper.clock.instant())
            .values().iterator().next();
    }

    @Test
    void getShouldShowAPageNamingTheListWithAButtonAndUnsubscribeNobody() {
        String token = tokenOf(Member.of(address("a@member.example")));

        when().get("/unsubscribe/" + token).then().statusCode(200)
            .contentType(containsString("text/html"))
            .header("Cache-Control", "no-store")
            .header("X-Robots-Tag", "noindex, nofollow")
            .body(containsString("News &amp; &lt;Views&gt;"))
            .body(containsString("<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"))
            .body(not(containsString("a@member.example")));

        assertThat(listkeeper.stores.roster().findMember(list.id(), address("a@member.example"))).isPresent();
    }

    @Test
    void postOfTheOneClickFieldShouldUnsubscribeTheMemberAndSendTheGoodbye() {
        String token = tokenOf(Member.of(address("a@member.example")));

        given().contentType(FORM).body("List-Unsubscribe=One-Click").post("/unsubscribe/" + token).then()
            .statusCode(200).body(containsString(DONE));

        assertThat(listkeeper.stores.roster().findMember(list.id(), address("a@member.example"))).isEmpty();
        assertThat(listkeeper.mailetContext.getSentMails()).hasSize(1);
        assertThat(listkeeper.mailetContext.getSentMails().get(0).getRecipients()).containsExactly(address("a@member.example"));
    }

    @Test
    void postForAnOwnerShouldOnlyStopItsDeliveryWithoutANotice() {
        String token = tokenOf(Member.builder(address("boss@member.example")).role(Role.OWNER).build());

        given().contentType(FORM).body("List-Unsubscribe=One-Click").post("/unsubscribe/" + token).then().statusCode(200);

        Member owner = listkeeper.stores.roster().findMember(list.id(), address("boss@member.example")).orElseThrow();
        assertThat(owner.role()).isEqualTo(Role.OWNER);
        assertThat(owner.delivery()).isEqualTo(Delivery.DISABLED);
        assertThat(owner.disabledBy()).contains(DisabledBy.USER);
        assertThat(listkeeper.mailetContext.getSentMails()).isEmpty();
    }

    @Test
    void postWithoutTheFieldInTheBodyShouldAnswer400AndChangeNothing() {
        String token = tokenOf(Member.of(address("a@member.example")));

        given().contentType(FORM).body("").post("/unsubscribe/" + token + "?List-Unsubscribe=One-Click").then().statusCode(400);
        given().contentType(FORM).body("List-Unsubscribe=Yes").post("/unsubscribe/" + token).then().statusCode(400);

        assertThat(listkeeper.stores.roster().findMember(list.id(), address("a@member.example"))).isPresent();
    }

    @Test
    void aUsedUnknownOrMalformedTokenShouldGetTheAnswerAnyOtherGets() {
        String token = tokenOf(Member.of(address("a@member.example")));
        given().contentType(FORM).body("List-Unsubscribe=One-Click").post("/unsubscribe/" + token).then().statusCode(200);

        String used = given().contentType(FORM).body("List-Unsubscribe=One-Click").post("/unsubscribe/" + token).then()
            .statusCode(200).extract().body().asString();
        String malformed = given().contentType(FORM).body("List-Unsubscribe=One-Click").post("/unsubscribe/x").then()
            .statusCode(200).extract().body().asString();

        assertThat(used).isEqualTo(malformed).contains(DONE);
        when().get("/unsubscribe/" + token).then().statusCode(200).body(containsString(NOTHING));
        when().get("/unsubscribe/x").then().statusCode(200).body(containsString(NOTHING));
        assertThat(listkeeper.mailetContext.getSentMails()).hasSize(1);
    }
}
