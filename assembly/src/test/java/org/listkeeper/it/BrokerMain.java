package org.listkeeper.it;

import java.io.File;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * A standalone ActiveMQ 5.17 broker for the cluster tests, as an operator runs one: KahaDB on disk, one OpenWire
 * connector on loopback, no JMX, the queue policy of docs/operations.md. Run in its own JVM by {@link BrokerProcess}: {@code BrokerMain PORT DATA_DIR}.
 */
public final class BrokerMain {
    static final String READY = "Broker ready";

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        File data = new File(args[1]);
        BrokerService broker = new BrokerService();
        broker.setBrokerName("listkeeper-test-broker");
        broker.setUseJmx(false);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(data);
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(new File(data, "kahadb"));
        broker.setPersistenceAdapter(kahaDb);
        broker.setAdvisorySupport(false);
        // as docs/operations.md advises: a page large enough that mail waiting for a retry does not hide ready mail
        org.apache.activemq.broker.region.policy.PolicyEntry queues = new org.apache.activemq.broker.region.policy.PolicyEntry();
        queues.setQueue(">");
        queues.setMaxPageSize(5000);
        queues.setPrioritizedMessages(true);
        org.apache.activemq.broker.region.policy.PolicyMap policies = new org.apache.activemq.broker.region.policy.PolicyMap();
        policies.setDefaultEntry(queues);
        broker.setDestinationPolicy(policies);
        broker.getSystemUsage().getMemoryUsage().setLimit(64L * 1024 * 1024);
        broker.addConnector("tcp://127.0.0.1:" + port);
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
        System.out.println(READY + " on port " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
