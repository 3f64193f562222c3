package org.kinora.inference.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * A manual benchmark of {@code temporal-blend} (not a test): one frame's blend through the service, as the effect calls
 * it, on random pictures with a smooth flow (about 1.5 px). Prints the median and the best of {@code runs} calls per size.
 *
 * <p>Run from bundles/inference after {@code mvn -o -q test-compile}:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) -Dai.djl.offline=true \
 *     org.kinora.inference.internal.TemporalBlendSpeed [runs] [WxH...]
 * </pre>
 */
public final class TemporalBlendSpeed {

    private TemporalBlendSpeed() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<String> sizes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("1280x720", "1920x1080");
        try (InferenceServiceImpl service = new InferenceServiceImpl()) {
            for (String size : sizes) {
                int w = Integer.parseInt(size.substring(0, size.indexOf('x')));
                int h = Integer.parseInt(size.substring(size.indexOf('x') + 1));
                Random r = new Random(1);
                List<Tensor> in = inputs(w, h, r);
                long[] ms = new long[runs];
                for (int i = -2; i < runs; i++) {
                    long t0 = System.nanoTime();
                    service.submit(new InferenceRequest(TemporalBlendModel.ID, in, Map.of(), null, Priority.BATCH)).get();
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1_000_000;
                    }
                }
                java.util.Arrays.sort(ms);
                System.out.printf("temporal-blend %s: median %d ms, best %d ms (%d runs)%n", size, ms[runs / 2], ms[0], runs);
            }
        }
    }

    static List<Tensor> inputs(int w, int h, Random r) {
        List<Tensor> in = new ArrayList<>();
        // one picture for all: the warped source then differs from the unmoved one, which matches, so the blend runs
        // its whole path (no cut)
        byte[] px = new byte[w * h * 3];
        r.nextBytes(px);
        for (String name : TemporalBlendModel.NAMES) {
            if (name.equals("backward") || name.endsWith("forward")) {
                float sign = name.equals(TemporalBlendModel.BACKWARD) ? -1 : 1;
                ByteBuffer b = ByteBuffer.allocate(w * h * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        b.putFloat(sign * (float) (1.5 * Math.sin(x * 0.01))).putFloat(sign * (float) (1.0 * Math.cos(y * 0.013)));
                    }
                }
                in.add(new Tensor(name, TensorType.FP32, new long[] {1, h, w, 2}, b.flip()));
            } else {
                in.add(new Tensor(name, TensorType.UINT8, new long[] {1, h, w, 3}, ByteBuffer.wrap(px)));
            }
        }
        return in;
    }
}
