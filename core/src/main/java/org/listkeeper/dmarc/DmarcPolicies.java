package org.listkeeper.dmarc;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.net.InternetDomainName;

/**
 * The DMARC policy that applies to mail from a domain: the domain's own {@code _dmarc} record, else the record of
 * its organisational domain (the registrable domain under the public suffix list, {@code sp=} before {@code p=}),
 * as RFC 7489 section 6.6.3 says. Answers are cached, so a busy list asks DNS once per author domain per hour.
 * Finding no record at all is remembered for five minutes at most: James's DNS service answers a timed-out lookup
 * with no records too, and an hour of unmitigated posts from a {@code p=reject} domain would bounce at receivers.
 */
public final class DmarcPolicies {
    /** How the host reads TXT records. Returns no records when the name has none or cannot be resolved. */
    @FunctionalInterface
    public interface TxtLookup {
        List<String> txt(String name);
    }

    /** How long finding no record is remembered, at most (declared before {@link #NONE}, which uses it). */
    static final Duration ABSENT_FOR = Duration.ofMinutes(5);

    /** Finds no policy anywhere: only unconditional mitigation applies. */
    public static final DmarcPolicies NONE = new DmarcPolicies(name -> List.of(), Duration.ofHours(1));

    private static final Logger LOGGER = LoggerFactory.getLogger(DmarcPolicies.class);
    private static final int MAX_DOMAINS = 10_000;

    private final TxtLookup lookup;
    private final Cache<String, DmarcPolicy> cache;
    private final Cache<String, Boolean> absent;

    public DmarcPolicies(TxtLookup lookup, Duration cacheFor) {
        this(lookup, cacheFor, com.google.common.base.Ticker.systemTicker());
    }

    DmarcPolicies(TxtLookup lookup, Duration cacheFor, com.google.common.base.Ticker ticker) {
        this.lookup = lookup;
        this.cache = CacheBuilder.newBuilder().maximumSize(MAX_DOMAINS).expireAfterWrite(cacheFor).ticker(ticker).build();
        this.absent = CacheBuilder.newBuilder().maximumSize(MAX_DOMAINS)
            .expireAfterWrite(cacheFor.compareTo(ABSENT_FOR) < 0 ? cacheFor : ABSENT_FOR).ticker(ticker).build();
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
        DmarcPolicy cached = cache.getIfPresent(name);
        if (cached != null) {
            return cached;
        }
        if (absent.getIfPresent(name) != null) {
            return DmarcPolicy.NONE;
        }
        try {
            Optional<DmarcPolicy> found = resolve(name);
            if (found.isPresent()) {
                cache.put(name, found.get());
                return found.get();
            }
            absent.put(name, Boolean.TRUE);
            return DmarcPolicy.NONE;
        } catch (RuntimeException e) {
            LOGGER.warn("Cannot read the DMARC policy of {}: {}; treating it as none", name, e.getMessage());
            return DmarcPolicy.NONE;
        }
    }

    /** The policy of the domain's own record, else of its organisational domain's; empty when neither has one. */
    private Optional<DmarcPolicy> resolve(String domain) {
        Optional<DmarcRecord> own = DmarcRecord.select(lookup.txt("_dmarc." + domain));
        if (own.isPresent()) {
            return Optional.of(own.get().policy());
        }
        Optional<String> organisational = organisationalDomain(domain);
        if (organisational.isEmpty() || organisational.get().equals(domain)) {
            return Optional.empty();
        }
        return DmarcRecord.select(lookup.txt("_dmarc." + organisational.get())).map(DmarcRecord::subdomainPolicy);
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
