package org.listkeeper.webadmin.service;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.Transactions;
import org.listkeeper.archive.Archive;
import org.listkeeper.archive.Archiver;
import org.listkeeper.list.Lists;
import org.listkeeper.list.Roster;
import org.listkeeper.migration.ListImport;
import org.listkeeper.migration.ListSnapshot;
import org.listkeeper.migration.MlmmjSource;
import org.listkeeper.pipeline.PostLedger;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns {@code POST /lists/{list}/imports}'s body into the import task of its source. */
public final class ListImportService {
    /** The sources an import reads. */
    public static final String MLMMJ = "mlmmj";
    public static final String MAILMAN2 = "mailman2";
    public static final String MAILMAN3 = "mailman3";

    private final Lists lists;
    private final Roster roster;
    private final Transactions transactions;
    private final Archive archive;
    private final PostLedger posts;
    private final Clock clock;

    @Inject
    public ListImportService(Lists lists, Roster roster, Transactions transactions, Archive archive, PostLedger posts, Clock clock) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.transactions = Objects.requireNonNull(transactions);
        this.archive = Objects.requireNonNull(archive);
        this.posts = Objects.requireNonNull(posts);
        this.clock = Objects.requireNonNull(clock);
    }

    public ListImportTask importTask(MailAddress list, JsonNode body) {
        lists.getList(list);
        String source = text(body, "source");
        JsonNode dry = body.get("dryRun");
        if (dry != null && !dry.isBoolean()) {
            throw new InvalidValueException("dryRun", dry.toString(), "expected true or false");
        }
        boolean dryRun = dry != null && dry.booleanValue();
        Callable<ListSnapshot> reader;
        switch (source) {
            case MLMMJ:
                Path path = Paths.get(text(body, "path"));
                reader = () -> MlmmjSource.read(path, list);
                break;
            case MAILMAN2:
                Path directory = Paths.get(text(body, "path"));
                java.util.Optional<Path> archive = body.hasNonNull("archive") ? java.util.Optional.of(Paths.get(text(body, "archive")))
                    : java.util.Optional.empty();
                reader = () -> org.listkeeper.migration.Mailman2Source.read(directory, archive, list);
                break;
            case MAILMAN3:
                String url = text(body, "url");
                String user = text(body, "user");
                String password = text(body, "password");
                String sourceList = text(body, "list");
                java.util.Optional<Path> export = body.hasNonNull("archive") ? java.util.Optional.of(Paths.get(text(body, "archive")))
                    : java.util.Optional.empty();
                reader = () -> org.listkeeper.migration.Mailman3Source.read(url, user, password, sourceList, export, list);
                break;
            default:
                throw new InvalidValueException("source", source, "expected " + MAILMAN3 + ", " + MAILMAN2 + " or " + MLMMJ);
        }
        ListImport listImport = new ListImport(lists, roster, transactions, archive, new Archiver(archive, clock), posts, clock);
        return new ListImportTask(list, source, dryRun, reader, listImport, clock);
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidValueException(field, value == null ? "" : value.toString(), "required, a string");
        }
        return value.asText().strip();
    }
}
