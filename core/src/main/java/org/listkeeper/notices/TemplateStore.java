package org.listkeeper.notices;

import java.util.Optional;

/** The lists' own versions of notice templates. */
public interface TemplateStore {

    /** The list's own version of a template, if it has one. */
    Optional<String> template(long listId, String name);

    void saveTemplate(long listId, String name, String body);

    boolean deleteTemplate(long listId, String name);
}
