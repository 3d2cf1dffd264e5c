package org.listkeeper.server;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.listkeeper.InvalidValueException;
import org.listkeeper.unsubscribe.UnsubscribeLinks;

/**
 * The server's options: each a flag ({@code --data DIR} or {@code --data=DIR}) and an environment variable
 * ({@code LISTKEEPER_DATA}); a flag wins over the variable.
 */
final class ServerOptions {
    static final String USAGE = String.join("\n",
        "Usage: listkeeper [options]",
        "  --data DIR            data directory: queues, repositories, list store, generated conf (default ./var)",
        "  --bind ADDR           address SMTP, WebAdmin and the web pages listen on (default 127.0.0.1)",
        "  --smtp-port N         SMTP port (default 2525)",
        "  --webadmin-port N     WebAdmin port (default 8000)",
        "  --web-port N          public web pages port (default 8080; off for none)",
        "  --relay HOST:PORT     send all outbound mail through this smarthost (default: direct MX delivery)",
        "  --conf DIR            James configuration files overriding the bundled ones",
        "  --jdbc-url URL        list store on PostgreSQL (jdbc:postgresql://…) instead of the embedded H2",
        "  --public-url URL      where visitors reach the web pages (links in confirmations, one-click unsubscribe)",
        "  --broker URL          cluster mode: queues on this external ActiveMQ broker (e.g. failover:(tcp://10.0.0.5:61616))",
        "                        instead of the embedded one; needs --jdbc-url on PostgreSQL, shared by every node",
        "  --node-id NAME        this node's name in every log line and its leases (default: the host name)",
        "  --help                this text",
        "Each option can also be set as an environment variable: LISTKEEPER_DATA, LISTKEEPER_BIND, …",
        "The JVM heap is bounded (-Xmx512m from the listkeeper script); change it with LISTKEEPER_JAVA_OPTS=-Xmx2g.");

    private static final java.util.regex.Pattern BROKER = java.util.regex.Pattern.compile(
        "(?:(?:tcp|ssl|nio|nio\\+ssl)://[^\\s,()]+|failover:\\((?:tcp|ssl|nio|nio\\+ssl)://[^\\s()]+\\)(?:\\?\\S*)?|failover:(?:tcp|ssl)://\\S+)");
    private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("data", "./var");
        DEFAULTS.put("bind", "127.0.0.1");
        DEFAULTS.put("smtp-port", "2525");
        DEFAULTS.put("webadmin-port", "8000");
        DEFAULTS.put("web-port", "8080");
        DEFAULTS.put("relay", null);
        DEFAULTS.put("conf", null);
        DEFAULTS.put("jdbc-url", null);
        DEFAULTS.put("public-url", null);
        DEFAULTS.put("broker", null);
        DEFAULTS.put("node-id", null);
    }

    /** A host and port, as given to {@code --relay}. */
    static final class HostPort {
        final String host;
        final int port;

        HostPort(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    final Path data;
    final String bind;
    final int smtpPort;
    final int webAdminPort;
    /** The web pages' port, or empty for none ({@code --web-port off}). */
    final java.util.OptionalInt webPort;
    final Optional<HostPort> relay;
    final Optional<Path> conf;
    final Optional<String> jdbcUrl;
    final Optional<String> publicUrl;
    /** The external broker of cluster mode; empty for the embedded one. */
    final Optional<String> broker;
    final String nodeId;
    final boolean help;

    private ServerOptions(Map<String, String> values, boolean help) throws StartupException {
        this.help = help;
        this.data = Paths.get(values.get("data")).toAbsolutePath().normalize();
        this.bind = values.get("bind").strip();
        this.smtpPort = port("smtp-port", values.get("smtp-port"));
        this.webAdminPort = port("webadmin-port", values.get("webadmin-port"));
        this.webPort = values.get("web-port").strip().equalsIgnoreCase("off") ? java.util.OptionalInt.empty()
            : java.util.OptionalInt.of(port("web-port", values.get("web-port")));
        this.relay = Optional.ofNullable(values.get("relay")).map(String::strip).filter(v -> !v.isEmpty()).isPresent()
            ? Optional.of(hostPort(values.get("relay").strip())) : Optional.empty();
        this.conf = Optional.ofNullable(values.get("conf")).filter(v -> !v.isBlank()).map(v -> Paths.get(v).toAbsolutePath());
        this.jdbcUrl = Optional.ofNullable(values.get("jdbc-url")).map(String::strip).filter(v -> !v.isEmpty());
        this.publicUrl = Optional.ofNullable(values.get("public-url")).map(String::strip).filter(v -> !v.isEmpty());
        this.broker = Optional.ofNullable(values.get("broker")).map(String::strip).filter(v -> !v.isEmpty());
        this.nodeId = nodeId(values.get("node-id"));
        if (broker.isPresent()) {
            checkCluster(broker.get(), jdbcUrl);
        }
        if (publicUrl.isPresent()) {
            try {
                UnsubscribeLinks.base("--public-url", publicUrl.get());
            } catch (InvalidValueException e) {
                throw new StartupException(e.getMessage(), 2);
            }
        }
    }

    static ServerOptions parse(String[] args, Map<String, String> environment) throws StartupException {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (String name : DEFAULTS.keySet()) {
            String variable = "LISTKEEPER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            if (environment.containsKey(variable)) {
                values.put(name, environment.get(variable));
            }
        }
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new StartupException("Unexpected argument '" + arg + "' (see --help)", 2);
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else {
                if (i + 1 >= args.length) {
                    throw new StartupException("Option --" + name + " needs a value (see --help)", 2);
                }
                value = args[++i];
            }
            if (!DEFAULTS.containsKey(name)) {
                throw new StartupException("Unknown option --" + name + " (see --help)", 2);
            }
            values.put(name, value);
        }
        return new ServerOptions(values, help);
    }

    /**
     * Cluster mode shares everything but the queues through the list store, so it needs one every node reaches: a
     * PostgreSQL, never the embedded H2 of one node's data directory.
     */
    private static void checkCluster(String broker, Optional<String> jdbcUrl) throws StartupException {
        if (!BROKER.matcher(broker).matches()) {
            throw new StartupException("Invalid --broker '" + broker + "': expected tcp://HOST:PORT, ssl://HOST:PORT or"
                + " failover:(tcp://HOST:PORT,…)", 2);
        }
        if (jdbcUrl.isEmpty()) {
            throw new StartupException("--broker needs --jdbc-url jdbc:postgresql://HOST:PORT/DATABASE: every node of a cluster"
                + " keeps its lists, records, held and parked posts in one PostgreSQL", 2);
        }
        if (!jdbcUrl.get().startsWith("jdbc:postgresql:")) {
            throw new StartupException("--broker needs --jdbc-url on PostgreSQL (jdbc:postgresql://HOST:PORT/DATABASE), not "
                + jdbcUrl.get().replaceFirst("^(jdbc:[^:]+:).*", "$1…") + ": an H2 store lives on one node only", 2);
        }
    }

    private static String nodeId(String value) throws StartupException {
        String id = value == null || value.isBlank() ? hostName() : value.strip();
        if (!NODE_ID.matcher(id).matches()) {
            throw new StartupException("Invalid --node-id '" + id + "': letters, digits, '.', '-' and '_' only, at most 64", 2);
        }
        return id;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (java.net.UnknownHostException e) {
            return "node";
        }
    }

    private static int port(String option, String value) throws StartupException {
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new StartupException("Invalid --" + option + " '" + value + "': expected a port from 1 to 65535", 2);
        }
    }

    private static HostPort hostPort(String value) throws StartupException {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new StartupException("Invalid --relay '" + value + "': expected HOST:PORT", 2);
        }
        return new HostPort(value.substring(0, colon), port("relay", value.substring(colon + 1)));
    }
}
