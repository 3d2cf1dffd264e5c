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
import org.listkeeper.notices.AutoReplies;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.store.jdbc.JdbcSession.UniqueViolation;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/** {@link AutoReplies} on JDBC: a counter row per (list, address, day). */
final class JdbcAutoReplies implements AutoReplies {
    private final JdbcSession session;

    JdbcAutoReplies(JdbcSession session) {
        this.session = session;
    }


    @Override
    public boolean countAutoReply(long listId, MailAddress address, long epochDay, int limit) {
        String key = Addresses.key(address);
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean counted = session.autocommit("counting an automatic reply", c -> limit > 0
                ? execute(c, "UPDATE lk_auto_reply SET replies = replies + 1 WHERE list_id = ? AND address_key = ? AND epoch_day = ?"
                    + " AND replies < ?", listId, key, epochDay, limit) > 0
                : execute(c, "UPDATE lk_auto_reply SET replies = replies + 1 WHERE list_id = ? AND address_key = ? AND epoch_day = ?",
                    listId, key, epochDay) > 0);
            if (counted) {
                return true;
            }
            try {
                Boolean first = session.autocommit("counting an automatic reply", c -> {
                    Optional<Integer> replies = one(c, "SELECT replies FROM lk_auto_reply WHERE list_id = ? AND address_key = ?"
                        + " AND epoch_day = ?", rs -> rs.getInt(1), listId, key, epochDay);
                    if (replies.isPresent()) {
                        // the day's limit is reached, or another thread counted the day's first reply after our update
                        // looked: then the update decides, once more
                        return limit > 0 && replies.get() >= limit ? Boolean.FALSE : null;
                    }
                    execute(c, "INSERT INTO lk_auto_reply (list_id, address_key, epoch_day, replies) VALUES (?, ?, ?, 1)", listId, key,
                        epochDay);
                    return Boolean.TRUE;
                });
                if (first != null) {
                    return first;
                }
            } catch (UniqueViolation raced) {
                // another thread counted the first reply of the day meanwhile: count again
            }
        }
        throw new StoreUnavailableException("Automatic reply count of " + key + " kept changing under concurrent updates", null);
    }

    @Override
    public int purgeAutoRepliesBefore(long epochDay) {
        return session.autocommit("purging automatic reply counts", c -> execute(c, "DELETE FROM lk_auto_reply WHERE epoch_day < ?", epochDay));
    }
}
