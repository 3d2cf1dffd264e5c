package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.all;
import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.instant;
import static org.listkeeper.store.jdbc.JdbcSession.millis;
import static org.listkeeper.store.jdbc.JdbcSession.one;
import static org.listkeeper.store.jdbc.JdbcSession.text;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.listkeeper.store.MailRepositories;
import org.listkeeper.store.StoredMail;

/**
 * {@link MailRepositories} on JDBC: one row per mail. A store is an update, then an insert when no row was there; a
 * node inserting the same key at the same moment makes the unique key refuse one insert, and that store runs again as
 * an update, so concurrent stores of one key both succeed and the last one wins.
 */
final class JdbcMailRepositories implements MailRepositories {
    /** Keys removed per statement: bounded so that no database meets an unbounded IN list. */
    private static final int REMOVE_CHUNK = 200;
    private static final String COLUMNS = "mail_key, message, sender, recipients, state, error_message, remote_host,"
        + " remote_address, last_updated, attributes, recipient_headers";

    private final JdbcSession session;

    JdbcMailRepositories(JdbcSession session) {
        this.session = session;
    }

    @Override
    public void store(String repository, StoredMail mail) {
        checkRepository(repository);
        String recipients = String.join("\n", mail.recipients());
        long now = System.currentTimeMillis();
        session.retryingOnConflict("storing mail " + mail.key() + " in " + repository, c -> {
            int updated = execute(c, "UPDATE lk_repository_mail SET message = ?, sender = ?, recipients = ?, state = ?,"
                + " error_message = ?, remote_host = ?, remote_address = ?, last_updated = ?, attributes = ?, recipient_headers = ?,"
                + " stored_at = ? WHERE repository = ? AND mail_key = ?", mail.message(), text(mail.sender()), recipients,
                mail.state(), text(mail.errorMessage()), text(mail.remoteHost()), text(mail.remoteAddress()),
                millis(mail.lastUpdated()), text(mail.attributes()), text(mail.recipientHeaders()), now, repository, mail.key());
            if (updated == 0) {
                execute(c, "INSERT INTO lk_repository_mail (repository, " + COLUMNS + ", stored_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", repository, mail.key(), mail.message(), text(mail.sender()),
                    recipients, mail.state(), text(mail.errorMessage()), text(mail.remoteHost()), text(mail.remoteAddress()),
                    millis(mail.lastUpdated()), text(mail.attributes()), text(mail.recipientHeaders()), now);
            }
            return null;
        });
    }

    @Override
    public Optional<StoredMail> find(String repository, String key) {
        checkRepository(repository);
        Objects.requireNonNull(key, "key");
        return session.inTransaction("reading mail " + key + " of " + repository, c -> one(c, "SELECT " + COLUMNS
            + " FROM lk_repository_mail WHERE repository = ? AND mail_key = ?", JdbcMailRepositories::readMail, repository, key));
    }

    @Override
    public List<String> keys(String repository) {
        checkRepository(repository);
        return session.inTransaction("listing the mails of " + repository, c -> all(c, "SELECT mail_key FROM lk_repository_mail"
            + " WHERE repository = ? ORDER BY seq", rs -> rs.getString(1), repository));
    }

    @Override
    public long count(String repository) {
        checkRepository(repository);
        return session.inTransaction("counting the mails of " + repository, c -> one(c, "SELECT COUNT(*) FROM lk_repository_mail"
            + " WHERE repository = ?", rs -> rs.getLong(1), repository)).orElse(0L);
    }

    @Override
    public boolean remove(String repository, String key) {
        checkRepository(repository);
        Objects.requireNonNull(key, "key");
        return session.autocommit("removing mail " + key + " from " + repository, c -> execute(c, "DELETE FROM lk_repository_mail"
            + " WHERE repository = ? AND mail_key = ?", repository, key)) > 0;
    }

    @Override
    public int remove(String repository, Collection<String> keys) {
        checkRepository(repository);
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
        if (distinct.isEmpty()) {
            return 0;
        }
        return session.inTransaction("removing " + distinct.size() + " mails from " + repository, c -> {
            int removed = 0;
            for (int from = 0; from < distinct.size(); from += REMOVE_CHUNK) {
                List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + REMOVE_CHUNK));
                Object[] parameters = new Object[chunk.size() + 1];
                parameters[0] = repository;
                for (int i = 0; i < chunk.size(); i++) {
                    parameters[i + 1] = Objects.requireNonNull(chunk.get(i), "key");
                }
                String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
                removed += execute(c, "DELETE FROM lk_repository_mail WHERE repository = ? AND mail_key IN (" + marks + ")",
                    parameters);
            }
            return removed;
        });
    }

    @Override
    public int removeAll(String repository) {
        checkRepository(repository);
        return session.autocommit("removing every mail of " + repository, c -> execute(c, "DELETE FROM lk_repository_mail"
            + " WHERE repository = ?", repository));
    }

    private static StoredMail readMail(ResultSet rs) throws SQLException {
        String recipients = rs.getString("recipients");
        return StoredMail.builder(rs.getString("mail_key"), rs.getBytes("message"))
            .sender(rs.getString("sender"))
            .recipients(recipients.isEmpty() ? List.of() : List.of(recipients.split("\n")))
            .state(rs.getString("state"))
            .errorMessage(rs.getString("error_message"))
            .remoteHost(rs.getString("remote_host"))
            .remoteAddress(rs.getString("remote_address"))
            .lastUpdated(instant(rs, "last_updated"))
            .attributes(rs.getString("attributes"))
            .recipientHeaders(rs.getString("recipient_headers"))
            .build();
    }

    private static void checkRepository(String repository) {
        Objects.requireNonNull(repository, "repository");
        if (repository.isEmpty() || repository.length() > StoredMail.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("A mail repository name has 1 to " + StoredMail.MAX_KEY_LENGTH + " characters, not "
                + repository.length());
        }
    }
}
