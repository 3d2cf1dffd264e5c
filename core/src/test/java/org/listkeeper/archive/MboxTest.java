package org.listkeeper.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MboxTest {
    private static final byte[] FIRST = ("Subject: one\r\n\r\nFrom the start of a line\r\n>From quoted already\r\nend\r\n")
        .getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECOND = "Subject: two\r\n\r\nsecond\r\n".getBytes(StandardCharsets.UTF_8);

    private static List<byte[]> read(byte[] mbox, List<Long> lines) throws Exception {
        List<byte[]> messages = new ArrayList<>();
        Mbox.read(new ByteArrayInputStream(mbox), (line, message) -> {
            lines.add(line);
            messages.add(message);
        });
        return messages;
    }

    @Test
    void writeShouldQuoteFromLinesAndReadShouldGiveEachMessageBack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Mbox.write(out, "ann@example.net", Instant.parse("2026-12-04T10:00:00Z"), FIRST);
        Mbox.write(out, null, Instant.parse("2026-12-05T10:00:00Z"), SECOND);
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(text).startsWith("From ann@example.net Fri Dec 4 10:00:00 2026\n").contains("\n>From the start of a line\n")
            .contains("\n>>From quoted already\n").contains("\nFrom MAILER-DAEMON Sat Dec 5 10:00:00 2026\n");
        List<Long> lines = new ArrayList<>();
        List<byte[]> messages = read(out.toByteArray(), lines);
        assertThat(messages).hasSize(2);
        assertThat(new String(messages.get(0), StandardCharsets.UTF_8)).isEqualTo(new String(FIRST, StandardCharsets.UTF_8));
        assertThat(new String(messages.get(1), StandardCharsets.UTF_8)).isEqualTo(new String(SECOND, StandardCharsets.UTF_8));
        assertThat(lines).containsExactly(1L, 8L);
        assertThat(Mbox.count(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(2);
    }

    @Test
    void readShouldTakeAnMboxoFileWithLfLineEndsAndIgnoreTextBeforeTheFirstSeparator() throws Exception {
        byte[] mbox = ("preamble\n\nFrom a@example.net Thu Jan  1 00:00:00 2009\nSubject: a\n\nbody a\n\n"
            + "From b@example.net Thu Jan  1 00:00:00 2009\nSubject: b\n\nbody b\nFrom inside, not after a blank line\n")
            .getBytes(StandardCharsets.US_ASCII);

        List<Long> lines = new ArrayList<>();
        List<byte[]> messages = read(mbox, lines);

        assertThat(messages).hasSize(2);
        assertThat(new String(messages.get(1), StandardCharsets.US_ASCII))
            .isEqualTo("Subject: b\r\n\r\nbody b\r\nFrom inside, not after a blank line");
        assertThat(lines).containsExactly(3L, 8L);
    }
}
