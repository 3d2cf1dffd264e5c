package org.listkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.Test;

class DurableQueueModuleTest {

    @Test
    void brokerMemoryShouldBeAnEighthOfTheHeapRatherThanActiveMqsSeventyPercent() throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("james");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.start();
        try {
            long before = broker.getSystemUsage().getMemoryUsage().getLimit();

            DurableQueueModule.limitBrokerMemory();

            long limit = broker.getSystemUsage().getMemoryUsage().getLimit();
            assertThat(limit).isEqualTo(Math.max(16L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8));
            assertThat(limit).isLessThan(before);
        } finally {
            broker.stop();
            broker.waitUntilStopped();
        }
    }

    @Test
    void missingBrokerShouldBeAClearError() {
        assertThatThrownBy(DurableQueueModule::limitBrokerMemory).hasMessageContaining("'james' is not running");
    }
}
