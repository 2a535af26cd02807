package io.meterflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariDataSource;

import io.meterflow.config.EngineSettings;
import io.meterflow.config.MetersFile;
import io.meterflow.ingest.FileIngestor;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SignalKindRules;
import io.meterflow.store.Database;
import io.meterflow.store.IngestedFiles;
import io.meterflow.store.MeterTable;
import io.meterflow.store.SampleStore;
import io.meterflow.store.SeriesCatalog;

/**
 * The engine's parts, wired once: the database, the meter registry and the ingestion path.
 * Camel routes reach them as beans; the command-line tools use them directly.
 */
public final class Meterflow implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Meterflow.class);

    private final EngineSettings settings;
    private final HikariDataSource dataSource;
    private final MeterRegistry registry;
    private final MeterTable meterTable;
    private final SampleStore store;
    private final FileIngestor ingestor;

    private Meterflow(EngineSettings settings) {
        this.settings = settings;
        MetersFile.Contents contents = MetersFile.read(settings.metersFile(), settings.defaultZone());
        this.dataSource = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize());
        this.meterTable = new MeterTable(dataSource);
        this.registry = new MeterRegistry(contents.meters(), settings.defaultZone(), new SignalKindRules(contents.kindRules()));
        for (Meter meter : contents.meters()) {
            meterTable.save(meter, "config");
        }
        registry.onRegistered(meter -> meterTable.save(meter, "discovered"));
        this.store = new SampleStore(dataSource, settings.lockTimeoutMillis());
        this.ingestor = new FileIngestor(settings.inbox(), registry, new SeriesCatalog(dataSource), store,
                new IngestedFiles(dataSource));
        LOG.info("engine ready meters={} database={} inbox={}", contents.meters().size(), settings.dbUrl(),
                settings.inbox());
    }

    public static Meterflow start(EngineSettings settings) {
        return new Meterflow(settings);
    }

    public EngineSettings settings() {
        return settings;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public MeterTable meterTable() {
        return meterTable;
    }

    public SampleStore store() {
        return store;
    }

    public FileIngestor ingestor() {
        return ingestor;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
