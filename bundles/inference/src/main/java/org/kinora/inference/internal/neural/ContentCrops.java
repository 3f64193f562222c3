package org.kinora.inference.internal.neural;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Training content: square random crops (with random horizontal flips) from a fixed list of photos, drawn by a seeded
 * {@link Random}, so a run with the same seed sees the same crops in the same order.
 */
public final class ContentCrops {

    /** The most pixels a training photo may have (bounds memory before decoding a file that is not what we expect). */
    static final long MAX_PIXELS = 16L << 20;

    /** Crops whose pixel variance is below this (standard deviation about 0.02) are drawn again. */
    static final float MIN_VARIANCE = 4e-4f;

    private final List<NDArray> images = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Random random;
    private final int size;

    /**
     * @param files photos (JPEG/PNG); those with a side shorter than {@code size} are refused
     * @param size  the crop side in pixels
     */
    public ContentCrops(NDManager manager, List<Path> files, int size, long seed) throws IOException {
        this.size = size;
        this.random = new Random(seed);
        for (Path f : files) {
            NDArray rgb = load(manager, f);
            long h = rgb.getShape().get(2);
            long w = rgb.getShape().get(3);
            if (h < size || w < size) {
                throw new IOException(f + ": " + w + "x" + h + " is smaller than the crop size " + size);
            }
            images.add(rgb);
            names.add(f.getFileName().toString());
        }
        if (images.isEmpty()) {
            throw new IOException("no training photos given");
        }
    }

    /** A picture as {@code float32 [1, 3, H, W]} in {@code [0, 1]} (DJL's ImageFactory, plain JVM). */
    public static NDArray load(NDManager manager, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such picture");
        }
        Image img = ImageFactory.getInstance().fromFile(file);
        if ((long) img.getWidth() * img.getHeight() > MAX_PIXELS) {
            throw new IOException(file + ": " + img.getWidth() + "x" + img.getHeight() + " is larger than " + MAX_PIXELS + " pixels");
        }
        NDArray hwc = img.toNDArray(manager, Image.Flag.COLOR);
        return hwc.toType(DataType.FLOAT32, false).div(255f).transpose(2, 0, 1).expandDims(0);
    }

    /** The photos' file names, in order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** A batch {@code [n, 3, size, size]} of crops (flat ones drawn again), on {@code manager}. */
    public NDArray batch(NDManager manager, int n) {
        // the slices are made on the photos' manager: move each to a scratch scope at once so that nothing of a step
        // stays behind with the photos
        try (NDManager scratch = manager.newSubManager()) {
            NDList crops = new NDList(n);
            int tries = 0;
            while (crops.size() < n) {
                NDArray img = images.get(random.nextInt(images.size()));
                long h = img.getShape().get(2);
                long w = img.getShape().get(3);
                long y = random.nextInt((int) (h - size + 1));
                long x = random.nextInt((int) (w - size + 1));
                boolean flip = random.nextBoolean();
                NDArray crop = img.get(new NDIndex(":, :, {}:{}, {}:{}", y, y + size, x, x + size));
                crop.attach(scratch);
                // flat crops (a white background, a clear sky) teach nothing and make instance norm divide by ~0,
                // which blew the gradients up to NaN; draw another (a bounded number of times)
                if (++tries < 20 * n && crop.sub(crop.mean()).square().mean().getFloat() < MIN_VARIANCE) {
                    continue;
                }
                crops.add(flip ? crop.flip(3) : crop);
            }
            NDArray batch = NDArrays.concat(crops, 0);
            batch.attach(manager);
            return batch;
        }
    }
}
