package org.kinora.media.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_photo.INPAINT_TELEA;

import java.nio.ByteBuffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.kinora.core.media.Inpainting;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Inpainting with OpenCV's Telea fill ({@code cv::inpaint}, {@code INPAINT_TELEA}), run only on the hole's bounding box
 * plus the radius it looks around, so a small hole in a large frame costs what the hole costs.
 *
 * <p>Large holes in large frames (a person-sized hole at 1080p) are filled in two passes: the hole's interior at a
 * reduced scale (the frame's longest side about {@value #REDUCED_SIDE} px), enlarged, and then a full-size Telea fill of a
 * thin band along the hole's border, from the sharp surroundings on one side and the enlarged fill on the other. Telea's
 * cost grows with the hole's area times the radius's area, and over a few hundred pixels its fill is a smooth smear of
 * the border anyway, which the reduced pass gives about ten times faster; the band keeps the edges as sharp as a
 * full-size fill. Pixels outside the mask are always copied exactly.
 */
@Component(service = Inpainting.class, configurationPid = "org.kinora.media")
public final class TeleaInpainting implements Inpainting {

    /** Longest side of the frame, in pixels, that the interior of a large hole is filled at. */
    static final int REDUCED_SIDE = 640;
    /**
     * Interior pixels (the hole less its border band) from which the reduced pass is used; below it the full-size fill is
     * fast (a 100x100 hole takes milliseconds) and the reduction would only lose detail.
     */
    static final int MIN_REDUCED_INTERIOR = 40_000;

    private final boolean reduceLargeHoles;

    /** For tests and plain Java use: large holes filled at a reduced scale. */
    public TeleaInpainting() {
        this(true);
    }

    /** For tests: {@code false} fills every hole at full size. */
    TeleaInpainting(boolean reduceLargeHoles) {
        this.reduceLargeHoles = reduceLargeHoles;
    }

    /** Shares the media service's configuration, for the native cache folder (whichever service loads natives first). */
    @Activate
    public TeleaInpainting(MediaConfig config) {
        this();
        MediaServiceImpl.useCacheDir(config.javacppCacheDir());
    }

    @Override
    public VideoFrame inpaint(VideoFrame frame, ByteBuffer mask, int radius) throws MediaException {
        int w = frame.width();
        int h = frame.height();
        long pixels = (long) w * h;
        if (mask == null || mask.remaining() != pixels) {
            throw new MediaException("inpainting frame " + frame.index() + ": the mask has "
                    + (mask == null ? "no" : String.valueOf(mask.remaining())) + " bytes, the " + w + "x" + h
                    + " frame needs " + pixels + " (one per pixel)");
        }
        if (radius < 1) {
            throw new IllegalArgumentException("inpainting frame " + frame.index() + ": radius " + radius
                    + " must be at least 1");
        }
        try (PointerScope scope = new PointerScope()) {
            Mat img = native8u(frame.rgb(), h, w, CV_8UC3, frame.byteCount());
            Mat m = native8u(mask, h, w, CV_8UC1, (int) pixels);
            // any non-zero byte is a hole; 255 so that erosion and subtraction below work on two values only
            threshold(m, m, 0, 255, THRESH_BINARY);
            Rect box = boundingRect(m);
            if (box.width() > 0 && box.height() > 0) {
                if (box.width() == w && box.height() == h && countNonZero(m) == pixels) {
                    throw new MediaException("inpainting frame " + frame.index() + ": the mask covers the whole "
                            + w + "x" + h + " frame, there is nothing to fill from");
                }
                fill(img, m, box, radius, Math.max(w, h));
            }
            ByteBuffer px = ByteBuffer.allocate(frame.byteCount());
            px.put(img.data().capacity(frame.byteCount()).asBuffer()).flip();
            return frame.withPixels(px);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new MediaException("inpainting frame " + frame.index() + " failed: " + e.getMessage(), e);
        }
    }

    /** Fills the hole {@code m} (0/255) of {@code img} in place; {@code box} bounds the hole. */
    private void fill(Mat img, Mat m, Rect box, int radius, int longestSide) {
        double scale = Math.min(1.0, REDUCED_SIDE / (double) longestSide);
        int smallRadius = Math.max(1, (int) Math.round(radius * scale));
        // context around the hole: what Telea looks at, at full size, or at the reduced size for the reduced pass
        int margin = Math.max(radius, (int) Math.ceil((smallRadius + 2) / scale)) + 2;
        Rect roi = grown(box, margin, img.cols(), img.rows());
        Mat src = new Mat(img, roi);
        Mat hole = new Mat(m, roi);
        Mat filled = scale < 1 && reduceLargeHoles ? reducedFill(src, hole, radius, scale, smallRadius)
                : telea(src, hole, radius);
        // copy back only the hole: the pixels outside it stay exactly the caller's
        filled.copyTo(src, hole);
    }

    /**
     * The interior at {@code scale}, the border band at full size; a plain full-size fill when the hole has too little
     * interior for the reduction to pay.
     */
    private static Mat reducedFill(Mat src, Mat hole, int radius, double scale, int smallRadius) {
        // the enlarged fill is blurred over about 1/scale pixels; the band is re-filled at full size a bit beyond that
        int band = (int) Math.ceil(2 / scale) + radius;
        Mat inner = new Mat();
        erode(hole, inner, getStructuringElement(MORPH_RECT, new Size(2 * band + 1, 2 * band + 1)));
        if (countNonZero(inner) < MIN_REDUCED_INTERIOR) {
            return telea(src, hole, radius);
        }
        Size small = new Size(Math.max(1, (int) Math.round(src.cols() * scale)),
                Math.max(1, (int) Math.round(src.rows() * scale)));
        Mat smallSrc = new Mat();
        resize(src, smallSrc, small, 0, 0, INTER_AREA);
        Mat smallHole = new Mat();
        // a reduced pixel that averages any hole pixel is a hole: the known reduced pixels hold no masked colours
        resize(hole, smallHole, small, 0, 0, INTER_AREA);
        threshold(smallHole, smallHole, 0, 255, THRESH_BINARY);
        Mat up = new Mat();
        resize(telea(smallSrc, smallHole, smallRadius), up, src.size(), 0, 0, INTER_LINEAR);
        Mat work = src.clone();
        up.copyTo(work, hole);
        Mat borderBand = new Mat();
        subtract(hole, inner, borderBand);
        return telea(work, borderBand, radius);
    }

    private static Mat telea(Mat src, Mat hole, int radius) {
        Mat out = new Mat();
        opencv_photo.inpaint(src, hole, out, radius, INPAINT_TELEA);
        return out;
    }

    /** {@code r} grown by {@code by} on every side, within {@code w x h}. */
    private static Rect grown(Rect r, int by, int w, int h) {
        int x0 = Math.max(0, r.x() - by);
        int y0 = Math.max(0, r.y() - by);
        int x1 = Math.min(w, r.x() + r.width() + by);
        int y1 = Math.min(h, r.y() + r.height() + by);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /** {@code bytes} bytes from {@code buf}'s position in a new native matrix owned by the current scope. */
    private static Mat native8u(ByteBuffer buf, int rows, int cols, int type, int bytes) {
        BytePointer p = new BytePointer(bytes);
        p.asBuffer().put(buf.duplicate().limit(buf.position() + bytes));
        return new Mat(rows, cols, type, p);
    }
}
