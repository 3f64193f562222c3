package org.kinora.media.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.repeat;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
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
 * <p>Warps are OpenCV's {@code remap} (bilinear, {@code BORDER_REPLICATE}) with the flow plus the pixel grid as the map.
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
        int w = by.width();
        int h = by.height();
        // the map holds absolute positions: the flow plus (x, 0) repeated down the rows plus (0, y) across the columns
        float[] row = new float[w * 2];
        for (int x = 0; x < w; x++) {
            row[2 * x] = x;
        }
        float[] column = new float[h * 2];
        for (int y = 0; y < h; y++) {
            column[2 * y + 1] = y;
        }
        Mat xs = new Mat();
        repeat(new Mat(1, w, CV_32FC2, new FloatPointer(row)), h, 1, xs);
        Mat ys = new Mat();
        repeat(new Mat(h, 1, CV_32FC2, new FloatPointer(column)), 1, w, ys);
        Mat map = new Mat();
        add(mat(by), xs, map);
        add(map, ys, map);
        Mat out = new Mat();
        remap(src, out, map, new Mat(), INTER_LINEAR, BORDER_REPLICATE, null);
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
