package org.kinora.effect.pose.internal;

import java.util.ArrayList;
import java.util.List;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.effect.pose.internal.track.TrackCleanup;

/**
 * Keypoints of every frame of a video with MoveNet, in batches (one batch with the service while the next is decoded),
 * then cleaned up over time: joints missed for up to {@link #MAX_GAP} frames are interpolated from their neighbours,
 * and positions are smoothed with a One Euro filter (Casiez et al. 2012), which removes MoveNet's frame-to-frame jitter
 * while following fast moves with little lag.
 */
public final class PoseExtractor {

    /** Frames per MoveNet call. */
    static final int BATCH = 8;
    /** Longest run of frames a missed joint is interpolated over. */
    static final int MAX_GAP = 8;
    /** One Euro filter: cutoff at rest (Hz) and speed coefficient, tuned on MoveNet's jitter at 25 fps. */
    static final double MIN_CUTOFF = 1.5;
    static final double BETA = 0.05;
    /** Longest driving clip read (frames): an hour at 60 fps. */
    static final long MAX_FRAMES = 3600L * 60;

    private final PoseModels models;

    public PoseExtractor(PoseModels models) {
        this.models = models;
    }

    /**
     * @return the cleaned track, or {@code null} when the job was cancelled
     * @throws PoseTrackException when MoveNet is missing or fails, decoding fails, or no frame shows a person
     */
    public PoseTrack extract(FrameSource frames, String source, double fps, JobContext job, long total)
            throws PoseTrackException, InterruptedException {
        List<Pose> poses = new ArrayList<>();
        int[] size = new int[2];
        // frames decoded so far: the decoder runs a batch ahead of the poses, so a decoding error is named by this
        long decoded = 0;
        PoseModels.Pending inFlight = null;
        try {
            while (true) {
                List<VideoFrame> batch = new ArrayList<>(BATCH);
                VideoFrame f;
                while (batch.size() < BATCH && (f = frames.next()) != null) {
                    batch.add(f);
                    decoded++;
                    size[0] = f.width();
                    size[1] = f.height();
                }
                if (poses.size() + batch.size() + (inFlight == null ? 0 : inFlight.frames().size()) > MAX_FRAMES) {
                    throw new PoseTrackException(source + ": longer than " + MAX_FRAMES + " frames");
                }
                PoseModels.Pending next = batch.isEmpty() ? null : models.submitKeypoints(batch, job);
                if (inFlight != null) {
                    List<Pose> got = models.await(inFlight, job);
                    if (got == null) {
                        return null;
                    }
                    poses.addAll(got);
                    job.progress(poses.size(), Math.max(total, poses.size()));
                }
                if (next == null) {
                    break;
                }
                inFlight = next;
                if (job.isCancelled()) {
                    return null;
                }
            }
        } catch (MediaException e) {
            throw new PoseTrackException(source + ": decoding frame " + decoded + " failed: " + e.getMessage(), e);
        } catch (InferenceException e) {
            throw new PoseTrackException(source + ": " + e.getMessage()
                    + (e.getMessage().contains("not") ? " (kinora models fetch " + PoseModels.MOVENET + ")" : ""), e);
        }
        if (poses.isEmpty()) {
            throw new PoseTrackException(source + ": has no frames");
        }
        boolean anyone = poses.stream().anyMatch(p -> p.seen(Joint.LEFT_SHOULDER, 0.3f) && p.seen(Joint.RIGHT_HIP, 0.3f));
        if (!anyone) {
            throw new PoseTrackException(source + ": MoveNet found no person in any of its " + poses.size() + " frames");
        }
        PoseTrack raw = new PoseTrack(source, "movenet", fps, size[0], size[1], poses);
        return TrackCleanup.smooth(TrackCleanup.fillGaps(raw, MIN_SCORE, MAX_GAP), MIN_CUTOFF, BETA);
    }

    /** Keypoints MoveNet gives below this score are treated as missed. */
    static final float MIN_SCORE = 0.25f;
}
