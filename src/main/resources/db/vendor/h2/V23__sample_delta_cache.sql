-- As V21 for the ledger: H2 commits a sequence's state every CACHE values, and live frames append
-- a row of sample_delta each.
ALTER TABLE sample_delta ALTER COLUMN id SET CACHE 4096;
