package org.listkeeper;

/**
 * A list address that the list store does not know. Permanent: retrying will not create the list.
 */
public final class NoSuchListException extends ListkeeperException {
    private static final long serialVersionUID = 1L;
    private final String listAddress;

    public NoSuchListException(String listAddress) {
        super("No such list: " + listAddress + " [Hint: create it with PUT /lists/" + listAddress + "]");
        this.listAddress = listAddress;
    }

    public String listAddress() {
        return listAddress;
    }
}
