package org.kinora.core.media;

/**
 * Dense optical flow between two frames of the same size. Registered as an OSGi service by the media bundle (OpenCV's
 * DIS optical flow, Kroeger et al. 2016, "Fast Optical Flow using Dense Inverse Search"). Thread-safe: calls may run
 * concurrently.
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
}
