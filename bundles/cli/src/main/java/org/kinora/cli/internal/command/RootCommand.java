package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;

import org.kinora.cli.internal.Services;
import org.kinora.core.KinoraException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kinora}: the top-level command and its subcommands. */
@Command(name = "kinora", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = {"AI effects for Shotcut and Kdenlive projects.",
                "Kinora reads your editor's project, runs an effect on a clip, writes the result as new media in kinora-media/"
                        + " beside the project and updates the project non-destructively (the original stays in the bin).",
                "'kinora generate' makes a new clip from a text prompt and puts it on a new track."},
        subcommands = {EffectsCommand.class, InfoCommand.class, ApplyCommand.class, DemoCommand.class, BenchmarkCommand.class,
                ModelsCommand.class, ServeCommand.class, PreviewCommand.class, PoseCommand.class, GenerateCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  kinora demo",
                "  kinora info my-edit.mlt",
                "  kinora effects",
                "  kinora models list",
                "  kinora serve --port 8000",
                "  kinora apply edit.mlt --clip V1:2 --effect style-transfer --set style=pencil",
                "  kinora apply film.kdenlive --clip V2:1 --effect style-transfer \\",
                "      --mode overlay --out film-styled.kdenlive",
                "  kinora preview edit.mlt --clip V1:2 --effect style-transfer --set style=paint --at 1.5 --out look.png",
                "  kinora generate edit.mlt --prompt \"a red ball rolls to the left\" --at 4",
                "  kinora pose extract dance.mp4 --out dance-pose.json"})
public final class RootCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the exit code: 0 done, 1 failed, 2 bad usage, 130 cancelled. */
    public static int run(Services services, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RootCommand(), new Factory(services));
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        listEffectsInApplyHelp(cl.getSubcommands().get("apply"), services);
        listEffectsInApplyHelp(cl.getSubcommands().get("preview"), services);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof KinoraException) {
                err.println("kinora: error: " + ex.getMessage());
                return 1;
            }
            if (ex instanceof InterruptedException) {
                err.println("kinora: interrupted");
                return 130;
            }
            err.println("kinora: internal error: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("kinora: " + ex.getMessage());
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return 2;
        });
        return cl.execute(args);
    }

    /** The effects and their parameters come from the running services, so apply's help shows what is installed now. */
    private static void listEffectsInApplyHelp(CommandLine apply, Services services) {
        java.util.List<String> footer = new java.util.ArrayList<>(java.util.List.of("", "Installed effects (--effect) and their parameters (--set):"));
        for (var e : services.effects().all()) {
            for (String line : EffectsCommand.describe(e.info()).split("\n")) {
                footer.add("  " + line);
            }
        }
        if (services.effects().all().isEmpty()) {
            footer.add("  none");
        }
        apply.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    }

    /** Creates commands with the services injected. */
    private record Factory(Services services) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(Services.class);
                return c.newInstance(services);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    /** Version from the bundle manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RootCommand.class.getPackage().getImplementationVersion();
            return new String[] {"kinora " + (v == null ? "0.1.0-SNAPSHOT" : v), "Java " + System.getProperty("java.version")};
        }
    }
}
