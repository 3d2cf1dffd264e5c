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

    private static final String CLUB = "club@lists.example.org";
    private static final org.listkeeper.testing.MutableClock CLOCK = new org.listkeeper.testing.MutableClock(java.time.Instant.now());

    @RegisterExtension
    static ListkeeperServer server = ListkeeperServer.builder().publicWebPages().clock(CLOCK).build();

    private Browser browser;

    @BeforeAll
    void openBrowser() throws Exception {
        server.createList(LIST, "{\"displayName\":\"Town news\",\"description\":\"What happens in town, by the people who live there.\","
            + "\"subscriptionPolicy\":\"confirm\"}");
        server.createList("hidden@lists.example.org", "{\"advertised\":false}");
        server.createList(CLUB, "{\"displayName\":\"Book club\",\"digestsEnabled\":true}", "lee@example.net", "many@example.net");
        server.webAdmin().expect(204, server.webAdmin().put("/lists/" + CLUB + "/members/owner@example.net", "{\"role\":\"owner\"}"));
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

        browser.clickAndWait(browser.driver.findElement(By.linkText("Town news")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Town news");
        browser.driver.findElement(By.id("address")).sendKeys("rosa@example.net");
        browser.driver.findElement(By.id("displayName")).sendKeys("Rosa Parks");
        browser.screenshot("list-page");
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("form button[type=submit]")));
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
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("form button[type=submit]")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("You are subscribed");

        assertThat(server.webAdmin().get("/lists/" + LIST + "/members/rosa@example.net").body())
            .contains("\"role\":\"member\"").contains("Rosa Parks");

        // asking again for an address on the roster looks exactly the same to the visitor
        browser.driver.get(page("/lists/" + LIST + "/"));
        browser.driver.findElement(By.id("address")).sendKeys("rosa@example.net");
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("form button[type=submit]")));
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).isEqualTo(sentPage);
    }

    private final java.util.Set<String> linksSeen = new java.util.HashSet<>();

    /** The sign-in link of the newest sign-in mail to {@code address} not read before (other mail may reach it too). */
    private String signInLink(String address) {
        String[] found = new String[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
            for (String link : signInLinks(address)) {
                if (!linksSeen.contains(link)) {
                    found[0] = link;
                    return true;
                }
            }
            return false;
        });
        linksSeen.add(found[0]);
        return found[0];
    }

    private List<String> signInLinks(String address) {
        List<String> links = new java.util.ArrayList<>();
        for (ListkeeperServer.Delivery delivery : server.deliveriesTo(address)) {
            Matcher link = Pattern.compile(Pattern.quote(page("/login/")) + "[A-Za-z0-9_-]+").matcher(text(delivery));
            if (link.find()) {
                links.add(link.group());
            }
        }
        return links;
    }

    private static String text(ListkeeperServer.Delivery delivery) {
        try {
            Object content = delivery.message.getContent();
            return content instanceof String ? (String) content : delivery.body();
        } catch (java.io.IOException | javax.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void askForSignIn(String address) {
        browser.driver.get(page("/login"));
        browser.driver.findElement(By.id("address")).sendKeys(address);
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("form button[type=submit]")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Check your mailbox");
    }

    @Test
    void signInByMailedLinkShouldOpenOptionsThatChangeTheMemberOnce() throws Exception {
        askForSignIn("lee@example.net");
        browser.screenshot("sign-in");
        String link = signInLink("lee@example.net");

        browser.driver.get(link);
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("main form button[type=submit]")));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/options");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Signed in as lee@example.net").contains("Book club")
            .contains("Send me the list's mail");
        browser.driver.findElement(By.cssSelector("select[name=digest] option[value=mime]")).click();
        org.openqa.selenium.WebElement own = browser.driver.findElement(By.name("receiveOwnPosts"));
        assertThat(own.isSelected()).isTrue();
        own.click();
        browser.screenshot("options");
        browser.clickAndWait(browser.driver.findElement(By.xpath("//button[text()='Save']")));
        assertThat(browser.driver.findElement(By.cssSelector(".notice")).getText()).contains("club@lists.example.org");

        String member = server.webAdmin().get("/lists/" + CLUB + "/members/lee@example.net").body();
        assertThat(member).contains("\"digest\":\"mime\"").contains("\"receiveOwnPosts\":false");

        // the same link again: used
        browser.driver.get(link);
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("main form button[type=submit]")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("This link was used already");

        // a fresh link opened after 30 minutes: expired, said plainly
        askForSignIn("lee@example.net");
        String late = signInLink("lee@example.net");
        CLOCK.advance(java.time.Duration.ofMinutes(31));
        browser.driver.get(late);
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("main form button[type=submit]")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("This link has expired");
        browser.screenshot("sign-in-expired");
    }

    @Test
    void ownerShouldChangeTheSubjectPrefixOnTheSettingsPageAndBeToldWhatIsInvalid() throws Exception {
        askForSignIn("owner@example.net");
        browser.driver.get(signInLink("owner@example.net"));
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("main form button[type=submit]")));
        browser.clickAndWait(browser.driver.findElement(By.linkText("Settings")));

        String before = server.webAdmin().get("/lists/" + CLUB).body();
        org.openqa.selenium.WebElement prefix = browser.driver.findElement(By.id("subjectPrefix"));
        prefix.clear();
        prefix.sendKeys("x".repeat(70));
        browser.clickAndWait(browser.driver.findElement(By.xpath("//button[text()='Save settings']")));
        assertThat(browser.driver.findElement(By.cssSelector(".error")).getText()).contains("subjectPrefix");
        browser.screenshot("settings-invalid");
        assertThat(server.webAdmin().get("/lists/" + CLUB).body()).isEqualTo(before);

        prefix = browser.driver.findElement(By.id("subjectPrefix"));
        prefix.clear();
        prefix.sendKeys("[books]");
        browser.clickAndWait(browser.driver.findElement(By.xpath("//button[text()='Save settings']")));
        assertThat(browser.driver.findElement(By.cssSelector(".notice")).getText()).isEqualTo("Saved.");
        assertThat(server.webAdmin().get("/lists/" + CLUB).body()).contains("\"subjectPrefix\":\"[books]\"").contains("\"displayName\":\"Book club\"");

        assertThat(server.post("lee@example.net", List.of(CLUB), "From: lee@example.net\nTo: " + CLUB
            + "\nSubject: next meeting\nMessage-ID: <prefix-after-settings@example.net>\n\nThursday.\n").accepted()).isTrue();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> server.deliveriesOf("<prefix-after-settings@example.net>")
            .stream().anyMatch(delivery -> delivery.recipient.equals("owner@example.net")));
        assertThat(server.deliveriesOf("<prefix-after-settings@example.net>")).allSatisfy(delivery ->
            assertThat(delivery.header("Subject")).isEqualTo("[books] next meeting"));
    }

    @Test
    void ownerShouldAddRemoveAndImportMembersAndWatchTheImport() throws Exception {
        server.createList("roster@lists.example.org", "{\"displayName\":\"Roster list\"}");
        server.webAdmin().expect(204, server.webAdmin().put("/lists/roster@lists.example.org/members/boss@example.net", "{\"role\":\"owner\"}"));
        Browser owner = new Browser();
        try {
            owner.driver.get(page("/login"));
            owner.driver.findElement(By.id("address")).sendKeys("boss@example.net");
            owner.clickAndWait(owner.driver.findElement(By.cssSelector("main form button[type=submit]")));
            owner.driver.get(signInLink("boss@example.net"));
            owner.clickAndWait(owner.driver.findElement(By.cssSelector("main form button[type=submit]")));
            owner.driver.get(page("/lists/roster@lists.example.org/members"));

            owner.driver.findElement(By.id("address")).sendKeys("added@example.net");
            owner.clickAndWait(owner.driver.findElement(By.xpath("//button[text()='Add']")));
            assertThat(owner.driver.findElement(By.cssSelector(".notice")).getText()).contains("added@example.net was added");
            assertThat(server.webAdmin().get("/lists/roster@lists.example.org/members/added@example.net").statusCode()).isEqualTo(200);

            java.nio.file.Path csv = java.nio.file.Files.createTempFile("roster", ".csv");
            java.nio.file.Files.writeString(csv, "one@example.net,One\ntwo@example.net,Two\nnot an address\nadded@example.net\n");
            owner.driver.findElement(By.id("csv")).sendKeys(csv.toAbsolutePath().toString());
            owner.clickAndWait(owner.driver.findElement(By.xpath("//button[text()='Import']")));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
                owner.driver.navigate().refresh();
                return owner.driver.findElement(By.id("import-status")).getText().equals("Done.");
            });
            owner.screenshot("members-import");
            assertThat(owner.driver.findElement(By.id("added")).getText()).isEqualTo("2");
            assertThat(owner.driver.findElement(By.id("invalid")).getText()).isEqualTo("1");
            java.nio.file.Files.delete(csv);
            assertThat(server.webAdmin().get("/lists/roster@lists.example.org/members/two@example.net").statusCode()).isEqualTo(200);

            owner.driver.get(page("/lists/roster@lists.example.org/members?q=one"));
            assertThat(owner.driver.findElement(By.tagName("tbody")).getText()).contains("one@example.net").doesNotContain("two@example.net");
            owner.screenshot("members");
            owner.clickAndWait(owner.driver.findElement(By.cssSelector("button[aria-label='Remove one@example.net']")));
            assertThat(server.webAdmin().get("/lists/roster@lists.example.org/members/one@example.net").statusCode()).isEqualTo(404);
        } finally {
            owner.close();
        }
    }

    @Test
    void memberWithAPasswordShouldSignInWithItAndNotWithAWrongOne() throws Exception {
        server.createList("pw@lists.example.org", "{}", "kim@example.net");
        Browser kim = new Browser();
        try {
            kim.driver.get(page("/login"));
            kim.driver.findElement(By.id("address")).sendKeys("kim@example.net");
            kim.clickAndWait(kim.driver.findElement(By.cssSelector("main form button[type=submit]")));
            kim.driver.get(signInLink("kim@example.net"));
            kim.clickAndWait(kim.driver.findElement(By.cssSelector("main form button[type=submit]")));
            kim.driver.findElement(By.id("new-password")).sendKeys("correct horse battery");
            kim.driver.findElement(By.id("again-password")).sendKeys("correct horse battery");
            kim.clickAndWait(kim.driver.findElement(By.xpath("//button[text()='Set the password']")));
            assertThat(kim.driver.findElement(By.cssSelector(".notice")).getText()).contains("Your password is set");
            kim.clickAndWait(kim.driver.findElement(By.xpath("//button[text()='Sign out']")));

            kim.driver.get(page("/login"));
            kim.driver.findElement(By.id("address")).sendKeys("kim@example.net");
            kim.driver.findElement(By.id("password")).sendKeys("wrong horse battery");
            kim.clickAndWait(kim.driver.findElement(By.cssSelector("main form button[type=submit]")));
            assertThat(kim.driver.findElement(By.cssSelector(".error")).getText()).contains("do not match");

            kim.driver.findElement(By.id("password")).sendKeys("correct horse battery");
            kim.clickAndWait(kim.driver.findElement(By.cssSelector("main form button[type=submit]")));
            assertThat(kim.driver.getCurrentUrl()).endsWith("/options");
            assertThat(kim.driver.findElement(By.tagName("main")).getText()).contains("Signed in as kim@example.net");
        } finally {
            kim.close();
        }
    }

    @Test
    void eleventhSignInRequestForOneAddressShouldBeRefusedWithoutMail() throws Exception {
        java.net.http.HttpClient client = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        String form = client.send(HttpRequest.newBuilder(URI.create(page("/login"))).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form);
        assertThat(csrf.find()).isTrue();
        List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            statuses.add(client.send(HttpRequest.newBuilder(URI.create(page("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&address=many%40example.net")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        }

        assertThat(statuses.subList(0, 10)).containsOnly(200);
        assertThat(statuses.get(10)).isEqualTo(429);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> signInLinks("many@example.net").size() >= 10);
        org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(2)).atMost(java.time.Duration.ofSeconds(10))
            .until(() -> signInLinks("many@example.net").size() == 10);
    }

    @Test
    void archivedHtmlShouldRunNothingInTheBrowserAndAPrivateArchiveShouldAskVisitorsToSignIn() throws Exception {
        server.createList("open@lists.example.org", "{\"displayName\":\"Open list\",\"archivePolicy\":\"public\"}", "reader@example.net");
        server.createList("closed@lists.example.org", "{\"archivePolicy\":\"private\"}", "reader@example.net");
        String hostile = "<p>Hello <b>all</b></p><script>document.title='pwned'</script>"
            + "<img src=\"x\" onerror=\"document.title='pwned'\"><a id=\"evil\" href=\"javascript:document.title='pwned'\">click me</a>";
        assertThat(server.post("author@example.com", List.of("open@lists.example.org"), "From: Author <author@example.com>\n"
            + "To: open@lists.example.org\nSubject: hostile html\nMessage-ID: <hostile@example.com>\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/html; charset=utf-8\n\n" + hostile + "\n"
            + "--b1\nContent-Type: text/html; name=\"page.html\"\nContent-Disposition: attachment; filename=\"page.html\"\n\n" + hostile
            + "\n--b1--\n").accepted()).isTrue();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
            .until(() -> server.webAdmin().get("/lists/open@lists.example.org/archive").body().contains("hostile html"));

        browser.driver.get(page("/lists/open@lists.example.org/"));
        browser.clickAndWait(browser.driver.findElement(By.linkText("Read the archive")));
        browser.clickAndWait(browser.driver.findElement(By.cssSelector("ul.lists li a")));
        browser.clickAndWait(browser.driver.findElement(By.partialLinkText("hostile html")));
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Hello all").contains("Attachment: page.html");
        String download = browser.driver.findElement(By.partialLinkText("page.html")).getAttribute("href");
        HttpResponse<String> part = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(download)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(part.headers().firstValue("Content-Disposition")).hasValueSatisfying(value -> assertThat(value).startsWith("attachment"));
        assertThat(part.headers().firstValue("Content-Type")).hasValueSatisfying(value -> assertThat(value).startsWith("application/octet-stream"));
        String title = browser.driver.getTitle();
        assertThat(title).contains("hostile html");
        List<org.openqa.selenium.WebElement> links = browser.driver.findElements(By.id("evil"));
        for (org.openqa.selenium.WebElement link : links) {
            assertThat(link.getAttribute("href")).doesNotStartWith("javascript:");
            link.click();
        }
        assertThat(browser.driver.getTitle()).isEqualTo(title).doesNotContain("pwned");
        assertThat(browser.driver.findElement(By.cssSelector(".html-part")).getAttribute("innerHTML"))
            .doesNotContain("<script").doesNotContain("onerror").doesNotContain("javascript:");
        browser.screenshot("archive-message");

        HttpResponse<String> visitor = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
            .send(HttpRequest.newBuilder(URI.create(page("/lists/closed@lists.example.org/archive/"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(visitor.uri().getPath()).isEqualTo("/login");
        assertThat(visitor.body()).contains("Mail me a sign-in link");
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
