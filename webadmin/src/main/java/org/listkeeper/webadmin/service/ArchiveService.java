package org.listkeeper.webadmin.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.archive.Archive;
import org.listkeeper.archive.ArchiveEntry;
import org.listkeeper.archive.ArchiveImport;
import org.listkeeper.archive.ArchiveQuery;
import org.listkeeper.archive.Archiver;
import org.listkeeper.archive.Mbox;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.pipeline.PostLedger;

/** A list's archive as an operator reads and tends it through WebAdmin: listings, messages, monthly mbox, takedowns, imports. */
public final class ArchiveService {
    /** Entries read from the store at a time while an mbox is written. */
    private static final int MBOX_PAGE = 200;

    private final Lists lists;
    private final Archive archive;
    private final PostLedger posts;
    private final Clock clock;

    @Inject
    public ArchiveService(Lists lists, Archive archive, PostLedger posts, Clock clock) {
        this.lists = Objects.requireNonNull(lists);
        this.archive = Objects.requireNonNull(archive);
        this.posts = Objects.requireNonNull(posts);
        this.clock = Objects.requireNonNull(clock);
    }

    /** One page of a listing and how many entries the whole query selects. */
    public static final class Page {
        private final List<ArchiveEntry> entries;
        private final int total;

        Page(List<ArchiveEntry> entries, int total) {
            this.entries = entries;
            this.total = total;
        }

        public List<ArchiveEntry> entries() {
            return entries;
        }

        public int total() {
            return total;
        }
    }

    public Page page(MailAddress listAddress, ArchiveQuery query, int offset, int limit) {
        long list = lists.getList(listAddress).id();
        return new Page(archive.entries(list, query, offset, limit), archive.count(list, query));
    }

    /** The archived message of post {@code number}; empty when there is no such entry. */
    public Optional<Message> message(MailAddress listAddress, long number) {
        long list = lists.getList(listAddress).id();
        Optional<ArchiveEntry> entry = archive.find(list, number);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Message(entry.get(), archive.message(list, number)));
    }

    /** An entry and its message, which a takedown removed when it is empty. */
    public static final class Message {
        private final ArchiveEntry entry;
        private final Optional<byte[]> bytes;

        Message(ArchiveEntry entry, Optional<byte[]> bytes) {
            this.entry = entry;
            this.bytes = bytes;
        }

        public ArchiveEntry entry() {
            return entry;
        }

        public Optional<byte[]> bytes() {
            return bytes;
        }
    }

    /** Writes the messages of {@code month} (YYYY-MM) as mboxrd, oldest number first, taken-down ones left out. */
    public void mbox(MailAddress listAddress, String month, OutputStream out) throws IOException {
        if (!ArchiveQuery.isMonth(month)) {
            throw new InvalidValueException("month", month, "expected YYYY-MM");
        }
        long list = lists.getList(listAddress).id();
        ArchiveQuery query = ArchiveQuery.of(Optional.of(month), Optional.empty(), Optional.empty());
        for (int offset = 0; ; offset += MBOX_PAGE) {
            List<ArchiveEntry> entries = archive.entries(list, query, offset, MBOX_PAGE);
            for (ArchiveEntry entry : entries) {
                Optional<byte[]> message = entry.deleted() ? Optional.empty() : archive.message(list, entry.number());
                if (message.isPresent()) {
                    Mbox.write(out, entry.authorAddress().orElse(null), entry.date(), message.get());
                }
            }
            if (entries.size() < MBOX_PAGE) {
                return;
            }
        }
    }

    /** Takes post {@code number} down: its message and words go, its number and thread place stay. */
    public boolean delete(MailAddress listAddress, long number) {
        return archive.delete(lists.getList(listAddress).id(), number);
    }

    /**
     * An mbox import as a task: the body is copied to a temporary file first (a history can be large), which the task
     * reads and deletes.
     */
    public ArchiveImportTask importTask(MailAddress listAddress, InputStream body) throws IOException {
        MailingList list = lists.getList(listAddress);
        Path file = Files.createTempFile("listkeeper-archive-import", ".mbox");
        try {
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        if (Files.size(file) == 0) {
            Files.deleteIfExists(file);
            throw new InvalidValueException("body", "(empty)", "expected an mbox");
        }
        ArchiveImport archiveImport = new ArchiveImport(archive, new Archiver(archive, clock), posts, list, clock);
        return new ArchiveImportTask(archiveImport, file, clock);
    }
}
