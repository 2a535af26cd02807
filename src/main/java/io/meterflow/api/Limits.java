package io.meterflow.api;

/** The {@code limit} query parameter of the list endpoints. */
final class Limits {

    private Limits() {}

    /** {@code text} as a whole number from 1 to {@code max}; {@code fallback} when absent; else 400 {@code INVALID_LIMIT}. */
    static int parse(String text, int fallback, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > max) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit must be a whole number from 1 to " + max);
        }
        return n;
    }
}
