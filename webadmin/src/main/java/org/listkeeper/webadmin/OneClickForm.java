package org.listkeeper.webadmin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the RFC 8058 one-click request body: {@code List-Unsubscribe=One-Click}, sent as
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data} (which RFC 8058 says receivers should
 * use). Nothing else unsubscribes.
 */
final class OneClickForm {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(\"([^\"]+)\"|[^;\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PART_NAME = Pattern.compile("content-disposition:\\s*form-data;[^\\r\\n]*\\bname=\"?List-Unsubscribe\"?",
        Pattern.CASE_INSENSITIVE);
    private static final int MAX_BODY = 64 * 1024;

    private OneClickForm() {
    }

    static boolean isOneClick(String contentType, String body) {
        if (body == null || body.length() > MAX_BODY) {
            return false;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            return multipart(contentType, body);
        }
        // urlencoded, or no content type at all (some clients send the bare form)
        for (String pair : body.strip().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && decode(pair.substring(0, equals)).equals("List-Unsubscribe")
                && decode(pair.substring(equals + 1)).equals("One-Click")) {
                return true;
            }
        }
        return false;
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
            if (PART_NAME.matcher(part.substring(0, blank)).find() && part.substring(blank + skip).strip().equals("One-Click")) {
                return true;
            }
        }
        return false;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
