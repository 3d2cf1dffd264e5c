package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.execute;
import static org.listkeeper.store.jdbc.JdbcSession.one;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.mail.internet.AddressException;
import javax.sql.DataSource;
import org.apache.james.core.MailAddress;
import org.listkeeper.NoSuchListException;
import org.listkeeper.StoreException;
import org.listkeeper.StoreUnavailableException;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.internal.Redaction;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.MemberCursor;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.RequestState;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;
import org.listkeeper.notices.TemplateStore;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/** {@link TemplateStore} on JDBC. */
final class JdbcTemplates implements TemplateStore {
    private final JdbcSession session;

    JdbcTemplates(JdbcSession session) {
        this.session = session;
    }


    @Override
    public Optional<String> template(long listId, String name) {
        return session.inTransaction("reading template " + name, c -> one(c, "SELECT body FROM lk_template WHERE list_id = ? AND name = ?",
            rs -> rs.getString(1), listId, name));
    }

    @Override
    public void saveTemplate(long listId, String name, String body) {
        session.retryingOnConflict("saving template " + name, c -> {
            if (execute(c, "UPDATE lk_template SET body = ? WHERE list_id = ? AND name = ?", body, listId, name) == 0) {
                execute(c, "INSERT INTO lk_template (list_id, name, body) VALUES (?, ?, ?)", listId, name, body);
            }
            return null;
        });
    }

    @Override
    public boolean deleteTemplate(long listId, String name) {
        return session.autocommit("deleting template " + name, c -> execute(c, "DELETE FROM lk_template WHERE list_id = ? AND name = ?",
            listId, name) > 0);
    }
}
