package io.meterflow.series;

import java.util.regex.Pattern;

/** Meter ids name folders, URLs and database keys, so they are kept to a safe alphabet. */
public final class MeterId {

    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]+");

    private MeterId() {}

    /** @return null when {@code id} is a valid meter id, else the reason it is not. */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "meter id is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "meter id is longer than " + MAX_LENGTH + " characters";
        }
        if (!VALID.matcher(id).matches()) {
            return "meter id '" + id + "' may hold only letters, digits, '_' and '-'";
        }
        return null;
    }

    public static String require(String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return id;
    }
}
