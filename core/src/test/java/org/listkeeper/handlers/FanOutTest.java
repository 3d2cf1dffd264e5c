package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;
import org.listkeeper.pipeline.PipelineSettings;

class FanOutTest {
    private final HandlerFixture fixture = new HandlerFixture();

    FanOutTest() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture.settings = PipelineSettings.builder().batchSize(2).pageSize(3).build();
        for (int i = 0; i < 7; i++) {
            fixture.stores.roster().saveMember(fixture.listId(), Member.of(new MailAddress("m" + i + "@d" + (i % 3) + ".example")));
        }
        fixture.stores.roster().saveMember(fixture.listId(),
            Member.of(new MailAddress("off@d0.example"), null, Role.MEMBER, Delivery.DISABLED));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void handleShouldSendEveryEnabledMemberOnceInBoundedBatches() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "Subject: hi\n\nhello\n");

        fixture.handler("fan-out").handle(fixture.context(mail));

        List<FakeMailContext.SentMail> sent = fixture.mailetContext.getSentMails();
        assertThat(sent).allSatisfy(batch -> {
            assertThat(batch.getRecipients()).hasSizeBetween(1, 2);
            assertThat(batch.getSender()).isEqualTo(new MailAddress("team-bounces@lists.example.org"));
            assertThat(batch.getState()).isEqualTo("transport");
        });
        assertThat(recipients(sent)).containsExactlyInAnyOrder("m0@d0.example", "m3@d0.example", "m6@d0.example",
            "m1@d1.example", "m4@d1.example", "m2@d2.example", "m5@d2.example");
        assertThat(mail.getRecipients()).isEmpty();
        assertThat(fixture.stores.posts().fanoutProgress(fixture.list().id(), "m1").completed()).isTrue();
    }

    @Test
    void handleShouldSendNothingWhenFanOutAlreadyCompleted() throws Exception {
        Mail mail = HandlerFixture.mail("m1", "Subject: hi\n\nhello\n");
        fixture.handler("fan-out").handle(fixture.context(mail));
        fixture.mailetContext.resetSentMails();

        fixture.handler("fan-out").handle(fixture.context(HandlerFixture.mail("m1", "Subject: hi\n\nhello\n")));

        assertThat(fixture.mailetContext.getSentMails()).isEmpty();
    }

    @Test
    void handleShouldResendOnlyBatchInFlightWhenReplayedAfterCrash() throws Exception {
        FailingContext crashing = new FailingContext(3);
        assertThatThrownBy(() -> fixture.handler("fan-out")
            .handle(fixture.context(HandlerFixture.mail("m1", "Subject: hi\n\nhello\n"), crashing.context())))
            .isInstanceOf(MessagingException.class);
        List<String> beforeCrash = new ArrayList<>(crashing.delivered);

        FailingContext recovered = new FailingContext(Integer.MAX_VALUE);
        fixture.handler("fan-out").handle(fixture.context(HandlerFixture.mail("m1", "Subject: hi\n\nhello\n"), recovered.context()));

        List<String> all = new ArrayList<>(beforeCrash);
        all.addAll(recovered.delivered);
        assertThat(all).containsAll(List.of("m0@d0.example", "m3@d0.example", "m6@d0.example",
            "m1@d1.example", "m4@d1.example", "m2@d2.example", "m5@d2.example"));
        // pages hold whole batches (4 members): batches are m0,m3 | m6,m1 | m4,m2 | m5; only the third, in flight
        // at the crash, goes out twice
        assertThat(beforeCrash).containsExactly("m0@d0.example", "m3@d0.example", "m6@d0.example",
            "m1@d1.example", "m4@d1.example", "m2@d2.example");
        assertThat(recovered.delivered).containsExactly("m4@d1.example", "m2@d2.example", "m5@d2.example");
    }

    @Test
    void personalizedDeliveryShouldGiveEachMemberItsOwnCopyEnvelopeFooterAndOneClickLink() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(ListChanges.Setting.DELIVERY, "personalized").build());
        fixture.settings = PipelineSettings.builder().batchSize(2).pageSize(3).build();
        fixture.publicBaseUrl = Optional.of(java.net.URI.create("https://lists.example.org"));

        fixture.handler("fan-out").handle(fixture.context(HandlerFixture.mail("p1", "Subject: hi\n\nhello\n")));

        List<FakeMailContext.SentMail> sent = fixture.mailetContext.getSentMails();
        assertThat(sent).hasSize(7);
        Map<String, String> links = new HashMap<>();
        for (FakeMailContext.SentMail copy : sent) {
            assertThat(copy.getRecipients()).hasSize(1);
            String member = copy.getRecipients().iterator().next().asString();
            assertThat(copy.getSender().asString())
                .isEqualTo("team-bounces+" + member.replace("@", "=") + "@lists.example.org");
            String unsubscribe = copy.getMsg().getHeader("List-Unsubscribe", null);
            assertThat(unsubscribe).matches("<https://lists\\.example\\.org/unsubscribe/[A-Za-z0-9_-]{27}>, "
                + "<mailto:team-leave@lists\\.example\\.org>");
            assertThat(copy.getMsg().getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
            String link = unsubscribe.substring(1, unsubscribe.indexOf('>'));
            assertThat(HandlerFixture.serialize(copy.getMsg())).contains("hello").contains("You receive this as " + member
                + ". To unsubscribe: " + link);
            links.put(member, link);
        }
        assertThat(new HashSet<>(links.values())).hasSize(7);

        // the next post carries the same link for the same member: one token per (list, member)
        fixture.mailetContext.resetSentMails();
        fixture.handler("fan-out").handle(fixture.context(HandlerFixture.mail("p2", "Subject: again\n\nhello\n")));
        for (FakeMailContext.SentMail copy : fixture.mailetContext.getSentMails()) {
            String member = copy.getRecipients().iterator().next().asString();
            assertThat(copy.getMsg().getHeader("List-Unsubscribe", null)).startsWith("<" + links.get(member) + ">");
        }
    }

    @Test
    void theFootersDecisionShouldHoldWhenTheListTurnsPersonalizedBeforeFanOut() throws Exception {
        Mail mail = HandlerFixture.mail("switch", "Subject: hi\n\nhello\n");
        fixture.handler("footer").handle(fixture.context(mail));
        // the owner switches while the post waits for a retry of fan-out
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(ListChanges.Setting.DELIVERY, "personalized").build());

        fixture.handler("fan-out").handle(fixture.context(mail));

        List<FakeMailContext.SentMail> sent = fixture.mailetContext.getSentMails();
        assertThat(sent).hasSize(4).allSatisfy(batch -> {
            assertThat(batch.getSender().asString()).isEqualTo("team-bounces@lists.example.org");
            assertThat(batch.getMsg().getHeader("List-Unsubscribe-Post")).isNull();
        });
        String body = HandlerFixture.serialize(sent.get(0).getMsg());
        assertThat(body).doesNotContain("You receive this as");
    }

    @Test
    void anAuthorWhoseFromDmarcRewroteShouldStillNotGetTheirOwnPost() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder()
            .set(ListChanges.Setting.DMARC_MITIGATION, "munge_from")
            .set(ListChanges.Setting.DMARC_MITIGATE_UNCONDITIONALLY, "true").build());
        Member author = fixture.stores.roster().findMember(fixture.listId(), new MailAddress("m0@d0.example")).orElseThrow();
        fixture.stores.roster().saveMember(fixture.listId(), author.toBuilder().receiveOwnPosts(false).build());
        Mail mail = HandlerFixture.mail("own", "From: M Zero <m0@d0.example>\nSubject: hi\n\nhello\n");

        fixture.handler("dmarc").handle(fixture.context(mail));
        fixture.handler("fan-out").handle(fixture.context(mail));

        assertThat(mail.getMessage().getFrom()[0].toString()).contains("team@lists.example.org");
        List<String> recipients = fixture.mailetContext.getSentMails().stream()
            .flatMap(batch -> batch.getRecipients().stream()).map(MailAddress::asString).collect(Collectors.toList());
        assertThat(recipients).hasSize(6).doesNotContain("m0@d0.example");
    }

    @Test
    void personalizedDeliveryWithoutAPublicUrlShouldOfferTheMailtoLinkOnly() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(ListChanges.Setting.DELIVERY, "personalized").build());
        Mail mail = HandlerFixture.mail("p3", "Subject: hi\nList-Unsubscribe: <mailto:team-leave@lists.example.org>\n\nhello\n");

        fixture.handler("fan-out").handle(fixture.context(mail));

        FakeMailContext.SentMail copy = fixture.mailetContext.getSentMails().get(0);
        assertThat(copy.getMsg().getHeader("List-Unsubscribe-Post")).isNull();
        assertThat(copy.getMsg().getHeader("List-Unsubscribe", null)).isEqualTo("<mailto:team-leave@lists.example.org>");
        assertThat(HandlerFixture.serialize(copy.getMsg())).contains("To unsubscribe: mailto:team-leave@lists.example.org");
    }

    @Test
    void personalizedReplayAfterCrashShouldResendOnlyTheCopiesOfTheBatchInFlight() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(ListChanges.Setting.DELIVERY, "personalized").build());
        FailingContext crashing = new FailingContext(6);
        assertThatThrownBy(() -> fixture.handler("fan-out")
            .handle(fixture.context(HandlerFixture.mail("p4", "Subject: hi\n\nhello\n"), crashing.context())))
            .isInstanceOf(MessagingException.class);

        FailingContext recovered = new FailingContext(Integer.MAX_VALUE);
        fixture.handler("fan-out").handle(fixture.context(HandlerFixture.mail("p4", "Subject: hi\n\nhello\n"),
            recovered.context()));

        // batches of two: m0,m3 | m6,m1 | m4,m2 | m5; the crash came on the sixth copy (m2), in the third batch
        assertThat(crashing.delivered).containsExactly("m0@d0.example", "m3@d0.example", "m6@d0.example",
            "m1@d1.example", "m4@d1.example", "m2@d2.example");
        assertThat(recovered.delivered).containsExactly("m4@d1.example", "m2@d2.example", "m5@d2.example");
    }

    @Test
    void bulkWithVerpOnEveryPostShouldSendOneMailPerMemberFromItsOwnBounceAddress() throws Exception {
        fixture.stores.lists().saveList(fixture.listAddress, ListChanges.builder().set(ListChanges.Setting.VERP, "every-post").build());

        fixture.handler("fan-out").handle(fixture.context(HandlerFixture.mail("v1", "Subject: hi\n\nhello\n")));

        List<FakeMailContext.SentMail> sent = fixture.mailetContext.getSentMails();
        assertThat(sent).hasSize(7).allSatisfy(copy -> {
            String member = copy.getRecipients().iterator().next().asString();
            assertThat(copy.getRecipients()).hasSize(1);
            assertThat(copy.getSender().asString()).isEqualTo("team-bounces+" + member.replace("@", "=") + "@lists.example.org");
            assertThat(copy.getMsg().getHeader("List-Unsubscribe-Post")).isNull();
        });
    }

    private static List<String> recipients(List<FakeMailContext.SentMail> sent) {
        return sent.stream().flatMap(mail -> mail.getRecipients().stream()).map(MailAddress::asString).collect(Collectors.toList());
    }

    /** A transport whose n-th hand-off fails, as if the JVM died there; everything else is James's fake context. */
    private static final class FailingContext {
        private final int failAt;
        private int calls;
        final List<String> delivered = new ArrayList<>();

        FailingContext(int failAt) {
            this.failAt = failAt;
        }

        MailetContext context() {
            FakeMailContext fake = FakeMailContext.defaultContext();
            return (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MailetContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendMail") && args.length == 4 && args[1] instanceof Collection) {
                        ((Collection<?>) args[1]).forEach(r -> delivered.add(((MailAddress) r).asString()));
                        if (++calls == failAt) {
                            // the batch reached the queue, then the JVM died before the store recorded it
                            throw new MessagingException("simulated crash");
                        }
                        return null;
                    }
                    try {
                        return method.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        }
    }
}
