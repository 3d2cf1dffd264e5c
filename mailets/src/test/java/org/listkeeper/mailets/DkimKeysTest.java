package org.listkeeper.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimKeysTest {
    private static final byte[] MESSAGE = ("From: team@lists.example.org\r\nTo: ann@member.example\r\nSubject: hi\r\n"
        + "List-Unsubscribe: <https://lists.example.org/unsubscribe/abc>, <mailto:team-leave@lists.example.org>\r\n"
        + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nMessage-ID: <k1@example.org>\r\n\r\nHello.\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    private static KeyPair key;

    @TempDir
    Path directory;

    @BeforeAll
    static void generate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair();
    }

    private static List<SignatureRecord> verify(byte[] signed) throws Exception {
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
        return new DKIMVerifier((method, selector, domain) -> List.of(record)).verify(new ByteArrayInputStream(signed));
    }

    @Test
    void aSignedCopyShouldVerifyAndCoverTheOneClickHeaders() throws Exception {
        Path pem = Files.writeString(directory.resolve("k.pem"), "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        DkimKeys keys = DkimKeys.parse("dkimKeys", "Lists.Example.org:lk2026:" + pem);

        byte[] signed = keys.forDomain("lists.example.org").orElseThrow().sign(MESSAGE);

        List<SignatureRecord> signatures = verify(signed);
        assertThat(signatures).hasSize(1);
        assertThat(signatures.get(0).getDToken().toString()).isEqualTo("lists.example.org");
        assertThat(signatures.get(0).getHeaders().stream().map(h -> h.toString().toLowerCase(Locale.ROOT)))
            .contains("list-unsubscribe", "list-unsubscribe-post");
        assertThat(keys.forDomain("other.example.org")).isEmpty();
        // the check can fail: a changed one-click header no longer verifies
        String tampered = new String(signed, StandardCharsets.US_ASCII).replace("One-Click", "Two-Clicks");
        assertThatThrownBy(() -> verify(tampered.getBytes(StandardCharsets.US_ASCII)))
            .isInstanceOf(org.apache.james.jdkim.exceptions.FailException.class);
    }

    @Test
    void aPkcs1KeyShouldBeReadAsWell() throws Exception {
        // PKCS#8 wraps the PKCS#1 key in an octet string after a fixed 26-byte header for a 2048-bit RSA key
        byte[] pkcs8 = key.getPrivate().getEncoded();
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";

        assertThat(DkimKeys.privateKey(pem).getEncoded()).isEqualTo(pkcs8);
    }
}
