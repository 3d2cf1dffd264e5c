package org.listkeeper.list;

/**
 * What a roster entry is on a list. Owners, moderators and members receive posts while their delivery is
 * enabled; a nonmember is a known address that never receives posts and carries a moderation action for
 * its own posts.
 */
public enum Role {
    OWNER, MODERATOR, MEMBER, NONMEMBER;

    /** The lower-case name used in configuration, JSON and the store. */
    public String value() {
        return Enums.value(this);
    }

    /** Whether posts are delivered to entries of this role. */
    public boolean receivesPosts() {
        return this != NONMEMBER;
    }

    public static Role parse(String value) {
        return Enums.parse(Role.class, "role", value);
    }
}
