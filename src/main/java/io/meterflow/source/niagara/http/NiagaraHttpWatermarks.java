package io.meterflow.source.niagara.http;

import io.meterflow.store.KeyedRows;
import io.meterflow.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Per station and history: the time (epoch millis) of the newest record stored from HTTP polling. */
public final class NiagaraHttpWatermarks {

    private final DataSource ds;

    public NiagaraHttpWatermarks(DataSource ds) {
        this.ds = ds;
    }

    public Long get(String station, String history) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT watermark FROM niagara_http_watermark WHERE station = ? AND history = ?")) {
            ps.setString(1, station);
            ps.setString(2, history);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read niagara watermark", e);
        }
    }

    public void set(String station, String history, long watermark) {
        try (Connection c = ds.getConnection()) {
            KeyedRows.save(
                    c,
                    "niagara_http_watermark",
                    KeyedRows.columns("station", station, "history", history),
                    KeyedRows.columns("watermark", watermark));
        } catch (SQLException e) {
            throw new StoreException("cannot save niagara watermark", e);
        }
    }
}
