package io.meterflow.app;

import io.meterflow.settings.PropertyFile;
import io.meterflow.settings.Setting;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.camel.main.Main;

/**
 * Starts the engine (Camel Main with the YAML routes of {@code routes/}), or runs one of the
 * commands: {@code import <dir> --meter <id>} and {@code generate <dir> ...}.
 */
public final class MeterflowApplication {

    /** The external file comes first: the first location that has a key wins. */
    public static final String PROPERTY_LOCATIONS =
            "file:config/application.properties;optional=true,classpath:application.properties;optional=true";

    private MeterflowApplication() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("import")) {
            System.exit(ImportCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("simulate-niagara")) {
            System.exit(SimulateNiagaraCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("generate")) {
            System.exit(GenerateCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Main main = new Main();
        main.configure().addConfiguration(CamelWiring.class);
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        String keys =
                PropertyFile.lookup(Path.of("config/application.properties")).apply(Setting.API_KEYS.key());
        if (keys == null || keys.isBlank()) {
            // an open API is served on this machine only
            main.addInitialProperty("camel.server.host", "127.0.0.1");
        }
        main.run(args);
    }
}
