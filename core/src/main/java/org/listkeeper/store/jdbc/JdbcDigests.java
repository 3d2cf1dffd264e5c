package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.all;
import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.instant;
import static org.listkeeper.store.jdbc.JdbcSession.one;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.listkeeper.NoSuchListException;
import org.listkeeper.digest.DigestEntry;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.digest.DigestStore;

/**
 * {@link DigestStore} on JDBC: a row per issue and a row per post in an issue, keyed by (list, post number) so a post
 * is in one issue at most. Opening and closing issues lock the list's row, so a list never has two open issues.
 */
final class JdbcDigests implements DigestStore {
    private static final String ISSUE_COLUMNS = "id, list_id, volume, number, opened_at, closed_at, triggered_at, sent_at, posts,"
        + " size_bytes";

    private final JdbcSession session;

    JdbcDigests(JdbcSession session) {
        this.session = session;
    }

    @Override
    public Addition add(long listId, DigestEntry entry, OptionalLong threshold, Instant now) {
        return session.inTransaction("adding post #" + entry.postNumber() + " to a digest", c -> {
            lockList(c, listId);
            Optional<Long> holder = one(c, "SELECT issue_id FROM lk_digest_entry WHERE list_id = ? AND post_number = ?",
                rs -> rs.getLong(1), listId, entry.postNumber());
            if (holder.isPresent()) {
                return new Addition(issue(c, listId, holder.get()).orElseThrow(), false, false);
            }
            DigestIssue open = openIssue(c, listId).orElse(null);
            long issueId = open != null ? open.id() : openNext(c, listId, now);
            execute(c, "INSERT INTO lk_digest_entry (list_id, post_number, issue_id, subject, author, sent_at, size_bytes, message)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                listId, entry.postNumber(), issueId, entry.subject(), entry.author(), entry.date().toEpochMilli(), entry.size(),
                entry.message());
            execute(c, "UPDATE lk_digest_issue SET posts = posts + 1, size_bytes = size_bytes + ? WHERE id = ?", entry.size(), issueId);
            DigestIssue issue = issue(c, listId, issueId).orElseThrow();
            if (threshold.isPresent() && issue.size() >= threshold.getAsLong()) {
                execute(c, "UPDATE lk_digest_issue SET closed_at = ? WHERE id = ?", now.toEpochMilli(), issueId);
                return new Addition(issue(c, listId, issueId).orElseThrow(), true, true);
            }
            return new Addition(issue, true, false);
        });
    }

    /** Opens the list's next issue: the next number of the current volume, or issue 1 of a new volume in a new month. */
    private static long openNext(Connection c, long listId, Instant now) throws SQLException {
        Optional<DigestIssue> last = one(c, "SELECT " + ISSUE_COLUMNS + " FROM lk_digest_issue WHERE list_id = ? ORDER BY id DESC"
            + " FETCH FIRST 1 ROWS ONLY", JdbcDigests::readIssue, listId);
        int volume = 1;
        int number = 1;
        if (last.isPresent()) {
            boolean sameMonth = YearMonth.from(last.get().openedAt().atZone(ZoneOffset.UTC))
                .equals(YearMonth.from(now.atZone(ZoneOffset.UTC)));
            volume = sameMonth ? last.get().volume() : last.get().volume() + 1;
            number = sameMonth ? last.get().number() + 1 : 1;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_digest_issue (list_id, volume, number, opened_at)"
            + " VALUES (?, ?, ?, ?)", new String[] {"id"})) {
            JdbcSession.bind(insert, listId, volume, number, now.toEpochMilli());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    @Override
    public Optional<DigestIssue> openIssue(long listId) {
        return session.inTransaction("reading the open digest issue", c -> openIssue(c, listId));
    }

    private static Optional<DigestIssue> openIssue(Connection c, long listId) throws SQLException {
        return one(c, "SELECT " + ISSUE_COLUMNS + " FROM lk_digest_issue WHERE list_id = ? AND closed_at IS NULL",
            JdbcDigests::readIssue, listId);
    }

    @Override
    public Optional<DigestIssue> close(long listId, Instant now) {
        return session.inTransaction("closing the digest issue", c -> {
            lockList(c, listId);
            Optional<DigestIssue> open = openIssue(c, listId).filter(issue -> issue.posts() > 0);
            if (open.isEmpty()) {
                return Optional.<DigestIssue>empty();
            }
            execute(c, "UPDATE lk_digest_issue SET closed_at = ? WHERE id = ?", now.toEpochMilli(), open.get().id());
            return issue(c, listId, open.get().id());
        });
    }

    @Override
    public Optional<DigestIssue> issue(long listId, long issueId) {
        return session.inTransaction("reading digest issue #" + issueId, c -> issue(c, listId, issueId));
    }

    private static Optional<DigestIssue> issue(Connection c, long listId, long issueId) throws SQLException {
        return one(c, "SELECT " + ISSUE_COLUMNS + " FROM lk_digest_issue WHERE list_id = ? AND id = ?", JdbcDigests::readIssue,
            listId, issueId);
    }

    @Override
    public List<DigestIssue> issues(long listId, int limit) {
        return session.inTransaction("reading digest issues", c -> all(c, "SELECT " + ISSUE_COLUMNS + " FROM lk_digest_issue"
            + " WHERE list_id = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY", JdbcDigests::readIssue, listId, limit));
    }

    @Override
    public List<DigestEntry> entries(long issueId) {
        return session.inTransaction("reading the posts of digest issue #" + issueId, c -> all(c,
            "SELECT post_number, subject, author, sent_at, message FROM lk_digest_entry WHERE issue_id = ? ORDER BY post_number",
            rs -> DigestEntry.of(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getBytes(5)), issueId));
    }

    @Override
    public List<DigestIssue> closedNotTriggered(long listId) {
        return session.inTransaction("reading closed digest issues", c -> all(c, "SELECT " + ISSUE_COLUMNS
            + " FROM lk_digest_issue WHERE list_id = ? AND closed_at IS NOT NULL AND triggered_at IS NULL ORDER BY id",
            JdbcDigests::readIssue, listId));
    }

    @Override
    public void markTriggered(long issueId, Instant now) {
        session.inTransaction("recording the hand-over of digest issue #" + issueId, c -> execute(c,
            "UPDATE lk_digest_issue SET triggered_at = ? WHERE id = ? AND triggered_at IS NULL", now.toEpochMilli(), issueId));
    }

    @Override
    public void markSent(long issueId, Instant now) {
        session.inTransaction("recording digest issue #" + issueId + " as sent", c -> execute(c,
            "UPDATE lk_digest_issue SET sent_at = ?, triggered_at = COALESCE(triggered_at, ?) WHERE id = ? AND sent_at IS NULL",
            now.toEpochMilli(), now.toEpochMilli(), issueId));
    }

    @Override
    public int purgeSentBefore(Instant before) {
        return session.inTransaction("forgetting the posts of sent digests", c -> execute(c, "DELETE FROM lk_digest_entry"
            + " WHERE issue_id IN (SELECT id FROM lk_digest_issue WHERE sent_at < ?)", before.toEpochMilli()));
    }

    private static void lockList(Connection c, long listId) throws SQLException {
        if (one(c, "SELECT id FROM lk_list WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), listId).isEmpty()) {
            throw new NoSuchListException("#" + listId);
        }
    }

    private static DigestIssue readIssue(ResultSet rs) throws SQLException {
        return DigestIssue.of(rs.getLong("id"), rs.getLong("list_id"), rs.getInt("volume"), rs.getInt("number"),
            instant(rs, "opened_at"), instant(rs, "closed_at"), instant(rs, "triggered_at"), instant(rs, "sent_at"), rs.getInt("posts"),
            rs.getLong("size_bytes"));
    }
}
