package org.listkeeper.web;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.listkeeper.InvalidValueException;
import org.listkeeper.unsubscribe.UnsubscribeLinks;

/**
 * Where Listkeeper's public web pages listen, from {@code listkeeper.properties}: {@code web.port} (default
 * {@value #DEFAULT_PORT}; {@code off} for no web pages), {@code web.bind} (default {@value #DEFAULT_BIND}: put a
 * reverse proxy in front, or bind {@code 0.0.0.0} to face the Internet directly) and {@code public.base.url}, the
 * address visitors reach them at (links in mail point there; cookies are {@code Secure} when it is https).
 */
public final class WebConfiguration {
    public static final String PORT = "web.port";
    public static final String BIND = "web.bind";
    public static final String PUBLIC_BASE_URL = "public.base.url";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND = "127.0.0.1";

    private final OptionalInt port;
    private final String bind;
    private final Optional<URI> publicBaseUrl;

    private WebConfiguration(OptionalInt port, String bind, Optional<URI> publicBaseUrl) {
        this.port = port;
        this.bind = Objects.requireNonNull(bind);
        this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl);
    }

    /** Reads the settings; a bad value throws {@link InvalidValueException} naming it. */
    public static WebConfiguration from(Map<String, String> properties) {
        String portValue = Optional.ofNullable(properties.get(PORT)).map(String::strip).orElse(String.valueOf(DEFAULT_PORT));
        OptionalInt port;
        if (portValue.equalsIgnoreCase("off")) {
            port = OptionalInt.empty();
        } else {
            try {
                int value = Integer.parseInt(portValue);
                if (value < 0 || value > 65535) {
                    throw new NumberFormatException();
                }
                port = OptionalInt.of(value);
            } catch (NumberFormatException e) {
                throw new InvalidValueException(PORT, portValue, "expected a port from 0 (any free port) to 65535, or off");
            }
        }
        String bind = Optional.ofNullable(properties.get(BIND)).map(String::strip).filter(v -> !v.isEmpty()).orElse(DEFAULT_BIND);
        Optional<URI> base = Optional.ofNullable(properties.get(PUBLIC_BASE_URL)).map(String::strip).filter(v -> !v.isEmpty())
            .map(value -> UnsubscribeLinks.base(PUBLIC_BASE_URL, value));
        return new WebConfiguration(port, bind, base);
    }

    /** The port, or empty when the web pages are off. */
    public OptionalInt port() {
        return port;
    }

    public String bind() {
        return bind;
    }

    public Optional<URI> publicBaseUrl() {
        return publicBaseUrl;
    }

    /** Whether cookies must be {@code Secure}: the pages are reached over https. */
    public boolean secureCookies() {
        return publicBaseUrl.map(uri -> "https".equalsIgnoreCase(uri.getScheme())).orElse(false);
    }
}
