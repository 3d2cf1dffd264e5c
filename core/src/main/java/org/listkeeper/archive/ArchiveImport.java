package org.listkeeper.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import javax.mail.MessagingException;

import org.listkeeper.internal.Digests;
import org.listkeeper.list.MailingList;
import org.listkeeper.pipeline.PostLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a list's history in from an mbox (Mailman 2's pipermail archive, a HyperKitty export, a mail client's
 * folder): each message gets the list's next post number, in the order of the file, and is archived as live posts
 * are. A message the archive already has (by Message-ID; by its content's digest when it has none) is skipped, so an
 * import can be repeated, or resumed after a crash, without doubling anything. A message that does not parse is
 * refused with the line its separator is on; the rest go in.
 */
public final class ArchiveImport {
    /** Refusals listed in the report; the count goes on past it. */
    public static final int MAX_LISTED_ERRORS = 100;
    private static final Logger LOGGER = LoggerFactory.getLogger(ArchiveImport.class);
    private static final Pattern HEADER_LINE = Pattern.compile("^[\\x21-\\x39\\x3b-\\x7e]+:.*");

    /** A message refused: the line of its separator and why. */
    public static final class Refusal {
        private final long line;
        private final String error;

        Refusal(long line, String error) {
            this.line = line;
            this.error = error;
        }

        public long line() {
            return line;
        }

        public String error() {
            return error;
        }
    }

    private final Archive archive;
    private final Archiver archiver;
    private final PostLedger posts;
    private final MailingList list;
    private final Clock clock;
    private final AtomicInteger processed = new AtomicInteger();
    private final AtomicInteger imported = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<Refusal> refusals = Collections.synchronizedList(new ArrayList<>());

    public ArchiveImport(Archive archive, Archiver archiver, PostLedger posts, MailingList list, Clock clock) {
        this.archive = Objects.requireNonNull(archive);
        this.archiver = Objects.requireNonNull(archiver);
        this.posts = Objects.requireNonNull(posts);
        this.list = Objects.requireNonNull(list);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Imports every message of {@code mbox}. */
    public void run(InputStream mbox) throws IOException {
        Mbox.read(mbox, new Mbox.Visitor() {
            @Override
            public void message(long line, byte[] message) {
                importOne(line, message);
            }

            @Override
            public void tooLarge(long line) {
                refuse(line, "the message is larger than 64 MiB");
            }
        });
        LOGGER.info("Archive import into {}: {} messages, {} imported, {} already there, {} refused", list.address().asString(),
            processed.get(), imported.get(), skipped.get(), refused.get());
    }

    private void importOne(long line, byte[] message) {
        try {
            Optional<String> problem = malformed(message);
            if (problem.isPresent()) {
                refuse(line, problem.get());
                return;
            }
            String key = Archiver.messageIdKey(message).orElseGet(() -> "sha256:" + Digests.sha256Hex(message));
            if (archive.hasMessage(list.id(), key)) {
                skipped.incrementAndGet();
                return;
            }
            // the same key always gets the same number: an import resumed after a crash does not leave a gap
            long number = posts.assignPostNumber(list.id(), "archive-import:" + key, clock.instant());
            if (archiver.archive(list, number, message, key)) {
                imported.incrementAndGet();
            } else if (archive.hasMessage(list.id(), key)) {
                skipped.incrementAndGet(); // a concurrent import of the same file archived it first
            } else {
                refuse(line, "post number " + number + " is taken by another message of the archive");
            }
        } catch (MessagingException | RuntimeException e) {
            refuse(line, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } finally {
            processed.incrementAndGet();
        }
    }

    /** Why a message cannot be archived, when it cannot: no header section at all. */
    private static Optional<String> malformed(byte[] message) {
        String text = new String(message, 0, Math.min(message.length, 4_096), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        String first = end < 0 ? text : text.substring(0, end);
        if (first.isEmpty() || !HEADER_LINE.matcher(first).matches()) {
            return Optional.of("no header section: the message does not start with a header line");
        }
        return Optional.empty();
    }

    private void refuse(long line, String error) {
        refused.incrementAndGet();
        if (refusals.size() < MAX_LISTED_ERRORS) {
            refusals.add(new Refusal(line, error));
        }
    }

    public MailingList list() {
        return list;
    }

    public int processed() {
        return processed.get();
    }

    public int imported() {
        return imported.get();
    }

    public int skipped() {
        return skipped.get();
    }

    public int refused() {
        return refused.get();
    }

    /** The first {@link #MAX_LISTED_ERRORS} refusals, in the order of the file. */
    public List<Refusal> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }
}
