package org.listkeeper.mailets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.exceptions.FailException;

/**
 * The DKIM keys list delivery signs with, per list domain: {@code domain:selector:key.pem} entries separated by commas,
 * each key an RSA private key in PEM (PKCS#8 {@code BEGIN PRIVATE KEY} or PKCS#1 {@code BEGIN RSA PRIVATE KEY}). A copy
 * is signed after it is rendered, so the signature covers the member's own headers and footer; relaxed/relaxed,
 * rsa-sha256, over the headers a list copy carries, the one-click unsubscribe headers among them.
 */
final class DkimKeys {
    static final String SIGNED_HEADERS = "from:sender:reply-to:to:cc:subject:date:message-id:in-reply-to:references:mime-version"
        + ":content-type:content-transfer-encoding:list-id:list-post:list-help:list-subscribe:list-unsubscribe:list-unsubscribe-post"
        + ":list-owner:list-archive:archived-at:precedence";

    private final Map<String, Key> keys;

    private DkimKeys(Map<String, Key> keys) {
        this.keys = keys;
    }

    static DkimKeys none() {
        return new DkimKeys(Map.of());
    }

    /** Reads {@code value} ({@code domain:selector:path, …}); a missing or unreadable key fails, naming it. */
    static DkimKeys parse(String parameter, String value) {
        Map<String, Key> keys = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] fields = trimmed.split(":", 3);
            if (fields.length != 3 || fields[0].isBlank() || fields[1].isBlank() || fields[2].isBlank()) {
                throw new IllegalArgumentException("Invalid " + parameter + " entry '" + trimmed + "': expected domain:selector:key.pem");
            }
            String domain = fields[0].strip().toLowerCase(Locale.ROOT);
            String selector = fields[1].strip();
            if (!selector.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || !domain.matches("[a-z0-9.-]+")) {
                throw new IllegalArgumentException("Invalid " + parameter + " entry '" + trimmed + "': a domain and a selector are letters, digits, dots and dashes");
            }
            Path path = Paths.get(fields[2].strip());
            PrivateKey key;
            try {
                key = privateKey(Files.readString(path, StandardCharsets.US_ASCII));
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid " + parameter + " key " + path + " for " + domain + ": " + e.getMessage(), e);
            }
            keys.put(domain, new Key(domain, selector, key));
        }
        return new DkimKeys(Map.copyOf(keys));
    }

    /** The key for mail of a list at {@code domain}. */
    Optional<Key> forDomain(String domain) {
        return Optional.ofNullable(keys.get(domain.toLowerCase(Locale.ROOT)));
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    @Override
    public String toString() {
        return keys.isEmpty() ? "no DKIM keys" : "DKIM keys for " + keys.keySet();
    }

    /** One domain's key. */
    static final class Key {
        private final String domain;
        private final String template;
        private final PrivateKey key;

        private Key(String domain, String selector, PrivateKey key) {
            this.domain = domain;
            this.template = "v=1; s=" + selector + "; d=" + domain + "; c=relaxed/relaxed; a=rsa-sha256; bh=; b=; h=" + SIGNED_HEADERS + ";";
            this.key = key;
        }

        /** {@code message} with its DKIM-Signature header in front. */
        byte[] sign(byte[] message) {
            String signature;
            try {
                signature = new DKIMSigner(template, key).sign(new ByteArrayInputStream(message));
            } catch (IOException | FailException e) {
                throw new IllegalStateException("DKIM signing for " + domain + " failed: " + e.getMessage(), e);
            }
            byte[] header = (signature + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] signed = new byte[header.length + message.length];
            System.arraycopy(header, 0, signed, 0, header.length);
            System.arraycopy(message, 0, signed, header.length, message.length);
            return signed;
        }
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        if (!pkcs1 && !pem.contains("BEGIN PRIVATE KEY")) {
            throw new IllegalArgumentException("not a PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? pkcs8(der) : der));
    }

    /** A PKCS#1 RSA key wrapped as PKCS#8: version 0, the rsaEncryption algorithm, the key as an octet string. */
    private static byte[] pkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.write(0x04);
        body.writeBytes(length(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream sequence = new ByteArrayOutputStream();
        sequence.write(0x30);
        sequence.writeBytes(length(body.size()));
        sequence.writeBytes(body.toByteArray());
        return sequence.toByteArray();
    }

    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }
}
