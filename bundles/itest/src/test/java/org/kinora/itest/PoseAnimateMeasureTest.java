package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pose-animate} effect measured on its output through the real command line. The character is the footballer
 * of OpenCV's {@code messi5.jpg} (a real photo; rest pose found by MoveNet through {@code kinora pose extract}); the driver
 * is a track with limbs 1.4 times longer than his, raising its left arm, bending a knee and walking right. MoveNet on the
 * rendered frames ({@code kinora pose extract} of the result) must find him where the retargeted track ({@code kinora
 * pose retarget}) puts his joints; pixels far from him must not change.
 */
class PoseAnimateMeasureTest {

    static final int N = 40;
    static final ObjectMapper JSON = new ObjectMapper();
    /** The joints measured: trunk and limbs (MoveNet's face points are too small here to tell much). */
    static final List<String> BODY = List.of("left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
            "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle");
    static final List<String> JOINTS = List.of("nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
            "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
            "right_ankle");

    @TempDir
    static Path dir;

    static int w;
    static int h;
    static Path photo;
    static Path restFile;
    static double[][] rest;

    @BeforeAll
    static void character() throws Exception {
        Path media = Path.of(System.getProperty("kinora.test.media", System.getProperty("user.home") + "/.cache/kinora/test-media"));
        Path src = media.resolve("messi5.jpg");
        if (!Files.isRegularFile(src)) {
            fail("test photo missing: " + src + " (run-tests gets it from Debian's opencv-doc package)");
        }
        photo = Files.copy(src, dir.resolve("messi5.jpg"));
        BufferedImage img = ImageIO.read(photo.toFile());
        w = img.getWidth();
        h = img.getHeight();
        restFile = dir.resolve("rest.json");
        SharedRuntime.Result r = SharedRuntime.cli("pose", "extract", photo.toString(), "--out", restFile.toString());
        assertEquals(0, r.exit(), r.all());
        rest = frames(restFile).get(0);
    }

    // ---- the photo ---------------------------------------------------------------------------------------------------

    @Test
    void movenetFindsThePhotoCharacterFollowingTheRetargetedTrack() throws Exception {
        Path work = Files.createDirectories(dir.resolve("photo"));
        Files.copy(photo, work.resolve("messi5.jpg"));
        Path project = Files.writeString(work.resolve("still.mlt"), MotionBrushMeasureTest.shotcutProject("messi5.jpg", w, h, N));
        Path driver = writeTrack(work.resolve("driver.json"), driver(rest), 25, 1000, 800);
        Path expectedFile = work.resolve("expected.json");
        SharedRuntime.Result r = SharedRuntime.cli("pose", "retarget", "--track", driver.toString(), "--rest", restFile.toString(), "--out",
                expectedFile.toString());
        assertEquals(0, r.exit(), r.all());
        List<double[][]> expected = frames(expectedFile);
        assertEquals(N, expected.size());

        r = SharedRuntime.cli("apply", project.toString(), "--clip", "V1:1", "--effect", "pose-animate", "--set", "track=" + driver,
                "--codec", "ffv1");
        assertEquals(0, r.exit(), r.all());
        Path result = onlyMedia(work);
        saveFrames(result, "photo", 0, N / 2, N - 1);
        Path measuredFile = work.resolve("measured.json");
        r = SharedRuntime.cli("pose", "extract", result.toString(), "--out", measuredFile.toString());
        assertEquals(0, r.exit(), r.all());
        List<double[][]> measured = frames(measuredFile);
        assertEquals(N, measured.size(), "one pose per rendered frame");

        double body = bodyHeight(rest);
        double[] err = error(expected, measured);
        System.out.printf(Locale.ROOT, "pose-animate (photo %dx%d, body %.0f px): MoveNet on the output vs the retargeted track: mean %.2f px"
                + " (%.3f of the body's height), 90th percentile %.2f px, over %d joints%n", w, h, body, err[0], err[0] / body, err[1], (int) err[2]);
        // the track really moves him: the left wrist travels far, so following it is not the same as standing still
        double travel = dist(expected.get(0)[9], expected.get(N - 1)[9]);
        assertTrue(travel > 0.3 * body, "the left wrist travels " + travel + " px");
        double still = error(List.of(rest, rest, rest), List.of(expected.get(N - 1), expected.get(N - 2), expected.get(N - 3)))[0];
        System.out.printf(Locale.ROOT, "pose-animate: had he not moved, his last frames would be %.1f px from the track%n", still);
        assertTrue(err[0] < 0.08 * body, "mean keypoint error " + err[0] + " px, body " + body + " px");
        assertTrue(err[0] < still / 3, "following the track (" + err[0] + " px) is much closer than standing still (" + still + " px)");

        // away from him, the picture is the still: same pixels in every frame
        int[][] frames = Tools.decodeAll(result, w, h);
        boolean[] far = farFrom(expected, body * 0.35);
        int far0 = 0;
        int changed = 0;
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < w * h; i++) {
            if (far[i]) {
                far0++;
                for (int[] f : frames) {
                    if (f[i] != frames[0][i]) {
                        changed++;
                        if (changed <= 10) {
                            where.append(" (").append(i % w).append(',').append(i / w).append(')');
                        }
                        break;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "pose-animate: %d pixels farther than 0.35 of his height from every joint; %d of them change%n", far0, changed);
        assertTrue(far0 > w * h / 10, "a real background region: " + far0);
        assertEquals(0, changed, "background pixels that changed:" + where);

        // the same motion from a driving clip: the rendered clip on V2 drives the still on V1 (track=clip:V2:1); MoveNet
        // reads it, as kinora pose extract just did, so the character must follow that track retargeted onto him
        Path drive = Files.createDirectories(dir.resolve("driving"));
        Files.copy(photo, drive.resolve("messi5.jpg"));
        Files.copy(result, drive.resolve("driver.mkv"));
        Path twoTracks = Files.writeString(drive.resolve("two.mlt"), twoTrackProject("messi5.jpg", "driver.mkv", w, h, N));
        Path expected2File = drive.resolve("expected.json");
        r = SharedRuntime.cli("pose", "retarget", "--track", measuredFile.toString(), "--rest", restFile.toString(), "--out",
                expected2File.toString());
        assertEquals(0, r.exit(), r.all());
        r = SharedRuntime.cli("apply", twoTracks.toString(), "--clip", "V1:1", "--effect", "pose-animate", "--set", "track=clip:V2:1",
                "--codec", "ffv1");
        assertEquals(0, r.exit(), r.all());
        Path result2 = onlyMedia(drive);
        saveFrames(result2, "driving", 0, N / 2, N - 1);
        Path measured2File = drive.resolve("measured.json");
        r = SharedRuntime.cli("pose", "extract", result2.toString(), "--out", measured2File.toString());
        assertEquals(0, r.exit(), r.all());
        double[] err2 = error(frames(expected2File), frames(measured2File));
        System.out.printf(Locale.ROOT, "pose-animate (driving clip V2:1): MoveNet on the output vs the clip's track retargeted: mean %.2f px"
                + " (%.3f of the body's height), 90th percentile %.2f px%n", err2[0], err2[0] / body, err2[1]);
        assertTrue(err2[0] < 0.08 * body, "mean keypoint error " + err2[0] + " px with a driving clip");
    }

    // ---- a drawn figure ----------------------------------------------------------------------------------------------

    @Test
    void aDrawnFigureWithItsRestPoseAndMaskWavesAlongABvhCapture() throws Exception {
        Path samples = Path.of(System.getProperty("kinora.samples", "../../samples")).resolve("pose");
        Path work = Files.createDirectories(dir.resolve("figure"));
        for (String f : List.of("figure.png", "figure-mask.png", "figure-rest.json", "wave.bvh")) {
            Files.copy(samples.resolve(f), work.resolve(f));
        }
        BufferedImage img = ImageIO.read(work.resolve("figure.png").toFile());
        int fw = img.getWidth();
        int fh = img.getHeight();
        int n = 100;
        Path project = Files.writeString(work.resolve("figure.mlt"), MotionBrushMeasureTest.shotcutProject("figure.png", fw, fh, n));
        Path expectedFile = work.resolve("expected.json");
        SharedRuntime.Result r = SharedRuntime.cli("pose", "retarget", "--track", work.resolve("wave.bvh").toString(), "--rest",
                work.resolve("figure-rest.json").toString(), "--fps", "25", "--out", expectedFile.toString());
        assertEquals(0, r.exit(), r.all());
        List<double[][]> expected = frames(expectedFile);
        r = SharedRuntime.cli("apply", project.toString(), "--clip", "V1:1", "--effect", "pose-animate", "--set", "track=" + work.resolve("wave.bvh"),
                "--set", "rest=" + work.resolve("figure-rest.json"), "--set", "mask=" + work.resolve("figure-mask.png"), "--codec", "ffv1");
        assertEquals(0, r.exit(), r.all());
        Path result = onlyMedia(work);
        saveFrames(result, "figure", 0, 30, 60, 90);
        int[][] frames = Tools.decodeAll(result, fw, fh);
        assertEquals(n, frames.length);
        // the figure's left forearm is orange (SampleFigure.FOREARM): the orange pixels nearer its expected middle than the
        // right forearm's must sit around that middle, frame after frame, while it waves
        double worst = 0;
        double sum = 0;
        double travel = 0;
        for (int t = 0; t < n; t++) {
            double[][] p = expected.get(Math.min(t, expected.size() - 1));
            double[] left = {(p[7][0] + p[9][0]) / 2, (p[7][1] + p[9][1]) / 2};
            double[] right = {(p[8][0] + p[10][0]) / 2, (p[8][1] + p[10][1]) / 2};
            double[] c = centroid(frames[t], fw, fh, 0xFA9614, left, right);
            double e = dist(c, left);
            worst = Math.max(worst, e);
            sum += e;
            travel = Math.max(travel, dist(left, new double[] {(expected.get(0)[7][0] + expected.get(0)[9][0]) / 2,
                    (expected.get(0)[7][1] + expected.get(0)[9][1]) / 2}));
        }
        System.out.printf(Locale.ROOT, "pose-animate (drawn figure, wave.bvh): left forearm colour centroid vs the retargeted forearm:"
                + " mean %.2f px, worst %.2f px; the forearm travels up to %.0f px%n", sum / n, worst, travel);
        assertTrue(travel > 100, "the wave moves the forearm: " + travel);
        assertTrue(sum / n < 6, "mean forearm error " + sum / n);
        assertTrue(worst < 15, "worst forearm error " + worst);

        // a clip longer than the track: when_short=loop starts the track over (the capture has expected.size() frames)
        Path loop = Files.createDirectories(work.resolve("loop"));
        Files.copy(work.resolve("figure.png"), loop.resolve("figure.png"));
        int m = expected.size() + 20;
        Path longer = Files.writeString(loop.resolve("figure.mlt"), MotionBrushMeasureTest.shotcutProject("figure.png", fw, fh, m));
        r = SharedRuntime.cli("apply", longer.toString(), "--clip", "V1:1", "--effect", "pose-animate", "--set",
                "track=" + work.resolve("wave.bvh"), "--set", "rest=" + work.resolve("figure-rest.json"), "--set",
                "mask=" + work.resolve("figure-mask.png"), "--set", "when_short=loop", "--codec", "ffv1");
        assertEquals(0, r.exit(), r.all());
        int[][] looped = Tools.decodeAll(onlyMedia(loop), fw, fh);
        assertEquals(m, looped.length, "the clip's length, not the track's");
        int k = expected.size();
        assertArrayEquals(looped[0], looped[k], "frame " + k + " starts the track again");
        assertArrayEquals(looped[7], looped[k + 7], "and goes on as it did");
        assertArrayEquals(frames[30], looped[30], "the same frames as the first render before that");
    }

    /** Centroid of the pixels within 40 levels of {@code rgb} that are nearer {@code near} than {@code other}. */
    static double[] centroid(int[] frame, int fw, int fh, int rgb, double[] near, double[] other) {
        double sx = 0;
        double sy = 0;
        int count = 0;
        for (int y = 0; y < fh; y++) {
            for (int x = 0; x < fw; x++) {
                int v = frame[y * fw + x];
                int d = Math.abs((v >> 16 & 0xff) - (rgb >> 16 & 0xff)) + Math.abs((v >> 8 & 0xff) - (rgb >> 8 & 0xff))
                        + Math.abs((v & 0xff) - (rgb & 0xff));
                if (d < 40 && Math.hypot(x - near[0], y - near[1]) < Math.hypot(x - other[0], y - other[1])) {
                    sx += x;
                    sy += y;
                    count++;
                }
            }
        }
        assertTrue(count > 50, "forearm pixels found: " + count);
        return new double[] {sx / count, sy / count};
    }

    // ---- bad pose files ----------------------------------------------------------------------------------------------

    @Test
    void badPoseFilesAreRefusedByNameAndNothingIsWritten() throws Exception {
        Path work = Files.createDirectories(dir.resolve("bad"));
        Files.copy(photo, work.resolve("messi5.jpg"));
        Path project = Files.writeString(work.resolve("still.mlt"), MotionBrushMeasureTest.shotcutProject("messi5.jpg", w, h, N));
        byte[] before = Files.readAllBytes(project);
        String header = "{\"format\": \"kinora-pose-track\", \"version\": 1, \"fps\": 25, \"frames\": ";
        StringBuilder nan = new StringBuilder(header + "[[");
        for (int j = 0; j < 17; j++) {
            nan.append(j == 0 ? "" : ",").append(j == 9 ? "[NaN, 10, 1]" : "[10, 10, 1]");
        }
        nan.append("]]}");
        StringBuilder noHips = new StringBuilder(header + "[[");
        for (int j = 0; j < 17; j++) {
            noHips.append(j == 0 ? "" : ",").append(j == 11 || j == 12 ? "[0, 0, 0]" : "[10, 10, 1]");
        }
        noHips.append("]]}");
        String bvh = """
                HIERARCHY
                ROOT Hips
                {
                  OFFSET 0 0 0
                  CHANNELS 7 Xposition Yposition Zposition Zrotation Xrotation Yrotation Xscale
                  End Site
                  {
                    OFFSET 0 10 0
                  }
                }
                MOTION
                Frames: 1
                Frame Time: 0.04
                0 0 0 0 0 0 1
                """;
        String openPose26 = "{\"version\": 1.3, \"people\": [{\"pose_keypoints_2d\": [" + "1,1,1,".repeat(25) + "1,1,1, 1,1,1]}]}";
        record Bad(String file, String content, String problem) {
        }
        for (Bad b : List.of(new Bad("nan.json", nan.toString(), "nan"), new Bad("empty.json", header + "[]}", "no frames"),
                new Bad("nohips.json", noHips.toString(), "left_hip"), new Bad("scale.bvh", bvh, "xscale"),
                new Bad("skeleton.json", openPose26, "skeleton"))) {
            Path f = Files.writeString(work.resolve(b.file()), b.content());
            SharedRuntime.Result r = SharedRuntime.cli("apply", project.toString(), "--clip", "V1:1", "--effect", "pose-animate", "--set",
                    "track=" + f);
            assertNotEquals(0, r.exit(), b.file() + ": " + r.all());
            String msg = r.err().toLowerCase(Locale.ROOT);
            assertTrue(msg.contains(b.file()) && msg.contains(b.problem()), b.file() + " should be named with '" + b.problem() + "': " + r.err());
            assertArrayEquals(before, Files.readAllBytes(project), "the project is unchanged");
            assertFalse(Files.exists(work.resolve("kinora-media")), "no kinora-media folder");
        }
    }

    /** A Shotcut project with the image {@code image} on V1 and the video {@code clip} on V2, {@code frames} long each. */
    static String twoTrackProject(String image, String clip, int w, int h, int frames) {
        String one = MotionBrushMeasureTest.shotcutProject(image, w, h, frames);
        String producer = """
                  <producer id="producer1" in="0" out="%2$d">
                    <property name="length">%1$d</property>
                    <property name="eof">pause</property>
                    <property name="resource">%3$s</property>
                    <property name="mlt_service">avformat</property>
                    <property name="seekable">1</property>
                  </producer>
                  <playlist id="playlist1">
                    <property name="shotcut:video">1</property>
                    <property name="shotcut:name">V2</property>
                    <entry producer="producer1" in="0" out="%2$d"/>
                  </playlist>
                """.formatted(frames, frames - 1, clip);
        return one.replace("  <tractor id=\"tractor0\"", producer + "  <tractor id=\"tractor0\"")
                .replace("    <track producer=\"playlist0\"/>\n", "    <track producer=\"playlist0\"/>\n    <track producer=\"playlist1\"/>\n");
    }

    /** The driver: the rest pose with 1.4x longer limbs, left arm raised, right knee bent, walking right. */
    static List<double[][]> driver(double[][] rest) {
        List<double[][]> out = new ArrayList<>();
        for (int t = 0; t < N; t++) {
            double a = t / (double) (N - 1);
            double[][] p = new double[17][];
            for (int j = 0; j < 17; j++) {
                p[j] = rest[j].clone();
            }
            // left arm: the upper arm swings from hanging to pointing outward-up, the forearm straight up at the end
            limb(p, rest, 5, 7, 9, lerpAngle(angle(rest, 5, 7), Math.toRadians(-20), a), lerpAngle(angle(rest, 7, 9), Math.toRadians(-90), a));
            // right leg: the knee comes forward-up
            limb(p, rest, 12, 14, 16, lerpAngle(angle(rest, 12, 14), Math.toRadians(150), 0.6 * a), angle(rest, 14, 16));
            // the other limbs keep their direction but are 1.4x longer
            limb(p, rest, 6, 8, 10, angle(rest, 6, 8), angle(rest, 8, 10));
            limb(p, rest, 11, 13, 15, angle(rest, 11, 13), angle(rest, 13, 15));
            // the driver stands elsewhere in its own picture and walks right
            for (double[] q : p) {
                q[0] = q[0] * 1.3 + 200 + 3 * t;
                q[1] = q[1] * 1.3 + 50;
            }
            out.add(p);
        }
        return out;
    }

    private static void limb(double[][] p, double[][] rest, int root, int mid, int end, double a1, double a2) {
        double l1 = 1.4 * dist(rest[root], rest[mid]);
        double l2 = 1.4 * dist(rest[mid], rest[end]);
        p[mid] = new double[] {p[root][0] + l1 * Math.cos(a1), p[root][1] + l1 * Math.sin(a1), 1};
        p[end] = new double[] {p[mid][0] + l2 * Math.cos(a2), p[mid][1] + l2 * Math.sin(a2), 1};
    }

    private static double angle(double[][] p, int a, int b) {
        return Math.atan2(p[b][1] - p[a][1], p[b][0] - p[a][0]);
    }

    private static double lerpAngle(double from, double to, double a) {
        double d = Math.atan2(Math.sin(to - from), Math.cos(to - from));
        return from + a * d;
    }

    // ---- measuring ---------------------------------------------------------------------------------------------------

    static double dist(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    static double bodyHeight(double[][] p) {
        double[] pelvis = {(p[11][0] + p[12][0]) / 2, (p[11][1] + p[12][1]) / 2};
        double[] neck = {(p[5][0] + p[6][0]) / 2, (p[5][1] + p[6][1]) / 2};
        double leg = Math.max(dist(p[11], p[13]) + dist(p[13], p[15]), dist(p[12], p[14]) + dist(p[14], p[16]));
        return dist(pelvis, neck) + leg;
    }

    /** Mean and 90th percentile distance over the body joints MoveNet saw (score above 0.3), and how many. */
    static double[] error(List<double[][]> expected, List<double[][]> measured) {
        List<Double> d = new ArrayList<>();
        for (int t = 0; t < expected.size(); t++) {
            for (String joint : BODY) {
                int j = JOINTS.indexOf(joint);
                if (measured.get(t)[j][2] > 0.3) {
                    d.add(dist(expected.get(t)[j], measured.get(t)[j]));
                }
            }
        }
        assertTrue(d.size() > expected.size() * BODY.size() / 2, "MoveNet saw most joints: " + d.size());
        double mean = d.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        List<Double> sorted = d.stream().sorted().toList();
        return new double[] {mean, sorted.get((int) (0.9 * (sorted.size() - 1))), d.size()};
    }

    /** Pixels farther than {@code r} from every joint of every frame (and of the rest pose). */
    static boolean[] farFrom(List<double[][]> poses, double r) {
        boolean[] far = new boolean[w * h];
        java.util.Arrays.fill(far, true);
        List<double[][]> all = new ArrayList<>(poses);
        all.add(rest);
        for (double[][] p : all) {
            for (double[] q : p) {
                int x0 = (int) Math.max(0, q[0] - r);
                int x1 = (int) Math.min(w - 1, q[0] + r);
                int y0 = (int) Math.max(0, q[1] - r);
                int y1 = (int) Math.min(h - 1, q[1] + r);
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        if (Math.hypot(x - q[0], y - q[1]) <= r) {
                            far[y * w + x] = false;
                        }
                    }
                }
            }
        }
        return far;
    }

    // ---- track files -------------------------------------------------------------------------------------------------

    /** Poses of a Kinora track file: per frame, per joint {x, y, score}. */
    static List<double[][]> frames(Path file) throws Exception {
        JsonNode root = JSON.readTree(file.toFile());
        assertEquals("kinora-pose-track", root.path("format").asText(), file + " is a Kinora track");
        List<double[][]> out = new ArrayList<>();
        for (JsonNode f : root.path("frames")) {
            JsonNode k = f.isArray() ? f : f.path("keypoints");
            double[][] p = new double[17][];
            for (int j = 0; j < 17; j++) {
                p[j] = new double[] {k.get(j).get(0).asDouble(), k.get(j).get(1).asDouble(), k.get(j).get(2).asDouble()};
            }
            out.add(p);
        }
        return out;
    }

    static Path writeTrack(Path file, List<double[][]> poses, double fps, int width, int height) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "kinora-pose-track").put("version", 1).put("skeleton", "coco17").put("fps", fps).put("width", width)
                .put("height", height);
        ArrayNode joints = root.putArray("joints");
        JOINTS.forEach(joints::add);
        ArrayNode frames = root.putArray("frames");
        for (double[][] p : poses) {
            ArrayNode f = frames.addArray();
            for (double[] q : p) {
                f.addArray().add(q[0]).add(q[1]).add(q.length > 2 ? q[2] : 1.0);
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
    }

    // ---- media -------------------------------------------------------------------------------------------------------

    static Path onlyMedia(Path work) throws Exception {
        try (Stream<Path> s = Files.list(work.resolve("kinora-media"))) {
            List<Path> all = s.toList();
            assertEquals(1, all.size(), "one result media file: " + all);
            return all.get(0);
        }
    }

    /** Frames of the result as PNG under target/pose-animate (to look at). */
    static void saveFrames(Path media, String name, int... frames) throws Exception {
        Path out = Files.createDirectories(Path.of("target/pose-animate"));
        for (int n : frames) {
            Tools.run("ffmpeg", "-v", "error", "-y", "-i", media.toString(), "-vf", "select=eq(n\\," + n + ")", "-frames:v", "1",
                    out.resolve(name + "-" + n + ".png").toString());
        }
    }
}
