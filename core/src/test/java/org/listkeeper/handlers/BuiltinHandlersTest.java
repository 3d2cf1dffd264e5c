package org.listkeeper.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import javax.mail.MessagingException;

import org.junit.jupiter.api.Test;
import org.listkeeper.ListkeeperException;
import org.listkeeper.pipeline.Handler;
import org.listkeeper.pipeline.HandlerRegistry;
import org.listkeeper.pipeline.HandlerResult;
import org.listkeeper.pipeline.PostContext;
import org.listkeeper.pipeline.UnknownHandlerException;

class BuiltinHandlersTest {

    /** Handler names are configuration API: this list changes only by adding. */
    @Test
    void registryShouldListEveryBuiltinNameWhenBuilt() {
        assertThat(HandlerRegistry.builtin().names()).containsExactly(
            "mime-check", "duplicate-check", "list-headers", "post-number", "subject-prefix", "footer", "fan-out",
            "request-commands", "send-replies", "moderation", "bounce-processing", "dmarc");
    }

    @Test
    void everyBuiltinHandlerShouldDescribeItselfOnOneLine() {
        for (Handler handler : BuiltinHandlers.all()) {
            assertThat(handler.description()).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void registryShouldRefuseTwoHandlersWhenTheyShareAName() {
        assertThatThrownBy(() -> HandlerRegistry.of(List.of(named("fan-out"))))
            .isInstanceOf(ListkeeperException.class)
            .hasMessageContaining("Duplicate handler name 'fan-out'");
    }

    @Test
    void registryShouldRefuseHandlerWhenNameIsNotKebabCase() {
        assertThatThrownBy(() -> HandlerRegistry.of(List.of(named("Fan_Out"))))
            .isInstanceOf(ListkeeperException.class)
            .hasMessageContaining("Fan_Out");
    }

    @Test
    void getShouldNameUnknownHandlerWhenItIsMissing() {
        assertThatThrownBy(() -> HandlerRegistry.builtin().get("no-such-handler"))
            .isInstanceOf(UnknownHandlerException.class)
            .hasMessageContaining("'no-such-handler'")
            .hasMessageContaining("fan-out");
    }

    private static Handler named(String name) {
        return new Handler() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "test";
            }

            @Override
            public HandlerResult handle(PostContext post) throws MessagingException {
                return HandlerResult.proceed();
            }
        };
    }
}
