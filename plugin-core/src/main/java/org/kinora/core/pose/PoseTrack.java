package org.kinora.core.pose;

import java.util.List;

/**
 * One person's poses over time, on the COCO-17 skeleton.
 *
 * @param source what the track was read or extracted from, for messages (a file name, a clip)
 * @param format the format it came in: {@code kinora}, {@code openpose-body25}, {@code openpose-coco18}, {@code coco17},
 *               {@code bvh}, {@code movenet}
 * @param fps    frames per second of {@code frames}; 0 when the file does not say (OpenPose and COCO files: their frames
 *               are then taken at the project's rate)
 * @param width  width in pixels of the picture the positions refer to; 0 when unknown
 * @param height height in pixels of that picture; 0 when unknown
 * @param frames the poses, one per frame, at least one
 */
public record PoseTrack(String source, String format, double fps, int width, int height, List<Pose> frames) {

    public PoseTrack {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException(source + ": a pose track has at least one frame");
        }
        if (!(fps >= 0) || Double.isInfinite(fps) || width < 0 || height < 0) {
            throw new IllegalArgumentException(source + ": bad fps " + fps + " or size " + width + "x" + height);
        }
    }

    /** Frames in the track. */
    public int size() {
        return frames.size();
    }
}
