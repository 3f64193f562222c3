package org.kinora.core.pose;

/**
 * How a track file is read where the file itself does not say.
 *
 * @param bvhView the view a BVH capture is projected through
 * @param fps     the rate BVH frames are resampled to (the project's), or 0 to keep the capture's own frame time
 * @param height  the height in pixels a BVH performer's rest pose is scaled to, or 0 for 1 px per BVH unit
 */
public record TrackOptions(BvhView bvhView, double fps, int height) {

    public TrackOptions {
        if (bvhView == null || !(fps >= 0) || Double.isInfinite(fps) || height < 0) {
            throw new IllegalArgumentException("bad track options " + bvhView + ", " + fps + " fps, height " + height);
        }
    }

    /** Front view, the capture's own rate, BVH units. */
    public static TrackOptions defaults() {
        return new TrackOptions(BvhView.FRONT, 0, 0);
    }
}
