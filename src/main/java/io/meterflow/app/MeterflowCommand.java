package io.meterflow.app;

import io.meterflow.api.HealthService;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code meterflow}: the engine's command line. Without a command it runs the engine
 * ({@code meterflow run}); every command has {@code --help}, takes {@code -Dkey=value} settings and
 * {@code --home DIR}, and exits 0 (done), 1 (failed, one line says why) or 2 (bad command line).
 */
@Command(
        name = "meterflow",
        mixinStandardHelpOptions = true,
        versionProvider = MeterflowCommand.Version.class,
        description = "Energy-data integration and ETL engine: meter files, Eniscope and Niagara into one store,"
                + " composite CSVs out.",
        subcommands = {
            RunCommand.class,
            ImportCommand.class,
            GenerateCommand.class,
            SimulateNiagaraCommand.class,
            ReingestCommand.class,
            BackfillCommand.class,
            CheckConfigCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Without a command: run. Every command takes -Dkey=value settings, --home DIR and --help.",
            "Exit codes: 0 done, 1 failed (one line on standard error says why), 2 bad command line.",
            "Settings and files: docs/configuration.md; commands: docs/operations.md."
        })
final class MeterflowCommand implements Runnable {

    /** The version printed by {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"meterflow " + HealthService.VERSION};
        }
    }

    @Override
    public void run() {
        // no command: the engine, with the defaults of run
    }

    /** The command line for {@code command}: usage errors exit 2 with the problem and the usage. */
    static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(
                (e, line, parsed) -> StartupFailure.report(line.getCommandName(), e, System.err));
        cli.setErr(new PrintWriter(System.err, true));
        return cli;
    }

    /** Runs {@code args}: the command they name, or the engine ({@code run} and its options) when they name none. */
    static int execute(String[] args) {
        CommandLine cli = commandLine(new MeterflowCommand());
        boolean named = args.length > 0
                && (cli.getSubcommands().containsKey(args[0])
                        || List.of("-h", "--help", "-V", "--version").contains(args[0]));
        return named ? cli.execute(args) : commandLine(new RunCommand()).execute(args);
    }
}
