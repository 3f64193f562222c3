package org.kinora.core.media;

/**
 * Dense optical flow between two frames of the same size, and warps along such a flow. Registered as an OSGi service by
 * the media bundle (OpenCV's DIS optical flow, Kroeger et al. 2016, "Fast Optical Flow using Dense Inverse Search";
 * OpenCV's remap for the warps). Thread-safe: calls may run concurrently.
 */
public interface OpticalFlow {

    /**
     * The motion that carries {@code from} onto {@code to}, on {@code from}'s pixel grid: for every pixel {@code (x, y)}
     * of {@code from}, its content is found in {@code to} at {@code (x + dx, y + dy)} (pixel centres, x to the right,
     * y down). So {@code estimate(current, previous)} tells where each pixel of the current frame was in the previous
     * one, which is what warping the previous frame onto the current one samples.
     *
     * @throws MediaException when the frames differ in size or the estimation fails; the message names the frames
     */
    FlowField estimate(VideoFrame from, VideoFrame to) throws MediaException;

    /**
     * {@code frame} warped along {@code by}, onto {@code by}'s grid: each output pixel {@code (x, y)} is {@code frame}
     * sampled bilinearly at {@code (x + dx, y + dy)}, where {@code (dx, dy)} is {@code by} at {@code (x, y)}; positions
     * outside the picture take the nearest edge pixel (as if clamped to it). So {@code warp(previous, estimate(current,
     * previous))} is the previous frame moved onto the current one. Positions are resolved to 1/32 pixel; the values are
     * rounded to whole levels.
     *
     * @return a new frame with {@code frame}'s index
     * @throws MediaException when the two differ in size or the warp fails; the message names the frame
     */
    VideoFrame warp(VideoFrame frame, FlowField by) throws MediaException;

    /**
     * {@code field} warped along {@code by}, as {@link #warp(VideoFrame, FlowField)} does with a frame's pixels: the two
     * displacement components are sampled bilinearly at {@code (x + dx, y + dy)}. So {@code warp(estimate(previous,
     * current), estimate(current, previous))} is, on the current frame's grid, where the previous frame's pixel each
     * pixel came from went (for the forward-backward check).
     *
     * @throws MediaException when the two differ in size or the warp fails
     */
    FlowField warp(FlowField field, FlowField by) throws MediaException;
}
