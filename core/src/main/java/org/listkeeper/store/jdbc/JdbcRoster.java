package org.listkeeper.store.jdbc;

import static org.listkeeper.store.jdbc.JdbcSession.address;
import static org.listkeeper.store.jdbc.JdbcSession.execute;

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
import org.listkeeper.list.Audience;
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
import org.listkeeper.list.Roster;
import org.listkeeper.membership.PendingRequest;
import org.listkeeper.membership.RequestAction;
import org.listkeeper.membership.RequestState;
import org.listkeeper.membership.TokenAction;
import org.listkeeper.membership.TokenRecord;
import org.listkeeper.moderation.HeldPost;
import org.listkeeper.moderation.HeldState;
import org.listkeeper.moderation.ModerationRecord;
import org.listkeeper.pipeline.Claim;
import org.listkeeper.pipeline.FanoutProgress;
import org.listkeeper.store.jdbc.JdbcSession.UniqueViolation;
import org.listkeeper.unsubscribe.UnsubscribeTarget;

/** {@link Roster} on JDBC: one row per roster entry, ordered by (domain, address) for fan-out pages. */
final class JdbcRoster implements Roster {
    private final JdbcSession session;

    JdbcRoster(JdbcSession session) {
        this.session = session;
    }


    static final String MEMBER_COLUMNS = "address, display_name, role, delivery, disabled_by, digest, receive_own_posts,"
        + " hide_address, moderation_action";

    @Override
    public void saveMember(long listId, Member member) {
        session.retryingOnConflict("saving member " + member.address().asString() + " of list #" + listId, c -> {
            requireList(c, listId);
            keepLastDigest(c, listId, member);
            try (PreparedStatement update = c.prepareStatement("UPDATE lk_member SET address = ?, display_name = ?, role = ?,"
                + " delivery = ?, disabled_by = ?, digest = ?, receive_own_posts = ?, hide_address = ?, moderation_action = ?"
                + " WHERE list_id = ? AND address_key = ?")) {
                int index = bindMemberOptions(update, 1, member);
                update.setLong(index++, listId);
                update.setString(index, Addresses.key(member.address()));
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            insertMember(c, listId, member);
            return null;
        });
    }

    /**
     * A member leaving a digest kind (for single posts or the other kind) still gets, in the kind they leave, every
     * issue not yet sent: "one last digest", so no post falls between the two. The list row is locked first, as the
     * digest store does before it opens an issue, so an issue is either seen here or opened after this change.
     */
    private static void keepLastDigest(Connection c, long listId, Member member) throws SQLException {
        Optional<String> old = JdbcSession.one(c, "SELECT digest FROM lk_member WHERE list_id = ? AND address_key = ?",
            rs -> rs.getString(1), listId, Addresses.key(member.address()));
        if (old.isEmpty() || old.get().equals(DigestMode.NONE.value()) || old.get().equals(member.digest().value())) {
            return;
        }
        JdbcSession.one(c, "SELECT id FROM lk_list WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), listId);
        Optional<Long> unsent = JdbcSession.one(c, "SELECT id FROM lk_digest_issue WHERE list_id = ? AND sent_at IS NULL"
            + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", rs -> rs.getLong(1), listId);
        if (unsent.isPresent()) {
            JdbcSession.execute(c, "UPDATE lk_member SET last_digest_mode = ?, last_digest_issue = ? WHERE list_id = ? AND address_key = ?",
                old.get(), unsent.get(), listId, Addresses.key(member.address()));
        }
    }

    @Override
    public boolean addMember(long listId, Member member) {
        String operation = "adding member " + member.address().asString() + " to list #" + listId;
        if (!session.insideAtomically()) {
            try {
                return addMemberOnce(operation, listId, member);
            } catch (UniqueViolation raced) {
                return false; // a concurrent add of the same address won
            }
        }
        // inside a transaction a unique violation spoils it (PostgreSQL): let atomically() run it again
        return addMemberOnce(operation, listId, member);
    }

    private boolean addMemberOnce(String operation, long listId, Member member) {
        return session.autocommit(operation, c -> {
            requireList(c, listId);
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM lk_member WHERE list_id = ? AND address_key = ?")) {
                exists.setLong(1, listId);
                exists.setString(2, Addresses.key(member.address()));
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            insertMember(c, listId, member);
            return true;
        });
    }

    private static void insertMember(Connection c, long listId, Member member) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO lk_member (address, display_name, role, delivery, disabled_by,"
            + " digest, receive_own_posts, hide_address, moderation_action, list_id, address_key, domain, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int index = bindMemberOptions(insert, 1, member);
            insert.setLong(index++, listId);
            insert.setString(index++, Addresses.key(member.address()));
            insert.setString(index++, Addresses.domainKey(member.address()));
            insert.setLong(index, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    private static int bindMemberOptions(PreparedStatement statement, int first, Member member) throws SQLException {
        int index = first;
        statement.setString(index++, member.address().asString());
        statement.setString(index++, member.displayName().orElse(null));
        statement.setString(index++, member.role().value());
        statement.setString(index++, member.delivery().value());
        statement.setString(index++, member.disabledBy().map(DisabledBy::value).orElse(null));
        statement.setString(index++, member.digest().value());
        statement.setBoolean(index++, member.receiveOwnPosts());
        statement.setBoolean(index++, member.hideAddress());
        statement.setString(index++, member.moderationAction().map(ModerationAction::value).orElse(null));
        return index;
    }

    @Override
    public Optional<Member> findMember(long listId, MailAddress address) {
        return session.inTransaction("reading member " + address.asString(), c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + MEMBER_COLUMNS
                + " FROM lk_member WHERE list_id = ? AND address_key = ?")) {
                select.setLong(1, listId);
                select.setString(2, Addresses.key(address));
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(readMember(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean removeMember(long listId, MailAddress address) {
        return session.inTransaction("removing member " + address.asString(), c -> {
            // a token must not outlive the membership it was issued for: a later re-subscription gets a new one
            execute(c, "DELETE FROM lk_unsubscribe WHERE list_id = ? AND address_key = ?", listId, Addresses.key(address));
            return execute(c, "DELETE FROM lk_member WHERE list_id = ? AND address_key = ?", listId, Addresses.key(address)) > 0;
        });
    }

    @Override
    public List<Member> members(long listId) {
        return members(listId, Optional.empty(), 0, Integer.MAX_VALUE);
    }

    @Override
    public List<Member> members(long listId, Optional<Role> role, int offset, int limit) {
        return session.inTransaction("listing members of list #" + listId, c -> {
            List<Member> result = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + MEMBER_COLUMNS + " FROM lk_member WHERE list_id = ?"
                + (role.isPresent() ? " AND role = ?" : "") + " ORDER BY address_key OFFSET ? ROWS FETCH FIRST ? ROWS ONLY")) {
                int index = 1;
                select.setLong(index++, listId);
                if (role.isPresent()) {
                    select.setString(index++, role.get().value());
                }
                select.setInt(index++, Math.max(0, offset));
                select.setInt(index, Math.max(0, limit));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(readMember(rs));
                    }
                }
            }
            return result;
        });
    }

    @Override
    public int memberCount(long listId) {
        return countMembers(listId, " AND role <> 'nonmember'", Optional.empty());
    }

    @Override
    public int memberCount(long listId, Optional<Role> role) {
        return countMembers(listId, role.isPresent() ? " AND role = ?" : "", role);
    }

    private int countMembers(long listId, String condition, Optional<Role> role) {
        return session.inTransaction("counting members of list #" + listId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM lk_member WHERE list_id = ?" + condition)) {
                select.setLong(1, listId);
                if (role.isPresent()) {
                    select.setString(2, role.get().value());
                }
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit) {
        return deliveryPage(listId, after, limit, Optional.empty());
    }

    @Override
    public List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit, Optional<MailAddress> author) {
        return deliveryPage(listId, after, limit, author, Audience.everyone());
    }

    @Override
    public List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit, Optional<MailAddress> author,
                                     Audience audience) {
        return session.inTransaction("reading members of list " + listId, c -> {
            Optional<DigestMode> digest = audience.digest();
            boolean leavers = digest.isPresent() && digest.get() != DigestMode.NONE;
            String sql = "SELECT " + MEMBER_COLUMNS + " FROM lk_member WHERE list_id = ? AND delivery = ? AND role <> 'nonmember'"
                + (after.isPresent() ? " AND (domain > ? OR (domain = ? AND address_key > ?))" : "")
                + (author.isPresent() ? " AND NOT (address_key = ? AND receive_own_posts = FALSE)" : "")
                + (digest.isEmpty() ? "" : leavers
                    ? " AND (digest = ? OR (last_digest_mode = ? AND last_digest_issue >= ?))" : " AND digest = ?")
                + " ORDER BY domain, address_key FETCH FIRST ? ROWS ONLY";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int index = 1;
                select.setLong(index++, listId);
                select.setString(index++, Delivery.ENABLED.value());
                if (after.isPresent()) {
                    select.setString(index++, after.get().domain());
                    select.setString(index++, after.get().domain());
                    select.setString(index++, after.get().addressKey());
                }
                if (author.isPresent()) {
                    select.setString(index++, Addresses.key(author.get()));
                }
                if (digest.isPresent()) {
                    select.setString(index++, digest.get().value());
                    if (leavers) {
                        select.setString(index++, digest.get().value());
                        select.setLong(index++, audience.issueId());
                    }
                }
                select.setInt(index, limit);
                List<Member> result = new ArrayList<>(Math.min(limit, 1024));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(readMember(rs));
                    }
                }
                return result;
            }
        });
    }

    static Member readMember(ResultSet rs) throws SQLException {
        String disabledBy = rs.getString("disabled_by");
        String moderation = rs.getString("moderation_action");
        return Member.builder(address(rs.getString("address")))
            .displayName(rs.getString("display_name"))
            .role(Role.parse(rs.getString("role")))
            .delivery(Delivery.parse(rs.getString("delivery")))
            .disabledBy(disabledBy == null ? null : DisabledBy.parse(disabledBy))
            .digest(DigestMode.parse(rs.getString("digest")))
            .receiveOwnPosts(rs.getBoolean("receive_own_posts"))
            .hideAddress(rs.getBoolean("hide_address"))
            .moderationAction(moderation == null ? null : ModerationAction.parse(moderation))
            .build();
    }

    /** Fails with {@link NoSuchListException} when the list is gone (deleted meanwhile). */
    private static void requireList(Connection c, long listId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM lk_list WHERE id = ?")) {
            select.setLong(1, listId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchListException("#" + listId);
                }
            }
        }
    }
}
