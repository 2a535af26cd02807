package io.meterflow.app;

import com.zaxxer.hikari.HikariDataSource;
import io.meterflow.analysis.EnergyKpis;
import io.meterflow.api.ApiKeys;
import io.meterflow.api.ConsoleAssets;
import io.meterflow.api.ExportApi;
import io.meterflow.api.FileApi;
import io.meterflow.api.HealthService;
import io.meterflow.api.HttpResponder;
import io.meterflow.api.KpiApi;
import io.meterflow.api.MeterApi;
import io.meterflow.api.ScheduleApi;
import io.meterflow.api.SeriesApi;
import io.meterflow.api.SourcesApi;
import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportJobTable;
import io.meterflow.export.ExportJobs;
import io.meterflow.export.ExportLimits;
import io.meterflow.export.ExportRequestParser;
import io.meterflow.export.schedule.ExportRunTable;
import io.meterflow.export.schedule.ExportsFile;
import io.meterflow.export.schedule.HttpDelivery;
import io.meterflow.export.schedule.ScheduledExports;
import io.meterflow.ingest.SampleWriter;
import io.meterflow.ingest.SeriesRegistrar;
import io.meterflow.ingest.TimestampFormats;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SignalKindRules;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.MetersFile;
import io.meterflow.source.eniscope.EniscopeChannels;
import io.meterflow.source.eniscope.EniscopeFile;
import io.meterflow.source.eniscope.EniscopePoller;
import io.meterflow.source.eniscope.EniscopeReferences;
import io.meterflow.source.file.DoneFolder;
import io.meterflow.source.file.FileIngestor;
import io.meterflow.source.file.IngestedFiles;
import io.meterflow.source.file.RejectedFiles;
import io.meterflow.source.niagara.NiagaraHistories;
import io.meterflow.source.niagara.http.NiagaraHttpFile;
import io.meterflow.source.niagara.http.NiagaraHttpPoller;
import io.meterflow.source.niagara.http.NiagaraHttpWatermarks;
import io.meterflow.source.niagara.mqtt.FrameIngestor;
import io.meterflow.source.niagara.mqtt.MqttHistorySubscriber;
import io.meterflow.source.niagara.mqtt.MqttSessions;
import io.meterflow.source.niagara.mqtt.NiagaraFrames;
import io.meterflow.store.Database;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.EngineHeartbeats;
import io.meterflow.store.EngineIdentity;
import io.meterflow.store.MeterStats;
import io.meterflow.store.MeterTable;
import io.meterflow.store.RawRetention;
import io.meterflow.store.SampleStore;
import io.meterflow.store.SeriesCatalog;
import io.meterflow.store.StoreAvailability;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of the engine once, from its settings, in the order
 * of the flow (store, the shared write path, the sources, exports, the HTTP handlers). Camel
 * routes reach the parts as beans bound by {@link CamelWiring}; the command-line tools use them
 * directly. Closing it stops the background work and the database pool.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineSettings settings;
    private final HikariDataSource dataSource;
    private final MeterRegistry registry;
    private final MeterTable meterTable;
    private final SampleStore store;
    private final SeriesCatalog catalog;
    private final DeadLetters deadLetters;
    private final StoreAvailability availability;
    private final EngineHeartbeats heartbeats;
    private final SampleWriter writer;
    private final RawRetention rawRetention;
    private final FileIngestor fileIngestor;
    private final DoneFolder doneFolder;
    private final NiagaraHistories niagaraHistories;
    private final FrameIngestor niagaraFrames;
    private final MqttHistorySubscriber mqttSubscriber;
    private final MqttSessions mqttSessions;
    private final NiagaraHttpPoller niagaraHttpPoller;
    private final EniscopePoller eniscopePoller;
    private final CompositeExport compositeExport;
    private final ExportJobs exportJobs;
    private final ScheduledExports scheduledExports;
    private final MeterStats meterStats;
    private final Api api;

    /** The HTTP handlers. */
    public record Api(
            ApiKeys keys,
            HttpResponder responder,
            HealthService health,
            MeterApi meters,
            SeriesApi series,
            KpiApi kpis,
            FileApi files,
            ExportApi exports,
            ScheduleApi schedules,
            SourcesApi sources,
            ConsoleAssets console) {}

    private Engine(EngineSettings settings, Metrics metrics) {
        this.settings = settings;
        EngineSettings.Meters meters = settings.meters();
        MetersFile.Contents contents = MetersFile.read(meters.file(), meters.defaultZone());
        EngineSettings.Database db = settings.database();
        this.dataSource = Database.open(
                db.url(),
                db.user(),
                db.password(),
                db.poolSize(),
                db.connectTimeoutMillis(),
                settings.ingest().lockTimeoutMillis());
        try {
            // the store and the meter registry
            this.meterTable = new MeterTable(dataSource);
            this.registry = new MeterRegistry(
                    contents.meters(), meters.defaultZone(), new SignalKindRules(contents.kindRules()));
            for (Meter meter : contents.meters()) {
                meterTable.save(meter, "config");
            }
            registry.restore(meterTable.discovered(meters.defaultZone()));
            registry.onRegistered(meter -> meterTable.save(meter, "discovered"));
            registry.readThrough(id -> meterTable.discovered(id, meters.defaultZone()));
            this.store = new SampleStore(dataSource);
            this.rawRetention =
                    new RawRetention(dataSource, store.partitions(), store, db.rawRetentionDays(), Clock.systemUTC());
            this.catalog = new SeriesCatalog(dataSource);
            this.deadLetters = new DeadLetters(dataSource, settings.ingest().deadLettersMax());
            Clock clock = Clock.systemUTC();
            this.heartbeats = new EngineHeartbeats(dataSource, EngineIdentity.current(), clock);
            heartbeats.start();
            this.availability = new StoreAvailability(dataSource, clock);

            // the shared write path and the sources
            this.writer = new SampleWriter(
                    registry, catalog, store, settings.ingest().writeAttempts(), availability, metrics);
            IngestedFiles ledger = new IngestedFiles(dataSource);
            SeriesRegistrar seriesRegistrar = new SeriesRegistrar(registry, catalog);
            TimestampFormats timestampFormats = TimestampFormats.of(
                    settings.timestamps().patterns(), settings.timestamps().locales());
            this.fileIngestor = new FileIngestor(
                    settings.ingest().inbox(),
                    registry,
                    writer,
                    ledger,
                    availability,
                    seriesRegistrar,
                    timestampFormats,
                    metrics);
            // before any route can move a file into inbox/.done
            this.doneFolder = new DoneFolder(
                    settings.ingest().inbox(),
                    ledger,
                    Database.embedded(settings.database().url()));
            doneFolder.takeStopMark();
            this.niagaraHistories = new NiagaraHistories(registry, writer, seriesRegistrar);
            this.niagaraFrames = new FrameIngestor(
                    registry, niagaraHistories, deadLetters, availability, new NiagaraFrames(settings.frameKeys()));
            this.mqttSubscriber = new MqttHistorySubscriber(settings.mqtt());
            this.mqttSessions =
                    new MqttSessions(heartbeats, mqttSubscriber, settings.mqtt().clientId());
            EngineSettings.NiagaraHttp niagaraHttp = settings.niagaraHttp();
            NiagaraHttpWatermarks niagaraWatermarks = new NiagaraHttpWatermarks(dataSource);
            this.niagaraHttpPoller = new NiagaraHttpPoller(
                    NiagaraHttpFile.read(niagaraHttp.file(), niagaraHttp.cron()),
                    niagaraHistories,
                    niagaraWatermarks,
                    deadLetters,
                    clock,
                    timestampFormats,
                    metrics);
            EngineSettings.Eniscope eniscope = settings.eniscope();
            EniscopeChannels eniscopeChannels = new EniscopeChannels(dataSource);
            EniscopeReferences eniscopeReferences = new EniscopeReferences(dataSource);
            this.eniscopePoller = new EniscopePoller(
                    EniscopeFile.read(eniscope.file(), eniscope.cron()),
                    registry,
                    writer,
                    eniscopeChannels,
                    eniscopeReferences,
                    deadLetters,
                    clock,
                    eniscope.attempts(),
                    eniscope.backoffMillis(),
                    seriesRegistrar,
                    metrics);

            // exports
            EngineSettings.Export ex = settings.export();
            ExportRequestParser parser = new ExportRequestParser(
                    registry, new ExportLimits(ex.maxRange(), ex.maxRangeAtOneSecond(), ex.maxMeters()), clock);
            this.compositeExport = new CompositeExport(store, catalog);
            this.exportJobs = new ExportJobs(
                    new ExportJobTable(dataSource),
                    parser,
                    compositeExport,
                    heartbeats,
                    ex.dir(),
                    ex.workers(),
                    ex.maxQueued(),
                    ex.retention(),
                    metrics);
            exportJobs.start();
            EngineSettings.Schedule sc = settings.schedule();
            this.scheduledExports = new ScheduledExports(
                    ExportsFile.read(sc.exportsFile(), registry),
                    compositeExport,
                    new ExportRunTable(dataSource, heartbeats),
                    new HttpDelivery(sc.httpAttempts(), sc.httpBackoffMillis()),
                    sc.outbox(),
                    ex.dir().resolve("scheduled"),
                    clock,
                    metrics);

            // the HTTP handlers
            this.meterStats = new MeterStats(dataSource);
            MeterApi meterApi = new MeterApi(registry, catalog, meterStats, ledger, clock);
            SeriesApi seriesApi = new SeriesApi(meterApi, catalog, store, ex.maxRange());
            this.api = new Api(
                    new ApiKeys(settings.api().keys()),
                    new HttpResponder(),
                    new HealthService(
                            meterTable,
                            store,
                            deadLetters,
                            heartbeats,
                            availability,
                            settings.mqtt().enabled() ? mqttSubscriber : null,
                            settings.mqtt().enabled() ? mqttSessions : null,
                            watchedFolders(settings),
                            settings.api().minFreeBytes(),
                            clock),
                    meterApi,
                    seriesApi,
                    new KpiApi(meterApi, seriesApi, catalog, new EnergyKpis(store)),
                    new FileApi(ledger, new RejectedFiles(settings.ingest().inbox()), registry),
                    new ExportApi(
                            parser,
                            compositeExport,
                            exportJobs,
                            ex.dir().resolve("tmp"),
                            ex.syncConcurrency(),
                            ex.syncMemoryBytes()),
                    new ScheduleApi(scheduledExports),
                    new SourcesApi(
                            deadLetters,
                            niagaraFrames,
                            eniscopePoller,
                            eniscopeChannels,
                            eniscopeReferences,
                            settings.mqtt().enabled() ? mqttSubscriber : null,
                            niagaraHttpPoller,
                            niagaraWatermarks,
                            eniscope.enabled(),
                            niagaraHttp.enabled()),
                    new ConsoleAssets());
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        LOG.debug(
                "engine ready meters={} database={} inbox={}",
                contents.meters().size(),
                db.url(),
                settings.ingest().inbox());
    }

    /** The folders the engine writes to: exports, outbox, inbox and the embedded database's. */
    private static List<Path> watchedFolders(EngineSettings settings) {
        List<Path> folders = new ArrayList<>(List.of(
                settings.export().dir(),
                settings.schedule().outbox(),
                settings.ingest().inbox()));
        Path file = Database.embeddedPath(settings.database().url());
        if (file != null) {
            Path parent = file.getParent();
            folders.add(parent == null ? Path.of(".") : parent);
        }
        return folders;
    }

    /** An engine that reports no metrics (the command-line tools). */
    public static Engine start(EngineSettings settings) {
        return new Engine(settings, Metrics.NONE);
    }

    public static Engine start(EngineSettings settings, Metrics metrics) {
        return new Engine(settings, metrics);
    }

    public MeterStats meterStats() {
        return meterStats;
    }

    public EngineSettings settings() {
        return settings;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Takes in the meters other engines registered since; how many were new. */
    public int refreshMeters() {
        return registry.restore(meterTable.discovered(registry.defaultZone()));
    }

    public MeterTable meterTable() {
        return meterTable;
    }

    public SampleStore store() {
        return store;
    }

    public SeriesCatalog catalog() {
        return catalog;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public StoreAvailability availability() {
        return availability;
    }

    public EngineHeartbeats heartbeats() {
        return heartbeats;
    }

    public SampleWriter writer() {
        return writer;
    }

    public FileIngestor fileIngestor() {
        return fileIngestor;
    }

    public DoneFolder doneFolder() {
        return doneFolder;
    }

    public NiagaraHistories niagaraHistories() {
        return niagaraHistories;
    }

    public FrameIngestor niagaraFrames() {
        return niagaraFrames;
    }

    public RawRetention rawRetention() {
        return rawRetention;
    }

    public MqttSessions mqttSessions() {
        return mqttSessions;
    }

    public MqttHistorySubscriber mqttSubscriber() {
        return mqttSubscriber;
    }

    public NiagaraHttpPoller niagaraHttpPoller() {
        return niagaraHttpPoller;
    }

    public EniscopePoller eniscopePoller() {
        return eniscopePoller;
    }

    public CompositeExport compositeExport() {
        return compositeExport;
    }

    public ExportJobs exportJobs() {
        return exportJobs;
    }

    public ScheduledExports scheduledExports() {
        return scheduledExports;
    }

    public Api api() {
        return api;
    }

    @Override
    public void close() {
        availability.close();
        api.health().close();
        mqttSubscriber.close();
        writer.close();
        exportJobs.close();
        heartbeats.close();
        Database.close(dataSource);
    }
}
