package org.listkeeper.webadmin.dto;

import java.util.LinkedHashMap;
import java.util.Map;

import org.listkeeper.bounces.BounceDetail;
import org.listkeeper.bounces.BounceState;
import org.listkeeper.list.Member;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** One roster entry, {@code GET /lists/{list}/members/{address}}: its options, then its bounce record. */
@JsonPropertyOrder({"member", "bounceScore", "lastBounceAt", "bounceWarnings", "lastBounce", "fullDays"})
public final class MemberDetailsDTO {
    private final MemberDTO member;
    private final BounceState bounces;
    private final BounceDetail detail;

    private MemberDetailsDTO(MemberDTO member, BounceState bounces, BounceDetail detail) {
        this.member = member;
        this.bounces = bounces;
        this.detail = detail;
    }

    public static MemberDetailsDTO from(Member member, BounceState bounces, BounceDetail detail) {
        return new MemberDetailsDTO(MemberDTO.from(member), bounces, detail);
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

    /** The last bounce whatever its class ({@code lastBounceAt} is the last one that counted): class, reply, time. */
    public Map<String, String> getLastBounce() {
        if (detail.lastClass().isEmpty()) {
            return null;
        }
        Map<String, String> last = new LinkedHashMap<>();
        last.put("class", detail.lastClass().get().label());
        last.put("reply", detail.lastReply().orElse(null));
        last.put("at", detail.lastAt().map(Object::toString).orElse(null));
        return last;
    }

    /** Distinct days the mailbox was reported full (such bounces count from {@code bounceFullDays} on). */
    public int getFullDays() {
        return detail.fullDays();
    }
}
