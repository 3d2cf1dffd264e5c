package org.listkeeper.bounces;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real bounces (Sisimai's collection, resources/bounces/classes/README.md), each classified as Sisimai classifies it:
 * a mailbox failure counts against the member it names, a policy, message or transient failure never does.
 */
class BounceClassSamplesTest {
    private static final String DIR = "/bounces/classes/";

    static Stream<Arguments> samples() throws Exception {
        List<Arguments> samples = new ArrayList<>();
        try (InputStream in = BounceClassSamplesTest.class.getResourceAsStream(DIR + "expected.csv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] fields = line.split(",");
                    samples.add(Arguments.of(fields[0], BounceClass.ofLabel(fields[1]), fields[2]));
                }
            }
        }
        return samples.stream();
    }

    static BounceReport.Recipient read(String sample) throws Exception {
        try (InputStream in = BounceClassSamplesTest.class.getResourceAsStream(DIR + sample + ".eml")) {
            BounceReport report = BounceParser.parse(new MimeMessage(Session.getInstance(new Properties()), in)).orElseThrow();
            assertThat(report.recipients()).as(sample).hasSize(1);
            return report.recipients().get(0);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("samples")
    void eachRealBounceShouldBeClassifiedAsSisimaiReadsIt(String sample, BounceClass expected, String recipient) throws Exception {
        BounceReport.Recipient failed = read(sample);

        assertThat(failed.address().asString()).isEqualTo(recipient);
        assertThat(failed.bounceClass()).as(sample + ": " + failed.diagnostic().orElse("")).isEqualTo(expected);
        assertThat(failed.bounceClass().scored()).isEqualTo(expected == BounceClass.MAILBOX || expected == BounceClass.FULL);
    }

    @Test
    void theCollectionShouldHoldEveryClass() throws Exception {
        assertThat(samples().map(a -> a.get()[1]).distinct()).containsExactlyInAnyOrder((Object[]) BounceClass.values());
        assertThat(samples().filter(a -> a.get()[1] == BounceClass.POLICY).count()).isGreaterThanOrEqualTo(100);
    }
}
