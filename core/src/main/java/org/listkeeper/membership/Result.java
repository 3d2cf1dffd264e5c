package org.listkeeper.membership;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.listkeeper.notices.Notice;

/** The outcome of a membership action, one line saying it to a person, and the notices it calls for. */
public final class Result {
    private final Outcome outcome;
    private final String message;
    private final List<Notice> notices;
    private final PendingRequest request;

    private Result(Outcome outcome, String message, List<Notice> notices, PendingRequest request) {
        this.outcome = Objects.requireNonNull(outcome);
        this.message = Objects.requireNonNull(message);
        this.notices = List.copyOf(notices);
        this.request = request;
    }

    static Result of(Outcome outcome, String message, List<Notice> notices) {
        return new Result(outcome, message, notices, null);
    }

    static Result of(Outcome outcome, String message, List<Notice> notices, PendingRequest request) {
        return new Result(outcome, message, notices, request);
    }

    static Result of(Outcome outcome, String message) {
        return new Result(outcome, message, List.of(), null);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** One line for the person who asked; never carries a token meant for someone else. */
    public String message() {
        return message;
    }

    public List<Notice> notices() {
        return notices;
    }

    /** The request this action created or decided, if any. */
    public Optional<PendingRequest> request() {
        return Optional.ofNullable(request);
    }

    @Override
    public String toString() {
        return outcome + ": " + message;
    }
}
