package io.meterflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariDataSource;

import java.time.Duration;

import io.meterflow.api.ApiKeys;
import io.meterflow.api.ExportApi;
import io.meterflow.api.MeterApi;
import io.meterflow.api.ScheduleApi;
import io.meterflow.api.SeriesApi;
import io.meterflow.config.EngineSettings;
import io.meterflow.config.EniscopeFile;
import io.meterflow.config.ExportsFile;
import io.meterflow.config.MetersFile;
import io.meterflow.config.NiagaraHttpFile;
import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportJobs;
import io.meterflow.export.ExportLimits;
import io.meterflow.export.ExportRequestParser;
import io.meterflow.export.HttpDelivery;
import io.meterflow.export.ScheduledExports;
import io.meterflow.ingest.EniscopePoller;
import io.meterflow.ingest.FileIngestor;
import io.meterflow.ingest.NiagaraHistories;
import io.meterflow.ingest.NiagaraHttpPoller;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SignalKindRules;
import io.meterflow.store.Database;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.EniscopeChannels;
import io.meterflow.store.EniscopeReferences;
import io.meterflow.store.ExportJobTable;
import io.meterflow.store.ExportRunTable;
import io.meterflow.store.IngestedFiles;
import io.meterflow.store.MeterStats;
import io.meterflow.store.MeterTable;
import io.meterflow.store.NiagaraHttpWatermarks;
import io.meterflow.store.SampleStore;
import io.meterflow.store.ScheduleClaims;
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
    private final ExportJobs exportJobs;
    private final MeterApi meterApi;
    private final ExportApi exportApi;
    private final ApiKeys apiKeys;
    private final SeriesApi seriesApi;
    private final ScheduledExports scheduledExports;
    private final DeadLetters deadLetters;
    private final NiagaraHistories niagaraHistories;
    private final EniscopePoller eniscopePoller;
    private final NiagaraHttpPoller niagaraHttpPoller;

    private Meterflow(EngineSettings settings) {
        this.settings = settings;
        MetersFile.Contents contents = MetersFile.read(settings.metersFile(), settings.defaultZone());
        this.dataSource = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize());
        this.meterTable = new MeterTable(dataSource);
        this.registry = new MeterRegistry(contents.meters(), settings.defaultZone(), new SignalKindRules(contents.kindRules()));
        for (Meter meter : contents.meters()) {
            meterTable.save(meter, "config");
        }
        registry.restore(meterTable.discovered(settings.defaultZone()));
        registry.onRegistered(meter -> meterTable.save(meter, "discovered"));
        this.store = new SampleStore(dataSource, settings.lockTimeoutMillis());
        SeriesCatalog catalog = new SeriesCatalog(dataSource);
        this.ingestor = new FileIngestor(settings.inbox(), registry, catalog, store, new IngestedFiles(dataSource));
        this.deadLetters = new DeadLetters(dataSource);
        this.niagaraHistories = new NiagaraHistories(registry, catalog, store, deadLetters);
        this.eniscopePoller = new EniscopePoller(EniscopeFile.read(settings.eniscopeFile()), registry, catalog, store,
                new EniscopeChannels(dataSource), new EniscopeReferences(dataSource), deadLetters, java.time.Clock.systemUTC(),
                4, 2000);
        this.niagaraHttpPoller = new NiagaraHttpPoller(NiagaraHttpFile.read(settings.niagaraHttpFile()), niagaraHistories,
                new NiagaraHttpWatermarks(dataSource), deadLetters, java.time.Clock.systemUTC());
        EngineSettings.Export ex = settings.export();
        ExportRequestParser parser = new ExportRequestParser(registry,
                new ExportLimits(Duration.ofDays(ex.maxRangeDays()), Duration.ofDays(ex.maxRangeDaysAtOneSecond())));
        CompositeExport export = new CompositeExport(store, catalog);
        this.exportJobs = new ExportJobs(new ExportJobTable(dataSource), parser, export, ex.dir(), ex.workers(),
                ex.maxQueued(), Duration.ofHours(ex.retentionHours()));
        this.meterApi = new MeterApi(registry, catalog, new MeterStats(dataSource));
        this.exportApi = new ExportApi(parser, export, exportJobs, ex.dir().resolve("tmp"), ex.syncConcurrency());
        this.apiKeys = new ApiKeys(settings.apiKeys());
        this.seriesApi = new SeriesApi(meterApi, catalog, store, Duration.ofDays(ex.maxRangeDays()));
        EngineSettings.Schedule sc = settings.schedule();
        this.scheduledExports = new ScheduledExports(ExportsFile.read(sc.exportsFile(), registry), export,
                new ExportRunTable(dataSource), new ScheduleClaims(dataSource),
                new HttpDelivery(sc.httpAttempts(), sc.httpBackoffMillis()), sc.outbox(), ex.dir().resolve("scheduled"),
                java.time.Clock.systemUTC());
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

    public ExportJobs exportJobs() {
        return exportJobs;
    }

    public MeterApi meterApi() {
        return meterApi;
    }

    public ExportApi exportApi() {
        return exportApi;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public NiagaraHttpPoller niagaraHttpPoller() {
        return niagaraHttpPoller;
    }

    public EniscopePoller eniscopePoller() {
        return eniscopePoller;
    }

    public NiagaraHistories niagaraHistories() {
        return niagaraHistories;
    }

    public ScheduleApi scheduleApi() {
        return new ScheduleApi(scheduledExports);
    }

    public ScheduledExports scheduledExports() {
        return scheduledExports;
    }

    public SeriesApi seriesApi() {
        return seriesApi;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    @Override
    public void close() {
        exportJobs.close();
        dataSource.close();
    }
}
