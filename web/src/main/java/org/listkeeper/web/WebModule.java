package org.listkeeper.web;

import java.io.FileNotFoundException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * Binds Listkeeper's web pages: their settings from {@code listkeeper.properties} and one {@link WebPages} per server.
 * Listed beside {@code ListkeeperModule} in {@code extensions.properties}
 * ({@code guice.extension.module=org.listkeeper.james.ListkeeperModule,org.listkeeper.web.WebModule}); the pages start
 * with {@code guice.extension.startable=org.listkeeper.web.StartWebPages}.
 */
public final class WebModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(WebPages.class).in(com.google.inject.Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    WebConfiguration configuration(PropertiesProvider properties) throws ConfigurationException {
        Map<String, String> values = new HashMap<>();
        try {
            Configuration configuration = properties.getConfiguration("listkeeper");
            for (Iterator<String> keys = configuration.getKeys(); keys.hasNext(); ) {
                String key = keys.next();
                values.put(key, String.join(",", configuration.getStringArray(key)));
            }
        } catch (FileNotFoundException e) {
            // no listkeeper.properties: the defaults
        }
        return WebConfiguration.from(values);
    }
}
