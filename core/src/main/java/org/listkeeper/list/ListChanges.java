package org.listkeeper.list;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.listkeeper.InvalidValueException;
import org.listkeeper.internal.Durations;

/**
 * The settings to change when a list is created or updated. A setting that is absent stays as it is;
 * a setting given as {@code null} goes back to its default. Every value is validated here, so the store
 * never sees one it would have to refuse.
 */
public final class ListChanges {
    /** What kind of value a setting takes. */
    public enum Type {
        TEXT, CHOICE, BOOLEAN, INTEGER, DURATION,
        /** Lines of addresses or {@code ^regular expressions} (a JSON array in the REST API). */
        ADDRESS_PATTERNS,
        /** Lines of {@code Header: regular expression} (a JSON array in the REST API). */
        HEADER_PATTERNS,
        /** A moderation chain, {@code rule:action,…}. */
        CHAIN,
        /** A password: kept only as a salted hash, never shown. */
        SECRET
    }

    /** The settings a list has, with their limits. Values are kept as validated, canonical text. */
    public enum Setting {
        DISPLAY_NAME("displayName", 255, true),
        DESCRIPTION("description", 2000, false),
        SUBJECT_PREFIX("subjectPrefix", 64, true),
        FOOTER("footer", 10_000, false),
        ARCHIVE_URL("archiveUrl", 2000, true),
        /** Who may read the archive: {@code public}, {@code private} (members; the default) or {@code never} (no archive). */
        ARCHIVE_POLICY("archivePolicy", ArchivePolicy.class),
        SUBSCRIPTION_POLICY("subscriptionPolicy", SubscriptionPolicy.class),
        UNSUBSCRIPTION_POLICY("unsubscriptionPolicy", UnsubscriptionPolicy.class),
        /** Whether {@code who} refuses to show the roster. */
        PRIVATE_ROSTER("privateRoster", Type.BOOLEAN),
        /** Whether the web pages show the list on their front page (its own page answers either way). */
        ADVERTISED("advertised", Type.BOOLEAN),
        /** Automatic replies (command results, confirmations, notices) per address and day; 0 for no limit. */
        AUTO_REPLIES_PER_DAY("autoRepliesPerDay", Type.INTEGER),
        /** How long a confirmation token and a pending request stay valid. */
        CONFIRMATION_LIFETIME("confirmationLifetime", Type.DURATION),
        /** The password that approves a post ({@code Approved:} header or first line). */
        MODERATOR_PASSWORD("moderatorPassword", Type.SECRET),
        /** Every post waits for a moderator. */
        EMERGENCY("emergency", Type.BOOLEAN),
        DEFAULT_MEMBER_ACTION("defaultMemberAction", ModerationAction.class),
        DEFAULT_NONMEMBER_ACTION("defaultNonmemberAction", ModerationAction.class),
        BANNED_ADDRESSES("bannedAddresses", Type.ADDRESS_PATTERNS),
        /** Other addresses that count as the list in To and Cc. */
        ACCEPTABLE_ALIASES("acceptableAliases", Type.ADDRESS_PATTERNS),
        REQUIRE_EXPLICIT_DESTINATION("requireExplicitDestination", Type.BOOLEAN),
        /** To and Cc recipients at which a post is held; 0 for no limit. */
        MAX_RECIPIENTS("maxRecipients", Type.INTEGER),
        /** Size in KB above which a post is held; 0 for no limit. */
        MAX_MESSAGE_SIZE("maxMessageSize", Type.INTEGER),
        ADMINISTRIVIA("administrivia", Type.BOOLEAN),
        SUSPICIOUS_HEADERS("suspiciousHeaders", Type.HEADER_PATTERNS),
        MODERATION_CHAIN("moderationChain", Type.CHAIN),
        MODERATOR_NOTIFICATION("moderatorNotification", org.listkeeper.list.ModeratorNotification.class),
        HELD_POST_LIFETIME("heldPostLifetime", Type.DURATION),
        NOTIFY_HELD_POSTER("notifyHeldPoster", Type.BOOLEAN),
        /** Bounce score at which a member's delivery is disabled. */
        BOUNCE_SCORE_THRESHOLD("bounceScoreThreshold", Type.INTEGER),
        /** Warnings (each a probe) sent to a member disabled by bounces before removal. */
        BOUNCE_WARNINGS("bounceWarnings", Type.INTEGER),
        BOUNCE_WARNING_INTERVAL("bounceWarningInterval", Type.DURATION),
        /** How long a probe must go without a bounce to count as delivered. */
        BOUNCE_PROBE_GRACE("bounceProbeGrace", Type.DURATION),
        /** How long without a bounce before a score starts again from zero. */
        BOUNCE_SCORE_DECAY("bounceScoreDecay", Type.DURATION),
        /** Distinct days a mailbox must be reported full before a full-mailbox bounce counts against the member. */
        BOUNCE_FULL_DAYS("bounceFullDays", Type.INTEGER),
        /** Distinct members one domain must refuse for policy within {@code bounceBlockWindow} to make a block event. */
        BOUNCE_BLOCK_MEMBERS("bounceBlockMembers", Type.INTEGER),
        BOUNCE_BLOCK_WINDOW("bounceBlockWindow", Type.DURATION),
        /** {@code bulk} or {@code personalized}: one shared copy per batch, or one copy per member. */
        DELIVERY("delivery", DeliveryMode.class),
        /** Per-member envelope senders in bulk mode: {@code off}, {@code probes} or {@code every_post}. */
        VERP("verp", VerpMode.class),
        DMARC_MITIGATION("dmarcMitigation", DmarcMitigation.class),
        /** Mitigate every post, whatever the author's domain publishes. */
        DMARC_MITIGATE_UNCONDITIONALLY("dmarcMitigateUnconditionally", Type.BOOLEAN),
        /** Keep the author's DKIM signature on a post whose From was rewritten (it no longer verifies). */
        KEEP_AUTHOR_DKIM_SIGNATURE("keepAuthorDkimSignature", Type.BOOLEAN),
        /** Whether members may take posts as digests; off, every member receives every post singly. */
        DIGESTS_ENABLED("digestsEnabled", Type.BOOLEAN),
        /** Size in KiB of the posts gathered at which a digest issue closes; 0 for no size limit. */
        DIGEST_SIZE_THRESHOLD("digestSizeThreshold", Type.INTEGER),
        /** How long a non-empty digest issue stays open at most, or {@code none} (closed by size or by hand only). */
        DIGEST_INTERVAL("digestInterval", Type.DURATION),
        /** Text at the top of every digest: a template with the footer's variables. */
        DIGEST_HEADER("digestHeader", 10_000, false),
        /** Text at the end of every digest: a template with the footer's variables; the list's footer unless set. */
        DIGEST_FOOTER("digestFooter", 10_000, false);

        private final String jsonName;
        private final Type type;
        private final int maxLength;
        private final boolean singleLine;
        private final Class<? extends Enum<?>> choices;

        Setting(String jsonName, int maxLength, boolean singleLine) {
            this(jsonName, Type.TEXT, maxLength, singleLine, null);
        }

        Setting(String jsonName, Class<? extends Enum<?>> choices) {
            this(jsonName, Type.CHOICE, 64, true, choices);
        }

        Setting(String jsonName, Type type) {
            this(jsonName, type, type == Type.ADDRESS_PATTERNS || type == Type.HEADER_PATTERNS || type == Type.CHAIN ? 10_000 : 200,
                type != Type.ADDRESS_PATTERNS && type != Type.HEADER_PATTERNS, null);
        }

        Setting(String jsonName, Type type, int maxLength, boolean singleLine, Class<? extends Enum<?>> choices) {
            this.jsonName = jsonName;
            this.type = type;
            this.maxLength = maxLength;
            this.singleLine = singleLine;
            this.choices = choices;
        }

        public String jsonName() {
            return jsonName;
        }

        public Type type() {
            return type;
        }
    }

    private static final ListChanges NONE = new ListChanges(new EnumMap<>(Setting.class));

    private final Map<Setting, String> changes;

    private ListChanges(Map<Setting, String> changes) {
        this.changes = Collections.unmodifiableMap(changes);
    }

    public static ListChanges none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean changes(Setting setting) {
        return changes.containsKey(setting);
    }

    /** The new value; empty means "back to the default". Only meaningful when {@link #changes} is true. */
    public Optional<String> value(Setting setting) {
        return Optional.ofNullable(changes.get(setting));
    }

    /** Builds a validated set of changes. */
    public static final class Builder {
        private final Map<Setting, String> changes = new EnumMap<>(Setting.class);

        private Builder() {
        }

        /** Sets a value, or resets it to its default when {@code value} is null. */
        public Builder set(Setting setting, String value) {
            changes.put(setting, validate(setting, value));
            return this;
        }

        public ListChanges build() {
            return new ListChanges(new EnumMap<>(changes));
        }

        private static String validate(Setting setting, String value) {
            if (value == null) {
                return null;
            }
            switch (setting.type) {
                case CHOICE:
                    return canonicalChoice(setting, value);
                case BOOLEAN:
                    if (value.strip().equalsIgnoreCase("true") || value.strip().equalsIgnoreCase("false")) {
                        return value.strip().toLowerCase(Locale.ROOT);
                    }
                    throw new InvalidValueException(setting.jsonName, abbreviate(value), "expected true or false");
                case INTEGER:
                    try {
                        int number = Integer.parseInt(value.strip());
                        if (number < 0 || number > 100_000) {
                            throw new NumberFormatException();
                        }
                        return String.valueOf(number);
                    } catch (NumberFormatException e) {
                        throw new InvalidValueException(setting.jsonName, abbreviate(value), "expected a whole number from 0 to 100000");
                    }
                case ADDRESS_PATTERNS:
                    org.listkeeper.list.AddressPatterns.parse(setting.jsonName, validateText(setting, value));
                    return validateText(setting, value);
                case HEADER_PATTERNS:
                    org.listkeeper.list.HeaderPatterns.parse(setting.jsonName, validateText(setting, value));
                    return validateText(setting, value);
                case CHAIN:
                    return ChainLink.format(ChainLink.parse(validateText(setting, value)));
                case SECRET:
                    String password = value.strip();
                    if (password.length() < 8 || password.length() > 200 || password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                        throw new InvalidValueException(setting.jsonName, "(hidden)", "expected 8 to 200 printable characters");
                    }
                    return org.listkeeper.internal.PasswordHash.hash(password);
                case DURATION:
                    if (setting == Setting.DIGEST_INTERVAL && value.strip().equalsIgnoreCase("none")) {
                        return "none";
                    }
                    java.time.Duration duration = Durations.parse(setting.jsonName, value);
                    if (duration.compareTo(java.time.Duration.ofMinutes(1)) < 0 || duration.compareTo(java.time.Duration.ofDays(365)) > 0) {
                        throw new InvalidValueException(setting.jsonName, abbreviate(value), "expected from 1m to 365d");
                    }
                    return value.strip().toLowerCase(Locale.ROOT);
                default:
                    return validateText(setting, value);
            }
        }

        private static String canonicalChoice(Setting setting, String value) {
            String wanted = value.strip().replace('-', '_');
            for (Enum<?> constant : setting.choices.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(wanted)) {
                    return constant.name().toLowerCase(Locale.ROOT);
                }
            }
            throw new InvalidValueException(setting.jsonName, abbreviate(value), "expected one of "
                + java.util.Arrays.stream(setting.choices.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(java.util.stream.Collectors.joining(", ")));
        }

        private static String validateText(Setting setting, String value) {
            String normalised = value.replace("\r\n", "\n");
            if (setting.singleLine) {
                normalised = normalised.strip();
                if (normalised.indexOf('\n') >= 0 || normalised.indexOf('\r') >= 0) {
                    throw new InvalidValueException(setting.jsonName, abbreviate(value), "must be a single line");
                }
            }
            if (normalised.length() > setting.maxLength) {
                throw new InvalidValueException(setting.jsonName, abbreviate(value),
                    "longer than " + setting.maxLength + " characters");
            }
            if (normalised.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
                throw new InvalidValueException(setting.jsonName, abbreviate(value), "contains control characters");
            }
            if (setting == Setting.ARCHIVE_URL && !normalised.isEmpty()) {
                checkHttpUrl(setting, normalised);
            }
            if (setting == Setting.FOOTER || setting == Setting.DIGEST_HEADER || setting == Setting.DIGEST_FOOTER) {
                FooterTemplate.check(normalised);
            }
            return normalised;
        }

        private static void checkHttpUrl(Setting setting, String value) {
            try {
                URI uri = new URI(value);
                if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                    throw new InvalidValueException(setting.jsonName, value, "expected an http or https URL");
                }
            } catch (URISyntaxException e) {
                throw new InvalidValueException(setting.jsonName, value, e.getMessage());
            }
        }

        private static String abbreviate(String value) {
            return value.length() <= 60 ? value : value.substring(0, 60) + "…";
        }
    }
}
