package org.kinora.effect.pose.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.kinora.core.effect.EffectException;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.Inpainting;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;
import org.kinora.effect.pose.internal.rig.Retargeter;
import org.kinora.effect.pose.internal.track.TrackFiles;

/**
 * The character of a still, ready to rig: its rest pose (MoveNet on the still, or a given pose file), its mask
 * (selfie segmentation on a crop around it, or a given mask picture) and the background behind it (the still with the
 * character's area inpainted).
 *
 * @param still      the still's pixels, packed RGB
 * @param alpha      the character's mask, one value in [0, 1] per pixel
 * @param background the still with the character removed, packed RGB
 * @param rest       the character's rest pose, in the still's pixels
 */
public record CharacterCutout(int width, int height, byte[] still, float[] alpha, byte[] background, Pose rest) {

    /** Inpainting's look-around radius (pixels). */
    static final int INPAINT_RADIUS = 5;

    /** The joints a rest pose must show: the ones a track must show (the face may be missing). */
    static final List<Joint> REQUIRED = TrackFiles.REQUIRED;

    /**
     * Finds the character.
     *
     * @param restFile  a pose file whose first frame is the rest pose, or {@code null} for MoveNet
     * @param maskFile  a mask picture, or {@code null} for selfie segmentation
     * @param stillSize the still's own size (pose and mask files refer to it), {width, height}
     * @return the cutout, or {@code null} when the job was cancelled
     */
    static CharacterCutout find(VideoFrame frame, int[] stillSize, Path restFile, Path maskFile, PoseModels models, Inpainting inpainting,
            JobContext job) throws EffectException, InterruptedException {
        int w = frame.width();
        int h = frame.height();
        Pose rest;
        try {
            if (restFile != null) {
                rest = restFromFile(restFile, stillSize, w, h);
            } else {
                List<Pose> found = models.await(models.submitKeypoints(List.of(frame), job), job);
                if (found == null) {
                    return null;
                }
                rest = found.get(0);
            }
        } catch (InferenceException e) {
            throw new EffectException(PoseAnimateEffect.ID + ": finding the character's pose with '" + PoseModels.MOVENET + "' failed: "
                    + e.getMessage() + " (fetch it with: kinora models fetch " + PoseModels.MOVENET + ", or give rest=PATH)", e);
        }
        List<String> missing = REQUIRED.stream().filter(j -> !rest.seen(j, Retargeter.MIN_SCORE)).map(Joint::key).toList();
        if (!missing.isEmpty()) {
            throw new EffectException(PoseAnimateEffect.ID + ": " + (restFile != null ? "rest pose " + restFile
                    : "MoveNet did not find a whole figure in the still") + ": " + String.join(", ", missing) + " not seen"
                    + (restFile != null ? "" : " (" + rest + "); give the rest pose with rest=PATH (a pose file, e.g. from the panel)"));
        }
        byte[] still = new byte[frame.byteCount()];
        frame.rgb().duplicate().rewind().get(still);
        float[] alpha;
        if (maskFile != null) {
            try {
                alpha = MaskFile.read(maskFile, w, h);
            } catch (IllegalArgumentException e) {
                throw new EffectException(PoseAnimateEffect.ID + ": " + e.getMessage(), e);
            }
        } else {
            try {
                alpha = models.mask(frame, personBox(rest, w, h), job);
            } catch (InferenceException e) {
                throw new EffectException(PoseAnimateEffect.ID + ": cutting the character out with '" + PoseModels.SELFIE + "' failed: "
                        + e.getMessage() + " (fetch it with: kinora models fetch " + PoseModels.SELFIE + ", or give mask=PATH)", e);
            }
            if (alpha == null) {
                return null;
            }
            keepConnected(alpha, w, h, rest);
        }
        byte[] hole = hole(alpha, w, h, (int) Math.max(2, Math.round(0.012 * bodyHeight(rest))));
        VideoFrame filled;
        try {
            filled = inpainting.inpaint(frame, ByteBuffer.wrap(hole), INPAINT_RADIUS);
        } catch (MediaException e) {
            throw new EffectException(PoseAnimateEffect.ID + ": filling the background behind the character failed: " + e.getMessage(), e);
        }
        byte[] background = new byte[still.length];
        filled.rgb().duplicate().rewind().get(background);
        return new CharacterCutout(w, h, still, alpha, background, rest);
    }

    private static Pose restFromFile(Path file, int[] stillSize, int w, int h) throws EffectException {
        PoseTrack t;
        try {
            t = TrackFiles.read(file, TrackOptions.defaults());
        } catch (PoseTrackException e) {
            throw new EffectException(PoseAnimateEffect.ID + ": rest pose: " + e.getMessage(), e);
        }
        // positions refer to the picture the pose was made on: the track's stated size, else the still's own size
        double sx = (double) w / (t.width() > 0 ? t.width() : stillSize[0]);
        double sy = (double) h / (t.height() > 0 ? t.height() : stillSize[1]);
        Pose p = t.frames().get(0);
        float[] x = p.xs();
        float[] y = p.ys();
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] = (float) ((x[j] + 0.5) * sx - 0.5);
            y[j] = (float) ((y[j] + 0.5) * sy - 0.5);
        }
        return new Pose(x, y, p.scores());
    }

    /** How far (pixels) the soft edge of a kept region reaches. */
    static final int FRINGE = 4;

    /** Mask values above this are connected into the character's regions. */
    static final float CONNECTED = 0.1f;

    /**
     * Zeroes the parts of a segmentation mask not connected to the character: a mask of a crop can show bits of other
     * people or of the background, which would otherwise be rigged to the nearest bone and dragged along. Regions (of
     * mask values above {@value #CONNECTED}, 8-connected) are kept when a joint of the rest pose, or the middle of one of its
     * limbs, falls in them.
     */
    static void keepConnected(float[] alpha, int w, int h, Pose rest) {
        int[] label = new int[w * h];
        int[] stack = new int[w * h];
        int next = 0;
        java.util.List<int[]> seeds = new java.util.ArrayList<>();
        for (Joint j : Joint.values()) {
            if (rest.seen(j, Retargeter.MIN_SCORE)) {
                seeds.add(new int[] {Math.round(rest.x(j)), Math.round(rest.y(j))});
            }
        }
        for (Joint[] bone : new Joint[][] {{Joint.LEFT_SHOULDER, Joint.LEFT_ELBOW}, {Joint.LEFT_ELBOW, Joint.LEFT_WRIST},
                {Joint.RIGHT_SHOULDER, Joint.RIGHT_ELBOW}, {Joint.RIGHT_ELBOW, Joint.RIGHT_WRIST}, {Joint.LEFT_HIP, Joint.LEFT_KNEE},
                {Joint.LEFT_KNEE, Joint.LEFT_ANKLE}, {Joint.RIGHT_HIP, Joint.RIGHT_KNEE}, {Joint.RIGHT_KNEE, Joint.RIGHT_ANKLE},
                {Joint.LEFT_SHOULDER, Joint.RIGHT_HIP}, {Joint.RIGHT_SHOULDER, Joint.LEFT_HIP}}) {
            seeds.add(new int[] {Math.round((rest.x(bone[0]) + rest.x(bone[1])) / 2), Math.round((rest.y(bone[0]) + rest.y(bone[1])) / 2)});
        }
        for (int[] s : seeds) {
            if (s[0] < 0 || s[1] < 0 || s[0] >= w || s[1] >= h) {
                continue;
            }
            int start = s[1] * w + s[0];
            if (alpha[start] <= CONNECTED || label[start] != 0) {
                continue;
            }
            next++;
            int top = 0;
            stack[top++] = start;
            label[start] = next;
            while (top > 0) {
                int i = stack[--top];
                int x = i % w;
                int y = i / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                            int k = ny * w + nx;
                            if (label[k] == 0 && alpha[k] > CONNECTED) {
                                label[k] = next;
                                stack[top++] = k;
                            }
                        }
                    }
                }
            }
        }
        if (next == 0) {
            return; // nothing of the mask under the skeleton: leave it as it is, the rig will say what is wrong
        }
        // a kept region's soft edge (values at or below the threshold next to it) stays; faint specks elsewhere go
        float[] kept = new float[alpha.length];
        for (int i = 0; i < alpha.length; i++) {
            kept[i] = label[i] != 0 ? 1 : 0;
        }
        byte[] near = hole(kept, w, h, FRINGE);
        for (int i = 0; i < alpha.length; i++) {
            if (label[i] == 0 && (alpha[i] > CONNECTED || near[i] == 0)) {
                alpha[i] = 0;
            }
        }
    }

    static double bodyHeight(Pose p) {
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Joint j : Joint.values()) {
            if (p.seen(j, Retargeter.MIN_SCORE)) {
                minY = Math.min(minY, p.y(j));
                maxY = Math.max(maxY, p.y(j));
            }
        }
        return Math.max(1, maxY - minY);
    }

    /** The person's box with a margin (the head above the nose, hands and feet beyond the keypoints), clipped. */
    static int[] personBox(Pose p, int w, int h) {
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (Joint j : Joint.values()) {
            if (p.seen(j, Retargeter.MIN_SCORE)) {
                x0 = Math.min(x0, p.x(j));
                y0 = Math.min(y0, p.y(j));
                x1 = Math.max(x1, p.x(j));
                y1 = Math.max(y1, p.y(j));
            }
        }
        double m = 0.25 * Math.max(x1 - x0, y1 - y0);
        int bx0 = (int) Math.max(0, Math.floor(x0 - m));
        int by0 = (int) Math.max(0, Math.floor(y0 - m));
        int bx1 = (int) Math.min(w, Math.ceil(x1 + m));
        int by1 = (int) Math.min(h, Math.ceil(y1 + m));
        return new int[] {bx0, by0, Math.max(bx0 + 1, bx1), Math.max(by0 + 1, by1)};
    }

    /** Where the background must be filled: everything the mask touches, grown by {@code grow} pixels. */
    static byte[] hole(float[] alpha, int w, int h, int grow) {
        byte[] a = new byte[w * h];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (alpha[i] > 0.03f ? 1 : 0);
        }
        byte[] rows = new byte[a.length];
        for (int y = 0; y < h; y++) {
            int last = -1_000_000;
            for (int x = 0; x < w; x++) {
                if (a[y * w + x] != 0) {
                    last = x;
                }
                if (x - last <= grow) {
                    rows[y * w + x] = 1;
                }
            }
            last = 1_000_000;
            for (int x = w - 1; x >= 0; x--) {
                if (a[y * w + x] != 0) {
                    last = x;
                }
                if (last - x <= grow) {
                    rows[y * w + x] = 1;
                }
            }
        }
        byte[] out = new byte[a.length];
        for (int x = 0; x < w; x++) {
            int last = -1_000_000;
            for (int y = 0; y < h; y++) {
                if (rows[y * w + x] != 0) {
                    last = y;
                }
                if (y - last <= grow) {
                    out[y * w + x] = (byte) 255;
                }
            }
            last = 1_000_000;
            for (int y = h - 1; y >= 0; y--) {
                if (rows[y * w + x] != 0) {
                    last = y;
                }
                if (last - y <= grow) {
                    out[y * w + x] = (byte) 255;
                }
            }
        }
        return out;
    }
}
