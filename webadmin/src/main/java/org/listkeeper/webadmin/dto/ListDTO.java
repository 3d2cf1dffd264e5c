package org.listkeeper.webadmin.dto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.MailingList;
import org.listkeeper.moderation.ModerationChain;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code GET /lists/{list}}: every setting with its current value (the default where the list has none; the
 * moderator password only as whether there is one), then the member count. Address patterns are one per entry.
 */
@JsonPropertyOrder({"address", "listId", "displayName", "description", "subjectPrefix", "footer", "archiveUrl",
    "archivePolicy", "subscriptionPolicy", "unsubscriptionPolicy", "privateRoster", "advertised", "autoRepliesPerDay", "confirmationLifetime",
    "moderatorPassword", "emergency", "defaultMemberAction", "defaultNonmemberAction", "bannedAddresses", "acceptableAliases",
    "requireExplicitDestination", "maxRecipients", "maxMessageSize", "administrivia", "suspiciousHeaders", "moderationChain",
    "moderatorNotification", "heldPostLifetime", "notifyHeldPoster", "bounceScoreThreshold", "bounceWarnings",
    "bounceWarningInterval", "bounceProbeGrace", "bounceScoreDecay", "bounceFullDays", "bounceBlockMembers",
    "bounceBlockWindow", "delivery", "verp", "dmarcMitigation",
    "dmarcMitigateUnconditionally", "keepAuthorDkimSignature", "digestsEnabled", "digestSizeThreshold", "digestInterval",
    "digestHeader", "digestFooter", "members"})
public final class ListDTO {
    private final MailingList list;
    private final int members;

    private ListDTO(MailingList list, int members) {
        this.list = list;
        this.members = members;
    }

    public static ListDTO from(ListSummary summary) {
        return new ListDTO(summary.list(), summary.members());
    }

    private static List<String> lines(Optional<String> text) {
        List<String> lines = new ArrayList<>();
        text.ifPresent(value -> {
            for (String line : value.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
        });
        return lines;
    }

    public String getAddress() {
        return list.address().asString();
    }

    public String getListId() {
        return list.listId();
    }

    public String getDisplayName() {
        return list.displayName();
    }

    public String getDescription() {
        return list.description().orElse(null);
    }

    public String getSubjectPrefix() {
        return list.subjectPrefix();
    }

    public String getFooter() {
        return list.footerTemplate();
    }

    public String getArchiveUrl() {
        return list.archiveUrl().orElse(null);
    }

    public String getArchivePolicy() {
        return list.archivePolicy().value();
    }

    public String getSubscriptionPolicy() {
        return list.subscriptionPolicy().value();
    }

    public String getUnsubscriptionPolicy() {
        return list.unsubscriptionPolicy().value();
    }

    public boolean getPrivateRoster() {
        return list.privateRoster();
    }

    public boolean getAdvertised() {
        return list.advertised();
    }

    public int getAutoRepliesPerDay() {
        return list.autoRepliesPerDay();
    }

    public String getConfirmationLifetime() {
        return list.setting(Setting.CONFIRMATION_LIFETIME).orElse("3d");
    }

    /** Whether the list has one; never the password or its hash. */
    public boolean getModeratorPassword() {
        return list.moderatorPasswordHash().isPresent();
    }

    public boolean getEmergency() {
        return list.emergency();
    }

    public String getDefaultMemberAction() {
        return list.defaultMemberAction().value();
    }

    public String getDefaultNonmemberAction() {
        return list.defaultNonmemberAction().value();
    }

    public List<String> getBannedAddresses() {
        return lines(list.setting(Setting.BANNED_ADDRESSES));
    }

    public List<String> getAcceptableAliases() {
        return lines(list.setting(Setting.ACCEPTABLE_ALIASES));
    }

    public boolean getRequireExplicitDestination() {
        return list.requireExplicitDestination();
    }

    public int getMaxRecipients() {
        return list.maxRecipients();
    }

    public int getMaxMessageSize() {
        return list.maxMessageSizeKb();
    }

    public boolean getAdministrivia() {
        return list.administrivia();
    }

    public List<String> getSuspiciousHeaders() {
        return lines(list.setting(Setting.SUSPICIOUS_HEADERS));
    }

    public String getModerationChain() {
        return list.moderationChain().orElse(ModerationChain.DEFAULT);
    }

    public String getModeratorNotification() {
        return list.moderatorNotification().value();
    }

    public String getHeldPostLifetime() {
        return list.setting(Setting.HELD_POST_LIFETIME).orElse("14d");
    }

    public boolean getNotifyHeldPoster() {
        return list.notifyHeldPoster();
    }

    public int getBounceScoreThreshold() {
        return list.bounceScoreThreshold();
    }

    public int getBounceWarnings() {
        return list.bounceWarnings();
    }

    public String getBounceWarningInterval() {
        return list.setting(Setting.BOUNCE_WARNING_INTERVAL).orElse("7d");
    }

    public String getBounceProbeGrace() {
        return list.setting(Setting.BOUNCE_PROBE_GRACE).orElse("2d");
    }

    public String getBounceScoreDecay() {
        return list.setting(Setting.BOUNCE_SCORE_DECAY).orElse("7d");
    }

    public int getBounceFullDays() {
        return list.bounceFullDays();
    }

    public int getBounceBlockMembers() {
        return list.bounceBlockMembers();
    }

    public String getBounceBlockWindow() {
        return list.setting(Setting.BOUNCE_BLOCK_WINDOW).orElse("1h");
    }

    public String getDelivery() {
        return list.delivery().value();
    }

    public String getVerp() {
        return list.verp().value();
    }

    public String getDmarcMitigation() {
        return list.dmarcMitigation().value();
    }

    public boolean getDmarcMitigateUnconditionally() {
        return list.dmarcMitigateUnconditionally();
    }

    public boolean getKeepAuthorDkimSignature() {
        return list.keepAuthorDkimSignature();
    }

    public boolean getDigestsEnabled() {
        return list.digestsEnabled();
    }

    /** In KiB; 0 for no size limit. */
    public int getDigestSizeThreshold() {
        return (int) (list.digestSizeThreshold().orElse(0) / 1024);
    }

    public String getDigestInterval() {
        return list.setting(Setting.DIGEST_INTERVAL).orElse("1d");
    }

    public String getDigestHeader() {
        return list.digestHeaderTemplate();
    }

    public String getDigestFooter() {
        return list.digestFooterTemplate();
    }

    public int getMembers() {
        return members;
    }
}
