package org.listkeeper.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import spark.Request;
import spark.Response;

/**
 * Cross-site request forgery defence for every form: a random 128-bit value in an {@code HttpOnly},
 * {@code SameSite=Lax} cookie and the same value in a hidden field of each form; a POST whose field does not match its
 * cookie is refused before anything happens. Another site can make a browser send the cookie, but cannot read it to
 * put it in the form.
 */
final class Csrf {
    static final String COOKIE = "lk_csrf";
    static final String FIELD = "csrf";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean secure;

    Csrf(boolean secure) {
        this.secure = secure;
    }

    /** The visitor's token, set as a cookie when it has none yet; forms carry it. */
    String token(Request request, Response response) {
        Optional<String> existing = Optional.ofNullable(request.cookie(COOKIE)).filter(v -> WELL_FORMED.matcher(v).matches());
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        response.raw().addHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
        return token;
    }

    /** Whether the form posted carries the token of its cookie. */
    boolean accepts(Request request) {
        String cookie = request.cookie(COOKIE);
        String field = request.queryParams(FIELD);
        if (cookie == null || field == null || !WELL_FORMED.matcher(cookie).matches()) {
            return false;
        }
        return MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.UTF_8));
    }
}
