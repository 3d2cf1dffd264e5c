package org.listkeeper.list;

/**
 * Whether a member wants posts one by one or as a digest. Recorded and reported; digests themselves are
 * not built yet, so every member receives posts one by one.
 */
public enum DigestMode {
    NONE, PLAIN, MIME;

    public String value() {
        return Enums.value(this);
    }

    public static DigestMode parse(String value) {
        return Enums.parse(DigestMode.class, "digest", value);
    }
}
