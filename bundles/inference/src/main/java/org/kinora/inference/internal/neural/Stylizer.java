package org.kinora.inference.internal.neural;

import ai.djl.MalformedModelException;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained {@link StyleNet} ready to run: parameters loaded on one manager's device, inference mode. Pads any frame by
 * {@value #MARGIN} replicated pixels on each side (and up to the net's multiple of {@value StyleNet#PAD_TO}), and crops
 * the result back.
 */
public final class Stylizer implements AutoCloseable {

    /** Replicated pixels around the frame while the net runs. */
    static final int MARGIN = 8;

    private final NDManager manager;
    private final Block block;
    private final ParameterStore store;

    private Stylizer(NDManager manager, Block block) {
        this.manager = manager;
        this.block = block;
        this.store = new ParameterStore(manager, false);
    }

    /** Loads DJL {@code .params} from {@code in} onto a sub-manager of {@code parent} (its device). */
    public static Stylizer load(NDManager parent, InputStream in, String what) throws IOException {
        NDManager m = parent.newSubManager();
        Block b = StyleNet.build();
        try {
            b.loadParameters(m, new DataInputStream(in));
        } catch (MalformedModelException | IOException | RuntimeException e) {
            m.close();
            throw new IOException(what + ": not the weights of this style network: " + e.getMessage(), e);
        }
        return new Stylizer(m, b);
    }

    /** Wraps a block trained in this JVM (its parameters stay where they are). */
    public static Stylizer of(NDManager parent, Block trained) {
        return new Stylizer(parent.newSubManager(), trained);
    }

    /** The style applied to {@code rgb} {@code float32 [N, 3, H, W]} in {@code [0, 1]}; the result is not clipped. */
    public NDArray apply(NDArray rgb) {
        long h = rgb.getShape().get(2);
        long w = rgb.getShape().get(3);
        // a replicated margin takes the zero-padding artifacts of the convolutions (a bright or dark rim), and rounds
        // the sides up to the net's multiple of 4
        long bottom = MARGIN + (StyleNet.PAD_TO - (h + 2 * MARGIN) % StyleNet.PAD_TO) % StyleNet.PAD_TO;
        long right = MARGIN + (StyleNet.PAD_TO - (w + 2 * MARGIN) % StyleNet.PAD_TO) % StyleNet.PAD_TO;
        NDArray x = rgb.get(new NDIndex(":, :, :1, :")).repeat(2, MARGIN).concat(rgb, 2)
                .concat(rgb.get(new NDIndex(":, :, -1:, :")).repeat(2, bottom), 2);
        x = x.get(new NDIndex(":, :, :, :1")).repeat(3, MARGIN).concat(x, 3)
                .concat(x.get(new NDIndex(":, :, :, -1:")).repeat(3, right), 3);
        NDArray y = block.forward(store, new NDList(x), false).singletonOrThrow();
        return y.get(new NDIndex(":, :, {}:{}, {}:{}", MARGIN, MARGIN + h, MARGIN, MARGIN + w));
    }

    /** Stylizes a picture file and writes a PNG (previews of a training run). */
    public void preview(Path picture, Path png) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            NDArray rgb = ContentCrops.load(scope, picture);
            NDArray y = apply(rgb).clip(0f, 1f).mul(255f).add(0.5f).toType(DataType.UINT8, false).squeeze(0).transpose(1, 2, 0);
            try (OutputStream os = Files.newOutputStream(png)) {
                ImageFactory.getInstance().fromNDArray(y).save(os, "png");
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
