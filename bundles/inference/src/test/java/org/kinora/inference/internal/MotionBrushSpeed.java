package org.kinora.inference.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * A manual benchmark of {@code motion-brush} (not a test): a clip of {@code frames} frames rendered in chunks of 8 through
 * the service, as the effect calls it, on a textured still whose left half flows (1.3, 0.4) px/frame. Prints the total
 * compute for the clip divided by its frames, for each size and loop setting.
 *
 * <p>Run from bundles/inference after {@code mvn -o -q test-compile}:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) -Dai.djl.offline=true \
 *     org.kinora.inference.internal.MotionBrushSpeed [frames] [WxH...]
 * </pre>
 * {@code -Dkinora.speed.every=K} renders only every K-th chunk and scales its time by the chunks skipped (the middle one of each group of K is timed) (for slow runs:
 * chunk costs vary smoothly with their start, so an even sample estimates the whole clip).
 */
public final class MotionBrushSpeed {

    private MotionBrushSpeed() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 240;
        List<String> sizes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("1280x720", "1920x1080");
        int every = Integer.getInteger("kinora.speed.every", 1);
        int chunk = 8;
        try (InferenceServiceImpl service = new InferenceServiceImpl()) {
            for (String size : sizes) {
                int w = Integer.parseInt(size.substring(0, size.indexOf('x')));
                int h = Integer.parseInt(size.substring(size.indexOf('x') + 1));
                byte[] still = MotionBrushModelTest.texture(w, h, 5);
                float[] flow = new float[w * h * 2];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w / 2; x++) {
                        flow[(y * w + x) * 2] = 1.3f;
                        flow[(y * w + x) * 2 + 1] = 0.4f;
                    }
                }
                Tensor image = new Tensor("image", TensorType.UINT8, new long[] {1, h, w, 3}, ByteBuffer.wrap(still));
                Tensor fl = floats("flow", w, h, 2, flow);
                Tensor wave = floats("wave", w, h, 4, new float[w * h * 4]);
                Tensor hold = floats("hold", w, h, 1, new float[w * h]);
                for (boolean loop : new boolean[] {false, true}) {
                    // warm-up: one small call
                    run(service, image, fl, wave, hold, frames, 0, 1, loop);
                    long total = 0;
                    int chunks = 0;
                    int skipped = 0;
                    for (int start = 0, i = 0; start < frames; start += chunk, i++) {
                        if (i % every != every / 2) { // the middle chunk of every group: an unbiased sample
                            skipped++;
                            continue;
                        }
                        int count = Math.min(chunk, frames - start);
                        long t0 = System.nanoTime();
                        run(service, image, fl, wave, hold, frames, start, count, loop);
                        total += System.nanoTime() - t0;
                        chunks++;
                    }
                    double estimate = total * (chunks + skipped) / (double) chunks;
                    System.out.printf("motion-brush %dx%d loop=%s: %.1f ms/frame over %d frames (%d of %d chunks of %d timed)%n",
                            w, h, loop, estimate / 1e6 / frames, frames, chunks, chunks + skipped, chunk);
                }
            }
        }
    }

    private static void run(InferenceServiceImpl service, Tensor image, Tensor flow, Tensor wave, Tensor hold, int total, int start, int count,
            boolean loop) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("total", total);
        p.put("start", start);
        p.put("count", count);
        p.put("loop", loop);
        service.infer(new InferenceRequest("motion-brush", List.of(image, flow, wave, hold), p, "speed", Priority.BATCH))
                .output("frames").orElseThrow();
    }

    private static Tensor floats(String name, int w, int h, int c, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return new Tensor(name, TensorType.FP32, new long[] {1, h, w, c}, b);
    }
}
