package org.kinora.effect.motionbrush.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads and checks a brush file (format: {@link BrushFile}) against the still it will animate. Every problem is a
 * {@link BrushFileException} naming the file, the brush (1-based) and the field.
 */
public final class BrushFileReader {

    /** Most brushes in a file. */
    public static final int MAX_BRUSHES = 8;
    /** Most points in a polygon or path. */
    public static final int MAX_POINTS = 10_000;
    /** Largest brush file read (bytes). */
    public static final long MAX_FILE_BYTES = 1L << 20;
    /** Largest mask image file read (bytes). */
    public static final long MAX_MASK_BYTES = 256L << 20;
    /** Largest feather (px). */
    public static final double MAX_FEATHER = 500;
    /** Largest speed (px/s). */
    public static final double MAX_SPEED = 100_000;
    /** Largest amplitude (px). */
    public static final double MAX_AMPLITUDE = 1_000;
    /** Longest period (s). */
    public static final double MAX_PERIOD = 3_600;
    /** Largest zoom rate (per second, either sign). */
    public static final double MAX_RATE = 10;

    private static final Set<String> TOP_FIELDS = Set.of("brushes");
    private static final Set<String> BRUSH_FIELDS = Set.of("region", "motion", "static", "cue");
    private static final Set<String> REGION_FIELDS = Set.of("polygon", "mask", "feather");
    private static final Map<MotionKind, Set<String>> MOTION_FIELDS = Map.of(
            MotionKind.FLOW, Set.of("kind", "direction", "speed", "path"),
            MotionKind.SWAY, Set.of("kind", "direction", "path", "speed", "amplitude", "period"),
            MotionKind.RIPPLE, Set.of("kind", "direction", "speed", "amplitude", "period"),
            MotionKind.ROTATE, Set.of("kind", "speed", "clockwise"),
            MotionKind.ZOOM, Set.of("kind", "speed", "rate"));

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Path file;
    private final int width;
    private final int height;

    private BrushFileReader(Path file, int width, int height) {
        this.file = file;
        this.width = width;
        this.height = height;
    }

    /**
     * Reads {@code file} for a still of {@code width x height} pixels.
     *
     * @throws BrushFileException naming the file, the brush and the field
     */
    public static BrushFile read(Path file, int width, int height) throws BrushFileException {
        return new BrushFileReader(file, width, height).read();
    }

    private BrushFile read() throws BrushFileException {
        JsonNode root;
        try {
            if (!Files.isRegularFile(file)) {
                throw new BrushFileException("brush file " + file + " not found");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new BrushFileException("brush file " + file + " is " + size + " bytes; at most " + MAX_FILE_BYTES + " are read");
            }
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new BrushFileException("brush file " + file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new BrushFileException("cannot read brush file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw fail(0, null, "the file must hold a JSON object {\"brushes\": [...]}");
        }
        checkFields(root, TOP_FIELDS, 0, null);
        JsonNode list = root.get("brushes");
        if (list == null || !list.isArray()) {
            throw fail(0, "brushes", "must be an array of brushes");
        }
        if (list.isEmpty()) {
            throw fail(0, "brushes", "is empty; give 1 to " + MAX_BRUSHES + " brushes");
        }
        if (list.size() > MAX_BRUSHES) {
            throw fail(0, "brushes", "has " + list.size() + " brushes; at most " + MAX_BRUSHES + " are allowed");
        }
        List<Brush> brushes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            brushes.add(brush(i + 1, list.get(i)));
        }
        return new BrushFile(file, brushes);
    }

    private Brush brush(int index, JsonNode node) throws BrushFileException {
        if (!node.isObject()) {
            throw fail(index, null, "must be an object with a region and a motion, a cue or \"static\": true");
        }
        checkFields(node, BRUSH_FIELDS, index, null);
        JsonNode regionNode = node.get("region");
        if (regionNode == null) {
            throw fail(index, "region", "is missing");
        }
        Region region = region(index, regionNode);
        boolean hasMotion = node.has("motion");
        boolean hasCue = node.has("cue");
        boolean isStatic = false;
        if (node.has("static")) {
            JsonNode s = node.get("static");
            if (!s.isBoolean()) {
                throw fail(index, "static", "must be true or false, not " + s);
            }
            isStatic = s.booleanValue();
        }
        int ways = (hasMotion ? 1 : 0) + (hasCue ? 1 : 0) + (isStatic ? 1 : 0);
        if (ways > 1) {
            List<String> given = new ArrayList<>();
            if (hasMotion) {
                given.add("'motion'");
            }
            if (hasCue) {
                given.add("'cue'");
            }
            if (isStatic) {
                given.add("'static': true");
            }
            throw fail(index, null, "has both " + String.join(" and ", given) + "; a brush either moves (motion or cue) or is static");
        }
        if (ways == 0) {
            throw fail(index, null, "needs a 'motion', a 'cue' or \"static\": true");
        }
        if (isStatic) {
            return new Brush(index, region, null, null);
        }
        if (hasCue) {
            JsonNode c = node.get("cue");
            if (!c.isTextual()) {
                throw fail(index, "cue", "must be text such as \"water flowing left\", not " + c);
            }
            try {
                return new Brush(index, region, Cues.parse(c.textValue()), c.textValue());
            } catch (IllegalArgumentException e) {
                throw fail(index, "cue", e.getMessage());
            }
        }
        return new Brush(index, region, motion(index, node.get("motion")), null);
    }

    private Region region(int index, JsonNode node) throws BrushFileException {
        if (!node.isObject()) {
            throw fail(index, "region", "must be an object with a polygon or a mask");
        }
        checkFields(node, REGION_FIELDS, index, "region");
        double feather = 0;
        if (node.has("feather")) {
            feather = number(index, "region.feather", node.get("feather"), 0, MAX_FEATHER);
        }
        boolean polygon = node.has("polygon");
        boolean mask = node.has("mask");
        if (polygon && mask) {
            throw fail(index, "region", "has both 'polygon' and 'mask'; give one");
        }
        if (polygon) {
            double[][] pts = points(index, "region.polygon", node.get("polygon"), 3);
            return new Region.Polygon(pts[0], pts[1], feather);
        }
        if (mask) {
            JsonNode m = node.get("mask");
            if (!m.isTextual() || m.textValue().isBlank()) {
                throw fail(index, "region.mask", "must be the path of a grayscale image, not " + m);
            }
            return maskRegion(index, m.textValue(), feather);
        }
        throw fail(index, "region", "needs a 'polygon' or a 'mask'");
    }

    /** Points as {xs, ys}, checked to lie on the still. */
    private double[][] points(int index, String field, JsonNode node, int least) throws BrushFileException {
        if (!node.isArray()) {
            throw fail(index, field, "must be an array of [x, y] points");
        }
        int n = node.size();
        if (n < least) {
            throw fail(index, field, "has " + n + " point" + (n == 1 ? "" : "s") + "; at least " + least + " are needed");
        }
        if (n > MAX_POINTS) {
            throw fail(index, field, "has " + n + " points; at most " + MAX_POINTS + " are allowed");
        }
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            JsonNode p = node.get(i);
            String where = field + "[" + (i + 1) + "]";
            if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                throw fail(index, where, "must be a point [x, y] of two numbers, not " + p);
            }
            xs[i] = p.get(0).doubleValue();
            ys[i] = p.get(1).doubleValue();
            if (!(xs[i] >= 0 && xs[i] <= width && ys[i] >= 0 && ys[i] <= height)) {
                throw fail(index, where, "(" + fmt(xs[i]) + ", " + fmt(ys[i]) + ") is outside the still (0.." + width + " x 0.." + height + ")");
            }
        }
        return new double[][] {xs, ys};
    }

    private Region.Mask maskRegion(int index, String name, double feather) throws BrushFileException {
        Path dir = file.toAbsolutePath().getParent();
        Path mask = dir.resolve(name).normalize();
        String field = "region.mask";
        if (!Files.isRegularFile(mask)) {
            throw fail(index, field, "mask image " + mask + " not found");
        }
        BufferedImage img;
        try {
            long size = Files.size(mask);
            if (size > MAX_MASK_BYTES) {
                throw fail(index, field, "mask image " + mask + " is " + size + " bytes; at most " + MAX_MASK_BYTES + " are read");
            }
            try (ImageInputStream in = ImageIO.createImageInputStream(mask.toFile())) {
                Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
                if (readers == null || !readers.hasNext()) {
                    throw fail(index, field, "mask image " + mask + " is not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    // the size from the header, before the pixels are allocated
                    int w = reader.getWidth(0);
                    int h = reader.getHeight(0);
                    if (w != width || h != height) {
                        throw fail(index, field, "mask image " + mask + " is " + w + "x" + h + "; it must be the still's size, "
                                + width + "x" + height);
                    }
                    img = reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw fail(index, field, "cannot read mask image " + mask + ": " + e.getMessage());
        }
        return new Region.Mask(mask, alpha(img), width, height, feather);
    }

    /** Gray level (luminance of colour images) times alpha, in [0, 1]. */
    private static float[] alpha(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] out = new float[w * h];
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean gray = img.getColorModel().getColorSpace().getNumComponents() == 1;
        boolean hasAlpha = img.getColorModel().hasAlpha();
        if (gray && !hasAlpha && bands == 1 && img.getColorModel().getComponentSize(0) <= 16) {
            double max = (1 << img.getColorModel().getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (float) (row[x] / max);
                }
            }
            return out;
        }
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                double lum = (0.299 * (p >> 16 & 0xff) + 0.587 * (p >> 8 & 0xff) + 0.114 * (p & 0xff)) / 255.0;
                out[y * w + x] = (float) (lum * ((p >>> 24) / 255.0));
            }
        }
        return out;
    }

    private Motion motion(int index, JsonNode node) throws BrushFileException {
        if (!node.isObject()) {
            throw fail(index, "motion", "must be an object with a kind, a direction and a speed (or a path)");
        }
        MotionKind kind = MotionKind.FLOW;
        if (node.has("kind")) {
            JsonNode k = node.get("kind");
            kind = null;
            if (k.isTextual()) {
                for (MotionKind m : MotionKind.values()) {
                    if (m.word().equals(k.textValue().toLowerCase(Locale.ROOT))) {
                        kind = m;
                    }
                }
            }
            if (kind == null) {
                throw fail(index, "motion.kind", k + " is not a kind of motion; kinds: flow, sway, ripple, rotate, zoom");
            }
        }
        Set<String> allowed = MOTION_FIELDS.get(kind);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                boolean known = MOTION_FIELDS.values().stream().anyMatch(s -> s.contains(f));
                throw fail(index, "motion." + f, known
                        ? "does not apply to kind " + kind.word() + " (its fields: " + String.join(", ", sorted(allowed)) + ")"
                        : "is not a motion field (fields for kind " + kind.word() + ": " + String.join(", ", sorted(allowed)) + ")");
            }
        }
        double dx = 0;
        double dy = 0;
        double pathLength = Double.NaN;
        boolean hasDirection = node.has("direction");
        boolean hasPath = node.has("path");
        if (hasDirection && hasPath) {
            throw fail(index, "motion.path", "and 'direction' both given; a path sets the direction and the speed");
        }
        if (hasDirection) {
            JsonNode d = node.get("direction");
            if (!d.isArray() || d.size() != 2 || !d.get(0).isNumber() || !d.get(1).isNumber()) {
                throw fail(index, "motion.direction", "must be [dx, dy], two numbers, not " + d);
            }
            dx = d.get(0).doubleValue();
            dy = d.get(1).doubleValue();
            double len = Math.hypot(dx, dy);
            if (!(len > 0) || !Double.isFinite(len)) {
                throw fail(index, "motion.direction", d + " has no direction (zero length)");
            }
            dx /= len;
            dy /= len;
        }
        if (hasPath) {
            double[][] p = points(index, "motion.path", node.get("path"), 2);
            int n = p[0].length;
            dx = p[0][n - 1] - p[0][0];
            dy = p[1][n - 1] - p[1][0];
            double len = Math.hypot(dx, dy);
            if (!(len > 0)) {
                throw fail(index, "motion.path", "ends where it starts, so it has no direction");
            }
            dx /= len;
            dy /= len;
            pathLength = 0;
            for (int i = 1; i < n; i++) {
                pathLength += Math.hypot(p[0][i] - p[0][i - 1], p[1][i] - p[1][i - 1]);
            }
            if (node.has("speed")) {
                throw fail(index, "motion.speed", "and 'path' both given; the path's length sets the speed");
            }
        }
        double speed = optional(index, "motion.speed", node, "speed", 0, MAX_SPEED);
        double amplitude = optional(index, "motion.amplitude", node, "amplitude", 0, MAX_AMPLITUDE);
        double period = optional(index, "motion.period", node, "period", 0, MAX_PERIOD);
        if (period == 0) {
            throw fail(index, "motion.period", "must be more than 0 seconds");
        }
        double rate = optional(index, "motion.rate", node, "rate", -MAX_RATE, MAX_RATE);
        boolean clockwise = true;
        if (node.has("clockwise")) {
            if (!node.get("clockwise").isBoolean()) {
                throw fail(index, "motion.clockwise", "must be true or false, not " + node.get("clockwise"));
            }
            clockwise = node.get("clockwise").booleanValue();
        }
        boolean directed = hasDirection || hasPath;
        switch (kind) {
            case FLOW -> {
                if (!directed) {
                    throw fail(index, "motion.direction", "is missing: a flow needs a direction and a speed, or a path");
                }
                if (hasDirection && Double.isNaN(speed)) {
                    throw fail(index, "motion.speed", "is missing: a flow needs a speed (px/s) with its direction");
                }
            }
            case SWAY -> {
                if (!directed) {
                    throw fail(index, "motion.direction", "is missing: a sway needs the direction it swings along (or a path)");
                }
                if (Double.isNaN(period)) {
                    period = Motion.SWAY_PERIOD;
                }
                if (hasDirection && Double.isNaN(speed) && Double.isNaN(amplitude)) {
                    throw fail(index, "motion.amplitude", "is missing: a sway needs an amplitude (px) or a speed (px/s)");
                }
                if (!Double.isNaN(speed) && !Double.isNaN(amplitude) || hasPath && !Double.isNaN(amplitude)) {
                    throw fail(index, "motion.amplitude", "and a speed both given; the speed sets the amplitude (speed * period / 2 pi)");
                }
            }
            case RIPPLE -> {
                speed = Double.isNaN(speed) ? Motion.RIPPLE_SPEED : speed;
                amplitude = Double.isNaN(amplitude) ? Motion.RIPPLE_AMPLITUDE : amplitude;
                period = Double.isNaN(period) ? Motion.RIPPLE_PERIOD : period;
            }
            case ROTATE -> {
                if (Double.isNaN(speed)) {
                    throw fail(index, "motion.speed", "is missing: a rotation needs a speed (px/s at the region's edge)");
                }
            }
            case ZOOM -> {
                if (Double.isNaN(speed) == Double.isNaN(rate)) {
                    throw fail(index, "motion.rate", Double.isNaN(rate)
                            ? "is missing: a zoom needs a rate (per second) or a speed (px/s at the region's edge)"
                            : "and a speed both given; give one");
                }
            }
            default -> throw new IllegalStateException();
        }
        return new Motion(kind, dx, dy, speed, pathLength, amplitude, period, rate, clockwise);
    }

    private double optional(int index, String field, JsonNode node, String name, double min, double max) throws BrushFileException {
        return node.has(name) ? number(index, field, node.get(name), min, max) : Double.NaN;
    }

    private double number(int index, String field, JsonNode v, double min, double max) throws BrushFileException {
        if (!v.isNumber()) {
            throw fail(index, field, "must be a number, not " + v);
        }
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw fail(index, field, fmt(d) + " is out of range " + fmt(min) + ".." + fmt(max));
        }
        return d;
    }

    private void checkFields(JsonNode node, Set<String> allowed, int index, String prefix) throws BrushFileException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw fail(index, prefix == null ? f : prefix + "." + f, "is not a known field (fields here: "
                        + String.join(", ", sorted(allowed)) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private BrushFileException fail(int index, String field, String why) {
        StringBuilder b = new StringBuilder("brush file ").append(file);
        if (index > 0) {
            b.append(", brush ").append(index);
        }
        if (field != null) {
            b.append(", field '").append(field).append("'");
        }
        return new BrushFileException(b.append(": ").append(why).toString());
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
