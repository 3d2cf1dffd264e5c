package org.listkeeper.internal;

import javax.mail.MessagingException;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeBodyPart;

/**
 * A body part whose headers and bytes are given exactly: javax.mail must neither re-derive its headers nor parse
 * its content (which may be signed, another message, or malformed) when the message around it is saved.
 */
public final class RawBodyPart extends MimeBodyPart {
    public RawBodyPart(InternetHeaders headers, byte[] content) throws MessagingException {
        super(headers, content);
    }

    @Override
    protected void updateHeaders() {
        // the headers were given verbatim
    }
}
