package org.listkeeper.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.apache.james.jdkim.mailets.MockPublicKeyRecordRetriever;

/** An RSA-2048 DKIM key for tests: as PEM, as a PEM file list delivery reads, and as the DNS record a verifier asks for. */
final class DkimTestKeys {
    private DkimTestKeys() {
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(KeyPair key) {
        return "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    }

    /** The private key in a PEM file, removed when the JVM ends. */
    static String file(KeyPair key) {
        try {
            Path file = Files.createTempFile("listkeeper-dkim", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, pem(key));
            return file.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static MockPublicKeyRecordRetriever publicKey(KeyPair key, String selector, String domain) {
        return new MockPublicKeyRecordRetriever("v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
            selector, domain);
    }
}
