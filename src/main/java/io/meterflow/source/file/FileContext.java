package io.meterflow.source.file;

import io.meterflow.ingest.TimestampFormats;
import java.time.ZoneId;
import java.util.List;

/**
 * What the parser of one meter file knows besides its bytes: the meter's timezone (for local
 * times when the header names none), the timestamp forms, the column names the meter's config
 * gives its files without a header row (empty: none), and the file's name (a Niagara history
 * export is named after its history).
 */
public record FileContext(ZoneId zone, TimestampFormats formats, List<String> columns, String fileName) {

    public FileContext {
        columns = List.copyOf(columns);
    }

    /** A file of a meter in {@code zone} with default forms, no configured columns and no name. */
    public static FileContext of(ZoneId zone) {
        return new FileContext(zone, TimestampFormats.DEFAULT, List.of(), "");
    }
}
