package io.meterflow.app;

import io.meterflow.store.StoreAvailability;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz's clustered JDBC job store (JobStoreTX) on the engine's own database, for every schedule
 * (exports, source polls): triggers and fires are rows of the {@code qrtz_*} tables, so with several
 * engines on one database each fire runs on exactly one of them, and the job an engine was running
 * when it died is run again by another one (the routes' jobs request recovery) within about
 * {@link #CHECKIN_MILLIS} plus Quartz's 7.5 s of grace. An embedded H2 database is a cluster of one:
 * the same store, so a fire cut short by a crash is run again at the next start.
 */
final class QuartzJobStore {

    /** How often each engine checks in; an engine silent for longer (plus grace) has failed. */
    static final long CHECKIN_MILLIS = 5_000;

    private QuartzJobStore() {}

    /**
     * The properties of the scheduler: one scheduler name shared by every engine (the cluster),
     * {@code instanceId} naming this engine, the job store on {@code ds}.
     */
    static Map<String, Object> properties(DataSource ds, StoreAvailability availability, String instanceId) {
        String dataSource = "meterflow-" + instanceId;
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new PooledConnections(ds, availability));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("org.quartz.scheduler.instanceName", "meterflow");
        p.put("org.quartz.scheduler.instanceId", instanceId);
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        p.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.put("org.quartz.threadPool.threadCount", "4");
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        // reads the job data as bytes: right for PostgreSQL's BYTEA and H2's binary columns alike
        p.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.put("org.quartz.jobStore.dataSource", dataSource);
        p.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", Long.toString(CHECKIN_MILLIS));
        p.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.put("org.quartz.jobStore.misfireThreshold", "10000");
        return p;
    }

    /**
     * The engine's pool as Quartz's connection provider; the pool is the engine's to close. A
     * connection the database refuses is an outage like any writer's (logged once, on /health);
     * Quartz's own log of it is turned off (log4j2.properties).
     */
    private record PooledConnections(DataSource ds, StoreAvailability availability) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            try {
                return ds.getConnection();
            } catch (SQLException e) {
                availability.failed(e);
                throw e;
            }
        }

        @Override
        public void shutdown() {}

        @Override
        public void initialize() {}
    }
}
