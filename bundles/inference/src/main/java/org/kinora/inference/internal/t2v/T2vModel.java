package org.kinora.inference.internal.t2v;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.BundledWeights;

/**
 * The built-in text-to-video denoiser's network: a {@link Dit} with the weights {@link TrainGenerate} wrote, shipped in
 * this bundle and checked against their card's sha256. One call is one velocity evaluation of the sampler (the sampler,
 * guidance and schedule are the caller's: the generate effect's own code).
 */
public final class T2vModel implements AutoCloseable {

    /** The model id. */
    public static final String ID = "t2v-world";
    /** Where the weights, card and loss curve live among the bundle's resources. */
    public static final String RESOURCES = "/org/kinora/inference/internal/t2v/";
    static final int MAX_PARAMS_BYTES = 64 << 20;
    /** Clips per call, and the largest grid, bound what one request may allocate. */
    public static final int MAX_BATCH = 8;
    public static final int MAX_SIDE = 128;
    public static final int MAX_FRAMES = 32;
    /** Word pieces per prompt: the text encoder's own limit (all-MiniLM-L6-v2 reads 256). */
    public static final int MAX_WORDS = 256;
    /** The text encoder's width. */
    public static final int TEXT_WIDTH = 384;

    public static final String LATENT = "latent";
    public static final String TIME = "t";
    public static final String TEXT = "text";
    public static final String TEXT_TOKENS = "text_tokens";
    public static final String TEXT_MASK = "text_mask";
    public static final String ANCHOR = "anchor";
    public static final String ANCHOR_FLAG = "anchor_flag";
    public static final String VELOCITY = "velocity";

    /** Inputs as the service declares them. */
    public static final List<TensorSpec> INPUTS = List.of(new TensorSpec(LATENT, TensorType.FP32, new long[] {-1, -1, -1, -1, 3}),
            new TensorSpec(TIME, TensorType.FP32, new long[] {-1}), new TensorSpec(TEXT, TensorType.FP32, new long[] {-1, TEXT_WIDTH}),
            new TensorSpec(TEXT_TOKENS, TensorType.FP32, new long[] {-1, -1, TEXT_WIDTH}), new TensorSpec(TEXT_MASK, TensorType.FP32, new long[] {-1, -1}),
            new TensorSpec(ANCHOR, TensorType.FP32, new long[] {-1, -1, -1, 3}), new TensorSpec(ANCHOR_FLAG, TensorType.FP32, new long[] {-1}));
    public static final List<TensorSpec> OUTPUTS = List.of(new TensorSpec(VELOCITY, TensorType.FP32, new long[] {-1, -1, -1, -1, 3}));

    private final Dit net;
    private final NDManager manager;

    private T2vModel(Dit net, NDManager manager) {
        this.net = net;
        this.manager = manager;
    }

    /** Loads the bundled weights onto {@code device}. */
    public static T2vModel load(Device device) throws InferenceException {
        return load(device, BundledWeights.read(ID, RESOURCES, TrainGenerate.PARAMS, TrainGenerate.CARD, MAX_PARAMS_BYTES));
    }

    /** Loads weights from bytes (a training run's output, before it is bundled). */
    public static T2vModel load(Device device, byte[] params) throws InferenceException {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Dit net = new Dit(Dit.Config.DEFAULT);
            Buckets.Bucket b = Buckets.ALL.get(0);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, Buckets.FRAMES, b.height(), b.width(), 3), new Shape(1),
                    new Shape(1, TEXT_WIDTH), new Shape(1, 1, TEXT_WIDTH), new Shape(1, 1), new Shape(1, b.height(), b.width(), 3), new Shape(1));
            net.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(params)));
            return new T2vModel(net, manager);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new InferenceException("model '" + ID + "': cannot load " + RESOURCES + TrainGenerate.PARAMS + ": " + e.getMessage(), e);
        }
    }

    /** The flow-matching velocity for a batch (from the network's predicted clean clip); inputs as {@link #INPUTS}. */
    public NDArray velocity(NDList in) throws InferenceException {
        check(in);
        NDArray x0 = net.forward(new ParameterStore(manager, false), in, false).get(0);
        return Dit.velocity(in.get(0), x0, in.get(1));
    }

    /** Refuses shapes the network cannot take, naming the tensor, before anything is allocated for them. */
    static void check(NDList in) throws InvalidInferenceRequestException {
        if (in.size() != INPUTS.size()) {
            throw new InvalidInferenceRequestException("model '" + ID + "': takes " + INPUTS.size()
                    + " inputs (latent, t, text, text_tokens, text_mask, anchor, anchor_flag), got " + in.size());
        }
        long[] s = in.get(0).getShape().getShape();
        if (s.length != 5 || s[4] != 3 || s[0] < 1 || s[0] > MAX_BATCH || s[1] % Dit.PT != 0 || s[1] < Dit.PT || s[1] > MAX_FRAMES
                || s[2] % Dit.PS != 0 || s[3] % Dit.PS != 0 || s[2] < Dit.PS || s[3] < Dit.PS || s[2] > MAX_SIDE || s[3] > MAX_SIDE) {
            throw new InvalidInferenceRequestException("model '" + ID + "': latent " + Arrays.toString(s) + " must be [B <= " + MAX_BATCH
                    + ", T (a multiple of " + Dit.PT + ", <= " + MAX_FRAMES + "), H, W (multiples of " + Dit.PS + ", <= " + MAX_SIDE + "), 3]");
        }
        long b = s[0];
        expect(in.get(1), new long[] {b}, TIME);
        expect(in.get(2), new long[] {b, TEXT_WIDTH}, TEXT);
        long[] words = in.get(3).getShape().getShape();
        if (words.length != 3 || words[0] != b || words[1] < 1 || words[1] > MAX_WORDS || words[2] != TEXT_WIDTH) {
            throw new InvalidInferenceRequestException("model '" + ID + "': input '" + TEXT_TOKENS + "' must be [" + b + ", L (1 to "
                    + MAX_WORDS + "), " + TEXT_WIDTH + "], got " + in.get(3).getShape());
        }
        expect(in.get(4), new long[] {b, words[1]}, TEXT_MASK);
        expect(in.get(5), new long[] {b, s[2], s[3], 3}, ANCHOR);
        expect(in.get(6), new long[] {b}, ANCHOR_FLAG);
    }

    private static void expect(NDArray a, long[] shape, String name) throws InvalidInferenceRequestException {
        if (!Arrays.equals(a.getShape().getShape(), shape)) {
            throw new InvalidInferenceRequestException("model '" + ID + "': input '" + name + "' must be " + Arrays.toString(shape)
                    + ", got " + a.getShape());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
