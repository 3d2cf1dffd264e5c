package org.listkeeper.migration;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.listkeeper.Transactions;
import org.listkeeper.archive.Archive;
import org.listkeeper.archive.Archiver;
import org.listkeeper.internal.Digests;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Member;
import org.listkeeper.list.Roster;
import org.listkeeper.pipeline.PostLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link ListSnapshot} to a Listkeeper list, safe to repeat: a setting or a person already as the source has
 * them is not written again, a difference is written and reported, a person only Listkeeper has stays (an import never
 * removes anyone), nobody gets a welcome, and the history goes in under the next post numbers with messages the
 * archive has (by Message-ID) skipped. A dry run reports the same without writing anything. Counters are readable
 * while it runs.
 */
public final class ListImport {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListImport.class);

    private final Lists lists;
    private final Roster roster;
    private final Transactions transactions;
    private final Archive archive;
    private final Archiver archiver;
    private final PostLedger posts;
    private final Clock clock;
    private final AtomicInteger people = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();

    public ListImport(Lists lists, Roster roster, Transactions transactions, Archive archive, Archiver archiver, PostLedger posts, Clock clock) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.transactions = Objects.requireNonNull(transactions);
        this.archive = Objects.requireNonNull(archive);
        this.archiver = Objects.requireNonNull(archiver);
        this.posts = Objects.requireNonNull(posts);
        this.clock = Objects.requireNonNull(clock);
    }

    /** People looked at so far. */
    public int people() {
        return people.get();
    }

    /** Messages of the history looked at so far. */
    public int messages() {
        return messages.get();
    }

    public ImportReport run(MailAddress listAddress, ListSnapshot snapshot, boolean dryRun) throws IOException {
        MailingList list = lists.getList(listAddress);
        ImportReport report = new ImportReport(dryRun, snapshot.notes());
        settings(list, snapshot, dryRun, report);
        list = lists.getList(listAddress);
        roster(list, snapshot, dryRun, report);
        history(list, snapshot, dryRun, report);
        LOGGER.info("Import into {}: {}", listAddress.asString(), report);
        return report;
    }

    private void settings(MailingList list, ListSnapshot snapshot, boolean dryRun, ImportReport report) {
        ListChanges.Builder changes = ListChanges.builder();
        for (Map.Entry<Setting, String> wanted : snapshot.settings().entrySet()) {
            // validated and put in canonical form as PATCH would, then compared with what the list has
            String value = ListChanges.builder().set(wanted.getKey(), wanted.getValue()).build().value(wanted.getKey()).orElse(null);
            Optional<String> current = current(list, wanted.getKey());
            if (!current.equals(Optional.ofNullable(value))) {
                changes.set(wanted.getKey(), value);
                report.settings.add(new ImportReport.Change(wanted.getKey().jsonName(), current.orElse(null), value));
            }
        }
        if (!dryRun && !report.settings.isEmpty()) {
            lists.saveList(list.address(), changes.build());
        }
    }

    /** What the list has configured for {@code setting} (not its default). */
    static Optional<String> current(MailingList list, Setting setting) {
        switch (setting) {
            case DISPLAY_NAME:
                return list.configuredDisplayName();
            case DESCRIPTION:
                return list.description();
            case SUBJECT_PREFIX:
                return list.configuredSubjectPrefix();
            case FOOTER:
                return list.configuredFooter();
            case ARCHIVE_URL:
                return list.archiveUrl();
            default:
                return list.setting(setting);
        }
    }

    private void roster(MailingList list, ListSnapshot snapshot, boolean dryRun, ImportReport report) {
        Set<String> fromSource = new HashSet<>();
        for (Member wanted : snapshot.members()) {
            fromSource.add(Addresses.key(wanted.address()));
            Optional<Member> existing = roster.findMember(list.id(), wanted.address());
            if (existing.isEmpty() || !existing.get().role().receivesPosts() && wanted.role().receivesPosts()) {
                if (!dryRun) {
                    transactions.atomically(() -> {
                        // no welcome: these people were on the list already, elsewhere
                        if (existing.isPresent()) {
                            roster.saveMember(list.id(), wanted);
                        } else if (!roster.addMember(list.id(), wanted)) {
                            roster.saveMember(list.id(), wanted);
                        }
                        return null;
                    });
                }
                report.added.add(wanted.address().asString());
            } else {
                List<ImportReport.Change> differences = differences(existing.get(), wanted);
                if (differences.isEmpty()) {
                    report.unchanged++;
                } else {
                    if (!dryRun) {
                        roster.saveMember(list.id(), wanted);
                    }
                    report.changed.add(new ImportReport.MemberChange(wanted.address().asString(), differences));
                }
            }
            people.incrementAndGet();
        }
        for (Member here : roster.members(list.id())) {
            if (here.role().receivesPosts() && !fromSource.contains(Addresses.key(here.address()))) {
                report.onlyHere++;
            }
        }
    }

    private static List<ImportReport.Change> differences(Member current, Member wanted) {
        List<ImportReport.Change> changes = new ArrayList<>();
        compare(changes, "role", current.role(), wanted.role());
        compare(changes, "displayName", current.displayName().orElse(null), wanted.displayName().orElse(null));
        compare(changes, "delivery", current.delivery(), wanted.delivery());
        compare(changes, "disabledBy", current.disabledBy().orElse(null), wanted.disabledBy().orElse(null));
        compare(changes, "digest", current.digest(), wanted.digest());
        compare(changes, "receiveOwnPosts", current.receiveOwnPosts(), wanted.receiveOwnPosts());
        compare(changes, "hideAddress", current.hideAddress(), wanted.hideAddress());
        compare(changes, "moderationAction", current.moderationAction().orElse(null), wanted.moderationAction().orElse(null));
        return changes;
    }

    private static void compare(List<ImportReport.Change> changes, String name, Object current, Object wanted) {
        if (!Objects.equals(current, wanted)) {
            changes.add(new ImportReport.Change(name, current == null ? null : String.valueOf(current).toLowerCase(java.util.Locale.ROOT),
                wanted == null ? null : String.valueOf(wanted).toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private void history(MailingList list, ListSnapshot snapshot, boolean dryRun, ImportReport report) throws IOException {
        Set<String> seen = new HashSet<>();
        snapshot.history().forEach((position, message) -> {
            messages.incrementAndGet();
            try {
                String key = Archiver.messageIdKey(message).orElseGet(() -> "sha256:" + Digests.sha256Hex(message));
                if (archive.hasMessage(list.id(), key) || !seen.add(key)) {
                    report.historySkipped++;
                    return;
                }
                if (!dryRun) {
                    // the same key always gets the same number: a repeated or resumed import leaves no gap
                    long number = posts.assignPostNumber(list.id(), "archive-import:" + key, clock.instant());
                    if (!archiver.archive(list, number, message, key)) {
                        report.historySkipped++;
                        return;
                    }
                }
                report.historyImported++;
            } catch (MessagingException | RuntimeException e) {
                if (report.historyRefused.size() < 100) {
                    report.historyRefused.add(position + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                }
            }
        });
    }
}
