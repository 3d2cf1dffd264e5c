package org.listkeeper.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MutableClock;

class ArchiverTest {
    private JdbcStores stores;
    private Archiver archiver;
    private MailingList list;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        archiver = new Archiver(stores.archive(), new MutableClock(Instant.parse("2026-12-05T10:00:00Z")));
        list = stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.builder()
            .set(ListChanges.Setting.SUBJECT_PREFIX, "[team]").build());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    private static byte[] message(String id, String subject, String extraHeaders, String body) {
        return ("From: Ann Example <ann@example.net>\r\nTo: team@lists.example.org\r\nSubject: " + subject + "\r\nMessage-ID: " + id
            + "\r\nDate: Fri, 04 Dec 2026 10:00:00 +0000\r\n" + extraHeaders + "MIME-Version: 1.0\r\nContent-Type: text/plain;"
            + " charset=utf-8\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private ArchiveEntry entry(long number) {
        return stores.archive().find(list.id(), number).orElseThrow();
    }

    @Test
    void archiveShouldReadTheEntryFromTheMessage() throws Exception {
        assertThat(archiver.archive(list, 7, message("<a@example.net>", "[team] Plans", "", "the garden plans"))).isTrue();

        ArchiveEntry entry = entry(7);
        assertThat(entry.messageId()).contains("<a@example.net>");
        assertThat(entry.subject()).isEqualTo("[team] Plans");
        assertThat(entry.authorName()).isEqualTo("Ann Example");
        assertThat(entry.authorAddress()).contains("ann@example.net");
        assertThat(entry.date()).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
        assertThat(entry.threadId()).isEqualTo(7);
        assertThat(stores.archive().count(list.id(), ArchiveQuery.of(Optional.empty(), Optional.empty(), Optional.of("garden"))))
            .isEqualTo(1);
    }

    @Test
    void archiveShouldAddNothingWhenThePostIsReplayed() throws Exception {
        archiver.archive(list, 1, message("<a@example.net>", "Plans", "", "one"));

        assertThat(archiver.archive(list, 1, message("<a@example.net>", "Plans", "", "one, changed by a replay"))).isFalse();
        assertThat(stores.archive().count(list.id(), ArchiveQuery.all())).isEqualTo(1);
    }

    @Test
    void archiveShouldThreadRepliesByInReplyToAndReferences() throws Exception {
        archiver.archive(list, 1, message("<a@example.net>", "Plans", "", "one"));
        archiver.archive(list, 2, message("<b@example.net>", "Other", "", "two"));
        archiver.archive(list, 3, message("<c@example.net>", "Re: Plans", "In-Reply-To: <a@example.net>\r\n", "three"));
        archiver.archive(list, 4, message("<d@example.net>", "Changed subject", "References: <a@example.net> <c@example.net>\r\n",
            "four"));

        assertThat(entry(3).threadId()).isEqualTo(1);
        assertThat(entry(3).inReplyTo()).contains("<a@example.net>");
        assertThat(entry(4).threadId()).isEqualTo(1);
        assertThat(entry(2).threadId()).isEqualTo(2);
    }

    @Test
    void archiveShouldThreadAReplyWithoutAKnownParentBySubjectButNotANewPostWithTheSameSubject() throws Exception {
        archiver.archive(list, 1, message("<a@example.net>", "[team] Plans", "", "one"));
        archiver.archive(list, 2, message("<b@example.net>", "RE: [team] plans", "In-Reply-To: <gone@example.net>\r\n", "two"));
        archiver.archive(list, 3, message("<c@example.net>", "Plans", "", "three"));

        assertThat(entry(2).threadId()).isEqualTo(1);
        assertThat(entry(3).threadId()).isEqualTo(3);
    }

    @Test
    void subjectKeyShouldDropPrefixesAndReplyMarkers() {
        assertThat(Archiver.subjectKey("Re: [team] AW: Fwd:  Big   Plans", "[team]")).isEqualTo("big plans");
        assertThat(Archiver.subjectKey("[team]", "[team]")).isEmpty();
    }

    @Test
    void archiveShouldIndexTheWordsOfHtmlPartsAsAReaderSeesThem() throws Exception {
        byte[] html = ("From: bob@example.net\r\nSubject: Hi\r\nMessage-ID: <h@example.net>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain words\r\n"
            + "--b\r\nContent-Type: text/html\r\n\r\n<p>caf&eacute; <b>tulip</b>&nbsp;bulbs</p>\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);

        archiver.archive(list, 1, html);

        assertThat(stores.archive().count(list.id(), ArchiveQuery.of(Optional.empty(), Optional.empty(), Optional.of("tulip bulbs"))))
            .isEqualTo(1);
        assertThat(entry(1).authorName()).isEqualTo("bob");
    }
}
