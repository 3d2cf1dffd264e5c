package org.listkeeper.list;

/**
 * Who may read a list's archive: {@code public} (anyone), {@code private} (members only; the default) or {@code never}
 * (posts are not archived at all).
 */
public enum ArchivePolicy {
    PUBLIC, PRIVATE, NEVER;

    public String value() {
        return Enums.value(this);
    }

    public static ArchivePolicy parse(String value) {
        return Enums.parse(ArchivePolicy.class, "archivePolicy", value);
    }
}
