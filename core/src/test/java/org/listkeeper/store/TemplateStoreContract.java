package org.listkeeper.store;

import static org.listkeeper.store.StoreContract.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.junit.jupiter.api.Test;
import org.listkeeper.list.ListChanges;

/** What every {@link org.listkeeper.notices.TemplateStore} implementation must do. */
public interface TemplateStoreContract extends StoreContract {
    @Test
    default void templatesShouldBeSavedReplacedAndDeleted() throws Exception {
        long list = stores().lists().saveList(address("team@lists.example.org"), ListChanges.none()).id();

        stores().templates().saveTemplate(list, "welcome", "Subject: hi\n\none");
        stores().templates().saveTemplate(list, "welcome", "Subject: hi\n\ntwo");

        assertThat(stores().templates().template(list, "welcome")).contains("Subject: hi\n\ntwo");
        assertThat(stores().templates().deleteTemplate(list, "welcome")).isTrue();
        assertThat(stores().templates().template(list, "welcome")).isEmpty();
    }
}
