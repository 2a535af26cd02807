package io.meterflow.source.niagara;

import io.meterflow.ingest.SampleWriter;
import io.meterflow.ingest.SeriesRegistrar;
import io.meterflow.ingest.SignalDescription;
import io.meterflow.series.EnergyKind;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterId;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SlotPath;
import io.meterflow.series.Unit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stores Niagara history rows, whichever way they came (MQTT frames, oBIX, history CSVs): a station
 * becomes a meter (its name made a valid meter id), a history a series keyed by its escaped name
 * within the station, with the decoded name as display name and the payload's unit (energy and
 * power converted to kWh and kW; an energy history is a counter when its values never fall);
 * each row's status goes to the companion series {@code <history>#status} (Niagara status bits,
 * 0 = ok), and a row without status adds nothing there. The rows of one call are committed before
 * it returns.
 */
public final class NiagaraHistories {

    private final MeterRegistry registry;
    private final SampleWriter writer;
    private final SeriesRegistrar series;

    public NiagaraHistories(MeterRegistry registry, SampleWriter writer, SeriesRegistrar series) {
        this.registry = registry;
        this.writer = writer;
        this.series = series;
    }

    /** Stores the rows of one history of a station; the samples written. */
    public long store(String station, String historyId, List<HistoryRow> rows) {
        return store(station, historyId, rows, null);
    }

    /** Stores the rows of one history of a station, whose payload names {@code unit}; the samples written. */
    public long store(String station, String historyId, List<HistoryRow> rows, String unit) {
        return store(registry.findOrRegister(meterId(station)), new History(station, historyId, rows, unit));
    }

    /** Stores one history for its station's meter; the samples written. */
    public long store(Meter meter, History h) {
        String signal = signal(h.station(), h.historyId());
        String display = SlotPath.unescape(signal);
        Unit unit = Unit.of(h.unit());
        double[] values = new double[h.rows().size()];
        List<HistoryRow> inTime = new ArrayList<>(h.rows());
        inTime.sort(Comparator.comparingLong(HistoryRow::millis));
        for (int i = 0; i < values.length; i++) {
            values[i] = unit == null
                    ? inTime.get(i).value()
                    : unit.convert(inTime.get(i).value());
        }
        if (values.length > 0) {
            series.register(
                    meter,
                    signal,
                    new SignalDescription(
                            unit == null ? null : unit.symbol(),
                            unit != null && unit.energy() ? EnergyKind.of(values, values.length) : null,
                            display.equals(signal) ? null : display));
        }
        return writer.write(meter, batch -> {
                    batch.columns(new String[] {signal, signal + "#status"});
                    batch.displayNames(new String[] {display.equals(signal) ? null : display, null});
                    double[] row = new double[2];
                    for (HistoryRow r : h.rows()) {
                        row[0] = unit == null ? r.value() : unit.convert(r.value());
                        row[1] = r.status() == HistoryRow.NO_STATUS ? Double.NaN : r.status();
                        batch.row(r.millis(), row);
                    }
                })
                .samples();
    }

    /** A station name as a meter id: characters other than letters, digits, '_' and '-' become '_'. */
    public static String meterId(String station) {
        String id = station.trim().replaceAll("[^A-Za-z0-9_-]", "_");
        return id.length() > MeterId.MAX_LENGTH ? id.substring(0, MeterId.MAX_LENGTH) : id;
    }

    /** The history id within its station: {@code /AmsShop/1st$20Floor/Temp} → {@code 1st$20Floor/Temp}. */
    static String signal(String station, String historyId) {
        String id = historyId.startsWith("/") ? historyId.substring(1) : historyId;
        for (String prefix : new String[] {station + "/", SlotPath.escape(station) + "/"}) {
            if (id.startsWith(prefix) && id.length() > prefix.length()) {
                return id.substring(prefix.length());
            }
        }
        return id;
    }
}
