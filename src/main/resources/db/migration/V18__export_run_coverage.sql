-- Per scheduled run: the share of the file's bins that hold data, over its meters (bins with data
-- of each meter, summed, over rows x meters), in percent; null for runs before it was recorded.
ALTER TABLE export_run ADD COLUMN coverage_percent DOUBLE PRECISION;
