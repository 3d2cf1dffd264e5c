package org.listkeeper.migration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.Member;
import org.listkeeper.list.Role;

/**
 * Reads an mlmmj list directory ({@code mlmmj-make-ml}'s layout): subscribers, digesters and no-mail subscribers
 * (one file per first letter under {@code subscribers.d/}, {@code digesters.d/}, {@code nomailsubs.d/}), owners and
 * moderators, the {@code control/} files that have a Listkeeper counterpart, and {@code archive/N} as history.
 */
public final class MlmmjSource {
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    /** Control files read into settings or roles; every other one present is reported as not carried. */
    private static final List<String> KNOWN = List.of("prefix", "footer", "owner", "moderators", "moderated", "subonlypost",
        "modnonsubposts", "closedlist", "closedlistsub", "submod", "nosubconfirm", "maxmailsize", "noarchive", "access",
        "listaddress", "digestinterval");

    private MlmmjSource() {
    }

    /** The list in {@code directory}; {@link InvalidValueException} naming the path when it is not an mlmmj list. */
    public static ListSnapshot read(Path directory, MailAddress target) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new InvalidValueException("path", directory.toString(), "no such directory");
        }
        Path control = directory.resolve("control");
        if (!Files.isDirectory(control) || !Files.isDirectory(directory.resolve("subscribers.d"))) {
            throw new InvalidValueException("path", directory.toString(), "not an mlmmj list directory (no control/ or subscribers.d/)");
        }
        ListSnapshot.Builder snapshot = ListSnapshot.builder();
        settings(control, target, snapshot);
        people(directory, control, snapshot);
        Path archive = directory.resolve("archive");
        if (Files.isDirectory(archive) && !Files.exists(control.resolve("noarchive"))) {
            snapshot.history(visitor -> {
                for (Path post : numbered(archive)) {
                    visitor.message("archive/" + post.getFileName(), Files.readAllBytes(post));
                }
            });
        }
        return snapshot.build();
    }

    private static void settings(Path control, MailAddress target, ListSnapshot.Builder snapshot) throws IOException {
        Optional<String> prefix = text(control, "prefix");
        if (prefix.isPresent()) {
            snapshot.setting(Setting.SUBJECT_PREFIX, prefix.get().strip());
            snapshot.note(ImportNote.mapped("control/prefix", "subjectPrefix"));
        }
        Optional<String> footer = text(control, "footer");
        if (footer.isPresent() && !footer.get().isBlank()) {
            snapshot.setting(Setting.FOOTER, footer.get().stripTrailing());
            snapshot.note(ImportNote.mapped("control/footer", "footer"));
        }
        if (flag(control, "moderated")) {
            snapshot.setting(Setting.DEFAULT_MEMBER_ACTION, "hold");
            snapshot.note(ImportNote.translated("control/moderated", "defaultMemberAction",
                "every post waits for a moderator: members' posts are held (hold)"));
        }
        if (flag(control, "modnonsubposts")) {
            snapshot.setting(Setting.DEFAULT_NONMEMBER_ACTION, "hold");
            snapshot.note(ImportNote.translated("control/modnonsubposts", "defaultNonmemberAction", "posts from non-subscribers are held"));
        } else if (flag(control, "subonlypost")) {
            snapshot.setting(Setting.DEFAULT_NONMEMBER_ACTION, "reject");
            snapshot.note(ImportNote.translated("control/subonlypost", "defaultNonmemberAction", "posts from non-subscribers are rejected"));
        } else if (flag(control, "moderated")) {
            snapshot.setting(Setting.DEFAULT_NONMEMBER_ACTION, "hold");
        }
        if (flag(control, "closedlist")) {
            snapshot.setting(Setting.SUBSCRIPTION_POLICY, "moderate");
            snapshot.note(ImportNote.translated("control/closedlist", "subscriptionPolicy",
                "Listkeeper has no list closed to requests: requests to join go to the moderators (moderate); leaving asks for confirmation"));
        } else if (flag(control, "closedlistsub") || flag(control, "submod")) {
            snapshot.setting(Setting.SUBSCRIPTION_POLICY, "moderate");
            snapshot.note(ImportNote.translated(flag(control, "closedlistsub") ? "control/closedlistsub" : "control/submod",
                "subscriptionPolicy", "requests to join go to the moderators (moderate)"));
        } else if (flag(control, "nosubconfirm")) {
            snapshot.setting(Setting.SUBSCRIPTION_POLICY, "open");
            snapshot.note(ImportNote.mapped("control/nosubconfirm", "subscriptionPolicy"));
        }
        Optional<String> maxSize = text(control, "maxmailsize").map(String::strip);
        if (maxSize.isPresent() && NUMBER.matcher(maxSize.get()).matches()) {
            long bytes = Long.parseLong(maxSize.get());
            snapshot.setting(Setting.MAX_MESSAGE_SIZE, String.valueOf(Math.min(100_000, (bytes + 1023) / 1024)));
            snapshot.note(ImportNote.translated("control/maxmailsize", "maxMessageSize", bytes + " bytes, in KiB rounded up"));
        }
        Optional<String> interval = text(control, "digestinterval").map(String::strip);
        if (interval.isPresent() && NUMBER.matcher(interval.get()).matches()) {
            snapshot.setting(Setting.DIGEST_INTERVAL, interval.get() + "s");
            snapshot.note(ImportNote.translated("control/digestinterval", "digestInterval", "seconds"));
        }
        if (flag(control, "noarchive")) {
            snapshot.setting(Setting.ARCHIVE_POLICY, "never");
            snapshot.note(ImportNote.mapped("control/noarchive", "archivePolicy"));
        } else {
            snapshot.setting(Setting.ARCHIVE_POLICY, "private");
            snapshot.note(ImportNote.translated("archive/", "archivePolicy",
                "mlmmj keeps its archive on disk for the owner; it arrives as the list's private archive (members only)"));
        }
        if (flag(control, "access")) {
            snapshot.note(ImportNote.notCarried("control/access",
                "regular-expression access rules have no Listkeeper counterpart; re-create them as bans or posting rules: "
                    + abbreviate(text(control, "access").orElse("").strip().replace('\n', ';'))));
        }
        Optional<String> address = text(control, "listaddress").map(String::strip);
        if (address.isPresent()) {
            boolean same = address.get().toLowerCase(Locale.ROOT).startsWith(target.asString().toLowerCase(Locale.ROOT));
            snapshot.note(same ? ImportNote.mapped("control/listaddress", "the list's address")
                : ImportNote.notCarried("control/listaddress", "mlmmj's list was " + address.get().split("\\s")[0] + "; imported into "
                + target.asString()));
        }
        try (Stream<Path> files = Files.list(control)) {
            for (Path file : files.sorted().collect(Collectors.toList())) {
                String name = file.getFileName().toString();
                if (!KNOWN.contains(name)) {
                    snapshot.note(ImportNote.notCarried("control/" + name, "no Listkeeper counterpart"));
                }
            }
        }
    }

    private static void people(Path directory, Path control, ListSnapshot.Builder snapshot) throws IOException {
        for (String line : addresses(directory.resolve("subscribers.d"))) {
            address(line).ifPresent(address -> snapshot.member(Member.builder(address).build()));
        }
        boolean digests = false;
        for (String line : addresses(directory.resolve("digesters.d"))) {
            Optional<MailAddress> address = address(line);
            if (address.isPresent()) {
                digests = true;
                snapshot.member(Member.builder(address.get()).digest(DigestMode.MIME).build());
            }
        }
        for (String line : addresses(directory.resolve("nomailsubs.d"))) {
            address(line).ifPresent(address -> snapshot.member(Member.builder(address).delivery(Delivery.DISABLED)
                .disabledBy(DisabledBy.USER).build()));
        }
        if (digests) {
            snapshot.setting(Setting.DIGESTS_ENABLED, "true");
            snapshot.note(ImportNote.translated("digesters.d/", "digestsEnabled", "mlmmj digesters take MIME digests"));
        }
        role(control, "owner", Role.OWNER, snapshot);
        role(control, "moderators", Role.MODERATOR, snapshot);
    }

    /** Owners and moderators: on the roster with their role; one who is not also a subscriber gets no posts. */
    private static void role(Path control, String file, Role role, ListSnapshot.Builder snapshot) throws IOException {
        Optional<String> text = text(control, file);
        if (text.isEmpty()) {
            return;
        }
        for (String line : text.get().split("\n")) {
            Optional<MailAddress> address = address(line);
            if (address.isEmpty()) {
                continue;
            }
            Optional<Member> subscribed = snapshot.member(Addresses.key(address.get()));
            snapshot.member(subscribed.map(member -> member.toBuilder().role(role).build())
                .orElseGet(() -> Member.builder(address.get()).role(role).delivery(Delivery.DISABLED).disabledBy(DisabledBy.ADMIN).build()));
        }
        snapshot.note(ImportNote.translated("control/" + file, "role " + role.name().toLowerCase(Locale.ROOT),
            "one who was not also subscribed keeps getting no posts (delivery off)"));
    }

    private static Optional<MailAddress> address(String line) {
        String value = line.strip();
        if (value.isEmpty() || value.startsWith("#")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Addresses.parse("address", value));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }

    private static List<String> addresses(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return lines;
        }
        TreeSet<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(files::add);
        }
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                // lenient: a stray byte in one line must not stop the import of the rest
                lines.addAll(List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\r?\n")));
            }
        }
        return lines;
    }

    private static List<Path> numbered(Path archive) throws IOException {
        try (Stream<Path> files = Files.list(archive)) {
            return files.filter(file -> NUMBER.matcher(file.getFileName().toString()).matches() && Files.isRegularFile(file))
                .sorted(Comparator.comparingLong(file -> Long.parseLong(file.getFileName().toString())))
                .collect(Collectors.toList());
        }
    }

    private static boolean flag(Path control, String name) {
        return Files.exists(control.resolve(name));
    }

    private static Optional<String> text(Path control, String name) throws IOException {
        Path file = control.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace("\r\n", "\n")) : Optional.empty();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 299) + "\u2026";
    }
}
