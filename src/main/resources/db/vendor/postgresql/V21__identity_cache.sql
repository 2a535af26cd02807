-- H2 only (see db/vendor/h2): PostgreSQL's sequences cost little per value, and a cache there is
-- per connection, which would hand out ids out of time order (the ledger lists files by id).
SELECT 1;
