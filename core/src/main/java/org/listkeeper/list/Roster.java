package org.listkeeper.list;

import java.util.List;
import java.util.Optional;
import org.apache.james.core.MailAddress;

/** A list's roster: members, owners, moderators and known nonmembers with their options, and the pages fan-out reads. */
public interface Roster {

    /** Adds or replaces the roster entry of {@code member.address()}. */
    void saveMember(long listId, Member member);

    Optional<Member> findMember(long listId, MailAddress address);

    /** False when the address was not on the roster. */
    boolean removeMember(long listId, MailAddress address);

    /**
     * Adds the entry unless its address is already on the roster; false (and nothing changed) when it was.
     * Concurrent adds of one address: exactly one returns true.
     */
    boolean addMember(long listId, Member member);

    /** The whole roster of a list, ordered by address. */
    List<Member> members(long listId);

    /** One page of the roster ({@code offset} entries skipped), ordered by address, optionally of one role only. */
    List<Member> members(long listId, Optional<Role> role, int offset, int limit);

    /** Roster entries that receive posts (every role but nonmember). */
    int memberCount(long listId);

    /** Roster entries of {@code role}, or of every role when empty. */
    int memberCount(long listId, Optional<Role> role);

    /**
     * One page of the entries that receive posts (delivery enabled, not a nonmember), ordered by (domain,
     * address), starting after {@code after} (from the beginning when empty).
     */
    List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit);

    /**
     * As {@link #deliveryPage(long, Optional, int)}, leaving out {@code author} when that member does not want
     * copies of their own posts.
     */
    List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit, Optional<MailAddress> author);

    /** As {@link #deliveryPage(long, Optional, int, Optional)}, of the members in {@code audience} only. */
    List<Member> deliveryPage(long listId, Optional<MemberCursor> after, int limit, Optional<MailAddress> author, Audience audience);
}
