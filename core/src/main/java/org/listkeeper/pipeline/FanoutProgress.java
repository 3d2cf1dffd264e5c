package org.listkeeper.pipeline;

import java.util.Objects;
import java.util.Optional;

import org.listkeeper.list.MemberCursor;
/** How far the fan-out of one post has got, as recorded in the store. */
public final class FanoutProgress {
    private static final FanoutProgress NOT_STARTED = new FanoutProgress(null, null, false, 0, 0, null);

    private final MemberCursor handedOff;
    private final MemberCursor inFlight;
    private final boolean completed;
    private final int batches;
    private final int recipients;
    private final String mode;

    private FanoutProgress(MemberCursor handedOff, MemberCursor inFlight, boolean completed, int batches, int recipients, String mode) {
        this.handedOff = handedOff;
        this.inFlight = inFlight;
        this.completed = completed;
        this.batches = batches;
        this.recipients = recipients;
        this.mode = mode;
    }

    public static FanoutProgress notStarted() {
        return NOT_STARTED;
    }

    public static FanoutProgress of(MemberCursor handedOff, MemberCursor inFlight, boolean completed, int batches, int recipients) {
        return new FanoutProgress(handedOff, inFlight, completed, batches, recipients, null);
    }

    public static FanoutProgress of(MemberCursor handedOff, MemberCursor inFlight, boolean completed, int batches, int recipients,
                                    String mode) {
        return new FanoutProgress(handedOff, inFlight, completed, batches, recipients, mode);
    }

    /** How the fan-out sends, as its first batch recorded it; empty before the first batch. */
    public Optional<String> mode() {
        return Optional.ofNullable(mode);
    }

    /** The last member of the last batch handed on; empty before the first batch. */
    public Optional<MemberCursor> handedOff() {
        return Optional.ofNullable(handedOff);
    }

    /** The end of a batch that was started but not recorded as handed on (a crash in between). */
    public Optional<MemberCursor> inFlight() {
        return Optional.ofNullable(inFlight);
    }

    public boolean completed() {
        return completed;
    }

    public int batches() {
        return batches;
    }

    public int recipients() {
        return recipients;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FanoutProgress)) {
            return false;
        }
        FanoutProgress other = (FanoutProgress) o;
        return Objects.equals(handedOff, other.handedOff) && Objects.equals(inFlight, other.inFlight)
            && completed == other.completed && batches == other.batches && recipients == other.recipients
            && Objects.equals(mode, other.mode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(handedOff, inFlight, completed, batches, recipients, mode);
    }

    @Override
    public String toString() {
        return "FanoutProgress{handedOff=" + handedOff + ", inFlight=" + inFlight + ", completed=" + completed
            + ", batches=" + batches + ", recipients=" + recipients + ", mode=" + mode + "}";
    }
}
