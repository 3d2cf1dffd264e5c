package org.listkeeper.list;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.james.core.MailAddress;

/** The lists themselves: created, changed, found by address, deleted. The one place a list is looked up by its address. */
public interface Lists {

    /** Creates the list, or applies {@code changes} to it when it exists. */
    MailingList saveList(MailAddress address, ListChanges changes);

    Optional<MailingList> findList(MailAddress address);

    /** The list, or {@link org.listkeeper.NoSuchListException}. */
    MailingList getList(MailAddress address);

    /** Every list with its member count, ordered by address. */
    List<ListSummary> lists();

    /** Deletes the list with its roster and post records; false when there was none. */
    boolean deleteList(MailAddress address);

    /** Every posting address, for routing. */
    Set<MailAddress> listAddresses();
}
