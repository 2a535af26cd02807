package io.meterflow.app;

import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.PropertyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reingest FILE... | --all [--meter ID]}: moves rejected files from {@code inbox/.error} back
 * into the inbox (same place below it) and deletes their {@code .reason}, so the running engine
 * reads them again, e.g. after a fix to meters.yaml. Works whether the engine runs or not.
 */
@Command(
        name = "reingest",
        mixinStandardHelpOptions = true,
        description = "Moves files from inbox/.error back into the inbox to be ingested again (by the running"
                + " engine, or at its next start).",
        footer = {
            "",
            "FILE is a path under inbox/.error (inbox/.error/ecc38a217ccc/x.csv), or relative to it (ecc38a217ccc/x.csv).",
            "Exit codes: 0 moved, 1 a file is not in inbox/.error or cannot be moved, 2 bad command line."
        })
final class ReingestCommand implements Callable<Integer> {

    @Mixin
    LaunchOptions launch;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "rejected files to ingest again")
    List<Path> files = new ArrayList<>();

    @Option(names = "--all", description = "every file in inbox/.error (of --meter, when given)")
    boolean all;

    @Option(names = "--meter", paramLabel = "ID", description = "with --all: only this meter's files")
    String meter;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (all == !files.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "name the files to reingest, or give --all");
        }
        try {
            Path home = Home.resolve();
            Path inbox = EngineSettings.from(PropertyFile.lookup(Home.propertiesFile(home)))
                    .ingest()
                    .inbox()
                    .toAbsolutePath()
                    .normalize();
            Path errors = inbox.resolve(".error");
            List<Path> chosen = all ? rejected(errors.resolve(meter == null ? "" : meter)) : named(errors);
            int moved = 0;
            for (Path file : chosen) {
                Path relative = errors.relativize(file);
                Path target = inbox.resolve(relative);
                Files.createDirectories(target.getParent());
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".reason"));
                System.out.println("reingest " + relative + " -> " + home.relativize(target));
                moved++;
            }
            System.out.println("reingest finished files=" + moved);
            return ExitCodes.OK;
        } catch (Exception e) {
            return StartupFailure.report("reingest", e, System.err);
        }
    }

    private List<Path> named(Path errors) {
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            Path absolute = f.toAbsolutePath().normalize();
            Path file =
                    absolute.startsWith(errors) ? absolute : errors.resolve(f).normalize();
            if (!file.startsWith(errors)
                    || !Files.isRegularFile(file)
                    || file.toString().endsWith(".reason")) {
                throw new StartupFailure("not a rejected file in " + errors + ": " + f);
            }
            out.add(file);
        }
        return out;
    }

    private static List<Path> rejected(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".reason"))
                    .sorted()
                    .toList();
        }
    }
}
