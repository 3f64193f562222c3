package org.kinora.inference.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelSource;
import org.kinora.core.inference.ModelStoreException;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * A {@link ModelCard} as {@code card.json}: pretty-printed, tensor types as protocol names ({@code "FP32"}), shapes as
 * arrays. Reading checks every field (type, presence, id rule, hashes, relative paths that stay inside the model's
 * folder, no unknown fields) so that a broken card is reported with its file and the field at fault, never half-read.
 */
public final class CardJson {

    /** The card's file name inside a model folder. */
    public static final String FILE = "card.json";

    /** Cards are small; anything larger is not a card. */
    static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> CARD_FIELDS = Set.of("id", "task", "format", "description", "files", "inputs", "outputs",
            "processing", "license", "licenseFile", "noticeFile", "source", "memoryBytes");

    private CardJson() {
    }

    /** The card as pretty-printed JSON. */
    public static String write(ModelCard card) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", card.id());
        o.put("task", card.task());
        o.put("format", card.format());
        o.put("description", card.description());
        ArrayNode files = o.putArray("files");
        for (ModelFile f : card.files()) {
            files.addObject().put("path", f.path()).put("sha256", f.sha256()).put("bytes", f.bytes());
        }
        tensors(o.putArray("inputs"), card.inputs());
        tensors(o.putArray("outputs"), card.outputs());
        o.put("processing", card.processing());
        o.put("license", card.license());
        o.put("licenseFile", card.licenseFile());
        o.put("noticeFile", card.noticeFile());
        ModelSource s = card.source();
        o.putObject("source").put("registry", s.registry()).put("coordinates", s.coordinates()).put("upstream", s.upstream());
        o.put("memoryBytes", card.memoryBytes());
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write card " + card.id(), e); // a tree of plain values always writes
        }
    }

    private static void tensors(ArrayNode a, List<TensorSpec> specs) {
        for (TensorSpec t : specs) {
            ObjectNode n = a.addObject().put("name", t.name()).put("datatype", t.type().protocolName());
            ArrayNode shape = n.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
        }
    }

    /** Writes the card to {@code folder/card.json}. */
    public static void write(ModelCard card, Path folder) throws IOException {
        Files.writeString(folder.resolve(FILE), write(card), StandardCharsets.UTF_8);
    }

    /** Reads {@code file}; errors name it and the field at fault. */
    public static ModelCard read(Path file) throws ModelStoreException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ModelStoreException(file + ": not a model card (larger than " + MAX_BYTES + " bytes)");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelStoreException(file + ": no such model card");
        } catch (IOException e) {
            throw new ModelStoreException(file + ": cannot read model card: " + e.getMessage(), e);
        }
    }

    /** Parses card JSON; {@code where} names its origin in errors. */
    public static ModelCard parse(String json, String where) throws ModelStoreException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelStoreException(where + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        return card(new Reader(where), root);
    }

    /** Reads the card object {@code root} (also used for the pinned cards resource). */
    static ModelCard card(Reader r, JsonNode root) throws ModelStoreException {
        r.object(root, "", CARD_FIELDS);
        String id = r.text(root, "id", true);
        if (!ModelIds.valid(id)) {
            throw r.error("id", "'" + id + "' is not a model id ([a-z0-9][a-z0-9._-]{0,63})");
        }
        List<ModelFile> files = new ArrayList<>();
        JsonNode fa = r.array(root, "files");
        if (fa.isEmpty()) {
            throw r.error("files", "a model needs at least one file");
        }
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < fa.size(); i++) {
            String at = "files[" + i + "]";
            JsonNode f = fa.get(i);
            r.object(f, at, Set.of("path", "sha256", "bytes"));
            String path = r.path(f, at + ".path", true);
            if (!paths.add(path)) {
                throw r.error(at + ".path", "'" + path + "' is listed twice");
            }
            String sha = r.text(f, at + ".sha256", true);
            if (!SHA256.matcher(sha).matches()) {
                throw r.error(at + ".sha256", "must be 64 lower-case hex digits, got '" + sha + "'");
            }
            long bytes = r.number(f, at + ".bytes");
            files.add(new ModelFile(path, sha, bytes));
        }
        List<TensorSpec> inputs = r.tensors(root, "inputs");
        List<TensorSpec> outputs = r.tensors(root, "outputs");
        JsonNode s = root.get("source");
        if (s == null || !s.isObject()) {
            throw r.error("source", "missing (an object with registry, coordinates, upstream)");
        }
        r.object(s, "source", Set.of("registry", "coordinates", "upstream"));
        ModelSource source = new ModelSource(r.text(s, "source.registry", true), r.text(s, "source.coordinates", true),
                r.text(s, "source.upstream", false));
        return new ModelCard(id, r.text(root, "task", true), r.text(root, "format", true), r.text(root, "description", false),
                files, inputs, outputs, r.text(root, "processing", false), r.text(root, "license", true),
                r.path(root, "licenseFile", false), r.path(root, "noticeFile", false), source, r.number(root, "memoryBytes"));
    }

    /** Field readers that name the file and the field in every error. */
    static final class Reader {
        private final String where;

        Reader(String where) {
            this.where = where;
        }

        ModelStoreException error(String field, String problem) {
            return new ModelStoreException(where + ": field '" + field + "': " + problem);
        }

        private static JsonNode child(JsonNode parent, String field) {
            int dot = field.lastIndexOf('.');
            return parent.get(dot < 0 ? field : field.substring(dot + 1));
        }

        void object(JsonNode n, String at, Set<String> allowed) throws ModelStoreException {
            if (n == null || !n.isObject()) {
                throw at.isEmpty() ? new ModelStoreException(where + ": a model card must be a JSON object") : error(at, "must be an object");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw error(at.isEmpty() ? f : at + "." + f, "unknown field (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }

        String text(JsonNode parent, String field, boolean required) throws ModelStoreException {
            JsonNode n = child(parent, field);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error(field, "missing");
                }
                return null;
            }
            if (!n.isTextual()) {
                throw error(field, "must be a string, got " + n.getNodeType().name().toLowerCase());
            }
            if (required && n.asText().isBlank()) {
                throw error(field, "must not be empty");
            }
            return n.asText();
        }

        long number(JsonNode parent, String field) throws ModelStoreException {
            JsonNode n = child(parent, field);
            if (n == null || n.isNull()) {
                throw error(field, "missing");
            }
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
                throw error(field, "must be a whole number >= 0, got " + n);
            }
            return n.asLong();
        }

        /** A relative path that stays inside the model's folder. */
        String path(JsonNode parent, String field, boolean required) throws ModelStoreException {
            String p = text(parent, field, required);
            if (p == null) {
                return null;
            }
            String problem = ModelPaths.problem(p);
            if (problem != null) {
                throw error(field, problem);
            }
            return p;
        }

        JsonNode array(JsonNode parent, String field) throws ModelStoreException {
            JsonNode n = child(parent, field);
            if (n == null || !n.isArray()) {
                throw error(field, n == null ? "missing" : "must be an array");
            }
            return n;
        }

        List<TensorSpec> tensors(JsonNode parent, String field) throws ModelStoreException {
            JsonNode a = array(parent, field);
            List<TensorSpec> specs = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < a.size(); i++) {
                String at = field + "[" + i + "]";
                JsonNode t = a.get(i);
                object(t, at, Set.of("name", "datatype", "shape"));
                String name = text(t, at + ".name", true);
                if (!names.add(name)) {
                    throw error(at + ".name", "'" + name + "' is declared twice");
                }
                TensorType type;
                try {
                    type = TensorType.ofProtocolName(text(t, at + ".datatype", true));
                } catch (IllegalArgumentException e) {
                    throw error(at + ".datatype", e.getMessage());
                }
                JsonNode s = array(t, at + ".shape");
                if (s.size() > 8) {
                    throw error(at + ".shape", "more than 8 dimensions");
                }
                long[] shape = new long[s.size()];
                for (int d = 0; d < shape.length; d++) {
                    JsonNode v = s.get(d);
                    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < -1 || v.asLong() == 0) {
                        throw error(at + ".shape[" + d + "]", "must be a size >= 1 or -1 (any), got " + v);
                    }
                    shape[d] = v.asLong();
                }
                specs.add(new TensorSpec(name, type, shape));
            }
            return specs;
        }
    }
}
