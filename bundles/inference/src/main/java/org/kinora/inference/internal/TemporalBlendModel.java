package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * {@code temporal-blend}: temporal consistency for a per-frame video effect by flow-guided blending. The previous output
 * frame, warped onto the current frame along the optical flow of the source frames, is blended with the current
 * per-frame result where the flow is reliable; elsewhere (occlusions, pixels that came from outside the picture) the
 * current result is kept as it is, and when most of the frame is unreliable (a cut) the current result is returned
 * unchanged. The reliability test is the forward-backward consistency check of Sundaram et al. 2010, as used for video
 * style transfer by Ruder et al. 2016 ("Artistic style transfer for videos"), combined with a photometric check: the
 * previous source frame warped the same way must match the current source frame.
 *
 * <p>The warps are the caller's (the media bundle's {@code OpticalFlow.warp}, OpenCV's bilinear remap), so this model
 * is elementwise work and one small box filter. Inputs, all {@code [1, H, W, C]} on the current frame's grid:
 * {@code stylized} (UINT8, C = 3, the current frame's per-frame result), {@code previous} (UINT8, 3, the previous output,
 * unwarped), {@code warped_previous} (UINT8, 3, the previous output sampled at q), {@code source} (UINT8, 3, the current
 * source frame), {@code previous_source} (UINT8, 3, the previous source frame, unwarped), {@code warped_previous_source}
 * (UINT8, 3, the previous source frame sampled at q), {@code backward} (FP32, 2: where each pixel was in the previous
 * frame, {@code (dx, dy)} in pixels) and {@code warped_forward} (FP32, 2: the forward flow, which is on the previous
 * frame's grid and says where each of its pixels went, sampled at q). Here q = x + backward(x), sampled bilinearly
 * with positions clamped to the picture. Output {@code frames} UINT8 {@code [1, H, W, 3]}. Parameter {@code weight} in
 * {@code [0, 1]} (default {@value #WEIGHT}): how much of the warped previous output a fully reliable pixel takes.
 *
 * <p>Per pixel x: reliable when q is inside the picture, when
 * {@code |backward(x) + forward(q)|^2 <= 0.01 (|backward(x)|^2 + |forward(q)|^2) + 0.5} (the motion there round-trips),
 * and to the degree the warped previous source matches the current one (a soft step from a mean absolute difference of
 * {@value #PHOTO_LOW} to {@value #PHOTO_HIGH} levels, averaged over a 5 x 5 window). Where the unmoved previous source
 * matches the current one as well as the warped one does (within {@value #STILL_MARGIN} level), the pixel is taken as
 * still: the previous output is used unwarped, so DIS's sub-pixel noise on static regions does not jitter hard-edged
 * styles. Output = stylized + weight * reliability * (warped previous - stylized); if the mean reliability is below
 * {@value #CUT}, the output is {@code stylized} exactly.
 */
final class TemporalBlendModel implements BuiltinModel {

    static final String ID = "temporal-blend";
    static final String STYLIZED = "stylized";
    static final String PREVIOUS = "previous";
    static final String WARPED_PREVIOUS = "warped_previous";
    static final String SOURCE = "source";
    static final String PREVIOUS_SOURCE = "previous_source";
    static final String WARPED_PREVIOUS_SOURCE = "warped_previous_source";
    static final String BACKWARD = "backward";
    static final String WARPED_FORWARD = "warped_forward";
    static final String FRAMES = "frames";
    static final String WEIGHT_PARAMETER = "weight";

    /** How much of the warped previous output a fully reliable pixel takes. */
    static final float WEIGHT = 0.85f;
    /** Below this mean reliability the frame is a cut: no blending. */
    static final float CUT = 0.5f;
    /** Photometric check: mean absolute RGB difference (0..255) fully reliable below, unreliable above {@link #PHOTO_HIGH}. */
    static final float PHOTO_LOW = 5f;
    static final float PHOTO_HIGH = 15f;
    /** A pixel counts as still when the unmoved previous source matches it within this many levels of the warped one. */
    static final float STILL_MARGIN = 1f;
    /** Radius of the window the photometric errors are averaged over. */
    static final int ERROR_RADIUS = 2;
    /** Forward-backward check constants (Ruder et al. 2016). */
    static final float FB_RELATIVE = 0.01f;
    static final float FB_ABSOLUTE = 0.5f;

    /** The inputs in order. */
    static final List<String> NAMES = List.of(STYLIZED, PREVIOUS, WARPED_PREVIOUS, SOURCE, PREVIOUS_SOURCE,
            WARPED_PREVIOUS_SOURCE, BACKWARD, WARPED_FORWARD);

    private final ModelInfo info = new ModelInfo(ID, "video-temporal-consistency", FORMAT,
            "Temporal consistency by flow-guided blending: the previous output, warped onto the current frame along the "
                    + "source frames' optical flow (bilinear, by the caller), is blended with the current per-frame result where the flow "
                    + "is reliable (forward-backward consistency check, Sundaram et al. 2010 / Ruder et al. 2016, and a "
                    + "photometric check on the source frames); occlusions keep the current result, cuts reset.",
            List.of(rgb(STYLIZED), rgb(PREVIOUS), rgb(WARPED_PREVIOUS), rgb(SOURCE), rgb(PREVIOUS_SOURCE),
                    rgb(WARPED_PREVIOUS_SOURCE), new TensorSpec(BACKWARD, TensorType.FP32, new long[] {1, -1, -1, 2}),
                    new TensorSpec(WARPED_FORWARD, TensorType.FP32, new long[] {1, -1, -1, 2})),
            List.of(rgb(FRAMES)));

    private static TensorSpec rgb(String name) {
        return new TensorSpec(name, TensorType.UINT8, new long[] {1, -1, -1, 3});
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public NDList run(NDManager scope, NDList inputs, Map<String, Object> parameters, RunControl control) throws InferenceException {
        float weight = weight(parameters);
        NDArray stylized = inputs.get(0);
        Shape s = stylized.getShape();
        long h = s.get(1);
        long w = s.get(2);
        for (int i = 1; i < NAMES.size(); i++) {
            Shape as = inputs.get(i).getShape();
            if (as.get(1) != h || as.get(2) != w) {
                throw new InvalidInferenceRequestException("model '" + ID + "': input tensor '" + NAMES.get(i)
                        + "' must have the size of '" + STYLIZED + "', " + h + " x " + w + ", got " + Arrays.toString(as.getShape()));
            }
        }
        try (NDManager work = scope.newSubManager()) {
            NDList in = new NDList();
            for (NDArray a : inputs) {
                a.tempAttach(work);
                in.add(a);
            }
            NDArray out = blend(work, in, h, w, weight).reshape(1, h, w, 3);
            out.attach(scope);
            out.setName(FRAMES);
            return new NDList(out);
        }
    }

    private static NDArray blend(NDManager work, NDList in, long h, long w, float weight) throws InferenceException {
        NDArray back = in.get(6).reshape(h, w, 2);
        NDArray fwd = in.get(7).reshape(h, w, 2);
        checkFinite(back, BACKWARD);
        checkFinite(fwd, WARPED_FORWARD);
        // the components as [H, W] views: sums over a last axis of 2 or 3 are slow in PyTorch, adding views is not
        NDArray bx = back.get(":, :, 0");
        NDArray by = back.get(":, :, 1");
        NDArray fx = fwd.get(":, :, 0");
        NDArray fy = fwd.get(":, :, 1");

        // q = x + backward(x), where each pixel was in the previous frame, must be inside it
        NDArray qx = bx.add(work.arange(0f, (float) w, 1f, DataType.FLOAT32).reshape(1, w));
        NDArray qy = by.add(work.arange(0f, (float) h, 1f, DataType.FLOAT32).reshape(h, 1));
        NDArray inside = qx.gte(0f).logicalAnd(qx.lte(w - 1f)).logicalAnd(qy.gte(0f)).logicalAnd(qy.lte(h - 1f));

        // forward-backward consistency: going back and forth again lands where it started
        NDArray rx = bx.add(fx);
        NDArray ry = by.add(fy);
        NDArray roundTrip = rx.muli(rx).addi(ry.muli(ry));
        NDArray bound = bx.mul(bx).addi(by.mul(by)).addi(fx.mul(fx)).addi(fy.mul(fy)).muli(FB_RELATIVE).addi(FB_ABSOLUTE);
        NDArray consistent = roundTrip.lte(bound).logicalAnd(inside);

        // photometric: the source there looked the same (mean absolute difference over R, G, B)
        NDArray src = rgb(in.get(3), h, w);
        NDArray flowError = channelMean(src.sub(rgb(in.get(5), h, w)).abs());
        NDArray stillError = channelMean(src.subi(rgb(in.get(4), h, w)).abs());
        // both averaged over a small window (borders over the pixels inside; separable, as rows then columns): one
        // pixel's difference is mostly noise (sensor, compression), and a per-pixel choice between the two would flip
        // at random on textured regions
        NDArray errors = boxMean(NDArrays.stack(new NDList(flowError, stillError)), ERROR_RADIUS);
        flowError = errors.get(0);
        stillError = errors.get(1);

        // no motion where that explains the source as well as the flow does: DIS leaves sub-pixel noise on still
        // regions, and warping hard-edged styles (ink lines, colour bands) by it each frame adds the jitter the blend
        // is meant to remove; a still pixel needs no round trip
        NDArray still = stillError.lte(flowError.add(STILL_MARGIN));
        consistent = consistent.logicalOr(still).toType(DataType.FLOAT32, false);
        NDArray photoError = NDArrays.where(still, stillError, flowError);
        NDArray reliable = ImageOps.smoothstep(photoError, PHOTO_LOW, PHOTO_HIGH).neg().addi(1f).muli(consistent);

        if (reliable.mean().getFloat() < CUT) {
            return in.get(0).reshape(h, w, 3).duplicate(); // a cut: the current frame as it is
        }
        NDArray warped = NDArrays.where(still.expandDims(2).broadcast(h, w, 3), in.get(1).reshape(h, w, 3),
                in.get(2).reshape(h, w, 3)).toType(DataType.FLOAT32, false);
        NDArray cur = rgb(in.get(0), h, w);
        NDArray out = warped.subi(cur).muli(reliable.muli(weight).expandDims(2)).addi(cur);
        return out.clip(0f, 255f).addi(0.5f).toType(DataType.UINT8, false);
    }

    /**
     * The mean over each {@code (2r+1)^2} window of {@code [C, H, W]}, borders averaged over the pixels inside: separable
     * sums of shifted views of a zero-padded copy (faster here than PyTorch's average pool, and than running sums).
     */
    static NDArray boxMean(NDArray x, int r) {
        NDManager m = x.getManager();
        long h = x.getShape().get(1);
        long w = x.getShape().get(2);
        NDArray rows = windowSum(x, 1, r);
        NDArray sums = windowSum(rows, 2, r);
        // pixels under each window: (rows inside) x (columns inside)
        NDArray insideRows = windowSum(m.ones(new Shape(1, h, 1)), 1, r);
        NDArray insideCols = windowSum(m.ones(new Shape(1, 1, w)), 2, r);
        return sums.divi(insideRows.mul(insideCols));
    }

    /** Sums of the {@code 2r+1} elements around each along {@code axis} (zero outside). */
    private static NDArray windowSum(NDArray x, int axis, int r) {
        long[] zs = x.getShape().getShape().clone();
        long len = zs[axis];
        zs[axis] = r;
        NDArray zeros = x.getManager().zeros(new Shape(zs), x.getDataType());
        NDArray padded = NDArrays.concat(new NDList(zeros, x, zeros), axis);
        NDArray sum = shifted(padded, axis, 0, len).add(shifted(padded, axis, 1, len));
        for (int i = 2; i <= 2 * r; i++) {
            sum.addi(shifted(padded, axis, i, len));
        }
        return sum;
    }

    /** Elements {@code from .. from + len - 1} along {@code axis} of a 3-dimensional array (a view). */
    private static NDArray shifted(NDArray x, int axis, long from, long len) {
        String s = from + ":" + (from + len);
        return x.get(axis == 0 ? s + ", :, :" : axis == 1 ? ":, " + s + ", :" : ":, :, " + s);
    }

    /** The mean of a {@code [H, W, 3]} array's channels, {@code [H, W]} (as a sum of views; see {@link #blend}). */
    private static NDArray channelMean(NDArray a) {
        return a.get(":, :, 0").add(a.get(":, :, 1")).addi(a.get(":, :, 2")).muli(1f / 3f);
    }

    /** A UINT8 {@code [1, H, W, 3]} input as FLOAT32 {@code [H, W, 3]}. */
    private static NDArray rgb(NDArray a, long h, long w) {
        return a.reshape(h, w, 3).toType(DataType.FLOAT32, false);
    }

    private static float weight(Map<String, Object> parameters) throws InvalidInferenceRequestException {
        for (String name : parameters.keySet()) {
            if (!name.equals(WEIGHT_PARAMETER)) {
                throw new InvalidInferenceRequestException("model '" + ID + "': unknown parameter '" + name + "' (parameters: "
                        + WEIGHT_PARAMETER + ")");
            }
        }
        return Params.unitNumber(ID, parameters, WEIGHT_PARAMETER, WEIGHT);
    }

    private static void checkFinite(NDArray a, String name) throws InvalidInferenceRequestException {
        // a - a is 0 for a finite value and NaN for NaN or an infinity, so the sum is NaN exactly when one is there
        try (NDArray d = a.sub(a); NDArray sum = d.sum()) {
            if (Float.isNaN(sum.getFloat())) {
                throw new InvalidInferenceRequestException("model '" + ID + "': input tensor '" + name + "' holds NaN or infinite values");
            }
        }
    }
}
