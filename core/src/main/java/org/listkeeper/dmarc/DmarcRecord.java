package org.listkeeper.dmarc;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A published DMARC record ({@code v=DMARC1; p=reject; sp=quarantine; …}), reduced to what a list needs: the
 * policy for the domain itself and the one for its subdomains.
 */
final class DmarcRecord {
    private final DmarcPolicy policy;
    private final Optional<DmarcPolicy> subdomainPolicy;

    private DmarcRecord(DmarcPolicy policy, Optional<DmarcPolicy> subdomainPolicy) {
        this.policy = policy;
        this.subdomainPolicy = subdomainPolicy;
    }

    /**
     * The DMARC record among the TXT strings of {@code _dmarc.<domain>}. RFC 7489 6.6.3: records that do not
     * start with {@code v=DMARC1} are ignored, and more than one DMARC record means none applies.
     */
    static Optional<DmarcRecord> select(List<String> txtRecords) {
        DmarcRecord found = null;
        for (String txt : txtRecords) {
            Optional<DmarcRecord> record = parse(txt);
            if (record.isPresent()) {
                if (found != null) {
                    return Optional.empty();
                }
                found = record.get();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * One TXT string as a DMARC record. A record with {@code v=DMARC1} but an unknown or missing {@code p} is
     * treated as {@code p=none} (RFC 7489 6.6.3 lets a receiver apply {@code none} when {@code p} is invalid and
     * there is an {@code rua}; {@code none} is the safe reading for a list).
     */
    static Optional<DmarcRecord> parse(String txt) {
        String text = unquote(txt).strip();
        if (!text.regionMatches(true, 0, "v=DMARC1", 0, 8)) {
            return Optional.empty();
        }
        String rest = text.substring(8).strip();
        if (!rest.isEmpty() && !rest.startsWith(";")) {
            return Optional.empty();
        }
        Map<String, String> tags = new HashMap<>();
        for (String tag : text.split(";")) {
            int equals = tag.indexOf('=');
            if (equals > 0) {
                tags.putIfAbsent(tag.substring(0, equals).strip().toLowerCase(Locale.ROOT), tag.substring(equals + 1).strip());
            }
        }
        DmarcPolicy policy = DmarcPolicy.parse(tags.get("p")).orElse(DmarcPolicy.NONE);
        return Optional.of(new DmarcRecord(policy, DmarcPolicy.parse(tags.get("sp"))));
    }

    /** TXT strings may come quoted, and split into quoted pieces. */
    private static String unquote(String txt) {
        String text = txt.strip();
        if (!text.startsWith("\"")) {
            return text;
        }
        StringBuilder joined = new StringBuilder();
        boolean inside = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                inside = !inside;
            } else if (c == '\\' && inside && i + 1 < text.length()) {
                joined.append(text.charAt(++i));
            } else if (inside) {
                joined.append(c);
            }
        }
        return joined.toString();
    }

    DmarcPolicy policy() {
        return policy;
    }

    /** The policy for mail from a subdomain of the domain publishing this record: {@code sp}, else {@code p}. */
    DmarcPolicy subdomainPolicy() {
        return subdomainPolicy.orElse(policy);
    }
}
