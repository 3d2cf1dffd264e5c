package org.listkeeper.list;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.listkeeper.internal.Durations;

/**
 * A list as the store holds it, with the addresses and identifiers derived from its posting address
 * (Mailman 3 sub-addresses: {@code team-request@}, {@code team-owner@}, {@code team-bounces@}…).
 */
public final class MailingList {
    /** Used when the list has no footer of its own; an empty footer switches the footer off. */
    public static final String DEFAULT_FOOTER = "_______________________________________________\n"
        + "{{displayName}} mailing list -- {{listAddress}}\n"
        + "To unsubscribe send an email to {{leaveAddress}}";
    /** The default footer of a list with personalized delivery: each member's own unsubscribe link. */
    public static final String DEFAULT_PERSONALIZED_FOOTER = "_______________________________________________\n"
        + "{{displayName}} mailing list -- {{listAddress}}\n"
        + "You receive this as {{memberAddress}}. To unsubscribe: {{unsubscribeUrl}}";

    private final long id;
    private final MailAddress address;
    private final String displayName;
    private final String description;
    private final String subjectPrefix;
    private final String footer;
    private final String archiveUrl;
    private final Map<ListChanges.Setting, String> settings;

    private MailingList(long id, MailAddress address, String displayName, String description,
                        String subjectPrefix, String footer, String archiveUrl, Map<ListChanges.Setting, String> settings) {
        this.id = id;
        this.address = Objects.requireNonNull(address, "address");
        this.displayName = displayName;
        this.description = description;
        this.subjectPrefix = subjectPrefix;
        this.footer = footer;
        this.archiveUrl = archiveUrl;
        EnumMap<ListChanges.Setting, String> copy = new EnumMap<>(ListChanges.Setting.class);
        copy.putAll(settings);
        this.settings = Collections.unmodifiableMap(copy);
    }

    /** Null values mean "not set": the derived defaults apply. */
    public static MailingList of(long id, MailAddress address, String displayName, String description,
                                 String subjectPrefix, String footer, String archiveUrl) {
        return new MailingList(id, address, displayName, description, subjectPrefix, footer, archiveUrl, Map.of());
    }

    /** As above, with the other settings (policies, limits) as validated text; absent ones take their defaults. */
    public static MailingList of(long id, MailAddress address, String displayName, String description,
                                 String subjectPrefix, String footer, String archiveUrl, Map<ListChanges.Setting, String> settings) {
        return new MailingList(id, address, displayName, description, subjectPrefix, footer, archiveUrl, settings);
    }

    /** The setting's configured value, if it was set (for settings beyond the ones with their own accessor). */
    public Optional<String> setting(ListChanges.Setting setting) {
        return Optional.ofNullable(settings.get(setting));
    }

    /** How joining works; {@code confirm} unless set. */
    public SubscriptionPolicy subscriptionPolicy() {
        return setting(ListChanges.Setting.SUBSCRIPTION_POLICY).map(SubscriptionPolicy::parse).orElse(SubscriptionPolicy.CONFIRM);
    }

    /** How leaving works; {@code confirm} unless set. */
    public UnsubscriptionPolicy unsubscriptionPolicy() {
        return setting(ListChanges.Setting.UNSUBSCRIPTION_POLICY).map(UnsubscriptionPolicy::parse).orElse(UnsubscriptionPolicy.CONFIRM);
    }

    /** Whether the roster is hidden from {@code who}; true unless set. */
    public boolean privateRoster() {
        return flag(ListChanges.Setting.PRIVATE_ROSTER, true);
    }

    /** Whether the public web pages list it on their front page; true unless set (as GNU Mailman). */
    public boolean advertised() {
        return flag(ListChanges.Setting.ADVERTISED, true);
    }

    /** Automatic replies per address and day, 0 for no limit; 10 unless set (as GNU Mailman). */
    public int autoRepliesPerDay() {
        return setting(ListChanges.Setting.AUTO_REPLIES_PER_DAY).map(Integer::parseInt).orElse(10);
    }

    /** The salted hash of the moderator password, if one is set. */
    public Optional<String> moderatorPasswordHash() {
        return setting(ListChanges.Setting.MODERATOR_PASSWORD);
    }

    /** Whether every post waits for a moderator; false unless set. */
    public boolean emergency() {
        return flag(ListChanges.Setting.EMERGENCY, false);
    }

    /** What happens to a member's post when the member has no action of their own; {@code defer} (go on) unless set. */
    public ModerationAction defaultMemberAction() {
        return setting(ListChanges.Setting.DEFAULT_MEMBER_ACTION).map(ModerationAction::parse).orElse(ModerationAction.DEFER);
    }

    /** What happens to a post by an address not on the roster; {@code hold} unless set. */
    public ModerationAction defaultNonmemberAction() {
        return setting(ListChanges.Setting.DEFAULT_NONMEMBER_ACTION).map(ModerationAction::parse).orElse(ModerationAction.HOLD);
    }

    public AddressPatterns bannedAddresses() {
        return AddressPatterns.parse(ListChanges.Setting.BANNED_ADDRESSES.jsonName(),
            setting(ListChanges.Setting.BANNED_ADDRESSES).orElse(null));
    }

    /** Addresses besides the posting address that count as the list in To and Cc. */
    public AddressPatterns acceptableAliases() {
        return AddressPatterns.parse(ListChanges.Setting.ACCEPTABLE_ALIASES.jsonName(),
            setting(ListChanges.Setting.ACCEPTABLE_ALIASES).orElse(null));
    }

    /** Whether a post must name the list in To or Cc; true unless set. */
    public boolean requireExplicitDestination() {
        return flag(ListChanges.Setting.REQUIRE_EXPLICIT_DESTINATION, true);
    }

    /** To and Cc recipients at which a post is held, 0 for no limit; 10 unless set (as GNU Mailman). */
    public int maxRecipients() {
        return setting(ListChanges.Setting.MAX_RECIPIENTS).map(Integer::parseInt).orElse(10);
    }

    /** KB above which a post is held, 0 for no limit; 40 unless set (as GNU Mailman). */
    public int maxMessageSizeKb() {
        return setting(ListChanges.Setting.MAX_MESSAGE_SIZE).map(Integer::parseInt).orElse(40);
    }

    /** Whether short posts that look like commands are held; true unless set. */
    public boolean administrivia() {
        return flag(ListChanges.Setting.ADMINISTRIVIA, true);
    }

    public HeaderPatterns suspiciousHeaders() {
        return HeaderPatterns.parse(ListChanges.Setting.SUSPICIOUS_HEADERS.jsonName(),
            setting(ListChanges.Setting.SUSPICIOUS_HEADERS).orElse(null));
    }

    /**
     * The list's own moderation chain ({@code rule:action,…}, checked for its shape), when set; the moderation handler
     * reads it against the rules it knows and runs GNU Mailman 3's default posting chain when none is set.
     */
    public Optional<String> moderationChain() {
        return setting(ListChanges.Setting.MODERATION_CHAIN);
    }

    /** When moderators hear of held posts; at once unless set. */
    public ModeratorNotification moderatorNotification() {
        return setting(ListChanges.Setting.MODERATOR_NOTIFICATION)
            .map(value -> ModeratorNotification.valueOf(value.toUpperCase(java.util.Locale.ROOT))).orElse(ModeratorNotification.IMMEDIATE);
    }

    /** How long a held post waits for a moderator before it is dropped; 14 days unless set. */
    public Duration heldPostLifetime() {
        return setting(ListChanges.Setting.HELD_POST_LIFETIME)
            .map(value -> Durations.parse(ListChanges.Setting.HELD_POST_LIFETIME.jsonName(), value)).orElse(Duration.ofDays(14));
    }

    /** Whether the poster is told that their post waits for a moderator; true unless set. */
    public boolean notifyHeldPoster() {
        return flag(ListChanges.Setting.NOTIFY_HELD_POSTER, true);
    }

    /** The bounce score at which delivery is disabled; 5 unless set. */
    public int bounceScoreThreshold() {
        return setting(ListChanges.Setting.BOUNCE_SCORE_THRESHOLD).map(Integer::parseInt).filter(n -> n > 0).orElse(5);
    }

    /** Warnings sent to a member disabled by bounces before removal; 3 unless set. */
    public int bounceWarnings() {
        return setting(ListChanges.Setting.BOUNCE_WARNINGS).map(Integer::parseInt).orElse(3);
    }

    public Duration bounceWarningInterval() {
        return duration(ListChanges.Setting.BOUNCE_WARNING_INTERVAL, Duration.ofDays(7));
    }

    public Duration bounceProbeGrace() {
        return duration(ListChanges.Setting.BOUNCE_PROBE_GRACE, Duration.ofDays(2));
    }

    public Duration bounceScoreDecay() {
        return duration(ListChanges.Setting.BOUNCE_SCORE_DECAY, Duration.ofDays(7));
    }

    /** Distinct days a mailbox must be reported full before such a bounce counts; 3 unless set. */
    public int bounceFullDays() {
        return setting(ListChanges.Setting.BOUNCE_FULL_DAYS).map(Integer::parseInt).filter(n -> n > 0).orElse(3);
    }

    /** Distinct members one domain must refuse for policy within {@link #bounceBlockWindow()} for a block event; 5 unless set. */
    public int bounceBlockMembers() {
        return setting(ListChanges.Setting.BOUNCE_BLOCK_MEMBERS).map(Integer::parseInt).filter(n -> n > 0).orElse(5);
    }

    public Duration bounceBlockWindow() {
        return duration(ListChanges.Setting.BOUNCE_BLOCK_WINDOW, Duration.ofHours(1));
    }

    /** Who may read the archive, and whether there is one; members only unless set. */
    public ArchivePolicy archivePolicy() {
        return setting(ListChanges.Setting.ARCHIVE_POLICY).map(ArchivePolicy::parse).orElse(ArchivePolicy.PRIVATE);
    }

    /** Whether posts are archived. */
    public boolean archives() {
        return archivePolicy() != ArchivePolicy.NEVER;
    }

    /** Bulk (one copy per batch) unless set. */
    public DeliveryMode delivery() {
        return setting(ListChanges.Setting.DELIVERY).map(DeliveryMode::parse).orElse(DeliveryMode.BULK);
    }

    /** Which bulk mail uses per-member envelope senders; probes only unless set. */
    public VerpMode verp() {
        return setting(ListChanges.Setting.VERP).map(VerpMode::parse).orElse(VerpMode.PROBES);
    }

    /** Whether every member's copy has its own envelope sender: always when personalized, else per {@link #verp()}. */
    public boolean verpEveryPost() {
        return delivery() == DeliveryMode.PERSONALIZED || verp() == VerpMode.EVERY_POST;
    }

    /** None unless set. */
    public DmarcMitigation dmarcMitigation() {
        return setting(ListChanges.Setting.DMARC_MITIGATION).map(DmarcMitigation::parse).orElse(DmarcMitigation.NONE);
    }

    /** Whether the mitigation applies to every post rather than only to authors whose domain asks for it; false unless set. */
    public boolean dmarcMitigateUnconditionally() {
        return flag(ListChanges.Setting.DMARC_MITIGATE_UNCONDITIONALLY, false);
    }

    /** Whether a munged post keeps the author's (now broken) DKIM signature; false unless set. */
    public boolean keepAuthorDkimSignature() {
        return flag(ListChanges.Setting.KEEP_AUTHOR_DKIM_SIGNATURE, false);
    }

    private Duration duration(ListChanges.Setting setting, Duration otherwise) {
        return setting(setting).map(value -> Durations.parse(setting.jsonName(), value)).orElse(otherwise);
    }

    private boolean flag(ListChanges.Setting setting, boolean otherwise) {
        return setting(setting).map(Boolean::parseBoolean).orElse(otherwise);
    }

    /** How long confirmations stay valid; 3 days unless set. */
    public Duration confirmationLifetime() {
        return setting(ListChanges.Setting.CONFIRMATION_LIFETIME)
            .map(value -> Durations.parse(ListChanges.Setting.CONFIRMATION_LIFETIME.jsonName(), value))
            .orElse(Duration.ofDays(3));
    }

    public long id() {
        return id;
    }

    public MailAddress address() {
        return address;
    }

    /** The display name, or the local part of the address when none is set. */
    public String displayName() {
        return displayName != null ? displayName : address.getLocalPart();
    }

    public Optional<String> configuredDisplayName() {
        return Optional.ofNullable(displayName);
    }

    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The prefix put in front of subjects; {@code [display name]} unless set, empty when switched off. */
    public String subjectPrefix() {
        return subjectPrefix != null ? subjectPrefix : "[" + displayName() + "]";
    }

    public Optional<String> configuredSubjectPrefix() {
        return Optional.ofNullable(subjectPrefix);
    }

    /** The footer template: {@link #DEFAULT_FOOTER} unless set, empty when switched off. */
    /** The list's own footer, else the default of its delivery mode. */
    /** Whether members may take posts as digests; true unless set. */
    public boolean digestsEnabled() {
        return flag(ListChanges.Setting.DIGESTS_ENABLED, true);
    }

    /** The size in bytes at which a digest issue closes; 30 KiB unless set, empty for no size limit. */
    public java.util.OptionalLong digestSizeThreshold() {
        int kib = setting(ListChanges.Setting.DIGEST_SIZE_THRESHOLD).map(Integer::parseInt).orElse(30);
        return kib == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(kib * 1024L);
    }

    /** How long a non-empty digest issue stays open at most; a day unless set, empty for {@code none}. */
    public Optional<Duration> digestInterval() {
        Optional<String> value = setting(ListChanges.Setting.DIGEST_INTERVAL);
        if (value.isPresent() && value.get().equals("none")) {
            return Optional.empty();
        }
        return Optional.of(duration(ListChanges.Setting.DIGEST_INTERVAL, Duration.ofDays(1)));
    }

    /** The template at the top of every digest; empty unless set. */
    public String digestHeaderTemplate() {
        return setting(ListChanges.Setting.DIGEST_HEADER).orElse("");
    }

    /** The template at the end of every digest: the list's footer (the bulk one) unless set. */
    public String digestFooterTemplate() {
        return setting(ListChanges.Setting.DIGEST_FOOTER).orElse(footer != null ? footer : DEFAULT_FOOTER);
    }

    public String footerTemplate() {
        if (footer != null) {
            return footer;
        }
        return delivery() == DeliveryMode.PERSONALIZED ? DEFAULT_PERSONALIZED_FOOTER : DEFAULT_FOOTER;
    }

    public Optional<String> configuredFooter() {
        return Optional.ofNullable(footer);
    }

    public Optional<String> archiveUrl() {
        return Optional.ofNullable(archiveUrl);
    }

    /** RFC 2919 list identifier: the posting address with {@code @} turned into a dot. */
    public String listId() {
        return address.getLocalPart() + "." + address.getDomain().asString();
    }

    public MailAddress requestAddress() {
        return subAddress("-request");
    }

    public MailAddress ownerAddress() {
        return subAddress("-owner");
    }

    public MailAddress bouncesAddress() {
        return subAddress("-bounces");
    }

    public MailAddress joinAddress() {
        return subAddress("-join");
    }

    public MailAddress leaveAddress() {
        return subAddress("-leave");
    }

    /** The address a reply to a confirmation goes to: {@code list-confirm+TOKEN@domain}. */
    public MailAddress confirmAddress(String token) {
        return subAddress("-confirm+" + token);
    }

    private MailAddress subAddress(String suffix) {
        try {
            return new MailAddress(address.getLocalPart() + suffix, address.getDomain());
        } catch (AddressException e) {
            throw new IllegalStateException("Cannot derive " + suffix + " address of " + address.asString(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MailingList)) {
            return false;
        }
        MailingList other = (MailingList) o;
        return id == other.id && address.equals(other.address) && Objects.equals(displayName, other.displayName)
            && Objects.equals(description, other.description) && Objects.equals(subjectPrefix, other.subjectPrefix)
            && Objects.equals(footer, other.footer) && Objects.equals(archiveUrl, other.archiveUrl) && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, address, displayName, description, subjectPrefix, footer, archiveUrl, settings);
    }

    @Override
    public String toString() {
        return "MailingList{" + address.asString() + "}";
    }
}
