package org.listkeeper.list;

/** How a request to leave is carried out: at once, or after the address confirms. */
public enum UnsubscriptionPolicy {
    OPEN, CONFIRM;

    public String value() {
        return Enums.value(this);
    }

    public static UnsubscriptionPolicy parse(String value) {
        return Enums.parse(UnsubscriptionPolicy.class, "unsubscriptionPolicy", value);
    }
}
