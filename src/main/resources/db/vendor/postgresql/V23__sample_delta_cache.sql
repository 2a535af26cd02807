-- H2 only (see db/vendor/h2): a PostgreSQL sequence's cache is per connection, which would hand out
-- ids out of the order the rows were appended in; their order is the order they are folded in.
SELECT 1;
