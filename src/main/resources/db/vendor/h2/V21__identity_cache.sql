-- H2 writes a sequence's state and commits it (with WRITE_DELAY=0: a chunk written to the file)
-- every CACHE values: at the default of 32, one extra commit every 32 files ingested or letters
-- dead-lettered, a fifth of the writer's time for a year of small files. Values are handed out in
-- order within the database whatever the cache; a crash leaves a gap in the ids, nothing else.
ALTER TABLE ingested_file ALTER COLUMN id SET CACHE 4096;
ALTER TABLE dead_letter ALTER COLUMN id SET CACHE 4096;
