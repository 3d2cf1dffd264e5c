package org.listkeeper.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.listkeeper.InvalidValueException;

import org.listkeeper.internal.Durations;
/**
 * How to reach the list store: a JDBC URL for H2 ({@code jdbc:h2:…}) or PostgreSQL
 * ({@code jdbc:postgresql:…}), credentials and pool limits. Parsed once, validated completely.
 */
public final class StoreConfiguration {
    public static final String JDBC_URL = "jdbc.url";
    public static final String JDBC_USERNAME = "jdbc.username";
    public static final String JDBC_PASSWORD = "jdbc.password";
    public static final String POOL_SIZE = "jdbc.pool.size";
    public static final String CONNECTION_TIMEOUT = "jdbc.connectionTimeout";
    public static final Set<String> KEYS = Set.of(JDBC_URL, JDBC_USERNAME, JDBC_PASSWORD, POOL_SIZE, CONNECTION_TIMEOUT);

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /** The databases the store runs on. */
    public enum Dialect {
        H2("jdbc:h2:", "org.h2.Driver"), POSTGRESQL("jdbc:postgresql:", "org.postgresql.Driver");

        private final String urlPrefix;
        private final String driverClassName;

        Dialect(String urlPrefix, String driverClassName) {
            this.urlPrefix = urlPrefix;
            this.driverClassName = driverClassName;
        }

        public String driverClassName() {
            return driverClassName;
        }
    }

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final Dialect dialect;

    private StoreConfiguration(String jdbcUrl, String username, String password, int poolSize, Duration connectionTimeout) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.poolSize = poolSize;
        this.connectionTimeout = connectionTimeout;
        this.dialect = dialectOf(jdbcUrl);
    }

    public static StoreConfiguration of(String jdbcUrl, String username, String password, int poolSize, Duration connectionTimeout) {
        if (poolSize < 1 || poolSize > 1000) {
            throw new InvalidValueException(POOL_SIZE, String.valueOf(poolSize), "expected 1 to 1000");
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new InvalidValueException(CONNECTION_TIMEOUT, connectionTimeout.toString(), "expected at least 250ms");
        }
        return new StoreConfiguration(Objects.requireNonNull(jdbcUrl), username, password, poolSize, connectionTimeout);
    }

    /**
     * An embedded H2 file database under {@code directory}. Every commit is written at once
     * ({@code WRITE_DELAY=0}): idempotency records must survive the process being killed.
     */
    public static StoreConfiguration h2File(Path directory) {
        return of("jdbc:h2:file:" + directory.toAbsolutePath().resolve("listkeeper") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
            "sa", "", DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * Reads {@value #JDBC_URL} (required), {@value #JDBC_USERNAME}, {@value #JDBC_PASSWORD},
     * {@value #POOL_SIZE} and {@value #CONNECTION_TIMEOUT} (like {@code 5s}, {@code 500ms}).
     */
    public static StoreConfiguration fromProperties(Map<String, String> properties) {
        String url = Optional.ofNullable(properties.get(JDBC_URL)).map(String::strip).filter(s -> !s.isEmpty())
            .orElseThrow(() -> new InvalidValueException(JDBC_URL, "", "a JDBC URL is required (jdbc:h2:… or jdbc:postgresql:…)"));
        int poolSize;
        String pool = properties.getOrDefault(POOL_SIZE, String.valueOf(DEFAULT_POOL_SIZE)).strip();
        try {
            poolSize = Integer.parseInt(pool);
        } catch (NumberFormatException e) {
            throw new InvalidValueException(POOL_SIZE, pool, "expected a whole number");
        }
        Duration timeout = Optional.ofNullable(properties.get(CONNECTION_TIMEOUT))
            .map(value -> Durations.parse(CONNECTION_TIMEOUT, value))
            .orElse(DEFAULT_CONNECTION_TIMEOUT);
        return of(url, properties.get(JDBC_USERNAME), properties.get(JDBC_PASSWORD), poolSize, timeout);
    }

    private static Dialect dialectOf(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (Dialect dialect : Dialect.values()) {
            if (lower.startsWith(dialect.urlPrefix)) {
                return dialect;
            }
        }
        throw new InvalidValueException(JDBC_URL, url, "unsupported database; expected jdbc:h2:… or jdbc:postgresql:…");
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String toString() {
        return "StoreConfiguration{" + jdbcUrl + ", pool " + poolSize + ", timeout " + connectionTimeout + "}";
    }
}
