package org.listkeeper.unsubscribe;

import java.util.Objects;

import org.apache.james.core.MailAddress;

/** Whom a one-click unsubscribe token stands for: a list and an address on its roster. */
public final class UnsubscribeTarget {
    private final long listId;
    private final MailAddress list;
    private final MailAddress member;

    public UnsubscribeTarget(long listId, MailAddress list, MailAddress member) {
        this.listId = listId;
        this.list = Objects.requireNonNull(list);
        this.member = Objects.requireNonNull(member);
    }

    public long listId() {
        return listId;
    }

    public MailAddress list() {
        return list;
    }

    public MailAddress member() {
        return member;
    }

    @Override
    public String toString() {
        return member.asString() + " on " + list.asString();
    }
}
