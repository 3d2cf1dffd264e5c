package org.listkeeper.list;

import java.util.Objects;

import org.listkeeper.list.Addresses;
import org.listkeeper.list.Member;

/** A position in a roster ordered by (domain, address): the last member of a page or batch. */
public final class MemberCursor {
    private final String domain;
    private final String addressKey;

    private MemberCursor(String domain, String addressKey) {
        this.domain = Objects.requireNonNull(domain);
        this.addressKey = Objects.requireNonNull(addressKey);
    }

    public static MemberCursor of(String domain, String addressKey) {
        return new MemberCursor(domain, addressKey);
    }

    public static MemberCursor after(Member member) {
        return new MemberCursor(Addresses.domainKey(member.address()), Addresses.key(member.address()));
    }

    public String domain() {
        return domain;
    }

    public String addressKey() {
        return addressKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberCursor && ((MemberCursor) o).domain.equals(domain)
            && ((MemberCursor) o).addressKey.equals(addressKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, addressKey);
    }

    @Override
    public String toString() {
        return domain + "/" + addressKey;
    }
}
