package io.meterflow.app;

/** The exit codes of every command (docs/operations.md lists them). */
final class ExitCodes {

    /** Done, or the engine stopped normally. */
    static final int OK = 0;

    /** It failed, and one line on standard error says why: a setting, a file, the database, the port, rejected files, a failed run. */
    static final int FAILED = 1;

    /** The command line was wrong (an unknown option, a missing argument): the usage is printed. */
    static final int USAGE = 2;

    private ExitCodes() {}
}
