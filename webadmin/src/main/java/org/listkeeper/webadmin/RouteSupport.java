package org.listkeeper.webadmin;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Constants;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.listkeeper.InvalidValueException;
import org.listkeeper.NoSuchListException;
import org.listkeeper.TransientFailureException;
import org.listkeeper.list.Addresses;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListChanges.Setting;
import org.listkeeper.webadmin.service.NoSuchMemberException;
import org.listkeeper.webadmin.service.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import spark.HaltException;
import spark.Request;
import spark.Response;
import spark.Route;

/** What the Listkeeper routes share: JSON bodies, James's error body, and Listkeeper's errors mapped onto it. */
final class RouteSupport {
    /** The path parameter every route under {@code /lists/{list}} has. */
    static final String LIST = ":list";

    private RouteSupport() {
    }

    /** The list address in the path; 400 naming it when it is not an address. */
    static MailAddress listAddress(Request request) {
        return Addresses.parse("list address", request.params(LIST));
    }

    /** The body as a JSON object with only {@code allowed} fields; an empty body is an empty object. */
    static ObjectNode bodyObject(Request request, Set<String> allowed) {
        String body = request.body();
        if (body == null || body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node = RequestBodies.json(body);
        if (node == null || !node.isObject()) {
            throw new InvalidValueException("JSON body", RequestBodies.excerpt(body), "expected a JSON object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidValueException("field", name, "unknown; known fields are " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return (ObjectNode) node;
    }

    static String textOrNull(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidValueException(field, value.toString(), "expected a string or null");
        }
        return value.asText();
    }

    static Optional<Boolean> booleanField(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new InvalidValueException(field, value.toString(), "expected true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /** List settings from a JSON body: strings for text, choices and durations; booleans; whole numbers. */
    static ListChanges listChanges(ObjectNode body) {
        ListChanges.Builder changes = ListChanges.builder();
        for (Setting setting : Setting.values()) {
            if (!body.has(setting.jsonName())) {
                continue;
            }
            JsonNode value = body.get(setting.jsonName());
            if (value.isNull()) {
                changes.set(setting, null);
                continue;
            }
            switch (setting.type()) {
                case BOOLEAN:
                    if (!value.isBoolean()) {
                        throw new InvalidValueException(setting.jsonName(), value.toString(), "expected true, false or null");
                    }
                    changes.set(setting, String.valueOf(value.booleanValue()));
                    break;
                case ADDRESS_PATTERNS:
                case HEADER_PATTERNS:
                    if (value.isArray()) {
                        List<String> lines = new ArrayList<>();
                        for (JsonNode element : value) {
                            if (!element.isTextual()) {
                                throw new InvalidValueException(setting.jsonName(), element.toString(), "expected an array of strings");
                            }
                            lines.add(element.asText());
                        }
                        changes.set(setting, String.join("\n", lines));
                    } else {
                        changes.set(setting, textOrNull(body, setting.jsonName()));
                    }
                    break;
                case INTEGER:
                    if (!value.isIntegralNumber()) {
                        throw new InvalidValueException(setting.jsonName(), value.toString(), "expected a whole number or null");
                    }
                    changes.set(setting, value.asText());
                    break;
                default:
                    changes.set(setting, textOrNull(body, setting.jsonName()));
            }
        }
        return changes.build();
    }

    static Set<String> settingNames() {
        Set<String> names = new TreeSet<>();
        for (Setting setting : Setting.values()) {
            names.add(setting.jsonName());
        }
        return names;
    }

    /** A query parameter as a whole number within bounds, or the default when absent. */
    static int intParam(Request request, String name, int defaultValue, int min, int max) {
        String value = request.queryParams(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new InvalidValueException(name, value, "expected a whole number from " + min + " to " + max);
        }
    }

    static Object json(Response response, Object value) {
        response.type(Constants.JSON_CONTENT_TYPE);
        return value;
    }

    static Object noContent(Response response) {
        response.status(204);
        return Constants.EMPTY_BODY;
    }

    /** Turns Listkeeper's errors into James's error body with the right status. */
    static Route guarded(Route route) {
        return (request, response) -> {
            try {
                return route.handle(request, response);
            } catch (HaltException e) {
                throw e;
            } catch (InvalidValueException e) {
                throw error(400, ErrorType.INVALID_ARGUMENT, e.getMessage(), e);
            } catch (NoSuchListException | NoSuchMemberException e) {
                throw error(404, ErrorType.NOT_FOUND, e.getMessage(), e);
            } catch (TransientFailureException e) {
                throw error(503, ErrorType.SERVER_ERROR, e.getMessage(), e);
            }
        };
    }

    static HaltException error(int status, ErrorType type, String message, Exception cause) {
        ErrorResponder responder = ErrorResponder.builder().statusCode(status).type(type).message(message);
        return (cause == null ? responder : responder.cause(cause)).haltError();
    }

    static HaltException notFound(String message) {
        return error(404, ErrorType.NOT_FOUND, message, null);
    }
}
