package org.listkeeper.webadmin.dto;

import org.listkeeper.bounces.BounceState;
import org.listkeeper.list.Member;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** One roster entry, {@code GET /lists/{list}/members/{address}}: its options, then its bounce record. */
@JsonPropertyOrder({"member", "bounceScore", "lastBounceAt", "bounceWarnings"})
public final class MemberDetailsDTO {
    private final MemberDTO member;
    private final BounceState bounces;

    private MemberDetailsDTO(MemberDTO member, BounceState bounces) {
        this.member = member;
        this.bounces = bounces;
    }

    public static MemberDetailsDTO from(Member member, BounceState bounces) {
        return new MemberDetailsDTO(MemberDTO.from(member), bounces);
    }

    @JsonUnwrapped
    public MemberDTO getMember() {
        return member;
    }

    public int getBounceScore() {
        return bounces.score();
    }

    public String getLastBounceAt() {
        return bounces.lastBounceAt().map(Object::toString).orElse(null);
    }

    public int getBounceWarnings() {
        return bounces.warnings();
    }
}
