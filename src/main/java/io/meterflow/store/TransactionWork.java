package io.meterflow.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows of a source's own (a file's ledger entry, a watermark) written in the same transaction as
 * its samples, so that both are committed or neither. It may run more than once, each time in a
 * new transaction, when a transaction is tried again.
 */
@FunctionalInterface
public interface TransactionWork {
    void run(Connection transaction) throws SQLException;
}
