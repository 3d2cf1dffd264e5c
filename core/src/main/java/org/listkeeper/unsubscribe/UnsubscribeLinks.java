package org.listkeeper.unsubscribe;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.listkeeper.InvalidValueException;

/**
 * The one-click unsubscribe links of RFC 8058: {@code <public base URL>/unsubscribe/<token>}, served by the WebAdmin
 * public route {@code /unsubscribe/{token}} (behind a reverse proxy that exposes that path only).
 */
public final class UnsubscribeLinks {
    /** The path of the public route, below the base URL. */
    public static final String PATH = "/unsubscribe/";
    /** The RFC 8058 header value that makes a {@code List-Unsubscribe} HTTPS link one-click. */
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private UnsubscribeLinks() {
    }

    /** Validates a public base URL: absolute, http or https, a host, no query or fragment; trailing slashes dropped. */
    public static URI base(String field, String value) {
        String text = value == null ? "" : value.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidValueException(field, String.valueOf(value), "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new InvalidValueException(field, String.valueOf(value), "expected an absolute https:// (or http://) URL with a host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new InvalidValueException(field, String.valueOf(value), "expected no query, fragment or user name");
        }
        return uri;
    }

    /** The link for one token. */
    public static String link(URI base, String token) {
        return base.toString() + PATH + token;
    }
}
