package org.listkeeper.list;

/** When moderators hear of held posts: at once (one notice per post), once a day (a summary), or never. */
public enum ModeratorNotification {
    IMMEDIATE, DAILY, NONE;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
