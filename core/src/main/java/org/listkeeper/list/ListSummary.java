package org.listkeeper.list;

import java.util.Objects;

import org.listkeeper.list.MailingList;

/** A list with its member count, as listings show it. */
public final class ListSummary {
    private final MailingList list;
    private final int members;

    private ListSummary(MailingList list, int members) {
        this.list = Objects.requireNonNull(list);
        this.members = members;
    }

    public static ListSummary of(MailingList list, int members) {
        return new ListSummary(list, members);
    }

    public MailingList list() {
        return list;
    }

    public int members() {
        return members;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListSummary && ((ListSummary) o).list.equals(list) && ((ListSummary) o).members == members;
    }

    @Override
    public int hashCode() {
        return Objects.hash(list, members);
    }

    @Override
    public String toString() {
        return list.address().asString() + " (" + members + " members)";
    }
}
