package org.listkeeper.smtp;

import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.listkeeper.internal.Redaction;
import org.listkeeper.TransientFailureException;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.ListRecipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets James's SMTP server accept mail for list addresses (posting address and sub-addresses) at local
 * domains, which are not James users. Anything else is left to the hooks after it: list it in
 * {@code smtpserver.xml} before {@code ValidRcptHandler}, which refuses unknown local addresses with
 * {@code 550 5.1.1}. Remote domains are never accepted here, so this hook cannot open a relay.
 *
 * <pre>{@code
 * <handlerchain>
 *   <handler class="org.listkeeper.smtp.ListRcptHook"/>
 *   <handler class="org.apache.james.smtpserver.fastfail.ValidRcptHandler"/>
 *   <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 * </handlerchain>
 * }</pre>
 */
public final class ListRcptHook implements RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListRcptHook.class);
    private static final HookResult TEMPORARILY_UNAVAILABLE = HookResult.builder()
        .hookReturnCode(HookReturnCode.denySoft())
        .smtpReturnCode("451")
        .smtpDescription("4.3.0 List directory temporarily unavailable, try again later")
        .build();

    private final ListDirectory directory;
    private final DomainList domainList;

    @Inject
    public ListRcptHook(ListDirectory directory, DomainList domainList) {
        this.directory = directory;
        this.domainList = domainList;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient, Map<String, String> parameters) {
        try {
            if (!domainList.containsDomain(recipient.getDomain())) {
                return HookResult.DECLINED;
            }
            Optional<ListRecipient> list = directory.resolve(recipient);
            if (list.isEmpty()) {
                return HookResult.DECLINED;
            }
            return HookResult.builder()
                .hookReturnCode(HookReturnCode.ok())
                .smtpReturnCode("250")
                .smtpDescription("2.1.5 Recipient <" + recipient.asString() + "> OK")
                .build();
        } catch (TransientFailureException | DomainListException e) {
            LOGGER.warn("Cannot tell whether {} is a list address: {}", Redaction.address(recipient), Redaction.of(e.getMessage()));
            return TEMPORARILY_UNAVAILABLE;
        }
    }
}
