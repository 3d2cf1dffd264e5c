package org.listkeeper.web;

import java.util.Objects;

import javax.inject.Inject;

import org.apache.james.utils.UserDefinedStartable;

/** Starts Listkeeper's web pages with James: {@code guice.extension.startable=org.listkeeper.web.StartWebPages}. */
public final class StartWebPages implements UserDefinedStartable {
    private final WebPages pages;

    @Inject
    public StartWebPages(WebPages pages) {
        this.pages = Objects.requireNonNull(pages);
    }

    @Override
    public void start() {
        pages.start();
    }
}
