package org.listkeeper.webadmin.service;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.MailetContext;
import org.listkeeper.list.MailingList;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.Notice;
import org.listkeeper.pipeline.PipelineSettings;

/** Sends the notices an administrator's action causes (a welcome, a rejection, a goodbye) through James's transport. */
public final class NoticeSender {
    private final Dispatch dispatch;
    private final MailetContext mailetContext;
    private final Clock clock;

    @Inject
    public NoticeSender(Dispatch dispatch, MailetContext mailetContext, Clock clock) {
        this.dispatch = Objects.requireNonNull(dispatch);
        this.mailetContext = Objects.requireNonNull(mailetContext);
        this.clock = Objects.requireNonNull(clock);
    }

    public void send(MailingList list, List<Notice> notices) throws MessagingException {
        if (!notices.isEmpty()) {
            dispatch.notify(mailetContext, list, notices, clock.instant(), PipelineSettings.DEFAULT_TRANSPORT);
        }
    }
}
