package org.kinora.effect.pose.internal.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.pose.BvhView;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.TrackOptions;

/**
 * Reads every committed sample in {@code samples/pose} (made by {@code samples/pose/make_samples.py}) and draws each
 * as a contact sheet under {@code target/pose-samples/} (the person's left side red, right side blue) to look at.
 */
class SampleTracksTest {

    private static Path samples;

    @BeforeAll
    static void findSamples() {
        samples = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../../samples/pose").normalize();
        assertTrue(Files.isDirectory(samples), "the samples folder " + samples + " is missing (run from the module folder)");
    }

    @Test
    void waveBvhMatchesTheKinoraTrackComputedIndependently() throws Exception {
        PoseTrack bvh = TrackFiles.read(samples.resolve("wave.bvh"), new TrackOptions(BvhView.FRONT, 25, 400));
        PoseTrack kinora = TrackFiles.read(samples.resolve("wave.kinora.json"), TrackOptions.defaults());
        assertEquals("bvh", bvh.format());
        assertEquals("kinora", kinora.format());
        assertEquals(101, bvh.size(), "4 s at 25 fps");
        assertEquals(kinora.size(), bvh.size());
        assertEquals(kinora.width(), bvh.width());
        assertEquals(kinora.height(), bvh.height());
        double worst = 0;
        for (int f = 0; f < bvh.size(); f++) {
            for (Joint j : Joint.values()) {
                Pose a = bvh.frames().get(f);
                Pose b = kinora.frames().get(f);
                assertEquals(b.score(j), a.score(j), "frame " + f + " " + j);
                worst = Math.max(worst, Math.max(Math.abs(a.x(j) - b.x(j)), Math.abs(a.y(j) - b.y(j))));
            }
        }
        assertTrue(worst < 0.011, "Java and Python forward kinematics differ by " + worst + " px");
        // the performer raises the LEFT arm: in the front view it is up and on the picture's right
        Pose mid = bvh.frames().get(50);
        assertTrue(mid.y(Joint.LEFT_WRIST) < mid.y(Joint.NOSE), mid.toString());
        assertTrue(mid.x(Joint.LEFT_WRIST) > mid.x(Joint.RIGHT_SHOULDER), mid.toString());
        assertTrue(mid.y(Joint.RIGHT_WRIST) > mid.y(Joint.RIGHT_SHOULDER), "the right arm hangs: " + mid);
        draw(bvh, "wave-bvh-front.png");
        draw(TrackFiles.read(samples.resolve("wave.bvh"), new TrackOptions(BvhView.LEFT, 25, 400)), "wave-bvh-left.png");
    }

    @Test
    void walkOpenPoseFollowsTheWalkerNotTheBystander() throws Exception {
        PoseTrack t = TrackFiles.read(samples.resolve("walk-openpose"), TrackOptions.defaults());
        assertEquals("openpose-body25", t.format());
        assertEquals(20, t.size());
        for (int f = 0; f < t.size(); f++) {
            Pose p = t.frames().get(f);
            assertEquals(202 + 12 * f, p.x(Joint.NOSE), 0.01, "frame " + f + ": the walker's nose");
            assertTrue(p.x(Joint.LEFT_SHOULDER) > p.x(Joint.RIGHT_SHOULDER), "facing the camera: left on the right");
        }
        assertEquals(0, t.frames().get(9).score(Joint.RIGHT_WRIST), "hidden behind the body in frames 8-10");
        draw(t, "walk-openpose.png");
    }

    @Test
    void walkCocoIsTheSameWalk() throws Exception {
        PoseTrack coco = TrackFiles.read(samples.resolve("walk.coco17.json"), TrackOptions.defaults());
        PoseTrack openPose = TrackFiles.read(samples.resolve("walk-openpose"), TrackOptions.defaults());
        assertEquals("coco17", coco.format());
        assertEquals(640, coco.width());
        assertEquals(480, coco.height());
        assertEquals(20, coco.size());
        for (int f = 0; f < 20; f++) {
            for (Joint j : Joint.values()) {
                Pose c = coco.frames().get(f);
                Pose o = openPose.frames().get(f);
                assertEquals(o.score(j) > 0, c.score(j) > 0, "frame " + f + " " + j);
                if (c.score(j) > 0) {
                    assertEquals(o.x(j), c.x(j), 1e-3, "frame " + f + " " + j);
                    assertEquals(o.y(j), c.y(j), 1e-3, "frame " + f + " " + j);
                }
            }
        }
        draw(coco, "walk-coco17.png");
    }

    @Test
    void samplesStaySmall() throws Exception {
        long bytes;
        try (Stream<Path> all = Files.walk(samples)) {
            bytes = all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        // the tracks are about 110 KB; the drawn figure (figure.png, its mask and rest pose) about 150 KB more
        assertTrue(bytes < 350_000, "samples/pose holds " + bytes + " bytes");
    }

    private static final Joint[][] BONES = {
        {Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER}, {Joint.LEFT_HIP, Joint.RIGHT_HIP},
        {Joint.LEFT_SHOULDER, Joint.LEFT_HIP}, {Joint.RIGHT_SHOULDER, Joint.RIGHT_HIP},
        {Joint.LEFT_SHOULDER, Joint.LEFT_ELBOW}, {Joint.LEFT_ELBOW, Joint.LEFT_WRIST},
        {Joint.RIGHT_SHOULDER, Joint.RIGHT_ELBOW}, {Joint.RIGHT_ELBOW, Joint.RIGHT_WRIST},
        {Joint.LEFT_HIP, Joint.LEFT_KNEE}, {Joint.LEFT_KNEE, Joint.LEFT_ANKLE},
        {Joint.RIGHT_HIP, Joint.RIGHT_KNEE}, {Joint.RIGHT_KNEE, Joint.RIGHT_ANKLE},
        {Joint.NOSE, Joint.LEFT_EYE}, {Joint.NOSE, Joint.RIGHT_EYE}, {Joint.LEFT_EYE, Joint.LEFT_EAR},
        {Joint.RIGHT_EYE, Joint.RIGHT_EAR}};

    /** Eight frames spread over the track, side by side, each scaled into a 200 px tall cell. */
    private static void draw(PoseTrack t, String name) throws Exception {
        int cells = 8;
        float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (Pose p : t.frames()) {
            for (Joint j : Joint.values()) {
                if (p.score(j) > 0) {
                    minX = Math.min(minX, p.x(j));
                    maxX = Math.max(maxX, p.x(j));
                    minY = Math.min(minY, p.y(j));
                    maxY = Math.max(maxY, p.y(j));
                }
            }
        }
        double scale = 180.0 / Math.max(maxY - minY, 1);
        int cellW = (int) Math.ceil((maxX - minX) * scale) + 20;
        BufferedImage img = new BufferedImage(cellW * cells, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setStroke(new BasicStroke(2.5f));
        for (int c = 0; c < cells; c++) {
            Pose p = t.frames().get((int) Math.round(c * (t.size() - 1) / (double) (cells - 1)));
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(c * cellW, 0, c * cellW, 200);
            for (Joint[] b : BONES) {
                if (p.score(b[0]) > 0 && p.score(b[1]) > 0) {
                    boolean left = b[0].name().startsWith("LEFT") || b[1].name().startsWith("LEFT");
                    boolean right = b[0].name().startsWith("RIGHT") || b[1].name().startsWith("RIGHT");
                    g.setColor(left && !right ? Color.RED : right && !left ? Color.BLUE : Color.DARK_GRAY);
                    g.draw(new Line2D.Double(c * cellW + 10 + (p.x(b[0]) - minX) * scale, 10 + (p.y(b[0]) - minY) * scale,
                            c * cellW + 10 + (p.x(b[1]) - minX) * scale, 10 + (p.y(b[1]) - minY) * scale));
                }
            }
        }
        g.dispose();
        Path out = Path.of(System.getProperty("basedir", ".")).resolve("target/pose-samples");
        Files.createDirectories(out);
        ImageIO.write(img, "png", out.resolve(name).toFile());
    }
}
