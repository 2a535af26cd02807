package io.meterflow.app;

import io.meterflow.settings.ConfigException;
import io.meterflow.settings.Setting;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * A start (or a command) that cannot go on, as one line naming the problem and its fix; the stack
 * trace only with {@code meterflow.debug=true}. What the engine checks before it starts (the
 * routes, settings, files, port, folders, database) fails with its own line; anything later is
 * described from the exception that stopped it.
 */
final class StartupFailure extends RuntimeException {

    StartupFailure(String line) {
        super(line);
    }

    StartupFailure(String line, Throwable cause) {
        super(line, cause);
    }

    /** Prints {@code failure} as one line (and its trace when debugging) and answers the exit code. */
    static int report(String command, Throwable failure, PrintStream err) {
        err.println("meterflow " + command + ": " + line(failure));
        if (debug()) {
            failure.printStackTrace(err);
        }
        return ExitCodes.FAILED;
    }

    static boolean debug() {
        String v = System.getProperty(Setting.DEBUG.key(), System.getenv(Setting.DEBUG.environmentVariable()));
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    /** The one line for a failure: the innermost cause that says what is wrong, with what to do. */
    static String line(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupFailure || t instanceof ConfigException) {
                return firstLine(t.getMessage()) + (t instanceof ConfigException ? " - fix it, then start again" : "");
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("database may be already in use") || lower.contains("locked by another process")) {
                return "the database is in use by another process (a running engine): stop the engine first"
                        + " (or use the running engine's inbox)";
            }
            if (t instanceof SQLException sql) {
                return "the database cannot be opened (" + Setting.DB_URL.key() + "): " + firstLine(sql.getMessage())
                        + " - check that it runs and the URL, user and " + Setting.DB_PASSWORD.environmentVariable()
                        + " are right";
            }
            if (t instanceof AccessDeniedException) {
                return "permission denied: " + message + " - make it writable for this user, or point the setting"
                        + " elsewhere";
            }
            if (t instanceof NoSuchFileException) {
                return "file or folder not found: " + message;
            }
            if (lower.contains("address already in use")) {
                return "the HTTP port is in use (another engine running?): stop it, or choose another port with"
                        + " -Dcamel.server.port=N";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return firstLine(root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    /** The first line of a message (a YAML parser's error runs over several, with a snippet). */
    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }
}
