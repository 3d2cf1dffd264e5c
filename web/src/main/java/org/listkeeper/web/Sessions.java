package org.listkeeper.web;

import java.util.Objects;
import java.util.Optional;

import org.listkeeper.signin.SignIn;
import org.listkeeper.signin.WebSession;

import spark.Request;
import spark.Response;

/**
 * The signed-in visitor's session cookie: {@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} under https, no
 * lifetime of its own (the store ends sessions after their idle and absolute timeouts).
 */
final class Sessions {
    static final String COOKIE = "lk_session";
    private final SignIn signIn;
    private final boolean secure;

    Sessions(SignIn signIn, boolean secure) {
        this.signIn = Objects.requireNonNull(signIn);
        this.secure = secure;
    }

    Optional<WebSession> current(Request request) {
        return signIn.session(request.cookie(COOKIE));
    }

    void open(Response response, String id) {
        response.raw().addHeader("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }

    void close(Request request, Response response) {
        signIn.closeSession(request.cookie(COOKIE));
        response.raw().addHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }
}
