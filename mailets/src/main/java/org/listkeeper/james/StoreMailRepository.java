package org.listkeeper.james;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;
import org.listkeeper.ListkeeperException;
import org.listkeeper.store.MailRepositories;
import org.listkeeper.store.StoredMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A James mail repository kept in Listkeeper's list store, so that every James node sharing the store's database
 * (PostgreSQL in a cluster) sees the same mails: a post held on one node can be released from another, a post parked
 * on one node replayed from another. James's {@code file://} repositories keep mail on one node's disk.
 *
 * <p>Registered in {@code mailrepositorystore.xml} for a protocol of its own; it takes no {@code <config>}, because
 * the list store is the one in {@code listkeeper.properties}:</p>
 * <pre>{@code
 * <mailrepository class="org.listkeeper.james.StoreMailRepository">
 *   <protocols>
 *     <protocol>listkeeper</protocol>
 *   </protocols>
 * </mailrepository>
 * }</pre>
 * <p>and then named by URLs on that protocol (at most 255 characters), as
 * {@code held.repository=listkeeper://var/mail/listkeeper/held/}. James's repository loader builds one per URL
 * through the extension injector, which hands it the URL and the store's {@link MailRepositories}. James takes the
 * first protocol listed as the default one unless {@code <defaultProtocol>} says otherwise, so list this element after
 * the {@code file} one or keep {@code <defaultProtocol>file</defaultProtocol>}.</p>
 *
 * <p>A mail is kept with its message byte for byte, name, state, error message, sender, recipients, remote host and
 * address, last-updated time, per-recipient headers, and its attributes (DSN parameters among them) in James's JSON
 * form of attribute values ({@link AttributeValue#toJson()}). An attribute whose value has no JSON form (one made with
 * {@code AttributeValue.ofUnserializable}) is left out with a warning rather than failing the store: the mail matters
 * more than that attribute. Listkeeper's own attributes are plain types and are always kept.</p>
 */
public final class StoreMailRepository implements MailRepository {
    private static final Logger LOGGER = LoggerFactory.getLogger(StoreMailRepository.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER_NAME = "name";
    private static final String HEADER_VALUE = "value";

    private final MailRepositories mails;
    private final String repository;

    @Inject
    public StoreMailRepository(MailRepositories mails, MailRepositoryUrl url) {
        this.mails = mails;
        this.repository = url.asString();
        if (repository.length() > StoredMail.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("The list store keeps mail repositories with URLs of at most " + StoredMail.MAX_KEY_LENGTH
                + " characters; " + repository + " has " + repository.length());
        }
    }

    @Override
    public MailKey store(Mail mail) throws MessagingException {
        if (mail.getName() == null) {
            throw new MessagingException("A mail without a name cannot be stored in " + repository);
        }
        MailKey key = MailKey.forMail(mail);
        byte[] message = message(mail);
        try {
            mails.store(repository, StoredMail.builder(key.asString(), message)
                .sender(mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null))
                .recipients(mail.getRecipients().stream().map(MailAddress::asString).collect(Collectors.toList()))
                // James's MailImpl has no stateless mail either: it starts one in the root processor
                .state(mail.getState() == null ? Mail.DEFAULT : mail.getState())
                .errorMessage(mail.getErrorMessage())
                .remoteHost(mail.getRemoteHost())
                .remoteAddress(mail.getRemoteAddr())
                .lastUpdated(mail.getLastUpdated() == null ? null : mail.getLastUpdated().toInstant())
                .attributes(attributes(mail))
                .recipientHeaders(recipientHeaders(mail.getPerRecipientSpecificHeaders()))
                .build());
        } catch (ListkeeperException | IllegalArgumentException e) {
            throw new MessagingException("Cannot store mail " + key.asString() + " in " + repository + ": " + e.getMessage(), e);
        }
        return key;
    }

    @Override
    public Mail retrieve(MailKey key) throws MessagingException {
        Optional<StoredMail> found;
        try {
            found = mails.find(repository, key.asString());
        } catch (ListkeeperException | IllegalArgumentException e) {
            throw new MessagingException("Cannot read mail " + key.asString() + " of " + repository + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            return null;
        }
        StoredMail stored = found.get();
        List<MailAddress> recipients = new ArrayList<>();
        for (String recipient : stored.recipients()) {
            recipients.add(new MailAddress(recipient));
        }
        MailImpl mail = MailImpl.builder()
            .name(stored.key())
            .sender(stored.sender().isPresent() ? MaybeSender.of(new MailAddress(stored.sender().get())) : MaybeSender.nullSender())
            .addRecipients(recipients)
            .state(stored.state())
            .errorMessage(stored.errorMessage().orElse(null))
            .remoteHost(stored.remoteHost().orElse(null))
            .remoteAddr(stored.remoteAddress().orElse(null))
            .addAttributes(attributes(stored))
            .addAllHeadersForRecipients(recipientHeaders(stored))
            .build();
        // a mail that came without a last-updated time goes back without one, not with the time it was read
        mail.setLastUpdated(stored.lastUpdated().map(Date::from).orElse(null));
        // no copy: the wrapper parses the stored bytes only when asked, and writes them back unchanged if unchanged
        mail.setMessageNoCopy(new MimeMessageWrapper(new StoredMessage(repository + " " + stored.key(), stored.message())));
        return mail;
    }

    @Override
    public long size() throws MessagingException {
        try {
            return mails.count(repository);
        } catch (ListkeeperException e) {
            throw new MessagingException("Cannot count the mails of " + repository + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Iterator<MailKey> list() throws MessagingException {
        try {
            return mails.keys(repository).stream().map(MailKey::new).iterator();
        } catch (ListkeeperException e) {
            throw new MessagingException("Cannot list the mails of " + repository + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(MailKey key) throws MessagingException {
        try {
            mails.remove(repository, key.asString());
        } catch (ListkeeperException e) {
            throw new MessagingException("Cannot remove mail " + key.asString() + " from " + repository + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(Collection<MailKey> keys) throws MessagingException {
        try {
            mails.remove(repository, keys.stream().map(MailKey::asString).collect(Collectors.toList()));
        } catch (ListkeeperException e) {
            throw new MessagingException("Cannot remove " + keys.size() + " mails from " + repository + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void removeAll() throws MessagingException {
        try {
            mails.removeAll(repository);
        } catch (ListkeeperException e) {
            throw new MessagingException("Cannot remove the mails of " + repository + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "StoreMailRepository{" + repository + "}";
    }

    private static byte[] message(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        if (message == null) {
            throw new MessagingException("Mail " + mail.getName() + " has no message to store");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try {
            message.writeTo(bytes);
        } catch (IOException e) {
            throw new MessagingException("Cannot read the message of mail " + mail.getName() + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static String attributes(Mail mail) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        mail.attributes().forEach(attribute -> {
            Optional<JsonNode> value;
            try {
                value = attribute.getValue().toJson();
            } catch (RuntimeException e) {
                LOGGER.warn("Mail {}: attribute {} cannot be written as JSON and is not kept: {}", mail.getName(),
                    attribute.getName().asString(), e.toString());
                return;
            }
            if (value.isPresent()) {
                json.set(attribute.getName().asString(), value.get());
            } else {
                LOGGER.warn("Mail {}: attribute {} has a value without a JSON form ({}) and is not kept", mail.getName(),
                    attribute.getName().asString(), attribute.getValue().getValue().getClass().getName());
            }
        });
        return json.toString();
    }

    /** The attributes as they were stored; one that cannot be read back (its serializer unknown here) is left out. */
    private static List<Attribute> attributes(StoredMail stored) throws MessagingException {
        if (stored.attributes().isEmpty()) {
            return List.of();
        }
        JsonNode json = readJson(stored, stored.attributes().get());
        List<Attribute> attributes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            try {
                attributes.add(new Attribute(AttributeName.of(field.getKey()), AttributeValue.fromJson(field.getValue())));
            } catch (RuntimeException e) {
                LOGGER.warn("Mail {}: attribute {} cannot be read back and is left out: {}", stored.key(), field.getKey(),
                    e.toString());
            }
        }
        return attributes;
    }

    /** Per recipient, its headers in order, a name and value each: a recipient may have several of one name. */
    private static String recipientHeaders(PerRecipientHeaders headers) {
        if (headers == null || headers.getHeadersByRecipient().isEmpty()) {
            return null;
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        headers.getHeadersByRecipient().asMap().forEach((recipient, recipientHeaders) -> {
            ArrayNode list = json.putArray(recipient.asString());
            recipientHeaders.forEach(header -> list.addObject().put(HEADER_NAME, header.getName()).put(HEADER_VALUE, header.getValue()));
        });
        return json.toString();
    }

    private static PerRecipientHeaders recipientHeaders(StoredMail stored) throws MessagingException {
        PerRecipientHeaders headers = new PerRecipientHeaders();
        if (stored.recipientHeaders().isEmpty()) {
            return headers;
        }
        JsonNode json = readJson(stored, stored.recipientHeaders().get());
        for (Iterator<Map.Entry<String, JsonNode>> recipients = json.fields(); recipients.hasNext(); ) {
            Map.Entry<String, JsonNode> recipient = recipients.next();
            MailAddress address = new MailAddress(recipient.getKey());
            for (JsonNode header : recipient.getValue()) {
                headers.addHeaderForRecipient(PerRecipientHeaders.Header.builder().name(header.path(HEADER_NAME).asText())
                    .value(header.path(HEADER_VALUE).asText()), address);
            }
        }
        return headers;
    }

    private static JsonNode readJson(StoredMail stored, String text) throws MessagingException {
        try {
            JsonNode json = JSON.readTree(text);
            if (!json.isObject()) {
                throw new MessagingException("Mail " + stored.key() + " has stored fields that are not a JSON object: " + text);
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new MessagingException("Mail " + stored.key() + " has stored fields that are not JSON: " + e.getMessage(), e);
        }
    }

    /** The stored message bytes as James's lazily parsed message source. */
    private static final class StoredMessage implements MimeMessageSource {
        private final String id;
        private final byte[] bytes;

        StoredMessage(String id, byte[] bytes) {
            this.id = id;
            this.bytes = bytes;
        }

        @Override
        public String getSourceId() {
            return id;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getMessageSize() {
            return bytes.length;
        }
    }
}
