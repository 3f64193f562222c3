package org.kinora.cli.internal.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Writes what the panel's motion brush painter made as a brush file, the format {@code kinora apply --set
 * brushes=FILE} reads ({@code samples/motion-brush/README.md}): each painted region as a mask image of the still's size
 * beside the file, with its motion, cue or static hold. Files go into {@code kinora-brushes/} beside the project and
 * nowhere else, under a plain name; what is sent is checked first, so a bad request writes nothing.
 */
final class BrushFileWriter {

    static final String FOLDER = "kinora-brushes";
    static final int MAX_BRUSHES = 8;
    private static final Set<String> KINDS = Set.of("flow", "sway", "ripple", "rotate", "zoom");
    private static final Set<String> NUMBERS = Set.of("speed", "amplitude", "period", "rate");
    private static final String PNG = "data:image/png;base64,";

    private BrushFileWriter() {
    }

    /**
     * Checks and writes.
     *
     * @param projectDir the project's folder
     * @param name       the brush file's name without {@code .json}: letters, digits, {@code -} and {@code _}
     * @param brushes    the painter's brushes: {@code mask} (a PNG data URL), optional {@code feather}, and one of
     *                   {@code motion}, {@code cue} or {@code static}
     * @param width      the still's width: every mask must have it
     * @param height     the still's height
     * @return the brush file written
     * @throws PanelApi.ApiError naming the brush (1-based) and the field that is wrong
     */
    static Path write(Path projectDir, String name, JsonNode brushes, int width, int height) throws PanelApi.ApiError, IOException {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new PanelApi.ApiError(400, "brush file name '" + name + "': use 1 to 64 letters, digits, - and _", "name");
        }
        if (!brushes.isArray() || brushes.isEmpty() || brushes.size() > MAX_BRUSHES) {
            throw new PanelApi.ApiError(400, "paint 1 to " + MAX_BRUSHES + " brushes (got " + (brushes.isArray() ? brushes.size() : 0) + ")",
                    "brushes");
        }
        ObjectNode file = PanelJson.MAPPER.createObjectNode();
        ArrayNode out = file.putArray("brushes");
        Map<String, byte[]> masks = new LinkedHashMap<>();
        for (int i = 0; i < brushes.size(); i++) {
            JsonNode b = brushes.get(i);
            String at = "brush " + (i + 1);
            String maskName = name + "-" + (i + 1) + ".png";
            masks.put(maskName, mask(b.path("mask"), at, width, height));
            ObjectNode o = out.addObject();
            ObjectNode region = o.putObject("region");
            region.put("mask", maskName);
            if (b.has("feather")) {
                double f = number(b.get("feather"), at + ": feather");
                if (f < 0 || f > 500) {
                    throw new PanelApi.ApiError(400, at + ": feather " + f + " is out of range 0..500", "brushes");
                }
                region.put("feather", f);
            }
            int kinds = (b.hasNonNull("motion") ? 1 : 0) + (b.hasNonNull("cue") ? 1 : 0) + (b.path("static").asBoolean(false) ? 1 : 0);
            if (kinds != 1) {
                throw new PanelApi.ApiError(400, at + ": give exactly one of a motion, a cue or static", "brushes");
            }
            if (b.hasNonNull("cue")) {
                String cue = b.get("cue").asText("").strip();
                if (cue.isEmpty() || cue.length() > 200) {
                    throw new PanelApi.ApiError(400, at + ": type a cue of 1 to 200 characters, e.g. 'water flowing left'", "brushes");
                }
                o.put("cue", cue);
            } else if (b.path("static").asBoolean(false)) {
                o.put("static", true);
            } else {
                o.set("motion", motion(b.get("motion"), at));
            }
        }
        Path dir = projectDir.resolve(FOLDER);
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        try {
            for (Map.Entry<String, byte[]> m : masks.entrySet()) {
                written.add(atomically(dir.resolve(m.getKey()), m.getValue()));
            }
            return atomically(dir.resolve(name + ".json"), PanelJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(file));
        } catch (IOException e) {
            for (Path p : written) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
    }

    private static byte[] mask(JsonNode n, String at, int width, int height) throws PanelApi.ApiError {
        String url = n.asText("");
        if (!url.startsWith(PNG)) {
            throw new PanelApi.ApiError(400, at + ": the mask must be a PNG (data:image/png;base64,...)", "brushes");
        }
        byte[] png;
        BufferedImage img;
        try {
            png = Base64.getDecoder().decode(url.substring(PNG.length()));
            img = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IllegalArgumentException | IOException e) {
            throw new PanelApi.ApiError(400, at + ": the mask is not a readable PNG", "brushes");
        }
        if (img == null) {
            throw new PanelApi.ApiError(400, at + ": the mask is not a readable PNG", "brushes");
        }
        if (img.getWidth() != width || img.getHeight() != height) {
            throw new PanelApi.ApiError(400, at + ": the mask is " + img.getWidth() + "x" + img.getHeight() + "; the still is " + width + "x"
                    + height, "brushes");
        }
        boolean painted = false;
        for (int y = 0; y < height && !painted; y++) {
            for (int x = 0; x < width && !painted; x++) {
                painted = (img.getRGB(x, y) >>> 24) > 0 && (img.getRGB(x, y) & 0xffffff) != 0;
            }
        }
        if (!painted) {
            throw new PanelApi.ApiError(400, at + ": nothing is painted", "brushes");
        }
        return png;
    }

    private static ObjectNode motion(JsonNode m, String at) throws PanelApi.ApiError {
        if (!m.isObject()) {
            throw new PanelApi.ApiError(400, at + ": motion must be an object", "brushes");
        }
        ObjectNode o = PanelJson.MAPPER.createObjectNode();
        String kind = m.path("kind").asText("flow");
        if (!KINDS.contains(kind)) {
            throw new PanelApi.ApiError(400, at + ": motion kind '" + kind + "' is not one of " + String.join(", ", KINDS), "brushes");
        }
        o.put("kind", kind);
        var fields = m.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            String k = f.getKey();
            if (k.equals("kind")) {
                continue;
            }
            if (NUMBERS.contains(k)) {
                o.put(k, number(f.getValue(), at + ": " + k));
            } else if (k.equals("direction")) {
                JsonNode d = f.getValue();
                if (!d.isArray() || d.size() != 2) {
                    throw new PanelApi.ApiError(400, at + ": direction must be [dx, dy]", "brushes");
                }
                o.putArray("direction").add(number(d.get(0), at + ": direction")).add(number(d.get(1), at + ": direction"));
            } else if (k.equals("clockwise")) {
                o.put(k, f.getValue().asBoolean());
            } else {
                throw new PanelApi.ApiError(400, at + ": unknown motion field '" + k + "'", "brushes");
            }
        }
        return o;
    }

    private static double number(JsonNode n, String what) throws PanelApi.ApiError {
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new PanelApi.ApiError(400, what + " must be a number", "brushes");
        }
        return n.asDouble();
    }

    private static Path atomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
