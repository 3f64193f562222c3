package org.kinora.media.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_RELATIVE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;
import org.kinora.core.media.FlowField;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.OpticalFlow;
import org.kinora.core.media.VideoFrame;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Optical flow with OpenCV's DIS (Dense Inverse Search, Kroeger et al. 2016) on the frames' luma, preset
 * {@code ULTRAFAST}, at full size: DIS already searches on a pyramid and stops at a quarter of the resolution (finest
 * scale 2) before densifying, and reducing the frames first and enlarging the field afterwards measured no faster
 * (the enlarging costs what the smaller search saves). A DIS instance keeps per-size buffers and is not thread-safe,
 * so each call makes its own (creating one costs microseconds).
 *
 * <p>Warps are OpenCV's {@code remap} (bilinear, {@code BORDER_REPLICATE}) with the flow as a relative map.
 */
@Component(service = OpticalFlow.class, configurationPid = "org.kinora.media")
public final class DisOpticalFlow implements OpticalFlow {

    private final int preset;

    /** For tests and plain Java use: the {@code ULTRAFAST} preset, JavaCPP's cache settings left as they are. */
    public DisOpticalFlow() {
        this(DISOpticalFlow.PRESET_ULTRAFAST);
    }

    /** For tests: another DIS preset. */
    DisOpticalFlow(int preset) {
        this.preset = preset;
    }

    /** Shares the media service's configuration, for the native cache folder (whichever service loads natives first). */
    @Activate
    public DisOpticalFlow(MediaConfig config) {
        this();
        MediaServiceImpl.useCacheDir(config.javacppCacheDir());
    }

    @Override
    public FlowField estimate(VideoFrame from, VideoFrame to) throws MediaException {
        if (from.width() != to.width() || from.height() != to.height()) {
            throw new MediaException("optical flow between frames " + from.index() + " (" + from.width() + "x"
                    + from.height() + ") and " + to.index() + " (" + to.width() + "x" + to.height()
                    + "): the frames differ in size");
        }
        int w = from.width();
        int h = from.height();
        try (PointerScope scope = new PointerScope()) {
            Mat i0 = gray(from);
            Mat i1 = gray(to);
            // an empty output: DIS takes a field of the right size and type as its initial guess, and an uninitialized
            // one (garbage vectors) made it read outside the picture
            Mat flow = new Mat();
            DISOpticalFlow.create(preset).calc(i0, i1, flow);
            if (!flow.isContinuous() || flow.rows() != h || flow.cols() != w || flow.type() != CV_32FC2) {
                throw new MediaException("optical flow between frames " + from.index() + " and " + to.index()
                        + ": OpenCV returned an unexpected field " + flow.cols() + "x" + flow.rows() + " type " + flow.type());
            }
            int n = w * h * 2;
            FloatBuffer out = FloatBuffer.allocate(n);
            out.put(new FloatPointer(flow.data()).capacity(n).asBuffer()).flip();
            return new FlowField(w, h, out);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new MediaException("optical flow between frames " + from.index() + " and " + to.index() + " failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public VideoFrame warp(VideoFrame frame, FlowField by) throws MediaException {
        checkSize(frame.width(), frame.height(), by, "frame " + frame.index());
        try (PointerScope scope = new PointerScope()) {
            Mat out = remapped(rgb(frame), by);
            ByteBuffer px = ByteBuffer.allocate(frame.byteCount());
            px.put(out.data().capacity(frame.byteCount()).asBuffer()).flip();
            return frame.withPixels(px);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new MediaException("warping frame " + frame.index() + " along a flow field failed: " + e.getMessage(), e);
        }
    }

    @Override
    public FlowField warp(FlowField field, FlowField by) throws MediaException {
        checkSize(field.width(), field.height(), by, "flow field");
        try (PointerScope scope = new PointerScope()) {
            Mat out = remapped(mat(field), by);
            int n = field.width() * field.height() * 2;
            FloatBuffer f = FloatBuffer.allocate(n);
            f.put(new FloatPointer(out.data()).capacity(n).asBuffer()).flip();
            return new FlowField(field.width(), field.height(), f);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new MediaException("warping a flow field along another failed: " + e.getMessage(), e);
        }
    }

    private static void checkSize(int w, int h, FlowField by, String what) throws MediaException {
        if (w != by.width() || h != by.height()) {
            throw new MediaException("warping " + what + " (" + w + "x" + h + ") along a flow field of " + by.width() + "x"
                    + by.height() + ": they differ in size");
        }
    }

    /** {@code src} sampled at the pixel grid plus {@code by}, in a new continuous matrix owned by the current scope. */
    private static Mat remapped(Mat src, FlowField by) {
        Mat out = new Mat();
        // a relative map: the flow itself, no grid to add
        remap(src, out, mat(by), new Mat(), INTER_LINEAR | WARP_RELATIVE_MAP, BORDER_REPLICATE, null);
        return out;
    }

    /** A flow field in a new native matrix (CV_32FC2) owned by the current scope. */
    private static Mat mat(FlowField f) {
        FloatPointer p = new FloatPointer((long) f.width() * f.height() * 2);
        p.asBuffer().put(f.dxdy().duplicate().rewind());
        return new Mat(f.height(), f.width(), CV_32FC2, p);
    }

    /** The frame's pixels in a new native matrix (CV_8UC3) owned by the current scope. */
    private static Mat rgb(VideoFrame f) {
        BytePointer px = new BytePointer(f.byteCount());
        px.asBuffer().put(f.rgb().duplicate().rewind());
        return new Mat(f.height(), f.width(), CV_8UC3, px);
    }

    /** The frame's luma (BT.601, OpenCV's RGB-to-gray) in a new native matrix owned by the current scope. */
    private static Mat gray(VideoFrame f) {
        Mat g = new Mat();
        cvtColor(rgb(f), g, COLOR_RGB2GRAY);
        return g;
    }
}
