package org.listkeeper.webadmin.service;

import org.listkeeper.InvalidValueException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading the bodies administrators send: one that does not parse is refused naming its first characters. */
public final class RequestBodies {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EXCERPT = 80;

    private RequestBodies() {
    }

    /** The body as JSON, or {@link InvalidValueException} saying why it is not. */
    public static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("JSON body", excerpt(body), "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The start of {@code text}, short enough for an error message. */
    public static String excerpt(String text) {
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…";
    }
}
