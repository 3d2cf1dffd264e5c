package org.listkeeper.james;

import java.io.File;
import java.io.FileNotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Singleton;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.utils.PropertiesProvider;
import org.listkeeper.dmarc.DmarcPolicies;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.moderation.HoldQueue;
import org.listkeeper.parking.ParkedPosts;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerRegistry;
import org.listkeeper.store.ListStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;

/**
 * Wires Listkeeper into James: one list store, one list directory and one handler registry, shared by
 * the mailets, matchers, SMTP hook and WebAdmin routes. Named in {@code extensions.properties} as
 * {@code guice.extension.module=org.listkeeper.james.ListkeeperModule}.
 *
 * <p>Sites add handlers with {@code Multibinder.newSetBinder(binder(), Handler.class).addBinding()...}
 * in a module of their own listed next to this one.</p>
 */
public class ListkeeperModule extends AbstractModule {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListkeeperModule.class);

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), Handler.class);
        bind(ParkedPosts.class).to(JamesParkedPosts.class);
        bind(JamesParkedPosts.class).in(com.google.inject.Scopes.SINGLETON);
        bind(HoldQueue.class).to(JamesHoldQueue.class);
        bind(JamesHoldQueue.class).in(com.google.inject.Scopes.SINGLETON);
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

    @Provides
    @Singleton
    ListStore listStore(ManagedListStore managed) {
        return managed.store();
    }

    @Provides
    @Singleton
    ListDirectory listDirectory(ListStore store, ListkeeperConfiguration configuration, Clock clock) {
        ListDirectory directory = new ListDirectory(store, configuration.directoryTtl(), clock);
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

    @Provides
    @Singleton
    HandlerRegistry handlerRegistry(Set<Handler> siteHandlers) {
        return HandlerRegistry.of(siteHandlers);
    }
}
