package org.kinora.inference.internal;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;

/** Frames per second of each style at 720p and 1080p. Run with {@code -Dkinora.bench=true}. */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class StyleBenchmarkTest {

    @Test
    void framesPerSecond() throws Exception {
        try (InferenceServiceImpl service = new InferenceServiceImpl()) {
            int batch = Integer.getInteger("kinora.bench.batch", 2);
            for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
                byte[] img = TestImages.scene(size[0], size[1], 1);
                byte[][] frames = new byte[batch][];
                java.util.Arrays.fill(frames, img);
                Tensor t = TestImages.frames(size[0], size[1], frames);
                for (String model : List.of("style-cartoon", "style-pencil", "style-paint")) {
                    InferenceRequest r = new InferenceRequest(model, List.of(t), Map.of("strength", 1.0), "bench", Priority.BATCH);
                    service.infer(r); // warm up
                    int runs = 3;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < runs; i++) {
                        service.infer(r);
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("BENCH %s %dx%d batch %d: %.2f fps (%s)%n", model, size[0], size[1], batch,
                            runs * batch / s, service.devices());
                }
            }
        }
    }
}
