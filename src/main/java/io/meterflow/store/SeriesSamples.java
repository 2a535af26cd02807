package io.meterflow.store;

/** New samples of one series within one hour: sorted by time, one value per timestamp. */
public record SeriesSamples(long seriesId, long[] millis, double[] values, int count) {}
