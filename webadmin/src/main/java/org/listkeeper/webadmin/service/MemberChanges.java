package org.listkeeper.webadmin.service;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;

/**
 * What an administrator changes about one roster entry: the options named (the others stay as they are) and,
 * optionally, a fresh start for its bounce record. Values are checked when the changes are read, before anything is
 * written.
 */
public final class MemberChanges {
    private final List<Consumer<Member.Builder>> edits;
    private final boolean resetsBounceRecord;

    private MemberChanges(List<Consumer<Member.Builder>> edits, boolean resetsBounceRecord) {
        this.edits = List.copyOf(edits);
        this.resetsBounceRecord = resetsBounceRecord;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code existing} with the options changed. Disabling delivery without saying by whom counts as the
     * administrator's doing, unless delivery was already disabled (by a bounce, say), which it keeps.
     */
    public Member applyTo(Member existing) {
        Member.Builder member = existing.toBuilder();
        edits.forEach(edit -> edit.accept(member));
        return member.build();
    }

    /** Whether the bounce record starts again: score, last bounce and warnings back to nothing. */
    public boolean resetsBounceRecord() {
        return resetsBounceRecord;
    }

    /** Collects the changes in the order the options are read. */
    public static final class Builder {
        private final List<Consumer<Member.Builder>> edits = new ArrayList<>();
        private boolean resetsBounceRecord;

        private Builder() {
        }

        public Builder role(Role role) {
            edits.add(member -> member.role(role));
            return this;
        }

        /** {@code null} removes the display name. */
        public Builder displayName(String displayName) {
            edits.add(member -> member.displayName(displayName));
            return this;
        }

        public Builder delivery(Delivery delivery) {
            edits.add(member -> member.delivery(delivery));
            return this;
        }

        public Builder disabledBy(DisabledBy disabledBy) {
            edits.add(member -> member.disabledBy(disabledBy));
            return this;
        }

        public Builder digest(DigestMode digest) {
            edits.add(member -> member.digest(digest));
            return this;
        }

        public Builder receiveOwnPosts(boolean receiveOwnPosts) {
            edits.add(member -> member.receiveOwnPosts(receiveOwnPosts));
            return this;
        }

        public Builder hideAddress(boolean hideAddress) {
            edits.add(member -> member.hideAddress(hideAddress));
            return this;
        }

        /** {@code null} goes back to the list's default action. */
        public Builder moderationAction(ModerationAction moderationAction) {
            edits.add(member -> member.moderationAction(moderationAction));
            return this;
        }

        public Builder resetBounceRecord() {
            resetsBounceRecord = true;
            return this;
        }

        public MemberChanges build() {
            return new MemberChanges(edits, resetsBounceRecord);
        }
    }
}
