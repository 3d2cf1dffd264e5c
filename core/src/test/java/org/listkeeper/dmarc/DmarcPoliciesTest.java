package org.listkeeper.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DmarcPoliciesTest {
    private final Map<String, List<String>> dns = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final DmarcPolicies policies = new DmarcPolicies(name -> {
        asked.add(name);
        return dns.getOrDefault(name, List.of());
    }, Duration.ofHours(1));

    @Test
    void policyShouldComeFromTheDomainsOwnRecord() {
        dns.put("_dmarc.reject.example", List.of("v=spf1 -all", "v=DMARC1; p=reject; rua=mailto:d@reject.example"));
        dns.put("_dmarc.quarantine.example", List.of("\"v=DMARC1; \" \"p=quarantine\""));
        dns.put("_dmarc.none.example", List.of("v=DMARC1; p=none"));

        assertThat(policies.policyOf("reject.example")).isEqualTo(DmarcPolicy.REJECT);
        assertThat(policies.policyOf("Quarantine.Example.")).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(policies.policyOf("none.example")).isEqualTo(DmarcPolicy.NONE);
        assertThat(policies.policyOf("nothing.example")).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void subdomainShouldFallBackToItsOrganisationalDomainPreferringSp() {
        dns.put("_dmarc.example.co.uk", List.of("v=DMARC1; p=reject; sp=quarantine"));
        dns.put("_dmarc.bigcorp.com", List.of("v=DMARC1; p=reject"));

        assertThat(policies.policyOf("news.example.co.uk")).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(policies.policyOf("example.co.uk")).isEqualTo(DmarcPolicy.REJECT);
        assertThat(policies.policyOf("mail.eu.bigcorp.com")).isEqualTo(DmarcPolicy.REJECT);
        assertThat(asked).contains("_dmarc.news.example.co.uk", "_dmarc.example.co.uk", "_dmarc.mail.eu.bigcorp.com", "_dmarc.bigcorp.com");
        // a public suffix itself has no organisational domain to fall back to
        assertThat(policies.policyOf("co.uk")).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void brokenOrDuplicateRecordsShouldMeanNoPolicy() {
        dns.put("_dmarc.twice.example", List.of("v=DMARC1; p=reject", "v=DMARC1; p=none"));
        dns.put("_dmarc.noversion.example", List.of("p=reject"));
        dns.put("_dmarc.badpolicy.example", List.of("v=DMARC1; p=maybe"));
        dns.put("_dmarc.glued.example", List.of("v=DMARC1p=reject"));

        assertThat(policies.policyOf("twice.example")).isEqualTo(DmarcPolicy.NONE);
        assertThat(policies.policyOf("noversion.example")).isEqualTo(DmarcPolicy.NONE);
        assertThat(policies.policyOf("badpolicy.example")).isEqualTo(DmarcPolicy.NONE);
        assertThat(policies.policyOf("glued.example")).isEqualTo(DmarcPolicy.NONE);
        assertThat(policies.policyOf("[192.0.2.1]")).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void answersShouldBeCachedPerDomain() {
        dns.put("_dmarc.reject.example", List.of("v=DMARC1; p=reject"));

        policies.policyOf("reject.example");
        policies.policyOf("REJECT.example");
        dns.put("_dmarc.reject.example", List.of("v=DMARC1; p=none"));

        assertThat(policies.policyOf("reject.example")).isEqualTo(DmarcPolicy.REJECT);
        assertThat(asked).containsExactly("_dmarc.reject.example");
    }

    @Test
    void aFailingLookupShouldMeanNoPolicyAndNotBeCached() {
        boolean[] down = {true};
        DmarcPolicies failing = new DmarcPolicies(name -> {
            if (down[0]) {
                throw new IllegalStateException("DNS down");
            }
            return name.equals("_dmarc.reject.example") ? List.of("v=DMARC1; p=reject") : List.of();
        }, Duration.ofHours(1));

        assertThat(failing.policyOf("reject.example")).isEqualTo(DmarcPolicy.NONE);
        down[0] = false;
        assertThat(failing.policyOf("reject.example")).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void findingNoRecordShouldBeRememberedForMinutesNotTheWholeCacheTime() {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        com.google.common.base.Ticker ticker = new com.google.common.base.Ticker() {
            @Override
            public long read() {
                return nanos.get();
            }
        };
        DmarcPolicies cached = new DmarcPolicies(name -> {
            asked.add(name);
            return dns.getOrDefault(name, List.of());
        }, Duration.ofHours(1), ticker);

        // James's DNS service answers a timed-out lookup with no records, as if none were published
        assertThat(cached.policyOf("flaky.example")).isEqualTo(DmarcPolicy.NONE);
        dns.put("_dmarc.flaky.example", List.of("v=DMARC1; p=reject"));
        nanos.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(cached.policyOf("flaky.example")).isEqualTo(DmarcPolicy.NONE);
        nanos.addAndGet(Duration.ofMinutes(2).toNanos());
        assertThat(cached.policyOf("flaky.example")).isEqualTo(DmarcPolicy.REJECT);
        // a record found is kept for the whole cache time
        dns.remove("_dmarc.flaky.example");
        nanos.addAndGet(Duration.ofMinutes(50).toNanos());
        assertThat(cached.policyOf("flaky.example")).isEqualTo(DmarcPolicy.REJECT);
    }
}
