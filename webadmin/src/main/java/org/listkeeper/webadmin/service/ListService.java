package org.listkeeper.webadmin.service;

import java.util.List;
import java.util.Objects;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.listkeeper.TransientFailureException;
import org.listkeeper.list.ListChanges;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.ListSummary;
import org.listkeeper.list.Lists;
import org.listkeeper.list.MailingList;
import org.listkeeper.list.Roster;
import org.listkeeper.moderation.ModerationChain;
import org.listkeeper.moderation.RuleRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists and their settings as an administrator changes them: a new list's domain becomes one of James's, the list
 * directory learns of new and deleted lists at once, and a moderation chain may name only the rules this server knows.
 */
public final class ListService {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListService.class);

    private final Lists lists;
    private final Roster roster;
    private final ListDirectory directory;
    private final DomainList domainList;
    private final RuleRegistry rules;

    @Inject
    public ListService(Lists lists, Roster roster, ListDirectory directory, DomainList domainList, RuleRegistry rules) {
        this.lists = Objects.requireNonNull(lists);
        this.roster = Objects.requireNonNull(roster);
        this.directory = Objects.requireNonNull(directory);
        this.domainList = Objects.requireNonNull(domainList);
        this.rules = Objects.requireNonNull(rules);
    }

    /** Every list with its member count, ordered by address. */
    public List<ListSummary> lists() {
        return lists.lists();
    }

    /** The list with its member count, or {@link org.listkeeper.NoSuchListException}. */
    public ListSummary list(MailAddress address) {
        MailingList list = lists.getList(address);
        return ListSummary.of(list, roster.memberCount(list.id()));
    }

    /** Creates the list (its domain added to James), or applies {@code changes} to it when it exists. */
    public void put(MailAddress address, ListChanges changes) {
        checkRules(changes);
        ensureDomain(address.getDomain());
        lists.saveList(address, changes);
        directory.invalidate();
        LOGGER.info("List {} saved through WebAdmin", address.asString());
    }

    /** Applies {@code changes} to an existing list; {@link org.listkeeper.NoSuchListException} when there is none. */
    public void patch(MailAddress address, ListChanges changes) {
        checkRules(changes);
        lists.getList(address);
        lists.saveList(address, changes);
        LOGGER.info("Settings of list {} changed through WebAdmin", address.asString());
    }

    /** Deletes the list with its roster and records, if there is one. */
    public void delete(MailAddress address) {
        if (lists.deleteList(address)) {
            directory.invalidate();
            LOGGER.info("List {} deleted through WebAdmin", address.asString());
        }
    }

    /** A moderation chain may name only rules this server knows (the built-in ones and the site's own). */
    private void checkRules(ListChanges changes) {
        if (changes.changes(ListChanges.Setting.MODERATION_CHAIN)) {
            changes.value(ListChanges.Setting.MODERATION_CHAIN).ifPresent(chain -> ModerationChain.parse(chain, rules));
        }
    }

    private void ensureDomain(Domain domain) {
        try {
            if (!domainList.containsDomain(domain)) {
                domainList.addDomain(domain);
                LOGGER.info("Added domain {} to James for a list", domain.asString());
            }
        } catch (DomainListException e) {
            throw new TransientFailureException("Cannot add domain " + domain.asString() + " to James: " + e.getMessage(), e);
        }
    }
}
