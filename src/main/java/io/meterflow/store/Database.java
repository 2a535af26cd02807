package io.meterflow.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooled DataSource, migrated to the current schema by Flyway before first use. A commit is
 * on disk when it returns, on H2 as on PostgreSQL: H2 writes committed changes in the background
 * after up to half a second unless told otherwise, and a crash in that half second lost data that
 * had been acknowledged (a file moved to {@code .done}, an MQTT frame acknowledged).
 */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

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

    /**
     * The URL with H2's write delay off (each commit written before it returns) and, for an
     * embedded database, without H2's own close at JVM exit; other URLs as they are. H2's exit hook
     * closed the database while the engine was still stopping, before {@link #close} could compact
     * it (the trace said "Database is already closed"): the engine closes it itself, and a JVM that
     * ends without that close leaves it as a kill does, every commit on disk.
     */
    static String durable(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase(Locale.ROOT);
        String out = upper.contains("WRITE_DELAY") ? url : url + ";WRITE_DELAY=0";
        return embedded(url) && !upper.contains("DB_CLOSE_ON_EXIT") ? out + ";DB_CLOSE_ON_EXIT=FALSE" : out;
    }

    /**
     * Closes the pool. An embedded H2 file database is compacted first: with every commit written
     * at once H2 runs no background housekeeping, so the pages that later commits replaced stay in
     * the file while the engine runs (about half of it after a month of imports). {@code SHUTDOWN
     * COMPACT} rewrites the live pages into a new file and then replaces the old one, so a kill
     * during it leaves the old file as it was.
     */
    public static void close(HikariDataSource ds) {
        Path file = embeddedFile(ds.getJdbcUrl());
        if (file != null && !ds.isClosed()) {
            long before = size(file);
            long t0 = System.nanoTime();
            Connection c = null;
            try {
                c = ds.getConnection();
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN COMPACT");
                }
                LOG.info(
                        "database compacted file={} bytes={} -> {} ms={}",
                        file,
                        before,
                        size(file),
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (SQLException | RuntimeException e) {
                if (size(file) == before) {
                    LOG.warn("database not compacted at stop: {}", StoreException.reason(e));
                }
            } finally {
                if (c != null) {
                    ds.evictConnection(c); // the shutdown closed it; evicting does not touch it again
                }
            }
        }
        ds.close();
    }

    /**
     * The file path of an H2 file database this process opens itself, as the URL names it (without
     * H2's {@code .mv.db}), or null for an in-memory or server H2 and for other databases.
     */
    public static Path embeddedPath(String url) {
        if (!embedded(url) || url.startsWith("jdbc:h2:mem:")) {
            return null;
        }
        return Path.of(url.substring("jdbc:h2:".length()).split(";", 2)[0].replaceFirst("^file:", ""));
    }

    /** The .mv.db file of an embedded H2 file database opened by this process alone, or null. */
    static Path embeddedFile(String url) {
        Path path = embeddedPath(url);
        if (path == null || url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE")) {
            return null;
        }
        return path.resolveSibling(path.getFileName() + ".mv.db");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                // the shared migrations, and each database's own where they differ (PostgreSQL partitions)
                .locations("classpath:db/migration", "classpath:db/vendor/" + vendor(ds))
                // databases made before the vendor folder was read lack its versions below the latest
                // shared one: they run now, after it (each is written to run in either order)
                .outOfOrder(true)
                .load()
                .migrate();
    }

    /** The folder of the database's own migrations: {@code h2} or {@code postgresql}. */
    static String vendor(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            return product.contains("postgres") ? "postgresql" : product.contains("h2") ? "h2" : product;
        } catch (SQLException e) {
            throw new StoreException("cannot tell which database this is", e);
        }
    }
}
