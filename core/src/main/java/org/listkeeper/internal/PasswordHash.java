package org.listkeeper.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The list moderator password as the store keeps it: PBKDF2-HMAC-SHA256 with a random salt, never the
 * password itself. Checked in constant time.
 */
public final class PasswordHash {
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int ITERATIONS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
            + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether {@code candidate} is the password {@code stored} was made from. */
    public static boolean matches(String stored, String candidate) {
        if (stored == null || candidate == null) {
            return false;
        }
        String[] parts = stored.split(":");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(candidate, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        }
    }

    /** Whether {@code value} is a stored hash rather than a password. */
    static boolean isHash(String value) {
        return value != null && value.startsWith(PREFIX + ":") && value.getBytes(StandardCharsets.US_ASCII).length > 40;
    }
}
