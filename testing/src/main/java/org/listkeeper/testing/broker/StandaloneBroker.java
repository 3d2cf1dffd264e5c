package org.listkeeper.testing.broker;

import java.io.File;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * An ActiveMQ 5.17 broker as an operator runs one for a cluster, for the cluster tests and the cluster benchmark, each
 * starting it in a JVM of its own: KahaDB on disk, one OpenWire connector on loopback, no JMX, the queue policy
 * docs/operations.md advises (a page of 5,000 messages, so that mail waiting for a retry does not hide ready mail).
 * {@code StandaloneBroker PORT DATA_DIR}; prints {@link #READY} once it takes connections. The ActiveMQ classes come
 * from the caller's class path.
 */
public final class StandaloneBroker {
    public static final String READY = "Broker ready";

    private StandaloneBroker() {
    }

    public static void main(String[] args) throws Exception {
        File data = new File(args[1]);
        BrokerService broker = new BrokerService();
        broker.setBrokerName("listkeeper-test-broker");
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(data);
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(new File(data, "kahadb"));
        broker.setPersistenceAdapter(kahaDb);
        org.apache.activemq.broker.region.policy.PolicyEntry queues = new org.apache.activemq.broker.region.policy.PolicyEntry();
        queues.setQueue(">");
        queues.setMaxPageSize(5000);
        queues.setPrioritizedMessages(true);
        org.apache.activemq.broker.region.policy.PolicyMap policies = new org.apache.activemq.broker.region.policy.PolicyMap();
        policies.setDefaultEntry(queues);
        broker.setDestinationPolicy(policies);
        broker.getSystemUsage().getMemoryUsage().setLimit(256L * 1024 * 1024);
        broker.addConnector("tcp://127.0.0.1:" + Integer.parseInt(args[0]));
        broker.start();
        broker.waitUntilStarted();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
                broker.waitUntilStopped();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println(READY + " on port " + args[0]);
        System.out.flush();
        Thread.currentThread().join();
    }
}
