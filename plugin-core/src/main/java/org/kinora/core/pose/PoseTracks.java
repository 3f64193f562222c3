package org.kinora.core.pose;

import java.nio.file.Path;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSource;

/**
 * Reads, writes and extracts pose tracks. Registered as an OSGi service by the pose-animate bundle.
 */
public interface PoseTracks {

    /**
     * Longest side, in pixels, of frames worth giving {@link #extract}: MoveNet looks at a 256-pixel square, so larger
     * frames only cost decoding and resizing time. Decode at {@link #analysisSize} and scale the track back.
     */
    int ANALYSIS_SIDE = 512;

    /** {@code width x height} scaled down (never up) so the longer side is at most {@link #ANALYSIS_SIDE}; both even. */
    static int[] analysisSize(int width, int height) {
        double k = Math.min(1, (double) ANALYSIS_SIDE / Math.max(width, height));
        return new int[] {Math.max(2, 2 * (int) Math.round(width * k / 2)), Math.max(2, 2 * (int) Math.round(height * k / 2))};
    }

    /**
     * Reads a track in any supported format, told apart by content: a folder of OpenPose per-frame JSON files
     * ({@code *_keypoints.json}, BODY_25 or COCO-18, frames in name order), an OpenPose sequence (a JSON array of
     * per-frame objects), a COCO-17 keypoint file (COCO annotations, or an array of objects with 51 {@code keypoints}),
     * a BVH file, or a Kinora track ({@code "format": "kinora-pose-track"}). Sizes and counts are bounded before anything
     * is allocated for them.
     *
     * @throws PoseTrackException naming the file (and the frame and joint where it applies) and the problem: missing
     *                            joints, a value that is not a number, no frames, an unknown skeleton, BVH channels
     *                            that are not supported
     */
    PoseTrack read(Path file, TrackOptions options) throws PoseTrackException;

    /**
     * Writes a track as a Kinora track file (JSON, documented in {@code samples/pose/README.md}), atomically (a
     * temporary file beside it, then a rename).
     *
     * @throws PoseTrackException naming the file when it cannot be written
     */
    void write(PoseTrack track, Path file) throws PoseTrackException;

    /**
     * Finds the most prominent person's keypoints in every frame of {@code frames} with MoveNet (the inference
     * service's {@code movenet-thunder}), fills joints missed in a few frames from their neighbours and smooths the
     * positions over time. Reports progress per frame and stops early, returning what it has, when the job is cancelled.
     *
     * @param source what the frames are, for messages and {@link PoseTrack#source()}
     * @param fps    the frames' rate
     * @throws PoseTrackException when the model is missing or fails, or no person is found in any frame
     */
    PoseTrack extract(FrameSource frames, String source, double fps, JobContext job) throws PoseTrackException, InterruptedException;

    /**
     * The driver's poses mapped onto a character as {@code pose-animate} does it: each of the character's bones keeps its
     * length and takes the driver's direction (foreshortening carried over as a ratio of the driver's own bone length),
     * the pelvis following the driver's, scaled to the character's height, or pinned. Frames keep the driver's rate.
     *
     * @param characterRest the character's rest pose (shoulders, elbows, wrists, hips, knees and ankles seen)
     * @param pinRoot       keep the pelvis where the rest pose has it
     * @throws PoseTrackException naming the joints the rest pose lacks
     */
    PoseTrack retarget(PoseTrack driver, Pose characterRest, boolean pinRoot) throws PoseTrackException;
}
