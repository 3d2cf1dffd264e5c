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
    private final HandlerFixture fixture = new HandlerFixture();

    BuiltinHandlersTest() throws Exception {
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        fixture.close();
    }

    private HandlerRegistry registry() {
        return HandlerRegistry.of(BuiltinHandlers.NAMES.stream().map(fixture::handler).collect(java.util.stream.Collectors.toList()));
    }

    /** Handler names are configuration API: this list changes only by adding. */
    @Test
    void registryShouldListEveryBuiltinNameWhenBuilt() {
        assertThat(BuiltinHandlers.NAMES).containsExactly(
            "mime-check", "duplicate-check", "list-headers", "post-number", "subject-prefix", "footer", "archive", "fan-out",
            "request-commands", "send-replies", "moderation", "bounce-processing", "dmarc", "digest", "digest-delivery");
    }

    @Test
    void everyBuiltinHandlerShouldDescribeItselfOnOneLine() {
        assertThat(registry().names()).containsExactlyElementsOf(BuiltinHandlers.NAMES);
        for (String name : BuiltinHandlers.NAMES) {
            Handler handler = fixture.handler(name);
            assertThat(handler.name()).isEqualTo(name);
            assertThat(handler.description()).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void registryShouldRefuseTwoHandlersWhenTheyShareAName() {
        assertThatThrownBy(() -> HandlerRegistry.of(List.of(fixture.handler("fan-out"), named("fan-out"))))
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
        assertThatThrownBy(() -> registry().get("no-such-handler"))
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
