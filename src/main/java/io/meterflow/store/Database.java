package io.meterflow.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The pooled DataSource, migrated to the current schema by Flyway before first use. A commit is
 * on disk when it returns, on H2 as on PostgreSQL: H2 writes committed changes in the background
 * after up to half a second unless told otherwise, and a crash in that half second lost data that
 * had been acknowledged (a file moved to {@code .done}, an MQTT frame acknowledged).
 */
public final class Database {

    private Database() {}

    /**
     * {@code connectTimeoutMillis}: how long a caller waits for a connection before it fails;
     * {@code lockTimeoutMillis}: how long a statement waits for rows another transaction holds.
     */
    public static HikariDataSource open(
            String url, String user, String password, int poolSize, long connectTimeoutMillis, long lockTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(durable(url));
        config.setConnectionInitSql(
                url.startsWith("jdbc:h2:")
                        ? "SET LOCK_TIMEOUT " + lockTimeoutMillis
                        : "SET lock_timeout = " + lockTimeoutMillis);
        config.setConnectionTimeout(connectTimeoutMillis);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("meterflow");
        HikariDataSource ds = new HikariDataSource(config);
        try {
            migrate(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return ds;
    }

    /**
     * Whether {@code url} is an H2 database opened inside this process (a file or memory), which no
     * other engine can share; an H2 server ({@code jdbc:h2:tcp:}, {@code jdbc:h2:ssl:}) and
     * PostgreSQL can be shared.
     */
    public static boolean embedded(String url) {
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    /** The URL with H2's write delay off (each commit written before it returns); other URLs as they are. */
    static String durable(String url) {
        if (!url.startsWith("jdbc:h2:")
                || url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")) {
            return url;
        }
        return url + ";WRITE_DELAY=0";
    }

    static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                // the shared migrations, and each database's own where they differ (PostgreSQL partitions)
                .locations("classpath:db/migration", "classpath:db/vendor/{vendor}")
                .load()
                .migrate();
    }
}
