package io.meterflow.series;

/**
 * One output column of a resampled table: which input series (by index) it reads and how.
 * {@code delta} columns hold a counter's interval energy instead of an aggregate.
 */
public record ResampleColumn(String header, int series, Aggregation aggregation, boolean delta) {}
