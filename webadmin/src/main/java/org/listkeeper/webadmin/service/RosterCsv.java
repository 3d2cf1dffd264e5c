package org.listkeeper.webadmin.service;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.listkeeper.InvalidValueException;
import org.listkeeper.list.DisabledBy;
import org.listkeeper.list.Member;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.membership.RosterImport;

/**
 * A roster as CSV, both ways: the export has a header line naming {@link RosterImport#FIELDS}; an import reads that
 * same form, or rows {@code address[,displayName[,role]]} without a header.
 */
final class RosterCsv {
    /** The columns of a file without a header line. */
    private static final List<String> SHORT_FORM = List.of("address", "displayName", "role");

    private final CSVPrinter printer;

    private RosterCsv(Appendable out) throws IOException {
        this.printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(RosterImport.FIELDS.toArray(new String[0])).build());
    }

    /** Starts an export into {@code out} with its header line. */
    static RosterCsv export(Appendable out) {
        try {
            return new RosterCsv(out);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write CSV: " + e.getMessage(), e);
        }
    }

    void print(Member member) {
        try {
            printer.printRecord(member.address().asString(), member.displayName().orElse(""), member.role().value(),
                member.delivery().value(), member.disabledBy().map(DisabledBy::value).orElse(""), member.digest().value(),
                member.receiveOwnPosts(), member.hideAddress(), member.moderationAction().map(ModerationAction::value).orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write CSV: " + e.getMessage(), e);
        }
    }

    /** The rows of an import; a file that does not parse as CSV, or names an unknown column, is refused whole. */
    static List<RosterImport.Row> rows(String body) {
        List<CSVRecord> records;
        try {
            records = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).build()
                .parse(new StringReader(body)).getRecords();
        } catch (IOException | RuntimeException e) {
            throw new InvalidValueException("CSV body", RequestBodies.excerpt(String.valueOf(e.getMessage())), "not valid CSV");
        }
        List<RosterImport.Row> rows = new ArrayList<>();
        if (records.isEmpty()) {
            return rows;
        }
        boolean headed = records.get(0).size() > 0 && records.get(0).get(0).strip().equalsIgnoreCase("address");
        List<String> columns = headed ? columns(records.get(0)) : SHORT_FORM;
        for (CSVRecord record : records.subList(headed ? 1 : 0, records.size())) {
            Map<String, String> fields = new HashMap<>();
            for (int column = 0; column < record.size(); column++) {
                if (column < columns.size()) {
                    fields.put(columns.get(column), record.get(column));
                } else if (!record.get(column).isBlank()) {
                    // RosterImport refuses the row naming this extra column
                    fields.put("column " + (column + 1), record.get(column));
                }
            }
            rows.add(new RosterImport.Row((int) record.getRecordNumber(), fields));
        }
        return rows;
    }

    private static List<String> columns(CSVRecord header) {
        List<String> columns = new ArrayList<>();
        for (String name : header) {
            columns.add(RosterImport.FIELDS.stream().filter(field -> field.equalsIgnoreCase(name.strip())).findFirst()
                .orElseThrow(() -> new InvalidValueException("CSV column", name, "unknown; known are " + String.join(", ",
                    RosterImport.FIELDS))));
        }
        return columns;
    }
}
