package org.listkeeper.webadmin.dto;

import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A roster entry with its options, as {@code GET /lists/{list}/members} lists it. */
@JsonPropertyOrder({"address", "role", "displayName", "delivery", "disabledBy", "digest", "receiveOwnPosts", "hideAddress",
    "moderationAction"})
public final class MemberDTO {
    private final Member member;

    private MemberDTO(Member member) {
        this.member = member;
    }

    public static MemberDTO from(Member member) {
        return new MemberDTO(member);
    }

    public String getAddress() {
        return member.address().asString();
    }

    public String getRole() {
        return member.role().value();
    }

    public String getDisplayName() {
        return member.displayName().orElse(null);
    }

    public String getDelivery() {
        return member.delivery().value();
    }

    public String getDisabledBy() {
        return member.disabledBy().map(DisabledBy::value).orElse(null);
    }

    public String getDigest() {
        return member.digest().value();
    }

    public boolean getReceiveOwnPosts() {
        return member.receiveOwnPosts();
    }

    public boolean getHideAddress() {
        return member.hideAddress();
    }

    public String getModerationAction() {
        return member.moderationAction().map(ModerationAction::value).orElse(null);
    }
}
