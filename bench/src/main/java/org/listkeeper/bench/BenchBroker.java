package org.listkeeper.bench;

import java.io.File;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * The cluster benchmark's ActiveMQ 5.17 broker, in a JVM of its own as an operator runs one: KahaDB on disk, one
 * OpenWire connector on loopback, a page of 5,000 messages per queue. {@code BenchBroker PORT DATA_DIR}.
 */
public final class BenchBroker {
    static final String READY = "Broker ready";

    private BenchBroker() {
    }

    public static void main(String[] args) throws Exception {
        File data = new File(args[1]);
        BrokerService broker = new BrokerService();
        broker.setBrokerName("listkeeper-bench");
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
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
