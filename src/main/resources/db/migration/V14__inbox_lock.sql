-- Read locks of the inbox, shared by every engine watching it (Camel's
-- JdbcOrphanLockAwareIdempotentRepository): one row per file being ingested, its time renewed by
-- the engine holding it; a row not renewed for the lock's maximum age belongs to a dead engine and
-- the file is taken by another. The key is the SHA-256 of the file's path inside the inbox.
CREATE TABLE inbox_lock (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(100) NOT NULL,
    createdAt     TIMESTAMP    NOT NULL,
    PRIMARY KEY (processorName, messageId)
);
