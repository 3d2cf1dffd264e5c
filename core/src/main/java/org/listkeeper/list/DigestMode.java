package org.listkeeper.list;

/**
 * Whether a member takes posts one by one ({@code none}) or as digests: MIME ({@code multipart/digest}) or plain text
 * (RFC 1153). On a list with digests off, every member takes posts one by one whatever their choice.
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
