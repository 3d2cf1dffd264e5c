package org.listkeeper.notices;

import org.listkeeper.list.ListVariables;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every reply and notice Listkeeper sends, each with its template name (a file of the default set, which a
 * list may replace) and the variables its template may use besides the list's own.
 */
public enum NoticeKind {
    /** Reply to mail sent to a request address: what each command did. */
    COMMAND_RESULTS("command-results", "sender", "results"),
    /** To an address that was asked to join: reply to confirm. */
    CONFIRM_SUBSCRIBE("confirm-subscribe", "address", "requestedBy", "token", "confirmAddress", "confirmPage", "expires"),
    /** To an address that asked to sign in to the web pages: its one-time link. */
    SIGN_IN("sign-in", "address", "link", "expires"),
    /** To a member that was asked to leave: reply to confirm. */
    CONFIRM_UNSUBSCRIBE("confirm-unsubscribe", "address", "requestedBy", "token", "confirmAddress", "confirmPage", "expires"),
    /** To a new member. */
    WELCOME("welcome", "address"),
    /** To a member who left. */
    GOODBYE("goodbye", "address"),
    /** To the owners and moderators: a request waits for their decision. */
    APPROVAL_NEEDED("approval-needed", "address", "action", "requestId", "requestedBy", "token", "confirmAddress", "expires"),
    /** To an address whose request a moderator turned down. */
    REQUEST_REJECTED("request-rejected", "address", "action", "reason"),
    /** To the owners and moderators: a post waits for them (the post attached). */
    HELD_POST("held-post", "heldId", "sender", "subject", "reasons", "token", "confirmAddress", "expires"),
    /** To the poster: the post waits for a moderator. */
    POST_HELD("post-held", "subject", "reasons"),
    /** To the poster: the post was rejected, with the reason. */
    POST_REJECTED("post-rejected", "subject", "reason"),
    /** To the owners and moderators: a held post expired undecided. */
    HELD_EXPIRED("held-expired", "heldId", "sender", "subject", "reasons"),
    /** To the owners and moderators, daily when they chose so: what waits. */
    HELD_SUMMARY("held-summary", "count", "posts"),
    /** To a member whose delivery bounce processing disabled (each warning is also a probe). */
    BOUNCE_WARNING("bounce-warning", "address", "warning", "warnings", "score"),
    /** To the owners: a bounce nobody could read, attached. */
    BOUNCE_UNRECOGNISED("bounce-unrecognised", "sender", "subject", "reason"),
    /** To the owners: a receiving domain refuses the list's mail for policy (a block event opened). */
    BOUNCE_BLOCK("bounce-block", "domain", "members", "reply", "window"),
    /** To the owners: a member removed after the last bounce warning. */
    BOUNCE_REMOVED("bounce-removed", "address", "score"),
    /**
     * The explanation that opens a post the list wrapped because of its author's DMARC policy (only the body is
     * used; the wrapper keeps the post's Subject). Empty for none.
     */
    DMARC_WRAPPED("dmarc-wrapped", "author"),
    /** The text the {@code help} command answers with. */
    HELP("help"),
    /** The text the {@code info} command answers with. */
    INFO("info");

    /** Variables every template has: the list's identity and addresses, as in the footer. */
    public static final Set<String> LIST_VARIABLES = ListVariables.NAMES;

    private final String templateName;
    private final Set<String> own;

    NoticeKind(String templateName, String... own) {
        this.templateName = templateName;
        this.own = Set.of(own);
    }

    /** The template's name: configuration API, never renamed. */
    public String templateName() {
        return templateName;
    }

    /** Every variable the template may use. */
    public Set<String> variables() {
        Set<String> all = new HashSet<>(LIST_VARIABLES);
        all.addAll(own);
        return Set.copyOf(all);
    }

    public static Optional<NoticeKind> byTemplateName(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(kind -> kind.templateName.equals(wanted)).findFirst();
    }
}
