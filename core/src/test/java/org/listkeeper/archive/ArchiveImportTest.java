package org.listkeeper.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.MailingList;
import org.listkeeper.store.jdbc.JdbcStores;
import org.listkeeper.testing.InMemoryStores;
import org.listkeeper.testing.MutableClock;

class ArchiveImportTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private JdbcStores stores;
    private MailingList list;

    @BeforeEach
    void setUp() throws Exception {
        stores = InMemoryStores.open();
        list = stores.lists().saveList(new MailAddress("team@lists.example.org"), ListChanges.none());
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    /** {@code count} messages, every {@code malformedEvery}-th without a header section; some without a Message-ID. */
    static byte[] mbox(int count, int malformedEvery) {
        StringBuilder mbox = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            mbox.append("From ann@example.net Fri Dec  4 10:00:00 2026\n");
            if (i % malformedEvery == 0) {
                mbox.append("this is not a header\n\nbody ").append(i).append("\n\n");
                continue;
            }
            mbox.append("From: Ann <ann@example.net>\nSubject: Old post ").append(i).append('\n');
            if (i % 7 != 0) {
                mbox.append("Message-ID: <old-").append(i).append("@example.net>\n");
            }
            mbox.append("Date: Fri, 04 Dec 2015 10:00:00 +0000\n\nold body ").append(i).append("\n>From quoted\n\n");
        }
        return mbox.toString().getBytes(StandardCharsets.UTF_8);
    }

    private ArchiveImport run(byte[] mbox) throws Exception {
        Archiver archiver = new Archiver(stores.archive(), clock);
        ArchiveImport archiveImport = new ArchiveImport(stores.archive(), archiver, stores.posts(), list, clock);
        archiveImport.run(new ByteArrayInputStream(mbox));
        return archiveImport;
    }

    /** The line of the separator before the first message without a header section. */
    private static long firstMalformedSeparator(byte[] mbox) {
        String[] lines = new String(mbox, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals("this is not a header")) {
                return i; // the separator is the line before: number i counting from 1
            }
        }
        throw new AssertionError("no malformed message");
    }

    @Test
    void runShouldImportEveryWellFormedMessageRefuseTheRestByLineAndNumberThemInOrder() throws Exception {
        byte[] mbox = mbox(1000, 97);
        ArchiveImport first = run(mbox);

        assertThat(first.processed()).isEqualTo(1000);
        assertThat(first.refused()).isEqualTo(10);
        assertThat(first.imported()).isEqualTo(990);
        assertThat(first.skipped()).isZero();
        assertThat(first.refusals()).hasSize(10).first().satisfies(refusal -> {
            assertThat(refusal.line()).isEqualTo(firstMalformedSeparator(mbox));
            assertThat(refusal.error()).contains("no header section");
        });
        assertThat(stores.archive().count(list.id(), ArchiveQuery.all())).isEqualTo(990);
        assertThat(stores.archive().entries(list.id(), ArchiveQuery.all(), 0, 1)).singleElement()
            .satisfies(entry -> assertThat(entry.subject()).isEqualTo("Old post 1"));
        assertThat(stores.archive().message(list.id(), 1)).hasValueSatisfying(message ->
            assertThat(new String(message, StandardCharsets.UTF_8)).contains("old body 1\r\nFrom quoted"));
    }

    @Test
    void runShouldAddNothingTheSecondTimeAndLiveNumberingShouldGoOnAfterTheImport() throws Exception {
        run(mbox(50, 1_000));

        ArchiveImport second = run(mbox(50, 1_000));

        assertThat(second.imported()).isZero();
        assertThat(second.skipped()).isEqualTo(50);
        assertThat(stores.archive().count(list.id(), ArchiveQuery.all())).isEqualTo(50);
        assertThat(stores.posts().assignPostNumber(list.id(), "live-post", clock.instant())).isEqualTo(51);
    }
}
