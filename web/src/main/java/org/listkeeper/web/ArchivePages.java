package org.listkeeper.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.james.core.MailAddress;
import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;
import org.listkeeper.InvalidValueException;
import org.listkeeper.archive.ArchiveEntry;
import org.listkeeper.archive.ArchiveQuery;
import org.listkeeper.internal.MailSessions;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.ArchivePolicy;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Roster;
import org.listkeeper.signin.WebSession;
import org.listkeeper.webadmin.service.ArchiveService;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * A list's archive on the web: months, threads, each message, search, and each month as an mbox file. A
 * {@code public} archive is for anyone, a {@code private} one for the list's signed-in members (a visitor gets the
 * sign-in page), a list that keeps none has no archive pages. A message's HTML is cleaned by jsoup's basic
 * {@link Safelist} (no script, no event handler, no {@code javascript:} link, no style) before the page shows it, and
 * its attachments are only ever downloads ({@code Content-Disposition: attachment}, {@code application/octet-stream}).
 */
final class ArchivePages {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern MBOX = Pattern.compile("([0-9]{4}-[0-9]{2})\\.mbox");
    private static final String LIST = ":list";
    private static final String ITEM = ":item";
    private static final int PAGE = 100;
    private static final int MAX_PARTS = 100;

    private final Lists lists;
    private final Roster roster;
    private final ArchiveService archive;
    private final Pages pages;
    private final Sessions sessions;

    ArchivePages(Lists lists, Roster roster, ArchiveService archive, Pages pages, Sessions sessions) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.archive = Objects.requireNonNull(archive);
        this.pages = Objects.requireNonNull(pages);
        this.sessions = Objects.requireNonNull(sessions);
    }

    void define(Service server) {
        server.get("/lists/" + LIST + "/archive", (request, response) -> {
            response.redirect("/lists/" + request.params(LIST) + "/archive/", 301);
            return "";
        });
        server.get("/lists/" + LIST + "/archive/", this::index);
        server.get("/lists/" + LIST + "/archive/search", this::search);
        server.get("/lists/" + LIST + "/archive/thread/" + ITEM, this::thread);
        server.get("/lists/" + LIST + "/archive/" + ITEM, this::item);
        server.get("/lists/" + LIST + "/archive/" + ITEM + "/part/:part", this::attachment);
    }

    /** The list when the visitor may read its archive; otherwise the answer (sign-in page, not found) is already set. */
    private Optional<MailingList> readable(Request request, Response response) {
        Optional<MailingList> list = listOf(request);
        if (list.isEmpty() || list.get().archivePolicy() == ArchivePolicy.NEVER) {
            notFound(response);
            return Optional.empty();
        }
        if (list.get().archivePolicy() == ArchivePolicy.PRIVATE) {
            Optional<WebSession> session = sessions.current(request);
            boolean member = session.flatMap(s -> roster.findMember(list.get().id(), s.address()))
                .map(m -> m.role().receivesPosts()).orElse(false);
            if (session.isEmpty()) {
                response.redirect("/login", 303);
                return Optional.empty();
            }
            if (!member) {
                response.status(403);
                response.type("text/html; charset=UTF-8");
                response.body(pages.render("message", Map.of("title", pages.text("archive.private.title"),
                    "text", pages.text("archive.private.text"))));
                return Optional.empty();
            }
        }
        return list;
    }

    private Optional<MailingList> listOf(Request request) {
        try {
            return lists.findList(Addresses.parse("list", request.params(LIST)));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }

    private void notFound(Response response) {
        response.status(404);
        response.type("text/html; charset=UTF-8");
        response.body(pages.render("message", Map.of("title", pages.text("archive.none.title"), "text", pages.text("archive.none.text"))));
    }

    private static Object answered(Response response) {
        return response.body() == null ? "" : response.body();
    }

    private Object index(Request request, Response response) {
        Optional<MailingList> list = readable(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        MailAddress address = list.get().address();
        ArchiveService.Page all = archive.page(address, ArchiveQuery.all(), 0, 1);
        List<Map<String, Object>> months = new ArrayList<>();
        if (all.total() > 0) {
            YearMonth first = YearMonth.from(all.entries().get(0).date().atZone(ZoneOffset.UTC));
            ArchiveService.Page last = archive.page(address, ArchiveQuery.all(), all.total() - 1, 1);
            YearMonth newest = YearMonth.from(last.entries().get(0).date().atZone(ZoneOffset.UTC));
            YearMonth from = first.isBefore(newest) ? first : newest;
            YearMonth to = first.isBefore(newest) ? newest : first;
            for (YearMonth month = to; !month.isBefore(from) && months.size() < 600; month = month.minusMonths(1)) {
                int count = archive.page(address, ArchiveQuery.of(Optional.of(month.toString()), Optional.empty(), Optional.empty()), 0, 1).total();
                if (count > 0) {
                    months.add(Map.of("month", month.toString(), "count", count));
                }
            }
        }
        return render(response, 200, "archive", Map.of("list", listValues(list.get()), "months", months));
    }

    private Object item(Request request, Response response) throws IOException, MessagingException {
        String item = request.params(ITEM);
        java.util.regex.Matcher mbox = MBOX.matcher(item);
        if (mbox.matches()) {
            return mbox(request, response, mbox.group(1));
        }
        if (ArchiveQuery.isMonth(item)) {
            return entries(request, response, ArchiveQuery.of(Optional.of(item), Optional.empty(), Optional.empty()),
                pages.text("archive.month", item), Optional.of(item));
        }
        if (NUMBER.matcher(item).matches()) {
            return message(request, response, Long.parseLong(item));
        }
        Optional<MailingList> list = readable(request, response);
        if (list.isPresent()) {
            notFound(response);
        }
        return answered(response);
    }

    private Object thread(Request request, Response response) {
        String item = request.params(ITEM);
        if (!NUMBER.matcher(item).matches()) {
            notFound(response);
            return answered(response);
        }
        return entries(request, response, ArchiveQuery.of(Optional.empty(), Optional.of(Long.parseLong(item)), Optional.empty()),
            pages.text("archive.thread"), Optional.empty());
    }

    private Object search(Request request, Response response) {
        String words = Optional.ofNullable(request.queryParams("q")).orElse("").strip();
        if (words.length() > 200) {
            words = words.substring(0, 200);
        }
        return entries(request, response, ArchiveQuery.of(Optional.empty(), Optional.empty(), Optional.of(words)),
            pages.text("archive.results", words), Optional.empty());
    }

    private Object entries(Request request, Response response, ArchiveQuery query, String title, Optional<String> month) {
        Optional<MailingList> list = readable(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        ArchiveService.Page page = query.findsNothing() ? null : archive.page(list.get().address(), query, 0, PAGE);
        // replies under the first post of their thread, in the order posts came
        Map<Long, List<Map<String, Object>>> threads = new LinkedHashMap<>();
        if (page != null) {
            for (ArchiveEntry entry : page.entries()) {
                if (!entry.deleted()) {
                    threads.computeIfAbsent(entry.threadId(), id -> new ArrayList<>()).add(entryValues(entry));
                }
            }
        }
        Map<String, Object> values = new HashMap<>();
        values.put("list", listValues(list.get()));
        values.put("title", title);
        values.put("threads", new ArrayList<>(threads.values()));
        values.put("total", page == null ? 0 : page.total());
        values.put("shown", page == null ? 0 : page.entries().size());
        values.put("month", month.orElse(""));
        return render(response, 200, "archive-entries", values);
    }

    private Map<String, Object> entryValues(ArchiveEntry entry) {
        Map<String, Object> values = new HashMap<>();
        values.put("number", entry.number());
        values.put("subject", entry.subject().isBlank() ? pages.text("moderate.noSubject") : entry.subject());
        values.put("author", entry.authorName());
        values.put("date", WHEN.format(entry.date()));
        values.put("thread", entry.threadId());
        values.put("reply", entry.inReplyTo().isPresent());
        return values;
    }

    private Object message(Request request, Response response, long number) throws MessagingException, IOException {
        Optional<MailingList> list = readable(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        Optional<ArchiveService.Message> found = archive.message(list.get().address(), number);
        if (found.isEmpty() || found.get().entry().deleted() || found.get().bytes().isEmpty()) {
            notFound(response);
            return answered(response);
        }
        ArchiveEntry entry = found.get().entry();
        MimeMessage message = new MimeMessage(MailSessions.shared(), new ByteArrayInputStream(found.get().bytes().get()));
        List<Map<String, Object>> parts = new ArrayList<>();
        List<Part> leaves = leaves(message);
        for (int i = 0; i < leaves.size(); i++) {
            parts.add(partValues(leaves.get(i), i));
        }
        Map<String, Object> values = new HashMap<>();
        values.put("list", listValues(list.get()));
        values.put("entry", entryValues(entry));
        values.put("parts", parts);
        values.put("month", YearMonth.from(entry.date().atZone(ZoneOffset.UTC)).toString());
        return render(response, 200, "archive-message", values);
    }

    /** How the page shows one part: plain text as text, HTML cleaned, anything else as a download. */
    private Map<String, Object> partValues(Part part, int index) throws MessagingException, IOException {
        Map<String, Object> values = new HashMap<>();
        values.put("index", index);
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
        if (!attachment && part.isMimeType("text/plain") && part.getContent() instanceof String) {
            values.put("kind", "text");
            values.put("text", part.getContent());
        } else if (!attachment && part.isMimeType("text/html") && part.getContent() instanceof String) {
            values.put("kind", "html");
            values.put("html", Jsoup.clean((String) part.getContent(), Safelist.basic()));
        } else {
            values.put("kind", "attachment");
            values.put("name", fileName(part, index));
            values.put("type", part.getContentType() == null ? "" : part.getContentType().split(";")[0].strip());
        }
        return values;
    }

    private static String fileName(Part part, int index) {
        try {
            String name = part.getFileName();
            if (name != null) {
                return MimeUtility.decodeText(name);
            }
        } catch (MessagingException | IOException e) {
            // an unreadable name: a made-up one
        }
        return "part-" + index;
    }

    private static List<Part> leaves(Part root) {
        List<Part> leaves = new ArrayList<>();
        collect(root, leaves, 0);
        return leaves;
    }

    private static void collect(Part part, List<Part> leaves, int depth) {
        if (depth > 20 || leaves.size() >= MAX_PARTS) {
            return;
        }
        try {
            if (part.isMimeType("multipart/alternative") && part.getContent() instanceof Multipart) {
                // one rendering of the same text: the plain one when there is one (as HyperKitty), else the last
                Multipart alternatives = (Multipart) part.getContent();
                Part chosen = null;
                for (int i = 0; i < alternatives.getCount(); i++) {
                    if (alternatives.getBodyPart(i).isMimeType("text/plain")) {
                        chosen = alternatives.getBodyPart(i);
                        break;
                    }
                }
                if (chosen == null && alternatives.getCount() > 0) {
                    chosen = alternatives.getBodyPart(alternatives.getCount() - 1);
                }
                if (chosen != null) {
                    collect(chosen, leaves, depth + 1);
                }
            } else if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    collect(multipart.getBodyPart(i), leaves, depth + 1);
                }
            } else {
                leaves.add(part);
            }
        } catch (MessagingException | IOException e) {
            // a part that does not decode is not shown
        }
    }

    private Object attachment(Request request, Response response) throws MessagingException, IOException {
        Optional<MailingList> list = readable(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        String item = request.params(ITEM);
        String partIndex = request.params(":part");
        if (!NUMBER.matcher(item).matches() || !NUMBER.matcher(partIndex).matches()) {
            notFound(response);
            return answered(response);
        }
        Optional<ArchiveService.Message> found = archive.message(list.get().address(), Long.parseLong(item));
        if (found.isEmpty() || found.get().entry().deleted() || found.get().bytes().isEmpty()) {
            notFound(response);
            return answered(response);
        }
        List<Part> leaves = leaves(new MimeMessage(MailSessions.shared(), new ByteArrayInputStream(found.get().bytes().get())));
        int index = Integer.parseInt(partIndex);
        if (index >= leaves.size()) {
            notFound(response);
            return answered(response);
        }
        Part part = leaves.get(index);
        // never rendered by the browser, whatever the part claims to be
        response.type("application/octet-stream");
        response.header("Content-Disposition", "attachment; filename=\"" + fileName(part, index).replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        response.header("Content-Security-Policy", "default-src 'none'; sandbox");
        try (InputStream in = part.getInputStream(); OutputStream out = response.raw().getOutputStream()) {
            in.transferTo(out);
        }
        return "";
    }

    private Object mbox(Request request, Response response, String month) throws IOException {
        Optional<MailingList> list = readable(request, response);
        if (list.isEmpty()) {
            return answered(response);
        }
        response.type("application/mbox");
        response.header("Content-Disposition", "attachment; filename=\"" + list.get().address().getLocalPart().replaceAll("[^A-Za-z0-9._-]", "_")
            + "-" + month + ".mbox\"");
        try (OutputStream out = response.raw().getOutputStream()) {
            archive.mbox(list.get().address(), month, out);
        }
        return "";
    }

    private static Map<String, Object> listValues(MailingList list) {
        return Map.of("address", list.address().asString(), "name", list.displayName());
    }

    private String render(Response response, int status, String template, Map<String, Object> values) {
        response.status(status);
        response.type("text/html; charset=UTF-8");
        return pages.render(template, values);
    }

}
