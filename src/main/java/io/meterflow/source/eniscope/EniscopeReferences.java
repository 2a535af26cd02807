package io.meterflow.source.eniscope;

import io.meterflow.store.KeyedRows;
import io.meterflow.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The Eniscope reference tables {@code eniscope_organization} and {@code eniscope_device}: what
 * discovery found per account, refreshed on every discovery.
 */
public final class EniscopeReferences {

    /** An organization; {@code parentId} null at the top of what the account sees. */
    public record Organization(String id, String name, String parentId, String timeZone) {}

    /** A device (an Eniscope meter box); {@code registered} and {@code expires} in epoch seconds. */
    public record Device(
            String id,
            String name,
            String uuid,
            String typeId,
            String typeName,
            String organizationId,
            String timeZone,
            String status,
            Long registered,
            Long expires) {}

    private final DataSource ds;

    public EniscopeReferences(DataSource ds) {
        this.ds = ds;
    }

    public void save(String account, Organization o) {
        try (Connection c = ds.getConnection()) {
            KeyedRows.save(
                    c,
                    "eniscope_organization",
                    KeyedRows.columns("account", account, "organization_id", o.id()),
                    KeyedRows.columns(
                            "name",
                            o.name(),
                            "parent_id",
                            o.parentId(),
                            "time_zone",
                            o.timeZone(),
                            "updated_at",
                            Timestamp.from(Instant.now())));
        } catch (SQLException e) {
            throw new StoreException("cannot save eniscope organization " + o.id(), e);
        }
    }

    public void save(String account, Device d) {
        try (Connection c = ds.getConnection()) {
            KeyedRows.save(
                    c,
                    "eniscope_device",
                    KeyedRows.columns("account", account, "device_id", d.id()),
                    KeyedRows.columns(
                            "name",
                            d.name(),
                            "uuid",
                            d.uuid(),
                            "device_type_id",
                            d.typeId(),
                            "device_type_name",
                            d.typeName(),
                            "organization_id",
                            d.organizationId(),
                            "time_zone",
                            d.timeZone(),
                            "status",
                            d.status(),
                            "registered",
                            d.registered(),
                            "expires",
                            d.expires(),
                            "updated_at",
                            Timestamp.from(Instant.now())));
        } catch (SQLException e) {
            throw new StoreException("cannot save eniscope device " + d.id(), e);
        }
    }

    public List<Organization> organizations(String account) {
        List<Organization> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT organization_id, name, parent_id, time_zone FROM eniscope_organization"
                                + " WHERE account = ? ORDER BY organization_id")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Organization(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read eniscope organizations", e);
        }
        return out;
    }

    public List<Device> devices(String account) {
        List<Device> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT device_id, name, uuid,"
                        + " device_type_id, device_type_name, organization_id, time_zone, status, registered, expires"
                        + " FROM eniscope_device WHERE account = ? ORDER BY device_id")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Device(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getObject(9, Long.class),
                            rs.getObject(10, Long.class)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read eniscope devices", e);
        }
        return out;
    }
}
