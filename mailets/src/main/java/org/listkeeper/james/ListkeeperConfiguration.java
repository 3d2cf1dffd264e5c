package org.listkeeper.james;

import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.listkeeper.InvalidValueException;
import org.listkeeper.list.ListDirectory;
import org.listkeeper.list.AddressPatterns;
import org.listkeeper.unsubscribe.UnsubscribeLinks;
import org.listkeeper.internal.Durations;
import org.listkeeper.store.StoreConfiguration;

/**
 * The deployment-wide settings in {@code conf/listkeeper.properties}: where the list store is and how
 * long the list-address snapshot lives. Unknown keys are refused so a typo does not pass for a default.
 */
public final class ListkeeperConfiguration {
    public static final String FILE_NAME = "listkeeper";
    public static final String DIRECTORY_TTL = "directory.ttl";
    public static final String PARKING_REPOSITORY = "parking.repository";
    public static final String DEFAULT_PARKING_REPOSITORY = "file://var/mail/listkeeper/parked/";
    public static final String HELD_REPOSITORY = "held.repository";
    public static final String DEFAULT_HELD_REPOSITORY = "file://var/mail/listkeeper/held/";
    /** Addresses banned from every list: addresses or ^regular expressions, separated by commas. */
    public static final String BANNED_ADDRESSES = "banned.addresses";
    /** Where the public WebAdmin route {@code /unsubscribe/} is reachable from the Internet (RFC 8058 links). */
    public static final String PUBLIC_BASE_URL = "public.base.url";
    /** Read by the web pages' module ({@code org.listkeeper.web.WebConfiguration}): their port, or {@code off}. */
    public static final String WEB_PORT = "web.port";
    /** Read by the web pages' module: the address they listen on. */
    public static final String WEB_BIND = "web.bind";
    /** How long a domain's DMARC policy is remembered. */
    public static final String DMARC_CACHE = "dmarc.cache";
    /** How often held posts (recovery, expiry, summaries) and bounce-disabled members (probes, warnings) are looked after. */
    public static final String HOUSEKEEPING_INTERVAL = "housekeeping.interval";
    /** {@code true} on the nodes of a cluster (set by the packaged server's {@code --broker}). */
    public static final String CLUSTER = "cluster";
    public static final Duration DEFAULT_HOUSEKEEPING_INTERVAL = Duration.ofMinutes(5);
    /** The processor whose ResumableListMailet serves posts: closed digest issues are handed to it to be delivered. */
    public static final String LIST_PROCESSOR = "list.processor";
    public static final String DEFAULT_LIST_PROCESSOR = "listkeeper";
    private static final Set<String> KEYS;

    static {
        Set<String> keys = new TreeSet<>(StoreConfiguration.KEYS);
        keys.add(DIRECTORY_TTL);
        keys.add(PARKING_REPOSITORY);
        keys.add(HELD_REPOSITORY);
        keys.add(BANNED_ADDRESSES);
        keys.add(PUBLIC_BASE_URL);
        keys.add(DMARC_CACHE);
        keys.add(HOUSEKEEPING_INTERVAL);
        keys.add(CLUSTER);
        keys.add(LIST_PROCESSOR);
        keys.add(WEB_PORT);
        keys.add(WEB_BIND);
        KEYS = Set.copyOf(keys);
    }

    private final StoreConfiguration store;
    private final Duration directoryTtl;
    private final String parkingRepository;
    private final String heldRepository;
    private final AddressPatterns bannedAddresses;
    private final Optional<String> publicBaseUrl;
    private final Duration dmarcCache;
    private final Duration housekeepingInterval;
    private final boolean cluster;
    private final String listProcessor;

    private ListkeeperConfiguration(StoreConfiguration store, Duration directoryTtl, String parkingRepository, String heldRepository,
                                    AddressPatterns bannedAddresses, Optional<String> publicBaseUrl, Duration dmarcCache,
                                    Duration housekeepingInterval, String listProcessor, boolean cluster) {
        this.cluster = cluster;
        this.housekeepingInterval = housekeepingInterval;
        this.listProcessor = listProcessor;
        this.store = store;
        this.directoryTtl = directoryTtl;
        this.parkingRepository = parkingRepository;
        this.heldRepository = heldRepository;
        this.bannedAddresses = bannedAddresses;
        this.publicBaseUrl = publicBaseUrl;
        this.dmarcCache = dmarcCache;
    }

    /**
     * Reads the properties; without {@value StoreConfiguration#JDBC_URL} the store is an H2 file
     * database in {@code defaultDataDirectory}.
     */
    public static ListkeeperConfiguration from(Map<String, String> properties, File defaultDataDirectory) {
        for (String key : properties.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidValueException(FILE_NAME + ".properties", key, "unknown key; known keys are " + String.join(", ", KEYS));
            }
        }
        StoreConfiguration store = properties.containsKey(StoreConfiguration.JDBC_URL)
            ? StoreConfiguration.fromProperties(properties)
            : StoreConfiguration.h2File(defaultDataDirectory.toPath());
        Duration ttl = properties.containsKey(DIRECTORY_TTL)
            ? Durations.parse(DIRECTORY_TTL, properties.get(DIRECTORY_TTL))
            : ListDirectory.DEFAULT_TTL;
        String parking = repository(properties, PARKING_REPOSITORY, DEFAULT_PARKING_REPOSITORY);
        String held = repository(properties, HELD_REPOSITORY, DEFAULT_HELD_REPOSITORY);
        AddressPatterns banned = AddressPatterns.parse(BANNED_ADDRESSES, properties.get(BANNED_ADDRESSES));
        Optional<String> publicBaseUrl = Optional.ofNullable(properties.get(PUBLIC_BASE_URL)).map(String::strip)
            .filter(url -> !url.isEmpty()).map(url -> UnsubscribeLinks.base(PUBLIC_BASE_URL, url).toString());
        Duration dmarcCache = properties.containsKey(DMARC_CACHE)
            ? Durations.parse(DMARC_CACHE, properties.get(DMARC_CACHE))
            : Duration.ofHours(1);
        Duration housekeeping = properties.containsKey(HOUSEKEEPING_INTERVAL)
            ? Durations.parse(HOUSEKEEPING_INTERVAL, properties.get(HOUSEKEEPING_INTERVAL))
            : DEFAULT_HOUSEKEEPING_INTERVAL;
        if (housekeeping.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidValueException(HOUSEKEEPING_INTERVAL, properties.get(HOUSEKEEPING_INTERVAL), "expected at least 1s");
        }
        String listProcessor = properties.getOrDefault(LIST_PROCESSOR, DEFAULT_LIST_PROCESSOR).strip();
        if (!listProcessor.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidValueException(LIST_PROCESSOR, listProcessor, "expected the name of a processor of mailetcontainer.xml");
        }
        String cluster = properties.getOrDefault(CLUSTER, "false").strip();
        if (!cluster.equals("true") && !cluster.equals("false")) {
            throw new InvalidValueException(CLUSTER, cluster, "expected true or false");
        }
        return new ListkeeperConfiguration(store, ttl, parking, held, banned, publicBaseUrl, dmarcCache, housekeeping, listProcessor,
            Boolean.parseBoolean(cluster));
    }

    private static String repository(Map<String, String> properties, String key, String defaultUrl) {
        String url = properties.getOrDefault(key, defaultUrl).strip();
        if (!url.contains("://")) {
            throw new InvalidValueException(key, url, "expected a mail repository URL such as " + defaultUrl);
        }
        return url;
    }

    /** Flattens a commons-configuration object (as James's PropertiesProvider returns it) into strings. */
    public static Map<String, String> flatten(org.apache.commons.configuration2.Configuration configuration) {
        Map<String, String> values = new HashMap<>();
        Iterator<String> keys = configuration.getKeys();
        while (keys.hasNext()) {
            String key = keys.next();
            values.put(key, String.join(",", configuration.getStringArray(key)));
        }
        return values;
    }

    public StoreConfiguration store() {
        return store;
    }

    public Duration directoryTtl() {
        return directoryTtl;
    }

    /** Where held posts wait for a moderator. */
    public String heldRepository() {
        return heldRepository;
    }

    /** Addresses banned from every list of the site. */
    public AddressPatterns bannedAddresses() {
        return bannedAddresses;
    }

    /** The public base URL of one-click unsubscribe links, validated; empty when the route is not exposed. */
    public Optional<String> publicBaseUrl() {
        return publicBaseUrl;
    }

    /** How often held posts and bounce-disabled members are looked after. */
    public Duration housekeepingInterval() {
        return housekeepingInterval;
    }

    /**
     * Whether this James is one node of several on one broker and list store: list delivery then claims each batch
     * attempt in the store before sending, so that two copies of a batch taken by two nodes go out once.
     */
    public boolean cluster() {
        return cluster;
    }

    /** The processor that runs list posts; closed digest issues are handed to it. */
    public String listProcessor() {
        return listProcessor;
    }

    /** How long a domain's DMARC policy is cached. */
    public Duration dmarcCache() {
        return dmarcCache;
    }

    /** Where posts that failed wait for an operator; the mailet and the WebAdmin routes share it. */
    public String parkingRepository() {
        return parkingRepository;
    }
}
