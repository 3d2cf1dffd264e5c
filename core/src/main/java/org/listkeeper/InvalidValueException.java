package org.listkeeper;

/**
 * A value given by a user or an operator (an address, a role, a setting) that Listkeeper refuses.
 * The message names the field and the offending value.
 */
public final class InvalidValueException extends ListkeeperException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String value;

    public InvalidValueException(String field, String value, String reason) {
        super("Invalid " + field + " '" + value + "': " + reason);
        this.field = field;
        this.value = value;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }
}
