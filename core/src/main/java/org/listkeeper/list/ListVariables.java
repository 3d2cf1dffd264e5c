package org.listkeeper.list;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The variables every notice template and the footer can use: the list's identity and addresses. */
public final class ListVariables {
    public static final Set<String> NAMES = Set.of("displayName", "listAddress", "listId", "description",
        "requestAddress", "ownerAddress", "joinAddress", "leaveAddress", "archiveUrl");

    private ListVariables() {
    }

    /** The values of {@link #NAMES} for {@code list}; a fresh map the caller may add to. */
    public static Map<String, String> of(MailingList list) {
        Map<String, String> values = new HashMap<>();
        values.put("displayName", list.displayName());
        values.put("listAddress", list.address().asString());
        values.put("listId", list.listId());
        values.put("description", list.description().orElse(""));
        values.put("requestAddress", list.requestAddress().asString());
        values.put("ownerAddress", list.ownerAddress().asString());
        values.put("joinAddress", list.joinAddress().asString());
        values.put("leaveAddress", list.leaveAddress().asString());
        values.put("archiveUrl", list.archiveUrl().orElse(""));
        return values;
    }
}
