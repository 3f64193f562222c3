package org.kinora.inference.internal;

import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;

/**
 * A manual benchmark of {@code style-starry} (not a test): frames of a natural-looking synthetic scene through the
 * service one call per frame, as the style-transfer effect sends them; prints frames per second (median of the calls)
 * and the network's GFLOP per frame, for each size.
 *
 * <p>Run from bundles/inference after {@code mvn -o -q test-compile} (set {@code OMP_WAIT_POLICY=PASSIVE} as the
 * launcher does: on a busy 2-core machine spinning OpenMP threads cost several times the work):
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) -Dai.djl.offline=true \
 *     org.kinora.inference.internal.StarrySpeed [calls] [WxH...]
 * </pre>
 */
public final class StarrySpeed {

    private StarrySpeed() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> sizes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("1280x720", "1920x1080");
        try (InferenceServiceImpl service = new InferenceServiceImpl()) {
            for (String size : sizes) {
                int w = Integer.parseInt(size.substring(0, size.indexOf('x')));
                int h = Integer.parseInt(size.substring(size.indexOf('x') + 1));
                Tensor frame = TestImages.frames(w, h, TestImages.scene(w, h, 3));
                run(service, frame); // warm-up: load, first-call allocations
                long[] ms = new long[calls];
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    run(service, frame);
                    ms[i] = (System.nanoTime() - t0) / 1_000_000;
                }
                java.util.Arrays.sort(ms);
                long median = ms[calls / 2];
                System.out.printf("style-starry %dx%d: %.2f fps (median %d ms per frame, min %d, max %d, %d calls; %.1f GFLOP/frame)%n",
                        w, h, 1000.0 / median, median, ms[0], ms[calls - 1], calls,
                        org.kinora.inference.internal.neural.StyleNet.gflop(w, h));
            }
        }
    }

    private static void run(InferenceServiceImpl service, Tensor frame) throws Exception {
        service.infer(new InferenceRequest(StarryModel.ID, List.of(frame), Map.of("strength", 1.0), "speed", Priority.BATCH));
    }
}
