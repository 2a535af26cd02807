package io.meterflow.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** A database operation failed. */
public class StoreException extends RuntimeException {

    /**
     * SQL states meaning the database cannot take writes now, whatever is written: PostgreSQL's
     * shutdown and start-up states, a read-only transaction, full disk or memory; H2's read-only,
     * closed or I/O failure codes.
     */
    private static final Set<String> UNAVAILABLE = Set.of(
            "57P01", "57P02", "57P03", "25006", "53100", "53200", "53300", "90097", "90098", "90028", "90031", "90020");

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when the failure is the database's, not the data's: it is not reachable, refuses
     * connections, is shutting down, is read-only or out of space. Writing the same thing again
     * later can succeed.
     */
    public boolean unavailable() {
        return unavailable(this);
    }

    /** The same test for any failure, by its SQL states and connection exception types. */
    public static boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException e) {
                String state = e.getSQLState();
                if (state != null && (state.startsWith("08") || UNAVAILABLE.contains(state))) {
                    return true;
                }
                if (e.getMessage() != null && e.getMessage().contains("has been closed")) {
                    return true; // the pool of a stopping engine
                }
            }
        }
        return false;
    }

    /** The innermost message: what the database said. */
    public String reason() {
        return reason(this);
    }

    /** The innermost message of any failure, its first line. */
    public static String reason(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
