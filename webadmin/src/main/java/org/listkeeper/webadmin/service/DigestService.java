package org.listkeeper.webadmin.service;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.listkeeper.TransientFailureException;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.digest.DigestStore;
import org.listkeeper.digest.Digester;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;

/** A list's digest as an operator sees and drives it through WebAdmin: the open issue, recent issues, send now. */
public final class DigestService {
    private static final int RECENT = 10;

    private final Lists lists;
    private final DigestStore digests;
    private final Digester digester;

    @Inject
    public DigestService(Lists lists, DigestStore digests, Digester digester) {
        this.lists = Objects.requireNonNull(lists);
        this.digests = Objects.requireNonNull(digests);
        this.digester = Objects.requireNonNull(digester);
    }

    /** The list with its open issue (if any) and its latest issues, newest first. */
    public Overview overview(MailAddress listAddress) {
        MailingList list = lists.getList(listAddress);
        return new Overview(list, digests.openIssue(list.id()), digests.issues(list.id(), RECENT));
    }

    /** Closes the open issue and hands it to delivery; empty when it has no post. */
    public Optional<DigestIssue> sendNow(MailAddress listAddress) {
        MailingList list = lists.getList(listAddress);
        try {
            return digester.sendNow(list);
        } catch (MessagingException e) {
            throw new TransientFailureException("Cannot hand the digest of " + listAddress.asString() + " to delivery: "
                + e.getMessage(), e);
        }
    }

    /** What {@code GET /lists/{list}/digest} shows. */
    public static final class Overview {
        private final MailingList list;
        private final Optional<DigestIssue> open;
        private final List<DigestIssue> recent;

        Overview(MailingList list, Optional<DigestIssue> open, List<DigestIssue> recent) {
            this.list = list;
            this.open = open;
            this.recent = List.copyOf(recent);
        }

        public MailingList list() {
            return list;
        }

        public Optional<DigestIssue> open() {
            return open;
        }

        public List<DigestIssue> recent() {
            return recent;
        }
    }
}
