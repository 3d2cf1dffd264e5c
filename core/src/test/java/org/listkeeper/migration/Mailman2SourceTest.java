package org.listkeeper.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Delivery;
import org.listkeeper.list.DigestMode;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;

/** Mailman 2.1's config.pck (written opcode by opcode as Mailman 2.1 writes it: see make_config_pck.py) and its mbox. */
class Mailman2SourceTest {
    private static Path fixture(String name) throws Exception {
        return Paths.get(Mailman2SourceTest.class.getResource("/migration/mailman2/" + name).toURI());
    }

    private static ListSnapshot read() throws Exception {
        return Mailman2Source.read(fixture("oldlist"), Optional.of(fixture("oldlist.mbox")), new MailAddress("cafe@lists.example.org"));
    }

    @Test
    void readShouldMapSettingsDecodedInTheListsCharset() throws Exception {
        Map<Setting, String> settings = read().settings();

        assertThat(settings).containsEntry(Setting.DISPLAY_NAME, "Café Society").containsEntry(Setting.DESCRIPTION, "Les amis du café")
            .containsEntry(Setting.SUBJECT_PREFIX, "[Café]").containsEntry(Setting.DEFAULT_NONMEMBER_ACTION, "hold")
            .containsEntry(Setting.DEFAULT_MEMBER_ACTION, "accept").containsEntry(Setting.MAX_MESSAGE_SIZE, "40")
            .containsEntry(Setting.SUBSCRIPTION_POLICY, "confirm_then_moderate").containsEntry(Setting.ARCHIVE_POLICY, "private")
            .containsEntry(Setting.ADVERTISED, "false").containsEntry(Setting.DIGESTS_ENABLED, "true")
            .containsEntry(Setting.REQUIRE_EXPLICIT_DESTINATION, "true").containsEntry(Setting.MAX_RECIPIENTS, "10")
            .containsEntry(Setting.BANNED_ADDRESSES, "spammer@example.com\n^.*@spam\\.example$");
        assertThat(settings.get(Setting.FOOTER)).startsWith("____").contains("{{displayName}} mailing list")
            .contains("%(web_page_url)s");
    }

    @Test
    void readShouldKeepEachMembersDeliveryDigestAndFlags() throws Exception {
        Map<String, Member> members = read().members().stream().collect(Collectors.toMap(m -> m.address().asString(), Function.identity()));

        Member alice = members.get("alice@example.org");
        assertThat(alice.role()).isEqualTo(Role.MODERATOR);
        assertThat(alice.displayName()).contains("Alice André");
        assertThat(alice.receiveOwnPosts()).isFalse();
        assertThat(alice.hideAddress()).isTrue();
        assertThat(members).containsKey("Bob@example.org");
        assertThat(members.get("Bob@example.org").disabledBy()).contains(DisabledBy.BOUNCE);
        assertThat(members.get("carol@example.org").moderationAction()).contains(ModerationAction.HOLD);
        assertThat(members.get("dave@example.org").delivery()).isEqualTo(Delivery.DISABLED);
        assertThat(members.get("dave@example.org").disabledBy()).contains(DisabledBy.USER);
        assertThat(members.get("erin@example.org").digest()).isEqualTo(DigestMode.MIME);
        assertThat(members.get("frank@example.org").digest()).isEqualTo(DigestMode.PLAIN);
        assertThat(members.get("owner@example.org").role()).isEqualTo(Role.OWNER);
        assertThat(members.get("owner@example.org").delivery()).isEqualTo(Delivery.DISABLED);
        assertThat(members.get("friend@example.net").role()).isEqualTo(Role.NONMEMBER);
        assertThat(members.get("friend@example.net").moderationAction()).contains(ModerationAction.ACCEPT);
        assertThat(members.get("pest@example.net").moderationAction()).contains(ModerationAction.DISCARD);
        assertThat(members).hasSize(10);
    }

    @Test
    void readShouldReportWhatItDidNotCarry() throws Exception {
        List<ImportNote> notes = read().notes();

        assertThat(notes).anySatisfy(note -> {
            assertThat(note.source()).isEqualTo("passwords");
            assertThat(note.kind()).isEqualTo(ImportNote.Kind.NOT_CARRIED);
        });
        assertThat(notes).anySatisfy(note -> {
            assertThat(note.source()).isEqualTo("accept_these_nonmembers");
            assertThat(note.note()).contains("^.*@partner\\.example$");
        });
        assertThat(notes).anySatisfy(note -> assertThat(note.source()).isEqualTo("user_options: acknowledge posts"));
        assertThat(notes).anySatisfy(note -> assertThat(note.source()).isEqualTo("reply_goes_to_list"));
    }

    @Test
    void readShouldGiveThePipermailMboxAsHistory() throws Exception {
        List<String> positions = new ArrayList<>();
        read().history().forEach((position, message) -> positions.add(position + " " + new String(message, java.nio.charset.StandardCharsets.ISO_8859_1)
            .lines().filter(line -> line.startsWith("Message-ID")).findFirst().orElse("")));

        assertThat(positions).hasSize(3).anySatisfy(p -> assertThat(p).contains("<mm2-2@example.org>"));
    }

    @Test
    void readShouldRefuseATruncatedPickleNamingIt(@TempDir Path directory) throws Exception {
        byte[] whole = Files.readAllBytes(fixture("oldlist").resolve("config.pck"));
        Files.write(directory.resolve("config.pck"), java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> Mailman2Source.read(directory, Optional.empty(), new MailAddress("cafe@lists.example.org")))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("config.pck cannot be read");
    }

    @Test
    void readShouldRefuseAMissingDirectory(@TempDir Path directory) {
        assertThatThrownBy(() -> Mailman2Source.read(directory.resolve("nope"), Optional.empty(), new MailAddress("cafe@lists.example.org")))
            .isInstanceOf(InvalidValueException.class).hasMessageContaining("no such directory");
    }
}
