package org.listkeeper.dmarc;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.net.InternetDomainName;
import com.google.common.util.concurrent.UncheckedExecutionException;

/**
 * The DMARC policy that applies to mail from a domain: the domain's own {@code _dmarc} record, else the record of
 * its organisational domain (the registrable domain under the public suffix list, {@code sp=} before {@code p=}),
 * as RFC 7489 section 6.6.3 says. Answers are cached, so a busy list asks DNS once per author domain per hour.
 */
public final class DmarcPolicies {
    /** How the host reads TXT records. Returns no records when the name has none or cannot be resolved. */
    @FunctionalInterface
    public interface TxtLookup {
        List<String> txt(String name);
    }

    /** Finds no policy anywhere: only unconditional mitigation applies. */
    public static final DmarcPolicies NONE = new DmarcPolicies(name -> List.of(), Duration.ofHours(1));

    private static final Logger LOGGER = LoggerFactory.getLogger(DmarcPolicies.class);
    private static final int MAX_DOMAINS = 10_000;

    private final TxtLookup lookup;
    private final Cache<String, DmarcPolicy> cache;

    public DmarcPolicies(TxtLookup lookup, Duration cacheFor) {
        this.lookup = lookup;
        this.cache = CacheBuilder.newBuilder().maximumSize(MAX_DOMAINS).expireAfterWrite(cacheFor).build();
    }

    /** The policy for mail whose From is at {@code domain}; {@code none} when nothing is published. */
    public DmarcPolicy policyOf(String domain) {
        String key = domain.strip().toLowerCase(Locale.ROOT);
        while (key.endsWith(".")) {
            key = key.substring(0, key.length() - 1);
        }
        if (key.isEmpty() || key.startsWith("[")) {
            return DmarcPolicy.NONE;
        }
        String name = key;
        try {
            return cache.get(name, () -> resolve(name));
        } catch (ExecutionException | UncheckedExecutionException e) {
            LOGGER.warn("Cannot read the DMARC policy of {}: {}; treating it as none", name, e.getCause() != null
                ? e.getCause().getMessage() : e.getMessage());
            return DmarcPolicy.NONE;
        }
    }

    private DmarcPolicy resolve(String domain) {
        Optional<DmarcRecord> own = DmarcRecord.select(lookup.txt("_dmarc." + domain));
        if (own.isPresent()) {
            return own.get().policy();
        }
        Optional<String> organisational = organisationalDomain(domain);
        if (organisational.isEmpty() || organisational.get().equals(domain)) {
            return DmarcPolicy.NONE;
        }
        return DmarcRecord.select(lookup.txt("_dmarc." + organisational.get())).map(DmarcRecord::subdomainPolicy)
            .orElse(DmarcPolicy.NONE);
    }

    /** The registrable domain of {@code domain} ({@code mail.example.co.uk} → {@code example.co.uk}), if it has one. */
    static Optional<String> organisationalDomain(String domain) {
        try {
            InternetDomainName name = InternetDomainName.from(domain);
            if (name.isUnderPublicSuffix()) {
                return Optional.of(name.topPrivateDomain().toString());
            }
            return Optional.empty();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
