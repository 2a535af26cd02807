package io.meterflow.app;

/**
 * The entry point: {@code meterflow [command] [options]} ({@link MeterflowCommand}); without a
 * command it runs the engine ({@link RunCommand}). Tests start the engine through this class too
 * ({@code @CamelMainTest(mainClass = MeterflowApplication.class)} finds {@link CamelWiring} in
 * its package).
 */
public final class MeterflowApplication {

    private MeterflowApplication() {}

    public static void main(String[] args) {
        System.exit(MeterflowCommand.execute(args));
    }
}
