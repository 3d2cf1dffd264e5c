package org.listkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.GuiceJamesServer;
import org.junit.jupiter.api.Test;

/** James refuses to start on a broken Listkeeper configuration, and says what is wrong. */
class StartupEndToEndTest {

    @Test
    void jamesShouldRefuseToStartNamingHandlerWhenPipelineNamesUnknownOne() throws Exception {
        assertStartFailsWith(xml -> ListkeeperServer.replace(xml,
            "<pipeline>mime-check,duplicate-check,moderation,dmarc,list-headers,post-number,subject-prefix,footer,archive,digest,fan-out</pipeline>",
            "<pipeline>mime-check,list-headers,no-such-handler,fan-out</pipeline>"),
            "Unknown handler 'no-such-handler'");
    }

    @Test
    void jamesShouldRefuseToStartNamingParameterWhenValueIsInvalid() throws Exception {
        assertStartFailsWith(xml -> ListkeeperServer.replace(xml, "<batchSize>500</batchSize>", "<batchSize>lots</batchSize>"),
            "Invalid batchSize 'lots'");
    }

    @Test
    void jamesShouldRefuseToStartWhenParameterIsMisspelt() throws Exception {
        assertStartFailsWith(xml -> ListkeeperServer.replace(xml, "<batchSize>500</batchSize>", "<batchsize>500</batchsize>"),
            "batchsize");
    }

    @Test
    void jamesShouldRefuseToStartWhenHousekeepingIntervalIsBelowOneSecond() throws Exception {
        String properties = java.nio.file.Files.readString(java.nio.file.Paths.get(System.getProperty("listkeeper.conf.dir", "../conf"))
            .resolve("listkeeper.properties")) + "\nhousekeeping.interval=10ms\n";
        assertStartFailsWith(ListkeeperServer.builder().listkeeperProperties(properties), "Invalid housekeeping.interval '10ms'");
    }

    @Test
    void jamesShouldRefuseToStartWhenThePublicUrlIsNotAnHttpsUrl() throws Exception {
        String properties = java.nio.file.Files.readString(java.nio.file.Paths.get(System.getProperty("listkeeper.conf.dir", "../conf"))
            .resolve("listkeeper.properties")) + "\npublic.base.url=ftp://lists.example.org\n";
        assertStartFailsWith(ListkeeperServer.builder().listkeeperProperties(properties),
            "Invalid public.base.url 'ftp://lists.example.org': expected an absolute https://");
    }

    private static void assertStartFailsWith(java.util.function.UnaryOperator<String> mailetContainer, String expected) throws Exception {
        assertStartFailsWith(ListkeeperServer.builder().mailetContainer(mailetContainer), expected);
    }

    private static void assertStartFailsWith(ListkeeperServer.Builder builder, String expected) throws Exception {
        ListkeeperServer harness = builder.build();
        harness.prepare();
        GuiceJamesServer james = harness.createServer();
        try {
            Throwable failure = catchThrowable(james::start);

            assertThat(failure).isNotNull();
            assertThat(messages(failure)).anySatisfy(message -> assertThat(message).contains(expected));
        } finally {
            james.stop();
            harness.stop();
        }
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < 20; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
