package org.listkeeper.webadmin.service;

import org.apache.james.core.MailAddress;
import org.listkeeper.ListkeeperException;

/** An address that is not on a list's roster, where the request needs it to be. */
public final class NoSuchMemberException extends ListkeeperException {
    private static final long serialVersionUID = 1L;

    public NoSuchMemberException(MailAddress list, MailAddress address) {
        super(address.asString() + " is not on the roster of " + list.asString());
    }
}
