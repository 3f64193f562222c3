package org.kinora.effect.pose.internal.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.effect.pose.internal.render.MeshRenderer;
import org.kinora.samples.SampleFigure;

/** The rig and the renderer on a drawn figure whose rest pose, mask and background are known exactly. */
class RigRenderTest {

    static final int W = 320;
    static final int H = 400;
    static final Path OUT = Path.of("target/rig-render");

    final SampleFigure figure = new SampleFigure(W, H, 160);
    final byte[] still = rgb(figure.still());
    final byte[] background = rgb(figure.background());
    final float[] alpha = alpha(figure.mask());

    @Test
    void atRestTheCharacterComesBackAsTheStill() throws IOException {
        Rig rig = Rig.build(alpha, W, H, figure.rest());
        byte[] out = new byte[W * H * 3];
        new MeshRenderer(W, H, still, alpha, background).render(rig.restPositions(), rig.deform(figure.rest()), rig.triangles(), out);
        save("rest.png", out);
        int worst = 0;
        for (int i = 0; i < out.length; i++) {
            worst = Math.max(worst, Math.abs((out[i] & 0xff) - (still[i] & 0xff)));
        }
        assertTrue(worst <= 1, "rest pose renders the still within one level; worst " + worst);
        assertTrue(rig.triangleCount() > 200, "a real mesh: " + rig.triangleCount() + " triangles, cell " + rig.cell());
    }

    @Test
    void raisedArmFollowsTheRetargetedBonesAndTheBackgroundStays() throws IOException {
        Pose rest = figure.rest();
        // a driver with arms and legs 1.5x longer than the figure's, its left arm raised sideways and up
        Pose driver = raisedLeftArm(scaledLimbs(rest, 1.5));
        PoseTrack track = new PoseTrack("test", "kinora", 25, W, H, List.of(scaledLimbs(rest, 1.5), driver));
        List<Pose> poses = new Retargeter(rest, track, Retargeter.Root.PIN).all();
        Pose target = poses.get(1);
        // the character keeps its own bone lengths
        assertEquals(len(rest, Joint.LEFT_SHOULDER, Joint.LEFT_ELBOW), len(target, Joint.LEFT_SHOULDER, Joint.LEFT_ELBOW), 0.5);
        assertEquals(len(rest, Joint.LEFT_ELBOW, Joint.LEFT_WRIST), len(target, Joint.LEFT_ELBOW, Joint.LEFT_WRIST), 0.5);
        assertEquals(len(rest, Joint.LEFT_KNEE, Joint.LEFT_ANKLE), len(target, Joint.LEFT_KNEE, Joint.LEFT_ANKLE), 0.5);
        // and takes the driver's directions
        assertEquals(angle(driver, Joint.LEFT_ELBOW, Joint.LEFT_WRIST), angle(target, Joint.LEFT_ELBOW, Joint.LEFT_WRIST), 1e-4);

        Rig rig = Rig.build(alpha, W, H, rest);
        byte[] out = new byte[W * H * 3];
        new MeshRenderer(W, H, still, alpha, background).render(rig.restPositions(), rig.deform(target), rig.triangles(), out);
        save("raised.png", out);
        // the forearm's colour is now around the retargeted forearm, on the picture's right and high up
        double[] c = centroid(out, SampleFigure.FOREARM, W / 2, 0, W, H);
        double mx = (target.x(Joint.LEFT_ELBOW) + target.x(Joint.LEFT_WRIST)) / 2;
        double my = (target.y(Joint.LEFT_ELBOW) + target.y(Joint.LEFT_WRIST)) / 2;
        assertTrue(c[2] > 200, "forearm pixels drawn: " + c[2]);
        assertTrue(Math.hypot(c[0] - mx, c[1] - my) < 6, "forearm centroid " + c[0] + "," + c[1] + " vs bone middle " + mx + "," + my);
        // far from the figure nothing changed
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < 30; x++) {
                int o = (y * W + x) * 3;
                assertEquals(still[o] & 0xff, out[o] & 0xff, "background at " + x + "," + y);
            }
        }
    }

    static Pose scaledLimbs(Pose p, double k) {
        float[] x = p.xs();
        float[] y = p.ys();
        // lengthen every limb chain from its root (shoulders, hips) outwards
        for (Joint[] chain : new Joint[][] {{Joint.LEFT_SHOULDER, Joint.LEFT_ELBOW, Joint.LEFT_WRIST},
                {Joint.RIGHT_SHOULDER, Joint.RIGHT_ELBOW, Joint.RIGHT_WRIST}, {Joint.LEFT_HIP, Joint.LEFT_KNEE, Joint.LEFT_ANKLE},
                {Joint.RIGHT_HIP, Joint.RIGHT_KNEE, Joint.RIGHT_ANKLE}}) {
            float px = x[chain[0].ordinal()];
            float py = y[chain[0].ordinal()];
            float ox = px;
            float oy = py;
            for (int i = 1; i < 3; i++) {
                int j = chain[i].ordinal();
                float dx = x[j] - ox;
                float dy = y[j] - oy;
                ox = x[j];
                oy = y[j];
                x[j] = (float) (px + k * dx);
                y[j] = (float) (py + k * dy);
                px = x[j];
                py = y[j];
            }
        }
        return new Pose(x, y, p.scores());
    }

    /** The left arm straight out sideways (upper arm) and the forearm pointing up. */
    static Pose raisedLeftArm(Pose p) {
        float[] x = p.xs();
        float[] y = p.ys();
        int s = Joint.LEFT_SHOULDER.ordinal();
        int e = Joint.LEFT_ELBOW.ordinal();
        int w = Joint.LEFT_WRIST.ordinal();
        double upper = Math.hypot(x[e] - x[s], y[e] - y[s]);
        double fore = Math.hypot(x[w] - x[e], y[w] - y[e]);
        x[e] = (float) (x[s] + upper);
        y[e] = y[s];
        x[w] = x[e];
        y[w] = (float) (y[e] - fore);
        return new Pose(x, y, p.scores());
    }

    static double len(Pose p, Joint a, Joint b) {
        return Math.hypot(p.x(b) - p.x(a), p.y(b) - p.y(a));
    }

    static double angle(Pose p, Joint a, Joint b) {
        return Math.atan2(p.y(b) - p.y(a), p.x(b) - p.x(a));
    }

    /** Mean position and count of pixels within 30 levels of a colour in a box. */
    static double[] centroid(byte[] rgb, java.awt.Color c, int x0, int y0, int x1, int y1) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int o = (y * W + x) * 3;
                if (Math.abs((rgb[o] & 0xff) - c.getRed()) + Math.abs((rgb[o + 1] & 0xff) - c.getGreen())
                        + Math.abs((rgb[o + 2] & 0xff) - c.getBlue()) < 30) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new double[] {sx / Math.max(1, n), sy / Math.max(1, n), n};
    }

    static byte[] rgb(BufferedImage img) {
        byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        for (int i = 0; i < px.length; i++) {
            out[3 * i] = (byte) (px[i] >> 16);
            out[3 * i + 1] = (byte) (px[i] >> 8);
            out[3 * i + 2] = (byte) px[i];
        }
        return out;
    }

    static float[] alpha(BufferedImage img) {
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = ((px[i] >> 8) & 0xff) / 255f;
        }
        return out;
    }

    static void save(String name, byte[] rgb) throws IOException {
        Files.createDirectories(OUT);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < W * H; i++) {
            img.setRGB(i % W, i / W, ((rgb[3 * i] & 0xff) << 16) | ((rgb[3 * i + 1] & 0xff) << 8) | (rgb[3 * i + 2] & 0xff));
        }
        ImageIO.write(img, "png", OUT.resolve(name).toFile());
    }
}
