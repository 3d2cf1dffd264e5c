package org.listkeeper.james;

import java.io.File;
import java.io.FileNotFoundException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;
import javax.inject.Provider;
import javax.inject.Singleton;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.utils.PropertiesProvider;
import org.listkeeper.Transactions;
import org.listkeeper.archive.Archive;
import org.listkeeper.digest.DigestDispatch;
import org.listkeeper.digest.DigestStore;
import org.listkeeper.digest.Digester;
import org.listkeeper.bounces.BounceRecords;
import org.listkeeper.bounces.Bounces;
import org.listkeeper.dmarc.DmarcPolicies;
import org.listkeeper.handlers.BuiltinHandlers;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.Lists;
import org.listkeeper.list.Roster;
import org.listkeeper.membership.ConfirmationTokens;
import org.listkeeper.membership.Membership;
import org.listkeeper.membership.Requests;
import org.listkeeper.moderation.HeldPosts;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.moderation.Moderation;
import org.listkeeper.moderation.ModerationRecords;
import org.listkeeper.moderation.Rule;
import org.listkeeper.moderation.RuleRegistry;
import org.listkeeper.moderation.rules.BuiltinRules;
import org.listkeeper.notices.AutoReplies;
import org.listkeeper.notices.Dispatch;
import org.listkeeper.notices.TemplateStore;
import org.listkeeper.notices.Templates;
import org.listkeeper.parking.ParkedPosts;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerRegistry;
import org.listkeeper.pipeline.PostLedger;
import org.listkeeper.store.MailRepositories;
import org.listkeeper.store.Stores;
import org.listkeeper.unsubscribe.OneClickUnsubscribe;
import org.listkeeper.unsubscribe.UnsubscribeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;

/**
 * Wires Listkeeper into James: one list store (each of its aggregates bound on its own, so every component takes the
 * narrowest it needs), one list directory, the built-in handlers and moderation rules, and the domain services the
 * mailets, matchers, SMTP hook and WebAdmin routes share. Named in {@code extensions.properties} as
 * {@code guice.extension.module=org.listkeeper.james.ListkeeperModule}.
 *
 * <p>The built-in handlers and rules are bound into the same Guice sets a site adds its own to, in a module of its own
 * listed next to this one: {@code Multibinder.newSetBinder(binder(), Handler.class).addBinding()...} for a handler,
 * {@code Multibinder.newSetBinder(binder(), Rule.class).addBinding()...} for a moderation rule. A name used twice
 * stops James at start-up.</p>
 */
public class ListkeeperModule extends AbstractModule {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListkeeperModule.class);

    @Override
    protected void configure() {
        Multibinder<Handler> handlers = Multibinder.newSetBinder(binder(), Handler.class);
        for (String name : BuiltinHandlers.NAMES) {
            handlers.addBinding().toProvider(new Builtin<>(name, (injector, n) -> injector.getInstance(BuiltinHandlers.class).get(n)));
        }
        Multibinder<Rule> rules = Multibinder.newSetBinder(binder(), Rule.class);
        for (String name : BuiltinRules.NAMES) {
            rules.addBinding().toProvider(new Builtin<>(name, (injector, n) -> injector.getInstance(BuiltinRuleSet.class).get(n)));
        }
        bind(ParkedPosts.class).to(JamesParkedPosts.class);
        bind(JamesParkedPosts.class).in(com.google.inject.Scopes.SINGLETON);
        bind(HoldQueue.class).to(JamesHoldQueue.class);
        bind(JamesHoldQueue.class).in(com.google.inject.Scopes.SINGLETON);
        bind(Housekeeping.class).in(com.google.inject.Scopes.SINGLETON);
        bind(StoreRetries.class).in(com.google.inject.Scopes.SINGLETON);
        bind(DigestDispatch.class).to(JamesDigestDispatch.class);
        bind(JamesDigestDispatch.class).in(com.google.inject.Scopes.SINGLETON);
    }

    /** One built-in handler or rule by name, taken from the server's set of them when Guice first asks. */
    private static final class Builtin<T> implements Provider<T> {
        private final String name;
        private final java.util.function.BiFunction<Injector, String, T> lookup;
        @Inject
        private Injector injector;

        Builtin(String name, java.util.function.BiFunction<Injector, String, T> lookup) {
            this.name = name;
            this.lookup = lookup;
        }

        @Override
        public T get() {
            return lookup.apply(injector, name);
        }
    }

    /** The built-in rules, made once: the roster rules read the roster, banned-address the site's bans. */
    static final class BuiltinRuleSet {
        private final Map<String, Rule> rules;

        BuiltinRuleSet(List<Rule> rules) {
            this.rules = RuleRegistry.of(rules).all();
        }

        Rule get(String name) {
            return rules.get(name);
        }
    }

    @Provides
    @Singleton
    ListkeeperConfiguration configuration(PropertiesProvider propertiesProvider, FileSystem fileSystem)
        throws ConfigurationException, FileNotFoundException {
        Map<String, String> properties;
        try {
            properties = ListkeeperConfiguration.flatten(propertiesProvider.getConfiguration(ListkeeperConfiguration.FILE_NAME));
        } catch (FileNotFoundException e) {
            LOGGER.info("No {}.properties: using the default H2 list store under var/listkeeper", ListkeeperConfiguration.FILE_NAME);
            properties = Map.of();
        }
        File dataDirectory = fileSystem.getFile("file://var/listkeeper");
        return ListkeeperConfiguration.from(properties, dataDirectory);
    }

    // ---- the store, one binding per aggregate

    @Provides
    @Singleton
    Stores stores(ManagedStores managed, ListBatchTransportQueues.StoreHandle transportMarks, Clock clock) {
        Stores stores = managed.stores();
        // the server's transport queues mark list batches in this store (a stock James never asks)
        transportMarks.open(stores.posts(), stores.bounces(), clock);
        return stores;
    }

    @Provides
    org.listkeeper.store.Leases leases(Stores stores) {
        return stores.leases();
    }

    @Provides
    Lists lists(Stores stores) {
        return stores.lists();
    }

    @Provides
    Roster roster(Stores stores) {
        return stores.roster();
    }

    @Provides
    PostLedger posts(Stores stores) {
        return stores.posts();
    }

    @Provides
    Requests requests(Stores stores) {
        return stores.requests();
    }

    @Provides
    ConfirmationTokens tokens(Stores stores) {
        return stores.tokens();
    }

    @Provides
    ModerationRecords moderationRecords(Stores stores) {
        return stores.moderationRecords();
    }

    @Provides
    HeldPosts heldPosts(Stores stores) {
        return stores.heldPosts();
    }

    @Provides
    BounceRecords bounceRecords(Stores stores) {
        return stores.bounces();
    }

    @Provides
    UnsubscribeTokens unsubscribeTokens(Stores stores) {
        return stores.unsubscribeTokens();
    }

    @Provides
    org.listkeeper.signin.SignIns signIns(Stores stores) {
        return stores.signIns();
    }

    @Provides
    @Singleton
    org.listkeeper.signin.SignIn signIn(org.listkeeper.signin.SignIns signIns, Clock clock) {
        return new org.listkeeper.signin.SignIn(signIns, clock);
    }

    @Provides
    AutoReplies autoReplies(Stores stores) {
        return stores.autoReplies();
    }

    @Provides
    TemplateStore templateStore(Stores stores) {
        return stores.templates();
    }

    @Provides
    Archive archive(Stores stores) {
        return stores.archive();
    }

    @Provides
    DigestStore digestStore(Stores stores) {
        return stores.digests();
    }

    /** For {@link StoreMailRepository}, which James's repository loader builds through this module's injector. */
    @Provides
    MailRepositories mailRepositories(Stores stores) {
        return stores.mailRepositories();
    }

    @Provides
    Transactions transactions(Stores stores) {
        return stores.transactions();
    }

    // ---- domain services

    @Provides
    @Singleton
    Templates templates(TemplateStore store) {
        return new Templates(store);
    }

    @Provides
    @Singleton
    Dispatch dispatch(AutoReplies autoReplies, Templates templates) {
        return new Dispatch(autoReplies, templates);
    }

    @Provides
    @Singleton
    Membership membership(Roster roster, Requests requests, ConfirmationTokens tokens, Transactions transactions, Clock clock,
                          ListkeeperConfiguration configuration) {
        return new Membership(roster, requests, tokens, transactions, clock, configuration.publicBaseUrl().map(URI::create));
    }

    @Provides
    @Singleton
    Moderation moderation(HeldPosts heldPosts, Roster roster, ConfirmationTokens tokens, HoldQueue holdQueue, Clock clock) {
        return new Moderation(heldPosts, roster, tokens, holdQueue, clock);
    }

    @Provides
    @Singleton
    org.listkeeper.bounces.DeliveryFailures deliveryFailures(Bounces bounces, BounceRecords records, MetricFactory metrics,
                                                             ListBatchTransportQueues.StoreHandle transportMarks) {
        return new org.listkeeper.bounces.DeliveryFailures(bounces, records, new BounceCounters(metrics, transportMarks::blocksChanged));
    }

    @Provides
    @Singleton
    Bounces bounces(Roster roster, BounceRecords records, Transactions transactions, Clock clock) {
        return new Bounces(roster, records, transactions, clock);
    }

    @Provides
    @Singleton
    Digester digester(DigestStore store, DigestDispatch dispatch, Clock clock) {
        return new Digester(store, dispatch, clock);
    }

    @Provides
    @Singleton
    OneClickUnsubscribe oneClickUnsubscribe(Lists lists, Roster roster, UnsubscribeTokens tokens, Transactions transactions) {
        return new OneClickUnsubscribe(lists, roster, tokens, transactions);
    }

    @Provides
    @Singleton
    ListDirectory listDirectory(Lists lists, ListkeeperConfiguration configuration, Clock clock) {
        ListDirectory directory = new ListDirectory(lists, configuration.directoryTtl(), clock);
        directory.load();
        return directory;
    }

    /** DMARC policies through James's DNS service (dnsjava in a real server), cached. */
    @Provides
    @Singleton
    DmarcPolicies dmarcPolicies(DNSService dns, ListkeeperConfiguration configuration) {
        return new DmarcPolicies(name -> {
            try {
                return List.copyOf(dns.findTXTRecords(name));
            } catch (RuntimeException e) {
                // no such name, or DNS unreachable: no policy
                LOGGER.debug("No TXT records for {}: {}", name, e.getMessage());
                return List.of();
            }
        }, configuration.dmarcCache());
    }

    // ---- rules and handlers

    @Provides
    @Singleton
    BuiltinRuleSet builtinRules(Roster roster, ListkeeperConfiguration configuration) {
        return new BuiltinRuleSet(BuiltinRules.create(roster, configuration.bannedAddresses()));
    }

    @Provides
    @Singleton
    RuleRegistry ruleRegistry(Set<Rule> rules) {
        return RuleRegistry.of(rules);
    }

    @Provides
    @Singleton
    BuiltinHandlers builtinHandlers(Stores stores, HoldQueue holdQueue, DmarcPolicies dmarcPolicies, RuleRegistry rules,
                                    ListkeeperConfiguration configuration, DigestDispatch digests, Clock clock,
                                    MetricFactory metrics, ListBatchTransportQueues.StoreHandle transportMarks) {
        return BuiltinHandlers.create(stores, holdQueue, dmarcPolicies, rules, configuration.publicBaseUrl().map(URI::create), digests,
            clock, new BounceCounters(metrics, transportMarks::blocksChanged));
    }

    @Provides
    @Singleton
    HandlerRegistry handlerRegistry(Set<Handler> handlers) {
        return HandlerRegistry.of(handlers);
    }
}
