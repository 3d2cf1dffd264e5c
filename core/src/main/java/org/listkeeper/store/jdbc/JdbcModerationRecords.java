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
import org.listkeeper.moderation.ModerationRecords;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.store.jdbc.JdbcSession.UniqueViolation;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/** {@link ModerationRecords} on JDBC. */
final class JdbcModerationRecords implements ModerationRecords {
    private final JdbcSession session;

    JdbcModerationRecords(JdbcSession session) {
        this.session = session;
    }


    @Override
    public Optional<ModerationRecord> moderation(long listId, String postKey) {
        return session.inTransaction("reading a moderation decision", c -> one(c, "SELECT action, rule_name, reason, notified"
            + " FROM lk_moderation WHERE list_id = ? AND post_key = ?", rs -> ModerationRecord.of(ModerationAction.parse(rs.getString(1)),
                rs.getString(2), rs.getString(3), rs.getBoolean(4)), listId, postKey));
    }

    @Override
    public ModerationRecord recordModeration(long listId, String postKey, ModerationAction action, String rule, String reason,
                                             Instant now) {
        try {
            session.autocommit("recording a moderation decision", c -> execute(c, "INSERT INTO lk_moderation (list_id, post_key, action,"
                + " rule_name, reason, decided_at) VALUES (?, ?, ?, ?, ?, ?)", listId, postKey, action.value(), rule,
                reason.length() <= 2000 ? reason : reason.substring(0, 1999) + "…", now.toEpochMilli()));
        } catch (UniqueViolation raced) {
            // another run of the same post decided first: its decision stands
        }
        return moderation(listId, postKey).orElseThrow(() -> new StoreException("The moderation decision of " + postKey
            + " vanished", null));
    }

    @Override
    public boolean markModerationNotified(long listId, String postKey) {
        return session.autocommit("marking a moderation notice", c -> execute(c, "UPDATE lk_moderation SET notified = TRUE"
            + " WHERE list_id = ? AND post_key = ? AND notified = FALSE", listId, postKey) > 0);
    }
}
