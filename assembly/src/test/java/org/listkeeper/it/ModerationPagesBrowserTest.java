package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The moderators' page in a real browser: a held post accepted there reaches the members once, and of two moderators
 * accepting one post at the same moment in two browsers, one decides and the other is told who did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModerationPagesBrowserTest {
    private static final String LIST = "held@lists.example.org";

    @RegisterExtension
    static ListkeeperServer server = ListkeeperServer.builder().publicWebPages().build();

    private final Set<String> linksUsed = new HashSet<>();
    private Browser first;
    private Browser second;

    @BeforeAll
    void setUp() throws Exception {
        server.createList(LIST, "{\"displayName\":\"Held list\",\"defaultNonmemberAction\":\"hold\",\"notifyHeldPoster\":false}",
            "reader@example.net");
        for (String moderator : List.of("mod1@example.net", "mod2@example.net")) {
            server.webAdmin().expect(204, server.webAdmin().put("/lists/" + LIST + "/members/" + moderator, "{\"role\":\"moderator\"}"));
        }
        first = new Browser();
        second = new Browser();
        signIn(first, "mod1@example.net");
        signIn(second, "mod2@example.net");
    }

    @AfterAll
    void tearDown() {
        for (Browser browser : new Browser[] {first, second}) {
            if (browser != null) {
                browser.close();
            }
        }
    }

    private String page(String path) {
        return "http://127.0.0.1:" + server.webPort() + path;
    }

    private void signIn(Browser browser, String address) {
        browser.driver.get(page("/login"));
        browser.driver.findElement(By.id("address")).sendKeys(address);
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("main form button[type=submit]")));
        Pattern link = Pattern.compile(Pattern.quote(page("/login/")) + "[A-Za-z0-9_-]+");
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (ListkeeperServer.Delivery delivery : server.deliveriesTo(address)) {
                Object content = delivery.message.getContent();
                Matcher matcher = link.matcher(content instanceof String ? (String) content : delivery.body());
                if (matcher.find() && !linksUsed.contains(matcher.group())) {
                    found[0] = matcher.group();
                    return true;
                }
            }
            return false;
        });
        linksUsed.add(found[0]);
        browser.driver.get(found[0]);
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("main form button[type=submit]")));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/options");
    }

    private void post(String messageId, String subject) throws Exception {
        assertThat(server.post("outsider@example.com", List.of(LIST), "From: outsider@example.com\nTo: " + LIST + "\nSubject: " + subject
            + "\nMessage-ID: " + messageId + "\n\nA post from outside, <b>not</b> HTML.\n").accepted()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.webAdmin().get("/lists/" + LIST + "/held").body().contains(subject));
    }

    private void openHeldAndTick(Browser browser, String subject) {
        browser.driver.get(page("/lists/" + LIST + "/held"));
        browser.driver.findElement(By.xpath("//tr[td/a[text()='" + subject + "']]//input[@type='checkbox']")).click();
    }

    private void accept(Browser browser) {
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("button[value=accept]")));
    }

    /** The post reached the member and each moderator (who take posts too), and nobody twice, for a while. */
    private void assertDeliveredOnceToEachMember(String messageId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> server.deliveriesOf(messageId).stream().anyMatch(d -> d.recipient.equals("reader@example.net")));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> recipients = server.deliveriesOf(messageId).stream().map(d -> d.recipient).collect(java.util.stream.Collectors.toList());
            return recipients.size() == new HashSet<>(recipients).size();
        });
        List<String> recipients = server.deliveriesOf(messageId).stream().map(d -> d.recipient).collect(java.util.stream.Collectors.toList());
        assertThat(recipients).doesNotHaveDuplicates().contains("reader@example.net", "mod1@example.net", "mod2@example.net");
    }

    @Test
    void heldPostAcceptedInTheBrowserShouldReachTheMembersOnce() throws Exception {
        post("<web-accept-1@example.com>", "Please let me in");

        openHeldAndTick(first, "Please let me in");
        first.screenshot("held");
        accept(first);

        assertThat(first.driver.findElement(By.cssSelector(".notice")).getText()).containsIgnoringCase("accepted");
        assertDeliveredOnceToEachMember("<web-accept-1@example.com>");
    }

    @Test
    void samePostAcceptedInTwoBrowsersAtOnceShouldBeDeliveredOnceAndTellTheSecondWhoDecided() throws Exception {
        post("<web-accept-2@example.com>", "Two moderators");
        openHeldAndTick(first, "Two moderators");
        openHeldAndTick(second, "Two moderators");

        accept(first);
        accept(second);

        assertThat(second.driver.findElement(By.cssSelector(".notice")).getText()).contains("already").contains("mod1@example.net");
        assertDeliveredOnceToEachMember("<web-accept-2@example.com>");
    }

    @Test
    void heldPageShouldRefuseAnAddressThatDoesNotModerateTheList() throws Exception {
        server.webAdmin().expect(204, server.webAdmin().put("/lists/" + LIST + "/members/plain@example.net", ""));
        Browser visitor = new Browser();
        try {
            signIn(visitor, "plain@example.net");
            visitor.driver.get(page("/lists/" + LIST + "/held"));
            assertThat(visitor.driver.findElement(By.tagName("h1")).getText()).isEqualTo("For moderators only");
        } finally {
            visitor.close();
        }
    }
}
