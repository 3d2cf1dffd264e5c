package org.listkeeper.james;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * This James node's name: {@code listkeeper.node} (which the packaged server sets from {@code --node-id}), else the
 * host name.
 */
public final class NodeName {
    /** The system property naming the node. */
    public static final String PROPERTY = "listkeeper.node";
    private static final String HOLDER = name() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);

    private NodeName() {
    }

    public static String name() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** This JVM among the nodes: its name, process id and a random part, so two JVMs never share it. */
    static String holder() {
        return HOLDER;
    }
}
