package io.meterflow.series;

/** One value of one signal at one instant (epoch milliseconds, UTC). */
public record Sample(long epochMillis, double value) {}
