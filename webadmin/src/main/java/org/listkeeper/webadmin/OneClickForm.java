package org.listkeeper.webadmin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the RFC 8058 one-click request: {@code List-Unsubscribe=One-Click} in the <em>body</em> of a POST, sent as
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data} (which RFC 8058 says receivers should
 * use). The field name must be exactly {@code List-Unsubscribe} once decoded; the same field in the URL, however it
 * is encoded, never counts, because a link scanner or a prefetching client may follow such a URL. Nothing else
 * unsubscribes.
 */
public final class OneClickForm {
    public static final String FIELD = "List-Unsubscribe";
    static final String VALUE = "One-Click";
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"([^\"]+)\"|[^;\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DISPOSITION = Pattern.compile("(?im)^content-disposition:[ \\t]*form-data[ \\t]*((?:;[^\\r\\n]*)?)$");
    private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s\"]+))");
    private static final int MAX_BODY = 64 * 1024;

    private OneClickForm() {
    }

    /**
     * Whether a POST asks for the one-click unsubscribe. {@code body} is the request body as read by the route; when
     * the servlet container has already read a urlencoded body into the request's parameters, the body reads empty
     * and {@code parameterValues} (the container's values of the field, query and body merged) tell instead, once
     * the values the query string carries are taken out of them.
     */
    public static boolean isOneClick(String contentType, String rawQuery, String body, String[] parameterValues) {
        if (body != null && !body.isEmpty()) {
            return isOneClick(contentType, body);
        }
        if (!isUrlEncoded(contentType) || parameterValues == null) {
            return false;
        }
        Optional<List<String>> fromQuery = valuesInQuery(rawQuery);
        if (fromQuery.isEmpty()) {
            return false; // a query string that does not decode: refuse rather than guess where a value came from
        }
        List<String> fromBody = new ArrayList<>(Arrays.asList(parameterValues));
        for (String value : fromQuery.get()) {
            fromBody.remove(value);
        }
        return fromBody.contains(VALUE);
    }

    /** Whether {@code body} carries the field, read as its content type says. */
    static boolean isOneClick(String contentType, String body) {
        if (body == null || body.length() > MAX_BODY) {
            return false;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            return multipart(contentType, body);
        }
        if (!type.isEmpty() && !isUrlEncoded(contentType)) {
            return false;
        }
        // urlencoded, or no content type at all (some clients send the bare form)
        for (String pair : body.strip().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && FIELD.equals(decode(pair.substring(0, equals)).orElse(null))
                && VALUE.equals(decode(pair.substring(equals + 1)).orElse(null))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUrlEncoded(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** The values the query string gives the field, names and values decoded; empty when it does not decode. */
    private static Optional<List<String>> valuesInQuery(String rawQuery) {
        List<String> values = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.of(values);
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            Optional<String> name = decode(equals < 0 ? pair : pair.substring(0, equals));
            Optional<String> value = equals < 0 ? Optional.of("") : decode(pair.substring(equals + 1));
            if (name.isEmpty() || value.isEmpty()) {
                return Optional.empty();
            }
            if (name.get().equals(FIELD)) {
                values.add(value.get());
            }
        }
        return Optional.of(values);
    }

    private static boolean multipart(String contentType, String body) {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            return false;
        }
        String delimiter = "--" + (boundary.group(2) != null ? boundary.group(2) : boundary.group(1));
        for (String part : body.split(Pattern.quote(delimiter))) {
            int blank = part.indexOf("\r\n\r\n");
            int skip = 4;
            if (blank < 0) {
                blank = part.indexOf("\n\n");
                skip = 2;
            }
            if (blank < 0) {
                continue;
            }
            if (fieldName(part.substring(0, blank)).filter(FIELD::equals).isPresent()
                && part.substring(blank + skip).strip().equals(VALUE)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code name} parameter of a part's {@code Content-Disposition: form-data} header, exactly as given. */
    private static Optional<String> fieldName(String headers) {
        Matcher disposition = DISPOSITION.matcher(headers.strip());
        if (!disposition.find()) {
            return Optional.empty();
        }
        Matcher name = NAME.matcher(disposition.group(1));
        if (!name.find()) {
            return Optional.empty();
        }
        return Optional.of(name.group(1) != null ? name.group(1) : name.group(2));
    }

    private static Optional<String> decode(String text) {
        try {
            return Optional.of(URLDecoder.decode(text, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
