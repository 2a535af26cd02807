-- A job's stored request (its known fields only) may name up to meterflow.export.max-meters meters.
ALTER TABLE export_job ALTER COLUMN request SET DATA TYPE VARCHAR(16384);
