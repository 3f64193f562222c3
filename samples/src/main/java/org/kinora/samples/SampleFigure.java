package org.kinora.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;

/**
 * A drawn figure, the sample character for {@code pose-animate} on a drawing: limbs as thick strokes of distinct colours
 * (so tests can find each limb by colour) on a textured background, with its rest pose known exactly. Drawn once over
 * the background (the still) and once alone, white on black (its mask). {@code samples/pose/figure*.png} are drawn by
 * {@link #main}.
 */
public final class SampleFigure {

    public static final Color TORSO = new Color(40, 70, 200);
    public static final Color UPPER_ARM = new Color(220, 30, 30);
    public static final Color FOREARM = new Color(250, 150, 20);
    public static final Color THIGH = new Color(30, 160, 60);
    public static final Color SHIN = new Color(20, 90, 40);
    public static final Color HEAD = new Color(240, 200, 160);

    public final int width;
    public final int height;
    /** x, y per joint (COCO-17 order). */
    public final double[][] joints = new double[Joint.COUNT][];

    /** A figure standing with arms a little away from the body, centred at {@code cx}, feet near the bottom. */
    public SampleFigure(int width, int height, double cx) {
        this.width = width;
        this.height = height;
        double s = height / 400.0;
        set(Joint.NOSE, cx, 70 * s);
        set(Joint.LEFT_EYE, cx + 8 * s, 62 * s);
        set(Joint.RIGHT_EYE, cx - 8 * s, 62 * s);
        set(Joint.LEFT_EAR, cx + 18 * s, 66 * s);
        set(Joint.RIGHT_EAR, cx - 18 * s, 66 * s);
        // the figure faces the viewer: its left is on the picture's right
        set(Joint.LEFT_SHOULDER, cx + 35 * s, 115 * s);
        set(Joint.RIGHT_SHOULDER, cx - 35 * s, 115 * s);
        set(Joint.LEFT_ELBOW, cx + 55 * s, 175 * s);
        set(Joint.RIGHT_ELBOW, cx - 55 * s, 175 * s);
        set(Joint.LEFT_WRIST, cx + 65 * s, 235 * s);
        set(Joint.RIGHT_WRIST, cx - 65 * s, 235 * s);
        set(Joint.LEFT_HIP, cx + 22 * s, 230 * s);
        set(Joint.RIGHT_HIP, cx - 22 * s, 230 * s);
        set(Joint.LEFT_KNEE, cx + 26 * s, 300 * s);
        set(Joint.RIGHT_KNEE, cx - 26 * s, 300 * s);
        set(Joint.LEFT_ANKLE, cx + 28 * s, 370 * s);
        set(Joint.RIGHT_ANKLE, cx - 28 * s, 370 * s);
    }

    /** The rest pose as a Kinora pose track file of one frame (samples/pose/README.md). */
    public String restTrackJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\"format\": \"kinora-pose-track\", \"version\": 1, \"skeleton\": \"coco17\", \"source\": \"SampleFigure rest pose\",\n");
        b.append(" \"fps\": 25, \"width\": ").append(width).append(", \"height\": ").append(height).append(",\n \"joints\": [");
        for (Joint j : Joint.values()) {
            b.append(j.ordinal() == 0 ? "" : ", ").append('"').append(j.key()).append('"');
        }
        b.append("],\n \"frames\": [[");
        for (Joint j : Joint.values()) {
            b.append(j.ordinal() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "[%.2f, %.2f, 1]", joints[j.ordinal()][0],
                    joints[j.ordinal()][1]));
        }
        return b.append("]]}\n").toString();
    }

    private void set(Joint j, double x, double y) {
        joints[j.ordinal()] = new double[] {x, y};
    }

    public Pose rest() {
        float[] x = new float[Joint.COUNT];
        float[] y = new float[Joint.COUNT];
        float[] sc = new float[Joint.COUNT];
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] = (float) joints[j][0];
            y[j] = (float) joints[j][1];
            sc[j] = 1;
        }
        return new Pose(x, y, sc);
    }

    /** The background alone: a gradient with a fine diagonal texture, so moved or smeared pixels show. */
    public BufferedImage background() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 90 + (int) (80.0 * x / width);
                int g = 120 + (int) (60.0 * y / height);
                int b = ((x + y) / 6) % 2 == 0 ? 150 : 175;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** The figure over the background. */
    public BufferedImage still() {
        BufferedImage img = background();
        draw(img.createGraphics(), false);
        return img;
    }

    /** White figure on black. */
    public BufferedImage mask() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        draw(img.createGraphics(), true);
        return img;
    }

    private void draw(Graphics2D g, boolean white) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double s = height / 400.0;
        float limb = (float) (18 * s);
        // torso: a thick stroke from neck to pelvis plus shoulder and hip bars
        double[] neck = mid(Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER);
        double[] pelvis = mid(Joint.LEFT_HIP, Joint.RIGHT_HIP);
        stroke(g, white ? Color.WHITE : TORSO, (float) (60 * s), neck, pelvis);
        stroke(g, white ? Color.WHITE : TORSO, limb, joints[Joint.LEFT_SHOULDER.ordinal()], joints[Joint.RIGHT_SHOULDER.ordinal()]);
        stroke(g, white ? Color.WHITE : THIGH, limb, joints[Joint.LEFT_HIP.ordinal()], joints[Joint.LEFT_KNEE.ordinal()]);
        stroke(g, white ? Color.WHITE : THIGH, limb, joints[Joint.RIGHT_HIP.ordinal()], joints[Joint.RIGHT_KNEE.ordinal()]);
        stroke(g, white ? Color.WHITE : SHIN, limb, joints[Joint.LEFT_KNEE.ordinal()], joints[Joint.LEFT_ANKLE.ordinal()]);
        stroke(g, white ? Color.WHITE : SHIN, limb, joints[Joint.RIGHT_KNEE.ordinal()], joints[Joint.RIGHT_ANKLE.ordinal()]);
        g.setColor(white ? Color.WHITE : HEAD);
        double[] nose = joints[Joint.NOSE.ordinal()];
        g.fill(new Ellipse2D.Double(nose[0] - 24 * s, nose[1] - 34 * s, 48 * s, 56 * s));
        stroke(g, white ? Color.WHITE : UPPER_ARM, limb, joints[Joint.LEFT_SHOULDER.ordinal()], joints[Joint.LEFT_ELBOW.ordinal()]);
        stroke(g, white ? Color.WHITE : UPPER_ARM, limb, joints[Joint.RIGHT_SHOULDER.ordinal()], joints[Joint.RIGHT_ELBOW.ordinal()]);
        stroke(g, white ? Color.WHITE : FOREARM, limb, joints[Joint.LEFT_ELBOW.ordinal()], joints[Joint.LEFT_WRIST.ordinal()]);
        stroke(g, white ? Color.WHITE : FOREARM, limb, joints[Joint.RIGHT_ELBOW.ordinal()], joints[Joint.RIGHT_WRIST.ordinal()]);
        g.dispose();
    }

    private double[] mid(Joint a, Joint b) {
        return new double[] {(joints[a.ordinal()][0] + joints[b.ordinal()][0]) / 2, (joints[a.ordinal()][1] + joints[b.ordinal()][1]) / 2};
    }

    private static void stroke(Graphics2D g, Color c, float w, double[] a, double[] b) {
        g.setColor(c);
        g.setStroke(new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(a[0], a[1], b[0], b[1]));
    }

    /** The sample's size. */
    public static final int SAMPLE_WIDTH = 480;
    public static final int SAMPLE_HEIGHT = 600;

    /**
     * Writes {@code figure.png}, {@code figure-mask.png} and {@code figure-rest.json} (its rest pose as a Kinora pose
     * track of one frame) for the figure at {@value #SAMPLE_WIDTH}x{@value #SAMPLE_HEIGHT} into the folder given.
     */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(args.length > 0 ? args[0] : "samples/pose");
        java.nio.file.Files.createDirectories(dir);
        SampleFigure f = new SampleFigure(SAMPLE_WIDTH, SAMPLE_HEIGHT, SAMPLE_WIDTH / 2.0);
        javax.imageio.ImageIO.write(f.still(), "png", dir.resolve("figure.png").toFile());
        javax.imageio.ImageIO.write(f.mask(), "png", dir.resolve("figure-mask.png").toFile());
        java.nio.file.Files.writeString(dir.resolve("figure-rest.json"), f.restTrackJson());
    }
}
