package org.listkeeper.list;

/**
 * What the list does to a post whose author's domain publishes a DMARC policy of {@code reject} or
 * {@code quarantine}: nothing, rewrite From to the list's address ({@code munge_from}), or send a new message
 * from the list with the original attached ({@code wrap_message}).
 */
public enum DmarcMitigation {
    NONE, MUNGE_FROM, WRAP_MESSAGE;

    public String value() {
        return Enums.value(this);
    }

    public static DmarcMitigation parse(String value) {
        return Enums.parse(DmarcMitigation.class, "dmarcMitigation", value);
    }
}
