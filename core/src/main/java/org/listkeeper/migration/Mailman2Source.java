package org.listkeeper.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.archive.Mbox;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;

import net.razorvine.pickle.Unpickler;

/**
 * Reads a GNU Mailman 2.1 list: its {@code config.pck} (a Python 2 pickle, read with Pyrolite; byte strings decoded
 * in the charset of the list's {@code preferred_language}) and, when given, its pipermail mbox as history. Members
 * keep their delivery status (with who turned it off), digest kind, own-posts, concealment and moderation flags;
 * passwords are never imported.
 */
public final class Mailman2Source {
    // Mailman 2.1's per-member option bits (Mailman/Defaults.py)
    private static final int DISABLE_DELIVERY = 1;
    private static final int DONT_RECEIVE_OWN_POSTS = 2;
    private static final int ACKNOWLEDGE_POSTS = 4;
    private static final int DISABLE_MIME = 8;
    private static final int CONCEAL_SUBSCRIPTION = 16;
    private static final int MODERATE = 128;
    // delivery_status values (Mailman/MemberAdaptor.py)
    private static final int BY_USER = 2;
    private static final int BY_ADMIN = 3;
    private static final int BY_BOUNCE = 4;
    private static final List<String> ACTIONS = List.of("accept", "hold", "reject", "discard");
    private static final Map<String, String> CHARSETS = Map.ofEntries(Map.entry("en", "iso-8859-1"), Map.entry("de", "iso-8859-1"),
        Map.entry("fr", "iso-8859-1"), Map.entry("es", "iso-8859-1"), Map.entry("it", "iso-8859-1"), Map.entry("nl", "iso-8859-1"),
        Map.entry("pt", "iso-8859-1"), Map.entry("pt_BR", "iso-8859-1"), Map.entry("da", "iso-8859-1"), Map.entry("sv", "iso-8859-1"),
        Map.entry("no", "iso-8859-1"), Map.entry("fi", "iso-8859-1"), Map.entry("ca", "iso-8859-1"), Map.entry("eu", "iso-8859-1"),
        Map.entry("pl", "iso-8859-2"), Map.entry("cs", "iso-8859-2"), Map.entry("hu", "iso-8859-2"), Map.entry("hr", "iso-8859-2"),
        Map.entry("sl", "iso-8859-2"), Map.entry("ro", "iso-8859-2"), Map.entry("sk", "utf-8"), Map.entry("ru", "koi8-r"),
        Map.entry("uk", "utf-8"), Map.entry("ja", "euc-jp"), Map.entry("ko", "euc-kr"), Map.entry("zh_CN", "utf-8"),
        Map.entry("zh_TW", "utf-8"), Map.entry("el", "iso-8859-7"), Map.entry("tr", "iso-8859-9"), Map.entry("he", "utf-8"));

    private final Map<?, ?> config;
    private final Charset charset;

    private Mailman2Source(Map<?, ?> config, Charset charset) {
        this.config = config;
        this.charset = charset;
    }

    /** The list in {@code directory} ({@code …/lists/NAME}), with {@code archive} (a pipermail mbox) as history if given. */
    public static ListSnapshot read(Path directory, Optional<Path> archive, MailAddress target) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new InvalidValueException("path", directory.toString(), "no such directory");
        }
        Path pickle = directory.resolve("config.pck");
        if (!Files.isRegularFile(pickle)) {
            throw new InvalidValueException("path", directory.toString(), "no config.pck: not a Mailman 2.1 list directory");
        }
        if (archive.isPresent() && !Files.isRegularFile(archive.get())) {
            throw new InvalidValueException("archive", archive.get().toString(), "no such file");
        }
        Object loaded;
        try (InputStream in = Files.newInputStream(pickle)) {
            loaded = new Unpickler().load(in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidValueException("path", pickle.toString(), "config.pck cannot be read (" + (e.getMessage() == null
                ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        if (!(loaded instanceof Map)) {
            throw new InvalidValueException("path", pickle.toString(), "config.pck does not hold a list's settings");
        }
        Map<?, ?> config = (Map<?, ?>) loaded;
        String language = raw(config.get("preferred_language")).orElse("en");
        Charset charset;
        try {
            charset = Charset.forName(CHARSETS.getOrDefault(language, "utf-8"));
        } catch (RuntimeException e) {
            charset = StandardCharsets.ISO_8859_1;
        }
        return new Mailman2Source(config, charset).snapshot(archive, target);
    }

    private ListSnapshot snapshot(Optional<Path> archive, MailAddress target) {
        ListSnapshot.Builder snapshot = ListSnapshot.builder();
        settings(snapshot);
        people(snapshot);
        if (archive.isPresent()) {
            Path mbox = archive.get();
            snapshot.history(ListSnapshot.mbox(archive.get()));
            snapshot.note(ImportNote.mapped("archive mbox", "the list's archive"));
        }
        snapshot.note(ImportNote.notCarried("passwords", "member and list passwords are never imported; members sign in by mailed links"));
        return snapshot.build();
    }

    private void settings(ListSnapshot.Builder snapshot) {
        text("real_name").filter(v -> !v.isBlank()).ifPresent(v -> map(snapshot, "real_name", Setting.DISPLAY_NAME, v));
        text("description").filter(v -> !v.isBlank()).ifPresent(v -> map(snapshot, "description", Setting.DESCRIPTION, v));
        text("subject_prefix").ifPresent(prefix -> {
            String cleaned = prefix.replaceAll("\\s*%\\d*d", "").replaceAll("\\s+", " ").strip();
            snapshot.setting(Setting.SUBJECT_PREFIX, cleaned);
            snapshot.note(cleaned.equals(prefix.strip()) ? ImportNote.mapped("subject_prefix", "subjectPrefix")
                : ImportNote.translated("subject_prefix", "subjectPrefix", "Mailman's post number (%d) in the prefix is left out"));
        });
        text("msg_footer").filter(v -> !v.isBlank()).ifPresent(footer -> {
            String translated = footer.replace("%(real_name)s", "{{displayName}}").replace("%(list_name)s", "{{displayName}}")
                .replace("%(description)s", "{{description}}");
            snapshot.setting(Setting.FOOTER, translated.stripTrailing());
            snapshot.note(translated.equals(footer) ? ImportNote.mapped("msg_footer", "footer")
                : ImportNote.translated("msg_footer", "footer", "%(real_name)s and %(list_name)s became {{displayName}}, %(description)s {{description}};"
                    + " other %(…)s substitutions stay as text"));
        });
        number("generic_nonmember_action").filter(n -> n >= 0 && n < ACTIONS.size()).ifPresent(n ->
            map(snapshot, "generic_nonmember_action", Setting.DEFAULT_NONMEMBER_ACTION, ACTIONS.get(n)));
        number("default_member_moderation").ifPresent(moderated -> {
            String action = moderated == 0 ? "accept"
                : List.of("hold", "reject", "discard").get(Math.max(0, Math.min(2, number("member_moderation_action").orElse(0))));
            snapshot.setting(Setting.DEFAULT_MEMBER_ACTION, action);
            snapshot.note(ImportNote.translated("default_member_moderation", "defaultMemberAction",
                "Mailman applies it to members who join later; each member's own moderation flag is imported as that member's action"));
        });
        number("max_message_size").ifPresent(kb -> map(snapshot, "max_message_size", Setting.MAX_MESSAGE_SIZE,
            String.valueOf(Math.min(100_000, kb))));
        number("subscribe_policy").filter(n -> n >= 0 && n <= 3).ifPresent(n -> map(snapshot, "subscribe_policy", Setting.SUBSCRIPTION_POLICY,
            List.of("open", "confirm", "moderate", "confirm_then_moderate").get(n)));
        number("unsubscribe_policy").ifPresent(n -> {
            snapshot.setting(Setting.UNSUBSCRIPTION_POLICY, "confirm");
            snapshot.note(n == 0 ? ImportNote.mapped("unsubscribe_policy", "unsubscriptionPolicy")
                : ImportNote.translated("unsubscribe_policy", "unsubscriptionPolicy",
                "Mailman's moderator approval of leaving has no Listkeeper counterpart: leaving asks the member to confirm"));
        });
        Optional<Integer> archiving = number("archive");
        if (archiving.isPresent() && archiving.get() == 0) {
            map(snapshot, "archive", Setting.ARCHIVE_POLICY, "never");
        } else {
            number("archive_private").ifPresent(n -> map(snapshot, "archive_private", Setting.ARCHIVE_POLICY, n == 0 ? "public" : "private"));
        }
        number("advertised").ifPresent(n -> map(snapshot, "advertised", Setting.ADVERTISED, String.valueOf(n != 0)));
        number("digestable").ifPresent(n -> map(snapshot, "digestable", Setting.DIGESTS_ENABLED, String.valueOf(n != 0)));
        number("require_explicit_destination").ifPresent(n -> map(snapshot, "require_explicit_destination",
            Setting.REQUIRE_EXPLICIT_DESTINATION, String.valueOf(n != 0)));
        number("max_num_recipients").ifPresent(n -> map(snapshot, "max_num_recipients", Setting.MAX_RECIPIENTS, String.valueOf(n)));
        number("emergency").ifPresent(n -> map(snapshot, "emergency", Setting.EMERGENCY, String.valueOf(n != 0)));
        List<String> bans = strings("ban_list");
        if (!bans.isEmpty()) {
            snapshot.setting(Setting.BANNED_ADDRESSES, String.join("\n", bans));
            snapshot.note(bans.stream().anyMatch(ban -> ban.startsWith("^"))
                ? ImportNote.translated("ban_list", "bannedAddresses", "regular expressions (^…) are kept as Listkeeper's ^patterns")
                : ImportNote.mapped("ban_list", "bannedAddresses"));
        }
        for (String key : List.of("reply_goes_to_list", "personalize", "topics", "header_filter_rules", "bounce_processing",
            "send_reminders", "autorespond_postings", "autorespond_requests", "filter_content", "pass_mime_types", "goodbye_msg",
            "welcome_msg", "info")) {
            if (config.containsKey(key)) {
                snapshot.note(ImportNote.notCarried(key, "no one-to-one Listkeeper setting; review it after the import"));
            }
        }
    }

    private static void map(ListSnapshot.Builder snapshot, String source, Setting setting, String value) {
        snapshot.setting(setting, value);
        snapshot.note(ImportNote.mapped(source, setting.jsonName()));
    }

    private void people(ListSnapshot.Builder snapshot) {
        Map<?, ?> options = dict("user_options");
        Map<?, ?> names = dict("usernames");
        Map<?, ?> status = dict("delivery_status");
        addMembers(snapshot, dict("members"), false, options, names, status);
        addMembers(snapshot, dict("digest_members"), true, options, names, status);
        for (String owner : strings("owner")) {
            withRole(snapshot, owner, Role.OWNER);
        }
        for (String moderator : strings("moderator")) {
            withRole(snapshot, moderator, Role.MODERATOR);
        }
        snapshot.note(ImportNote.translated("owner, moderator", "roles owner and moderator",
            "one who was not also a member gets no posts (delivery off)"));
        nonmembers(snapshot, "accept_these_nonmembers", ModerationAction.ACCEPT);
        nonmembers(snapshot, "hold_these_nonmembers", ModerationAction.HOLD);
        nonmembers(snapshot, "reject_these_nonmembers", ModerationAction.REJECT);
        nonmembers(snapshot, "discard_these_nonmembers", ModerationAction.DISCARD);
    }

    private void addMembers(ListSnapshot.Builder snapshot, Map<?, ?> members, boolean digest, Map<?, ?> options, Map<?, ?> names,
                            Map<?, ?> status) {
        for (Map.Entry<?, ?> entry : members.entrySet()) {
            String key = decode(entry.getKey());
            // the value is 0, or the address as the member typed it when its case differs
            String typed = entry.getValue() instanceof String ? decode(entry.getValue()) : key;
            Optional<MailAddress> address = address(typed).or(() -> address(key));
            if (address.isEmpty()) {
                continue;
            }
            int flags = Optional.ofNullable(options.get(entry.getKey())).filter(Number.class::isInstance).map(n -> ((Number) n).intValue()).orElse(0);
            Member.Builder member = Member.builder(address.get());
            Object name = names.get(entry.getKey());
            if (name != null && !decode(name).isBlank()) {
                member.displayName(decode(name).strip());
            }
            if (digest) {
                member.digest((flags & DISABLE_MIME) != 0 ? DigestMode.PLAIN : DigestMode.MIME);
            }
            Optional<DisabledBy> disabled = disabledBy(status.get(entry.getKey()), flags);
            if (disabled.isPresent()) {
                member.delivery(Delivery.DISABLED).disabledBy(disabled.get());
            }
            member.receiveOwnPosts((flags & DONT_RECEIVE_OWN_POSTS) == 0);
            member.hideAddress((flags & CONCEAL_SUBSCRIPTION) != 0);
            if ((flags & MODERATE) != 0) {
                member.moderationAction(ModerationAction.HOLD);
            }
            snapshot.member(member.build());
        }
        if (options.values().stream().anyMatch(n -> n instanceof Number && (((Number) n).intValue() & ACKNOWLEDGE_POSTS) != 0)) {
            snapshot.note(ImportNote.notCarried("user_options: acknowledge posts", "Listkeeper sends no acknowledgement of a post"));
        }
    }

    private Optional<DisabledBy> disabledBy(Object status, int flags) {
        int reason = 0;
        if (status instanceof Object[] && ((Object[]) status).length > 0 && ((Object[]) status)[0] instanceof Number) {
            reason = ((Number) ((Object[]) status)[0]).intValue();
        } else if (status instanceof List && !((List<?>) status).isEmpty() && ((List<?>) status).get(0) instanceof Number) {
            reason = ((Number) ((List<?>) status).get(0)).intValue();
        }
        if (reason == BY_BOUNCE) {
            return Optional.of(DisabledBy.BOUNCE);
        }
        if (reason == BY_ADMIN) {
            return Optional.of(DisabledBy.ADMIN);
        }
        if (reason == BY_USER || reason != 0 || (flags & DISABLE_DELIVERY) != 0) {
            return Optional.of(DisabledBy.USER);
        }
        return Optional.empty();
    }

    private void withRole(ListSnapshot.Builder snapshot, String value, Role role) {
        address(value).ifPresent(address -> {
            Optional<Member> member = snapshot.member(Addresses.key(address));
            snapshot.member(member.map(m -> m.toBuilder().role(role).build())
                .orElseGet(() -> Member.builder(address).role(role).delivery(Delivery.DISABLED).disabledBy(DisabledBy.ADMIN).build()));
        });
    }

    private void nonmembers(ListSnapshot.Builder snapshot, String key, ModerationAction action) {
        List<String> patterns = new ArrayList<>();
        for (String value : strings(key)) {
            if (value.startsWith("^") || value.startsWith("@")) {
                patterns.add(value);
                continue;
            }
            address(value).filter(address -> snapshot.member(Addresses.key(address)).isEmpty()).ifPresent(address ->
                snapshot.member(Member.builder(address).role(Role.NONMEMBER).moderationAction(action).build()));
        }
        if (!strings(key).isEmpty()) {
            snapshot.note(patterns.isEmpty() ? ImportNote.translated(key, "nonmember entries", "each address a nonmember with action "
                + action.name().toLowerCase(Locale.ROOT))
                : ImportNote.translated(key, "nonmember entries", "addresses became nonmembers with action " + action.name().toLowerCase(Locale.ROOT)
                + "; not carried: " + String.join(", ", patterns)));
        }
    }

    // ---- reading the pickle's values

    private static Optional<MailAddress> address(String value) {
        try {
            return Optional.of(Addresses.parse("address", value.strip()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Map<?, ?> dict(String key) {
        Object value = config.get(key);
        return value instanceof Map ? (Map<?, ?>) value : Map.of();
    }

    private List<String> strings(String key) {
        Object value = config.get(key);
        List<String> result = new ArrayList<>();
        if (value instanceof Collection) {
            for (Object element : (Collection<?>) value) {
                if (element instanceof String || element instanceof byte[]) {
                    result.add(decode(element).strip());
                }
            }
        }
        return result;
    }

    private Optional<String> text(String key) {
        Object value = config.get(key);
        return value instanceof String || value instanceof byte[] ? Optional.of(decode(value)) : Optional.empty();
    }

    private static Optional<String> raw(Object value) {
        return value instanceof String ? Optional.of((String) value) : Optional.empty();
    }

    private Optional<Integer> number(String key) {
        Object value = config.get(key);
        if (value instanceof Boolean) {
            return Optional.of((Boolean) value ? 1 : 0);
        }
        return value instanceof Number ? Optional.of(((Number) value).intValue()) : Optional.empty();
    }

    /**
     * A Python 2 byte string as text in the list's charset. Pyrolite gives a byte string as one char per byte; a
     * Python unicode value it gives as it is, and stays so when it is not bytes of the charset.
     */
    private String decode(Object value) {
        byte[] bytes;
        if (value instanceof byte[]) {
            bytes = (byte[]) value;
        } else {
            String text = String.valueOf(value);
            if (text.chars().anyMatch(c -> c > 0xff)) {
                return text;
            }
            bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
