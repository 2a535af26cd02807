package io.meterflow.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code check-config}: checks the routes folder, every setting and every configuration file as
 * the engine would at start, without starting it or opening the database; prints what is fine and
 * each problem on a line naming the file or key.
 */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        description = "Checks the settings and every configuration file (meters.yaml, exports.yaml, eniscope.yaml,"
                + " niagara-http.yaml) without starting the engine.",
        footer = {
            "",
            "Meters known only from the database (discovered at run time) are not known here: exports.yaml",
            "should name meters of meters.yaml.",
            "Exit codes: 0 all valid, 1 a problem (each on a line of standard error), 2 bad command line."
        })
final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    LaunchOptions launch;

    @Override
    public Integer call() {
        Path home = Home.resolve();
        ConfigCheck.Result result = ConfigCheck.run(home);
        result.fine().forEach(line -> System.out.println("ok " + line));
        result.problems().forEach(line -> System.err.println("problem " + line));
        System.out.println(
                result.ok()
                        ? "config is valid"
                        : "config has " + result.problems().size() + " problem(s)");
        return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
