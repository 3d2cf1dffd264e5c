package org.listkeeper.membership;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import org.listkeeper.internal.Digests;

/**
 * Confirmation tokens: 160 bits from a CSPRNG, URL-safe Base64 without padding (27 characters, safe in a
 * local part and a Subject), kept in the store only as a SHA-256 hash.
 */
public final class Tokens {
    /** Bytes of randomness in a token: 160 bits, above the 128 a guess must beat. */
    public static final int BYTES = 20;
    /** The textual length of a token. */
    public static final int LENGTH = 27;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{" + LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    public static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the store keeps of a token. */
    public static String hash(String token) {
        return Digests.sha256Hex(token);
    }

    /** Whether {@code text} has the shape of a token (anything else cannot be one, and is not looked up). */
    public static boolean looksLikeToken(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }
}
