package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kinora.core.inference.InferenceException;
import org.kinora.inference.internal.neural.StyleNet;
import org.kinora.inference.internal.neural.Stylizer;
import org.kinora.inference.internal.neural.TrainStyle;

/**
 * {@code style-starry}: Kinora's own neural style after Van Gogh's The Starry Night, a small feed-forward network
 * ({@link StyleNet}) trained by the project's own code ({@code ./kinora train-style}, {@link TrainStyle}). Its weights
 * ship in this bundle beside their card, which names their sha256; they are checked when the model is loaded, once per
 * device, and a mismatch fails naming the file and both hashes.
 */
final class StarryModel extends ImageStyleModel {

    static final String ID = TrainStyle.ID;
    /** Where the weights, card and loss curve live among this bundle's resources. */
    static final String RESOURCES = "/org/kinora/inference/internal/neural/";
    /** A bound on the weights file read into memory (they are about 0.2 MB). */
    static final int MAX_PARAMS_BYTES = 16 << 20;

    /** The network per device it is loaded on; frames arrive on the device of their worker. */
    private final Map<Device, Stylizer> loaded = new ConcurrentHashMap<>();

    StarryModel() {
        super(ID, "Neural style after Van Gogh's The Starry Night, built-in, trained by Kinora (./kinora train-style): a small "
                + "fast-neural-style network (" + Math.round(StyleNet.gflop(1920, 1080)) + " GFLOP per 1080p frame) trained "
                + "with a random-feature Gram loss, not VGG.");
    }

    @Override
    public long memoryBytes() {
        // working memory of a 1080p frame: a few full-size float32 copies plus the 48-channel maps at 1/4 resolution
        return 256L << 20;
    }

    @Override
    public LoadedModel load(Device device) throws InferenceException {
        byte[] params = weights();
        NDManager manager = NDManager.newBaseManager(device);
        Stylizer net;
        try {
            net = Stylizer.load(manager, new ByteArrayInputStream(params), RESOURCES + TrainStyle.PARAMS);
        } catch (IOException e) {
            manager.close();
            throw new InferenceException("model '" + ID + "': " + e.getMessage(), e);
        }
        loaded.put(device, net);
        return NDArrayCall.loaded(info(), this, () -> {
            loaded.remove(device, net);
            net.close();
            manager.close();
        });
    }

    @Override
    NDArray stylize(NDArray rgb) {
        Stylizer net = loaded.get(rgb.getDevice());
        if (net == null) {
            throw new IllegalStateException("model '" + ID + "' is not loaded on " + rgb.getDevice());
        }
        return net.apply(rgb);
    }

    /** The weights' bytes, checked against the sha256 the card names. */
    static byte[] weights() throws InferenceException {
        return BundledWeights.read(ID, RESOURCES, TrainStyle.PARAMS, TrainStyle.CARD, MAX_PARAMS_BYTES);
    }

    /** Fails naming the file and both hashes when {@code bytes} do not hash to {@code expected}. */
    static void check(String file, byte[] bytes, String expected) throws InferenceException {
        BundledWeights.check(ID, file, bytes, expected);
    }
}
