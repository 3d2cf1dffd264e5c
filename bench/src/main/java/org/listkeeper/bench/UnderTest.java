package org.listkeeper.bench;

import java.io.IOException;
import java.util.List;

/** What a benchmark case runs against: one server, or several cluster nodes, read from outside. */
interface UnderTest extends AutoCloseable {
    /** The SMTP ports to post to; posts go to them in turn. */
    List<Integer> smtpPorts();

    /** User + system CPU seconds the Listkeeper servers have used. */
    double cpuSeconds() throws IOException;

    /** Resident set size of the servers together, in MiB. */
    double rssMiB() throws IOException;

    /** Seconds since the (first) server JVM started. */
    double uptimeSeconds();

    /** The largest heap occupancy of any server between two uptimes, in MiB. */
    double peakHeapMiB(double fromUptime, double toUptime) throws IOException;

    boolean outOfMemory() throws IOException;

    /** A WebAdmin PUT to (one of) the servers: its status. */
    int put(String path, String body) throws IOException, InterruptedException;

    /** CPU seconds of the shared broker and database, for a cluster; 0 for one server. */
    default double serviceCpuSeconds() throws IOException {
        return 0;
    }

    /** How many Listkeeper nodes; 0 for the single-node server on its embedded defaults. */
    default int nodes() {
        return 0;
    }
}
