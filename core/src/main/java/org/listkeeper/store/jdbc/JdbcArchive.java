package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.all;
import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.one;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.listkeeper.archive.Archive;
import org.listkeeper.archive.ArchiveEntry;
import org.listkeeper.archive.ArchiveQuery;
import org.listkeeper.store.jdbc.JdbcSession.UniqueViolation;

/**
 * {@link Archive} on JDBC: a row per post with its message, and a row per distinct word of each post for search — an
 * index of our own, because it is one code path on H2 and PostgreSQL and lives where the archive lives, so every node
 * of a cluster searches the same index (a Lucene directory would sit on one node's disk, and the two databases' own
 * full-text features differ in syntax, ranking and set-up).
 */
final class JdbcArchive implements Archive {
    private static final String COLUMNS = "post_number, message_id, subject, author_name, author_address, sent_at, thread_id,"
        + " in_reply_to, size_bytes, deleted";
    private static final int WORDS_PER_STATEMENT = 500;

    private final JdbcSession session;

    JdbcArchive(JdbcSession session) {
        this.session = session;
    }

    @Override
    public boolean add(long listId, ArchiveEntry entry, String messageIdKey, String subjectKey, byte[] message, Set<String> words) {
        try {
            return session.inTransaction("archiving post #" + entry.number(), c -> {
                if (one(c, "SELECT 1 FROM lk_archive WHERE list_id = ? AND post_number = ?", rs -> 1, listId, entry.number())
                    .isPresent()) {
                    return false;
                }
                execute(c, "INSERT INTO lk_archive (list_id, post_number, message_id, message_id_key, subject, subject_key,"
                        + " author_name, author_address, sent_at, sent_month, thread_id, in_reply_to, size_bytes, message, deleted, archived_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)",
                    listId, entry.number(), entry.messageId().orElse(null), messageIdKey, entry.subject(), subjectKey,
                    entry.authorName(), entry.authorAddress().orElse(null), entry.date().toEpochMilli(), month(entry.date()),
                    entry.threadId(), entry.inReplyTo().orElse(null), entry.size(), message, System.currentTimeMillis());
                insertWords(c, listId, entry.number(), words);
                return true;
            });
        } catch (UniqueViolation raced) {
            return false; // a concurrent run of the same post archived it first
        } catch (org.listkeeper.StoreException e) {
            if (e.getCause() instanceof SQLException && SqlErrors.isUniqueViolation((SQLException) e.getCause())) {
                return false;
            }
            throw e;
        }
    }

    private static void insertWords(Connection c, long listId, long number, Set<String> words) throws SQLException {
        List<String> all = new ArrayList<>(words);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_archive_word (list_id, word, post_number) VALUES (?, ?, ?)")) {
            int pending = 0;
            for (String word : all) {
                insert.setLong(1, listId);
                insert.setString(2, word);
                insert.setLong(3, number);
                insert.addBatch();
                if (++pending == WORDS_PER_STATEMENT) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    static String month(Instant date) {
        return date.atZone(ZoneOffset.UTC).toLocalDate().toString().substring(0, 7);
    }

    @Override
    public Optional<ArchiveEntry> find(long listId, long number) {
        return session.inTransaction("reading archived post #" + number, c -> one(c, "SELECT " + COLUMNS
            + " FROM lk_archive WHERE list_id = ? AND post_number = ?", JdbcArchive::read, listId, number));
    }

    @Override
    public Optional<byte[]> message(long listId, long number) {
        return session.inTransaction("reading archived post #" + number, c -> one(c, "SELECT message FROM lk_archive"
            + " WHERE list_id = ? AND post_number = ? AND deleted = FALSE", rs -> rs.getBytes(1), listId, number)
            .filter(bytes -> bytes != null));
    }

    @Override
    public List<ArchiveEntry> entries(long listId, ArchiveQuery query, int offset, int limit) {
        if (query.findsNothing()) {
            return List.of();
        }
        List<Object> parameters = new ArrayList<>();
        String where = where(listId, query, parameters);
        parameters.add(Math.max(0, offset));
        parameters.add(Math.max(0, limit));
        return session.inTransaction("listing the archive", c -> all(c, "SELECT " + COLUMNS + " FROM lk_archive a WHERE " + where
            + " ORDER BY post_number OFFSET ? ROWS FETCH FIRST ? ROWS ONLY", JdbcArchive::read, parameters.toArray()));
    }

    @Override
    public int count(long listId, ArchiveQuery query) {
        if (query.findsNothing()) {
            return 0;
        }
        List<Object> parameters = new ArrayList<>();
        String where = where(listId, query, parameters);
        return session.inTransaction("counting the archive", c -> one(c, "SELECT COUNT(*) FROM lk_archive a WHERE " + where,
            rs -> rs.getInt(1), parameters.toArray()).orElse(0));
    }

    private static String where(long listId, ArchiveQuery query, List<Object> parameters) {
        StringBuilder where = new StringBuilder("a.list_id = ?");
        parameters.add(listId);
        if (query.month().isPresent()) {
            where.append(" AND a.sent_month = ?");
            parameters.add(query.month().get());
        }
        if (query.threadId().isPresent()) {
            where.append(" AND a.thread_id = ?");
            parameters.add(query.threadId().get());
        }
        for (String word : query.words()) {
            where.append(" AND EXISTS (SELECT 1 FROM lk_archive_word w WHERE w.list_id = a.list_id AND w.post_number = a.post_number"
                + " AND w.word = ?)");
            parameters.add(word);
        }
        return where.toString();
    }

    @Override
    public Optional<Long> threadOfMessage(long listId, Collection<String> messageIdKeys) {
        for (String key : messageIdKeys) {
            Optional<Long> thread = session.inTransaction("finding a thread", c -> one(c, "SELECT thread_id FROM lk_archive"
                + " WHERE list_id = ? AND message_id_key = ? ORDER BY post_number DESC FETCH FIRST 1 ROWS ONLY",
                rs -> rs.getLong(1), listId, key));
            if (thread.isPresent()) {
                return thread;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Long> threadOfSubject(long listId, String subjectKey, Instant since) {
        return session.inTransaction("finding a thread by subject", c -> one(c, "SELECT thread_id FROM lk_archive WHERE list_id = ?"
            + " AND subject_key = ? AND sent_at >= ? ORDER BY sent_at DESC, post_number DESC FETCH FIRST 1 ROWS ONLY",
            rs -> rs.getLong(1), listId, subjectKey, since.toEpochMilli()));
    }

    @Override
    public boolean hasMessage(long listId, String messageIdKey) {
        return session.inTransaction("looking up an archived Message-ID", c -> one(c, "SELECT 1 FROM lk_archive WHERE list_id = ?"
            + " AND message_id_key = ? FETCH FIRST 1 ROWS ONLY", rs -> 1, listId, messageIdKey).isPresent());
    }

    @Override
    public boolean delete(long listId, long number) {
        return session.inTransaction("deleting archived post #" + number, c -> {
            execute(c, "DELETE FROM lk_archive_word WHERE list_id = ? AND post_number = ?", listId, number);
            return execute(c, "UPDATE lk_archive SET message = NULL, deleted = TRUE, subject = '', author_name = '',"
                + " author_address = NULL, size_bytes = 0 WHERE list_id = ? AND post_number = ?", listId, number) > 0;
        });
    }

    private static ArchiveEntry read(ResultSet rs) throws SQLException {
        return ArchiveEntry.builder(rs.getLong("post_number")).messageId(rs.getString("message_id")).subject(rs.getString("subject"))
            .author(rs.getString("author_name"), rs.getString("author_address")).date(Instant.ofEpochMilli(rs.getLong("sent_at")))
            .threadId(rs.getLong("thread_id")).inReplyTo(rs.getString("in_reply_to")).size(rs.getLong("size_bytes"))
            .deleted(rs.getBoolean("deleted")).build();
    }
}
