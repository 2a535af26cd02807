package io.meterflow.app;

import com.zaxxer.hikari.HikariDataSource;
import io.meterflow.api.ApiKeys;
import io.meterflow.api.ExportApi;
import io.meterflow.api.HealthService;
import io.meterflow.api.HttpResponder;
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
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SignalKindRules;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.MetersFile;
import io.meterflow.source.eniscope.EniscopeChannels;
import io.meterflow.source.eniscope.EniscopeFile;
import io.meterflow.source.eniscope.EniscopePoller;
import io.meterflow.source.eniscope.EniscopeReferences;
import io.meterflow.source.file.FileIngestor;
import io.meterflow.source.file.IngestedFiles;
import io.meterflow.source.niagara.NiagaraHistories;
import io.meterflow.source.niagara.http.NiagaraHttpFile;
import io.meterflow.source.niagara.http.NiagaraHttpPoller;
import io.meterflow.source.niagara.http.NiagaraHttpWatermarks;
import io.meterflow.source.niagara.mqtt.FrameIngestor;
import io.meterflow.source.niagara.mqtt.MqttHistorySubscriber;
import io.meterflow.store.Database;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.MeterStats;
import io.meterflow.store.MeterTable;
import io.meterflow.store.SampleStore;
import io.meterflow.store.ScheduleClaims;
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
    private final ScheduleClaims scheduleClaims;
    private final FileIngestor fileIngestor;
    private final NiagaraHistories niagaraHistories;
    private final FrameIngestor niagaraFrames;
    private final MqttHistorySubscriber mqttSubscriber;
    private final NiagaraHttpPoller niagaraHttpPoller;
    private final EniscopePoller eniscopePoller;
    private final CompositeExport compositeExport;
    private final ExportJobs exportJobs;
    private final ScheduledExports scheduledExports;
    private final Api api;

    /** The HTTP handlers. */
    public record Api(
            ApiKeys keys,
            HttpResponder responder,
            HealthService health,
            MeterApi meters,
            SeriesApi series,
            ExportApi exports,
            ScheduleApi schedules,
            SourcesApi sources) {}

    private Engine(EngineSettings settings) {
        this.settings = settings;
        EngineSettings.Meters meters = settings.meters();
        MetersFile.Contents contents = MetersFile.read(meters.file(), meters.defaultZone());
        EngineSettings.Database db = settings.database();
        this.dataSource = Database.open(db.url(), db.user(), db.password(), db.poolSize(), db.connectTimeoutMillis());
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
            this.store = new SampleStore(dataSource, settings.ingest().lockTimeoutMillis());
            this.catalog = new SeriesCatalog(dataSource);
            this.deadLetters = new DeadLetters(dataSource, settings.ingest().deadLettersMax());
            this.scheduleClaims = new ScheduleClaims(dataSource);
            Clock clock = Clock.systemUTC();
            this.availability = new StoreAvailability(dataSource, clock);

            // the shared write path and the sources
            SampleWriter writer =
                    new SampleWriter(registry, catalog, store, settings.ingest().writeAttempts(), availability);
            IngestedFiles ledger = new IngestedFiles(dataSource);
            this.fileIngestor = new FileIngestor(settings.ingest().inbox(), registry, writer, ledger, availability);
            this.niagaraHistories = new NiagaraHistories(registry, writer);
            this.niagaraFrames = new FrameIngestor(registry, niagaraHistories, deadLetters, availability);
            this.mqttSubscriber = new MqttHistorySubscriber(settings.mqtt());
            EngineSettings.NiagaraHttp niagaraHttp = settings.niagaraHttp();
            this.niagaraHttpPoller = new NiagaraHttpPoller(
                    NiagaraHttpFile.read(niagaraHttp.file(), niagaraHttp.cron()),
                    niagaraHistories,
                    new NiagaraHttpWatermarks(dataSource),
                    deadLetters,
                    clock);
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
                    eniscope.backoffMillis());

            // exports
            EngineSettings.Export ex = settings.export();
            ExportRequestParser parser =
                    new ExportRequestParser(registry, new ExportLimits(ex.maxRange(), ex.maxRangeAtOneSecond()));
            this.compositeExport = new CompositeExport(store, catalog);
            this.exportJobs = new ExportJobs(
                    new ExportJobTable(dataSource),
                    parser,
                    compositeExport,
                    ex.dir(),
                    ex.workers(),
                    ex.maxQueued(),
                    ex.retention());
            EngineSettings.Schedule sc = settings.schedule();
            this.scheduledExports = new ScheduledExports(
                    ExportsFile.read(sc.exportsFile(), registry),
                    compositeExport,
                    new ExportRunTable(dataSource),
                    scheduleClaims,
                    new HttpDelivery(sc.httpAttempts(), sc.httpBackoffMillis()),
                    sc.outbox(),
                    ex.dir().resolve("scheduled"),
                    clock);

            // the HTTP handlers
            MeterApi meterApi = new MeterApi(registry, catalog, new MeterStats(dataSource), ledger);
            this.api = new Api(
                    new ApiKeys(settings.api().keys()),
                    new HttpResponder(),
                    new HealthService(
                            meterTable,
                            store,
                            deadLetters,
                            availability,
                            settings.mqtt().enabled() ? mqttSubscriber : null,
                            watchedFolders(settings),
                            settings.api().minFreeBytes(),
                            clock),
                    meterApi,
                    new SeriesApi(meterApi, catalog, store, ex.maxRange()),
                    new ExportApi(parser, compositeExport, exportJobs, ex.dir().resolve("tmp"), ex.syncConcurrency()),
                    new ScheduleApi(scheduledExports),
                    new SourcesApi(deadLetters, niagaraFrames, eniscopePoller, eniscopeChannels, eniscopeReferences));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        LOG.info(
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
        String url = settings.database().url();
        if (url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:")) {
            String file = url.substring("jdbc:h2:".length()).split(";", 2)[0].replaceFirst("^file:", "");
            Path parent = Path.of(file).getParent();
            folders.add(parent == null ? Path.of(".") : parent);
        }
        return folders;
    }

    public static Engine start(EngineSettings settings) {
        return new Engine(settings);
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

    public ScheduleClaims scheduleClaims() {
        return scheduleClaims;
    }

    public FileIngestor fileIngestor() {
        return fileIngestor;
    }

    public NiagaraHistories niagaraHistories() {
        return niagaraHistories;
    }

    public FrameIngestor niagaraFrames() {
        return niagaraFrames;
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
        exportJobs.close();
        dataSource.close();
    }
}
