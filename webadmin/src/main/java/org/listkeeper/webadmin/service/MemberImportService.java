package org.listkeeper.webadmin.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Roster;
import org.listkeeper.membership.Membership;
import org.listkeeper.membership.RosterImport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns an import body (CSV, or JSON: an array of member objects or addresses) into a roster import task. The whole
 * body is read before the task starts, so a body that is not CSV or JSON at all, names an unknown column or has no
 * rows is refused at once; the task then checks each row on its own.
 */
public final class MemberImportService {
    /** Rows an import takes in one request. */
    static final int MAX_ROWS = 200_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(MemberImportService.class);

    private final Lists lists;
    private final Roster roster;
    private final Membership membership;
    private final NoticeSender notices;
    private final Clock clock;

    @Inject
    public MemberImportService(Lists lists, Roster roster, Membership membership, NoticeSender notices, Clock clock) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.membership = Objects.requireNonNull(membership);
        this.notices = Objects.requireNonNull(notices);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * The task importing {@code body} (JSON when {@code json}, else CSV) into {@code list}; with {@code confirm}, each
     * new address is asked first.
     */
    public MemberImportTask importTask(MailAddress list, boolean confirm, boolean json, String body) {
        MailingList target = lists.getList(list);
        List<RosterImport.Row> rows = json ? jsonRows(body) : RosterCsv.rows(body);
        if (rows.isEmpty()) {
            throw new InvalidValueException("body", RequestBodies.excerpt(body), "no member rows to import");
        }
        if (rows.size() > MAX_ROWS) {
            throw new InvalidValueException("body", rows.size() + " rows", "at most " + MAX_ROWS + " rows per import");
        }
        LOGGER.info("Import of {} rows into {} submitted (confirm={})", rows.size(), list.asString(), confirm);
        return new MemberImportTask(new RosterImport(roster, membership, target, confirm, rows), notices, clock);
    }

    /** JSON rows: an array of objects with the export's fields, or of addresses; the n-th element is "line" n. */
    static List<RosterImport.Row> jsonRows(String body) {
        JsonNode node = RequestBodies.json(body);
        if (node == null || !node.isArray()) {
            throw new InvalidValueException("JSON body", RequestBodies.excerpt(body), "expected an array of members");
        }
        List<RosterImport.Row> rows = new ArrayList<>();
        int line = 0;
        for (JsonNode element : node) {
            line++;
            Map<String, String> fields = new HashMap<>();
            if (element.isTextual()) {
                fields.put("address", element.asText());
            } else if (element.isObject()) {
                element.fields().forEachRemaining(field -> fields.put(field.getKey(), text(field.getValue())));
            } else {
                fields.put("address", element.toString());
            }
            rows.add(new RosterImport.Row(line, fields));
        }
        return rows;
    }

    private static String text(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
