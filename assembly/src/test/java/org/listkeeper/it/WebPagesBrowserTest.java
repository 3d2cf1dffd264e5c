package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Listkeeper's public web pages in a real browser (Debian's chromium, headless) against an in-process James with
 * real SMTP out to a sink: the subscribe form, the confirmation mail's link, the confirm page, and the forms' CSRF
 * defence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPagesBrowserTest {
    private static final String LIST = "town@lists.example.org";

    @RegisterExtension
    static ListkeeperServer server = ListkeeperServer.builder().publicWebPages().build();

    private Browser browser;

    @BeforeAll
    void openBrowser() throws Exception {
        server.createList(LIST, "{\"displayName\":\"Town news\",\"description\":\"What happens in town, by the people who live there.\","
            + "\"subscriptionPolicy\":\"confirm\"}");
        server.createList("hidden@lists.example.org", "{\"advertised\":false}");
        browser = new Browser();
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private String page(String path) {
        return "http://127.0.0.1:" + server.webPort() + path;
    }

    @Test
    void subscribeFormShouldSendAConfirmationWhoseLinkMakesTheAddressAMember() throws Exception {
        browser.driver.get(page("/"));
        assertThat(browser.driver.getTitle()).contains("Mailing lists");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Town news").doesNotContain("hidden@");
        browser.screenshot("lists");

        browser.driver.findElement(By.linkText("Town news")).click();
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Town news");
        browser.driver.findElement(By.id("address")).sendKeys("rosa@example.net");
        browser.driver.findElement(By.id("displayName")).sendKeys("Rosa Parks");
        browser.screenshot("list-page");
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        String sentPage = browser.driver.findElement(By.tagName("main")).getText();
        assertThat(sentPage).contains("Check your mailbox").contains("rosa@example.net");
        browser.screenshot("subscribe-sent");

        List<ListkeeperServer.Delivery> mails = server.awaitDeliveriesTo("rosa@example.net", 1);
        Object content = mails.get(0).message.getContent();
        String body = content instanceof String ? (String) content : mails.get(0).body();
        Matcher link = Pattern.compile(Pattern.quote(page("/lists/" + LIST + "/confirm/")) + "[A-Za-z0-9_-]+").matcher(body);
        assertThat(link.find()).as("a confirm link in:\n%s", body).isTrue();
        assertThat(server.webAdmin().get("/lists/" + LIST + "/members/rosa@example.net").statusCode()).isEqualTo(404);

        browser.driver.get(link.group());
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Subscribe rosa@example.net to Town news");
        browser.screenshot("confirm");
        // opening the link alone changed nothing: link scanners must not subscribe anyone
        assertThat(server.webAdmin().get("/lists/" + LIST + "/members/rosa@example.net").statusCode()).isEqualTo(404);
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("You are subscribed");

        assertThat(server.webAdmin().get("/lists/" + LIST + "/members/rosa@example.net").body())
            .contains("\"role\":\"member\"").contains("Rosa Parks");

        // asking again for an address on the roster looks exactly the same to the visitor
        browser.driver.get(page("/lists/" + LIST + "/"));
        browser.driver.findElement(By.id("address")).sendKeys("rosa@example.net");
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).isEqualTo(sentPage);
    }

    @Test
    void formPostWithoutItsCsrfTokenShouldBeRefusedAndChangeNothing() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(page("/lists/" + LIST + "/subscribe")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("address=forged%40example.net")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("This form has expired");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
            assertThat(csp).contains("default-src 'none'"));
        assertThat(server.webAdmin().get("/lists/" + LIST + "/requests").body()).doesNotContain("forged@example.net");
        assertThat(server.deliveriesTo("forged@example.net")).isEmpty();
    }

    @Test
    void unknownListShouldAnswerNotFound() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(page("/lists/nope@lists.example.org/")))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("No such list");
    }
}
