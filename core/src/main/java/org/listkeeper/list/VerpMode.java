package org.listkeeper.list;

/**
 * Which mail of a bulk list goes out from a per-member envelope sender ({@code list-bounces+alice=example.com@}):
 * none, only the probes bounce processing sends (the default), or every post (one copy per member, the same
 * message). Personalized delivery always uses VERP.
 */
public enum VerpMode {
    OFF, PROBES, EVERY_POST;

    public String value() {
        return Enums.value(this);
    }

    public static VerpMode parse(String value) {
        return Enums.parse(VerpMode.class, "verp", value);
    }
}
