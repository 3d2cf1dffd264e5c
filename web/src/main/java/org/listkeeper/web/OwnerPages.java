package org.listkeeper.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.listkeeper.InvalidValueException;
import org.listkeeper.list.ArchivePolicy;
import org.listkeeper.list.DeliveryMode;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.ModerationAction;
import org.listkeeper.list.Role;
import org.listkeeper.list.SubscriptionPolicy;
import org.listkeeper.list.UnsubscriptionPolicy;
import org.listkeeper.webadmin.dto.ListDTO;
import org.listkeeper.webadmin.service.ListService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The owners' settings page of a list: the main settings in one form, checked by the same rules (and answered with the
 * same messages) as {@code PATCH /lists/{list}}; a form with an invalid value changes nothing. Only the settings whose
 * value the owner changed are written, so a setting left at its default keeps following the default.
 */
final class OwnerPages {
    private static final Logger LOGGER = LoggerFactory.getLogger(OwnerPages.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST = ":list";

    /** One field of the form: a setting, how it is edited, and its choices when it is a choice. */
    private static final class Field {
        final Setting setting;
        final String kind;
        final List<String> choices;

        Field(Setting setting, String kind, List<String> choices) {
            this.setting = setting;
            this.kind = kind;
            this.choices = choices;
        }
    }

    private static final List<Field> FIELDS = List.of(
        new Field(Setting.DISPLAY_NAME, "text", List.of()),
        new Field(Setting.DESCRIPTION, "textarea", List.of()),
        new Field(Setting.SUBJECT_PREFIX, "text", List.of()),
        new Field(Setting.FOOTER, "textarea", List.of()),
        new Field(Setting.SUBSCRIPTION_POLICY, "select", values(SubscriptionPolicy.values())),
        new Field(Setting.UNSUBSCRIPTION_POLICY, "select", values(UnsubscriptionPolicy.values())),
        new Field(Setting.ARCHIVE_POLICY, "select", values(ArchivePolicy.values())),
        new Field(Setting.DEFAULT_MEMBER_ACTION, "select", values(ModerationAction.values())),
        new Field(Setting.DEFAULT_NONMEMBER_ACTION, "select", values(ModerationAction.values())),
        new Field(Setting.DELIVERY, "select", values(DeliveryMode.values())),
        new Field(Setting.MAX_MESSAGE_SIZE, "number", List.of()),
        new Field(Setting.ADVERTISED, "checkbox", List.of()),
        new Field(Setting.PRIVATE_ROSTER, "checkbox", List.of()),
        new Field(Setting.EMERGENCY, "checkbox", List.of()),
        new Field(Setting.DIGESTS_ENABLED, "checkbox", List.of()));

    private final ListAccess access;
    private final ListService listService;
    private final Pages pages;
    private final Csrf csrf;
    private final Sessions sessions;

    OwnerPages(ListAccess access, ListService listService, Pages pages, Csrf csrf, Sessions sessions) {
        this.access = Objects.requireNonNull(access);
        this.listService = Objects.requireNonNull(listService);
        this.pages = Objects.requireNonNull(pages);
        this.csrf = Objects.requireNonNull(csrf);
        this.sessions = Objects.requireNonNull(sessions);
    }

    private static List<String> values(Enum<?>[] constants) {
        return Arrays.stream(constants).map(constant -> constant.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toList());
    }

    void define(Service server) {
        server.get("/lists/" + LIST + "/settings", this::settingsPage);
        server.post("/lists/" + LIST + "/settings", this::saveSettings);
    }

    /** The list when the signed-in visitor owns it; otherwise the answer (sign-in page, refusal) is already set. */
    Optional<MailingList> ownedList(Request request, Response response) {
        return access.require(request, response, Set.of(Role.OWNER), "settings.refused").map(granted -> granted.list);
    }

    /** The settings as {@code GET /lists/{list}} shows them, by name, each as the form writes it. */
    private Map<String, String> current(MailingList list) {
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = JSON.convertValue(ListDTO.from(org.listkeeper.list.ListSummary.of(list, 0)), Map.class);
        Map<String, String> values = new HashMap<>();
        for (Field field : FIELDS) {
            Object value = shown.get(field.setting.jsonName());
            values.put(field.setting.jsonName(), value == null ? "" : String.valueOf(value));
        }
        return values;
    }

    private Object settingsPage(Request request, Response response) {
        Optional<MailingList> list = ownedList(request, response);
        if (list.isEmpty()) {
            return response.body() == null ? "" : response.body();
        }
        return form(request, response, list.get(), current(list.get()), 200, "", Optional.ofNullable(request.queryParams("saved")).isPresent());
    }

    private String form(Request request, Response response, MailingList list, Map<String, String> values, int status, String error,
                        boolean saved) {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Field field : FIELDS) {
            String name = field.setting.jsonName();
            Map<String, Object> shown = new HashMap<>();
            shown.put("name", name);
            shown.put("kind", field.kind);
            shown.put("choices", field.choices);
            shown.put("value", values.getOrDefault(name, ""));
            shown.put("checked", "true".equals(values.get(name)));
            fields.add(shown);
        }
        Map<String, Object> page = new HashMap<>();
        page.put("csrf", csrf.token(request, response));
        page.put("list", Map.of("address", list.address().asString(), "name", list.displayName()));
        page.put("fields", fields);
        page.put("error", error);
        page.put("saved", saved);
        response.status(status);
        response.type("text/html; charset=UTF-8");
        return pages.render("settings", page);
    }

    private Object saveSettings(Request request, Response response) {
        Optional<MailingList> list = ownedList(request, response);
        if (list.isEmpty()) {
            return response.body() == null ? "" : response.body();
        }
        Map<String, String> before = current(list.get());
        Map<String, String> submitted = new HashMap<>();
        for (Field field : FIELDS) {
            String name = field.setting.jsonName();
            submitted.put(name, field.kind.equals("checkbox")
                ? String.valueOf(request.queryParams(name) != null)
                : Optional.ofNullable(request.queryParams(name)).map(value -> value.replace("\r\n", "\n")).orElse(""));
        }
        ListChanges.Builder changes = ListChanges.builder();
        List<String> changed = new ArrayList<>();
        try {
            for (Field field : FIELDS) {
                String name = field.setting.jsonName();
                String value = submitted.get(name);
                if (!value.equals(before.get(name))) {
                    // an emptied text goes back to its default
                    changes.set(field.setting, value.isEmpty() && !field.kind.equals("checkbox") ? null : value);
                    changed.add(name);
                }
            }
            if (!changed.isEmpty()) {
                listService.patch(list.get().address(), changes.build());
            }
        } catch (InvalidValueException e) {
            // nothing was written: every value is checked before the one change that writes them all
            return form(request, response, list.get(), submitted, 400, e.getMessage(), false);
        }
        LOGGER.info("Settings {} of {} changed on the web pages by {}", changed, list.get().address().asString(),
            sessions.current(request).map(session -> session.address().asString()).orElse("?"));
        response.redirect("/lists/" + list.get().address().asString() + "/settings?saved", 303);
        return "";
    }
}
