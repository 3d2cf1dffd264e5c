package org.listkeeper.list;

/** Who switched a member's delivery off: the member, bounce processing, or an administrator. */
public enum DisabledBy {
    USER, BOUNCE, ADMIN;

    public String value() {
        return Enums.value(this);
    }

    public static DisabledBy parse(String value) {
        return Enums.parse(DisabledBy.class, "disabledBy", value);
    }
}
