package org.listkeeper.migration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a GNU Mailman 3 list through Mailman's REST API ({@code /3.1}, basic authentication): its settings, the
 * members of each role with delivery mode and status and their preferences, bans, and the footer template when it
 * is reachable over http(s). Held messages are only counted for the report (they stay in Mailman to be decided).
 */
public final class Mailman3Source {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 200;
    private static final Map<String, String> POLICIES = Map.of("open", "open", "confirm", "confirm", "moderate", "moderate",
        "confirm_then_moderate", "confirm_then_moderate");

    private final HttpClient http;
    private final String base;
    private final String authorization;

    private Mailman3Source(String base, String user, String password) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.base = base.replaceAll("/+$", "");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The list {@code list} (its posting address) of the Mailman 3 REST API at {@code url}. */
    public static ListSnapshot read(String url, String user, String password, String list, MailAddress target) throws IOException {
        return read(url, user, password, list, java.util.Optional.empty(), target);
    }

    /** As {@link #read(String, String, String, String, MailAddress)}, with HyperKitty's mbox export as history. */
    public static ListSnapshot read(String url, String user, String password, String list, java.util.Optional<java.nio.file.Path> archive,
                                    MailAddress target) throws IOException {
        if (archive.isPresent() && !java.nio.file.Files.isRegularFile(archive.get())) {
            throw new InvalidValueException("archive", archive.get().toString(), "no such file");
        }
        URI parsed;
        try {
            parsed = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("url", url, "not a URL");
        }
        if (parsed.getScheme() == null || !parsed.getScheme().startsWith("http")) {
            throw new InvalidValueException("url", url, "expected http://HOST:PORT/3.1");
        }
        return new Mailman3Source(url, user, password).snapshot(list, archive);
    }

    private JsonNode get(String path) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException("Mailman's REST API at " + base + " cannot be reached (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IOException("Mailman's REST API at " + base + " refused the user and password (" + response.statusCode() + ")");
        }
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Mailman's REST API answered " + response.statusCode() + " for " + path);
        }
        return JSON.readTree(response.body());
    }

    private List<JsonNode> entries(String path) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; page < 10_000; page++) {
            JsonNode answer = get(path + (path.contains("?") ? "&" : "?") + "count=" + PAGE + "&page=" + page);
            if (answer == null || !answer.has("entries")) {
                break;
            }
            answer.get("entries").forEach(all::add);
            if (answer.get("entries").size() < PAGE || all.size() >= answer.path("total_size").asInt(Integer.MAX_VALUE)) {
                break;
            }
        }
        return all;
    }

    private ListSnapshot snapshot(String listAddress, java.util.Optional<java.nio.file.Path> archive) throws IOException {
        JsonNode list = get("/lists/" + listAddress);
        if (list == null) {
            throw new IOException("Mailman has no list " + listAddress);
        }
        String id = list.path("list_id").asText();
        JsonNode config = get("/lists/" + id + "/config");
        ListSnapshot.Builder snapshot = ListSnapshot.builder();
        settings(config, snapshot);
        footer(id, snapshot);
        people(id, snapshot);
        List<String> bans = new ArrayList<>();
        for (JsonNode ban : entries("/lists/" + id + "/bans")) {
            bans.add(ban.path("email").asText());
        }
        if (!bans.isEmpty()) {
            snapshot.setting(Setting.BANNED_ADDRESSES, String.join("\n", bans));
            snapshot.note(bans.stream().anyMatch(ban -> ban.startsWith("^"))
                ? ImportNote.translated("bans", "bannedAddresses", "regular expressions (^…) are kept as Listkeeper's ^patterns")
                : ImportNote.mapped("bans", "bannedAddresses"));
        }
        List<JsonNode> matches = entries("/lists/" + id + "/header-matches");
        if (!matches.isEmpty()) {
            snapshot.note(ImportNote.notCarried("header-matches", matches.size() + " header matches; re-create them as suspiciousHeaders"
                + " or posting rules"));
        }
        List<JsonNode> held = entries("/lists/" + id + "/held");
        if (!held.isEmpty()) {
            snapshot.note(ImportNote.notCarried("held messages", held.size() + " posts held in Mailman: decide them there before switching"));
        }
        if (archive.isPresent()) {
            snapshot.history(ListSnapshot.mbox(archive.get()));
            snapshot.note(ImportNote.mapped("HyperKitty mbox export", "the list's archive"));
        } else {
            snapshot.note(ImportNote.notCarried("archive", "Mailman 3 keeps its archive in HyperKitty: give its mbox export as \"archive\""
                + " to bring the history"));
        }
        return snapshot.build();
    }

    private static void settings(JsonNode config, ListSnapshot.Builder snapshot) {
        text(config, "display_name").ifPresent(v -> map(snapshot, "display_name", Setting.DISPLAY_NAME, v));
        text(config, "description").filter(v -> !v.isBlank()).ifPresent(v -> map(snapshot, "description", Setting.DESCRIPTION, v));
        text(config, "subject_prefix").ifPresent(v -> map(snapshot, "subject_prefix", Setting.SUBJECT_PREFIX, v.strip()));
        text(config, "subscription_policy").map(POLICIES::get).ifPresent(v -> map(snapshot, "subscription_policy", Setting.SUBSCRIPTION_POLICY, v));
        text(config, "unsubscription_policy").ifPresent(v -> {
            snapshot.setting(Setting.UNSUBSCRIPTION_POLICY, v.equals("open") ? "open" : "confirm");
            snapshot.note(v.equals("open") || v.equals("confirm") ? ImportNote.mapped("unsubscription_policy", "unsubscriptionPolicy")
                : ImportNote.translated("unsubscription_policy", "unsubscriptionPolicy", v + " has no Listkeeper counterpart: confirm"));
        });
        action(config, "default_member_action", Setting.DEFAULT_MEMBER_ACTION, snapshot);
        action(config, "default_nonmember_action", Setting.DEFAULT_NONMEMBER_ACTION, snapshot);
        if (config.has("max_message_size")) {
            map(snapshot, "max_message_size", Setting.MAX_MESSAGE_SIZE, String.valueOf(Math.min(100_000, config.get("max_message_size").asInt())));
        }
        text(config, "archive_policy").filter(v -> List.of("public", "private", "never").contains(v))
            .ifPresent(v -> map(snapshot, "archive_policy", Setting.ARCHIVE_POLICY, v));
        bool(config, "advertised").ifPresent(v -> map(snapshot, "advertised", Setting.ADVERTISED, v));
        bool(config, "digests_enabled").ifPresent(v -> map(snapshot, "digests_enabled", Setting.DIGESTS_ENABLED, v));
        bool(config, "require_explicit_destination").ifPresent(v -> map(snapshot, "require_explicit_destination",
            Setting.REQUIRE_EXPLICIT_DESTINATION, v));
        if (config.has("max_num_recipients")) {
            map(snapshot, "max_num_recipients", Setting.MAX_RECIPIENTS, String.valueOf(Math.max(0, config.get("max_num_recipients").asInt())));
        }
        bool(config, "emergency").ifPresent(v -> map(snapshot, "emergency", Setting.EMERGENCY, v));
        for (String key : List.of("reply_goes_to_list", "first_strip_reply_to", "anonymous_list", "dmarc_mitigate_action",
            "acceptable_aliases", "filter_content", "process_bounces", "send_welcome_message", "send_goodbye_message")) {
            if (config.has(key)) {
                snapshot.note(ImportNote.notCarried(key, "no one-to-one Listkeeper setting; review it after the import"));
            }
        }
    }

    private static void action(JsonNode config, String key, Setting setting, ListSnapshot.Builder snapshot) {
        text(config, key).ifPresent(v -> {
            // Mailman's "defer" lets the next rule decide: with no rule after it, the post goes through
            String action = v.equals("defer") ? "accept" : v;
            if (List.of("accept", "hold", "reject", "discard").contains(action)) {
                snapshot.setting(setting, action);
                snapshot.note(v.equals("defer") ? ImportNote.translated(key, setting.jsonName(), "defer became accept")
                    : ImportNote.mapped(key, setting.jsonName()));
            }
        });
    }

    private void footer(String id, ListSnapshot.Builder snapshot) throws IOException {
        String uri = "";
        for (JsonNode entry : entries("/lists/" + id + "/uris")) {
            if (entry.path("name").asText().equals("list:member:regular:footer")) {
                uri = entry.path("uri").asText("");
            }
        }
        if (uri.isEmpty()) {
            return;
        }
        if (!uri.startsWith("http://") && !uri.startsWith("https://")) {
            snapshot.note(ImportNote.notCarried("list:member:regular:footer", "its template " + uri + " is not reachable over http(s)"));
            return;
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 == 2 && !response.body().isBlank()) {
                String footer = response.body().replace("$display_name", "{{displayName}}").replace("${display_name}", "{{displayName}}")
                    .replace("$listname", "{{listAddress}}").replace("${listname}", "{{listAddress}}")
                    .replace("$description", "{{description}}").replace("${description}", "{{description}}");
                snapshot.setting(Setting.FOOTER, footer.stripTrailing());
                snapshot.note(ImportNote.translated("list:member:regular:footer", "footer",
                    "$display_name, $listname and $description became Listkeeper's variables; other $placeholders stay as text"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | IllegalArgumentException e) {
            snapshot.note(ImportNote.notCarried("list:member:regular:footer", "its template " + uri + " could not be read: " + e.getMessage()));
        }
    }

    private void people(String id, ListSnapshot.Builder snapshot) throws IOException {
        for (JsonNode entry : entries("/lists/" + id + "/roster/member")) {
            member(entry, Role.MEMBER).ifPresent(snapshot::member);
        }
        roles(id, "owner", Role.OWNER, snapshot);
        roles(id, "moderator", Role.MODERATOR, snapshot);
        for (JsonNode entry : entries("/lists/" + id + "/roster/nonmember")) {
            Optional<MailAddress> address = address(entry.path("email").asText());
            String action = entry.path("moderation_action").asText("");
            if (address.isPresent() && snapshot.member(Addresses.key(address.get())).isEmpty()
                && List.of("accept", "hold", "reject", "discard").contains(action)) {
                snapshot.member(Member.builder(address.get()).role(Role.NONMEMBER)
                    .moderationAction(ModerationAction.valueOf(action.toUpperCase(Locale.ROOT))).build());
            }
        }
        snapshot.note(ImportNote.translated("roster owner, moderator", "roles owner and moderator",
            "one who was not also a member gets no posts (delivery off)"));
    }

    private void roles(String id, String role, Role target, ListSnapshot.Builder snapshot) throws IOException {
        for (JsonNode entry : entries("/lists/" + id + "/roster/" + role)) {
            Optional<MailAddress> address = address(entry.path("email").asText());
            if (address.isEmpty()) {
                continue;
            }
            Optional<Member> member = snapshot.member(Addresses.key(address.get()));
            snapshot.member(member.map(m -> m.toBuilder().role(target).build()).orElseGet(() -> Member.builder(address.get()).role(target)
                .displayName(text(entry, "display_name").filter(n -> !n.isBlank()).orElse(null))
                .delivery(Delivery.DISABLED).disabledBy(DisabledBy.ADMIN).build()));
        }
    }

    private Optional<Member> member(JsonNode entry, Role role) throws IOException {
        Optional<MailAddress> address = address(entry.path("email").asText());
        if (address.isEmpty()) {
            return Optional.empty();
        }
        Member.Builder member = Member.builder(address.get()).role(role);
        text(entry, "display_name").filter(n -> !n.isBlank()).ifPresent(member::displayName);
        String mode = entry.path("delivery_mode").asText("regular");
        if (mode.equals("mime_digests") || mode.equals("summary_digests")) {
            member.digest(DigestMode.MIME);
        } else if (mode.equals("plaintext_digests")) {
            member.digest(DigestMode.PLAIN);
        }
        String moderation = entry.path("moderation_action").asText("");
        if (List.of("accept", "hold", "reject", "discard").contains(moderation)) {
            member.moderationAction(ModerationAction.valueOf(moderation.toUpperCase(Locale.ROOT)));
        }
        String memberId = entry.path("member_id").asText("");
        JsonNode preferences = memberId.isEmpty() ? null : get("/members/" + memberId + "/all/preferences");
        if (preferences == null && !memberId.isEmpty()) {
            preferences = get("/members/" + memberId + "/preferences");
        }
        if (preferences != null) {
            switch (preferences.path("delivery_status").asText("enabled")) {
                case "by_user":
                    member.delivery(Delivery.DISABLED).disabledBy(DisabledBy.USER);
                    break;
                case "by_moderator":
                    member.delivery(Delivery.DISABLED).disabledBy(DisabledBy.ADMIN);
                    break;
                case "by_bounces":
                    member.delivery(Delivery.DISABLED).disabledBy(DisabledBy.BOUNCE);
                    break;
                case "unknown":
                    member.delivery(Delivery.DISABLED).disabledBy(DisabledBy.ADMIN);
                    break;
                default:
                    break;
            }
            if (preferences.has("receive_own_postings")) {
                member.receiveOwnPosts(preferences.get("receive_own_postings").asBoolean(true));
            }
            if (preferences.has("hide_address")) {
                member.hideAddress(preferences.get("hide_address").asBoolean(false));
            }
        }
        return Optional.of(member.build());
    }

    private static void map(ListSnapshot.Builder snapshot, String source, Setting setting, String value) {
        snapshot.setting(setting, value);
        snapshot.note(ImportNote.mapped(source, setting.jsonName()));
    }

    private static Optional<String> text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Optional<String> bool(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || !value.isBoolean() ? Optional.empty() : Optional.of(String.valueOf(value.booleanValue()));
    }

    private static Optional<MailAddress> address(String value) {
        try {
            return Optional.of(Addresses.parse("address", value.strip()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
