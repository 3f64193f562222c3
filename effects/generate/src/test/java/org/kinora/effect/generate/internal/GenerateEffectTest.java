package org.kinora.effect.generate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.testing.RecordingJob;
import org.kinora.core.testing.RecordingSink;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;

/**
 * The effect's pipeline around the models: the models are stand-ins (a text encoder giving a fixed vector, a denoiser
 * whose exact velocity flows every clip to a grey level that depends on the anchor flag), so what is tested is the
 * effect: sizes, chunks and their anchors, frame timing, progress, cancellation and the checks.
 */
class GenerateEffectTest {

    /** The stand-in models. */
    static final class Models implements InferenceService {
        final List<InferenceRequest> denoiser = new ArrayList<>();
        final List<String> known = new ArrayList<>(List.of("minilm-l6-v2", "t2v-world"));
        final List<ModelInfo> exports = new ArrayList<>();
        final List<InferenceRequest> stages = new ArrayList<>();
        final List<InferenceRequest> encoder = new ArrayList<>();

        @Override
        public List<DeviceInfo> devices() {
            return List.of();
        }

        @Override
        public List<ModelInfo> models() {
            List<ModelInfo> all = new ArrayList<>(known.stream().map(id -> new ModelInfo(id, "x", "builtin", "", List.of(), List.of())).toList());
            all.addAll(exports);
            return all;
        }

        @Override
        public CompletableFuture<InferenceResult> submit(InferenceRequest r) {
            if (r.modelId().equals("minilm-l6-v2")) {
                encoder.add(r);
                List<String> texts = r.inputs().get(0).strings();
                int n = texts.size();
                ByteBuffer b = ByteBuffer.allocate(4 * 384 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 384 * n; i++) {
                    b.putFloat(0.05f);
                }
                List<Tensor> out = new ArrayList<>(List.of(new Tensor("embedding", TensorType.FP32, new long[] {n, 384}, b.flip())));
                if (Boolean.TRUE.equals(r.parameters().get("token_states"))) {
                    // one word piece per word plus [CLS] and [SEP]; piece k of sentence i holds i + 1 + k / 100
                    int l = texts.stream().mapToInt(x -> x.split(" ").length + 2).max().orElse(0);
                    float[] states = new float[n * l * 384];
                    float[] mask = new float[n * l];
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < texts.get(i).split(" ").length + 2; k++) {
                            mask[i * l + k] = 1;
                            java.util.Arrays.fill(states, (i * l + k) * 384, (i * l + k + 1) * 384, i + 1 + k / 100f);
                        }
                    }
                    out.add(Tensor.ofFloats("tokens", new long[] {n, l, 384}, states));
                    out.add(Tensor.ofFloats("token_mask", new long[] {n, l}, mask));
                }
                return CompletableFuture.completedFuture(new InferenceResult(r.modelId(), "cpu", out));
            }
            if (r.modelId().equals("negate")) {
                // a decoder export: frames = -latent, same layout
                stages.add(r);
                FloatBuffer x = r.inputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                ByteBuffer out = ByteBuffer.allocate(4 * x.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                while (x.hasRemaining()) {
                    out.putFloat(-x.get());
                }
                return CompletableFuture.completedFuture(new InferenceResult(r.modelId(), "cpu",
                        List.of(new Tensor("frames", TensorType.FP32, r.inputs().get(0).shape(), out.flip()))));
            }
            if (r.modelId().equals("up2x")) {
                // a super-resolution export: [1, 3, H, W] nearest-neighbour doubled, with a 1-pixel checker added so a
                // test can tell its pixels from any interpolation's
                stages.add(r);
                long[] s = r.inputs().get(0).shape();
                int h = (int) s[2];
                int w = (int) s[3];
                FloatBuffer x = r.inputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                ByteBuffer out = ByteBuffer.allocate(4 * 3 * 4 * h * w).order(ByteOrder.LITTLE_ENDIAN);
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 2 * h; y++) {
                        for (int xx = 0; xx < 2 * w; xx++) {
                            out.putFloat(x.get(c * h * w + (y / 2) * w + xx / 2) + ((xx + y) % 2 == 0 ? 0.1f : -0.1f));
                        }
                    }
                }
                return CompletableFuture.completedFuture(new InferenceResult(r.modelId(), "cpu",
                        List.of(new Tensor("image", TensorType.FP32, new long[] {1, 3, 2 * h, 2 * w}, out.flip()))));
            }
            denoiser.add(r);
            FloatBuffer x = r.inputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float t = r.inputs().get(1).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
            float flag = r.inputs().get(4).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
            // unanchored chunks flow to -0.5 (dark grey), anchored ones to +0.5 (light grey)
            float target = flag > 0 ? 0.5f : -0.5f;
            ByteBuffer out = ByteBuffer.allocate(4 * x.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < x.remaining(); i++) {
                out.putFloat((x.get(i) - target) / t);
            }
            return CompletableFuture.completedFuture(new InferenceResult(r.modelId(), "cpu",
                    List.of(new Tensor("velocity", TensorType.FP32, r.inputs().get(0).shape(), out.flip()))));
        }

        @Override
        public int cancel(String jobId) {
            return 0;
        }
    }

    static ParameterValues values(GenerateEffect fx, Map<String, String> raw) throws Exception {
        return ParameterValues.resolve(fx.info().parameters(), raw);
    }

    @Test
    void aClipOfTheProjectsSizeAndLengthInAnchoredChunks() throws Exception {
        Models m = new Models();
        GenerateEffect fx = new GenerateEffect(m);
        RecordingSink sink = new RecordingSink();
        RecordingJob job = new RecordingJob();
        // 2.5 s at 25 fps: 63 frames; the model's 8 fps needs 22 native frames: 4 chunks of 8, each after the first
        // starting on the last 2 of the one before (8 + 6 + 6 + 6 >= 22)
        fx.render(new EffectContext(values(fx, Map.of("prompt", "a red circle", "steps", "4", "sampler", "euler", "seed", "5")), null, sink, 63,
                new Profile(320, 180, FrameRate.FPS_25, 709), job));
        assertEquals(63, sink.frames.size());
        assertEquals(320, sink.frames.get(0).width());
        assertEquals(4 * 4, m.denoiser.size(), "4 chunks x 4 Euler steps");
        long[] shape = m.denoiser.get(0).inputs().get(0).shape();
        assertArrayEquals(new long[] {2, 8, 32, 56, 3}, shape, "16:9 runs at its native 56x32, both guidance branches");
        // the first chunk has no anchor, the next ones are anchored on the frames before
        assertEquals(0f, m.denoiser.get(0).inputs().get(4).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
        assertEquals(1f, m.denoiser.get(4).inputs().get(4).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
        // the second chunk's first 2 frames are the first chunk's last 2 (-0.5), noised to each step's level with the
        // chunk's own noise (seed 5 + 7919): here its second step
        FloatBuffer second = m.denoiser.get(5).inputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float t = (float) FlowSampler.schedule(4)[1];
        float[] noise = FlowSampler.noise(5 + 7919, 8 * 32 * 56 * 3);
        for (int k = 0; k < 2 * 32 * 56 * 3; k += 101) {
            assertEquals((1 - t) * -0.5f + t * noise[k], second.get(k), 1e-5, "value " + k);
        }
        // the stand-in makes anchored chunks lighter (+0.5) than the first (-0.5); each anchored chunk's first 2 frames
        // are kept as the chunk before left them, so only the frames after them lighten, and colour matching, which
        // compares the first frame with the one it continues, finds nothing to take out: 64 (-0.5), then 191 (+0.5)
        assertEquals(64, sink.frames.get(0).rgb().get(0) & 0xff, 1);
        assertEquals(191, sink.frames.get(62).rgb().get(0) & 0xff, 1);
        // progress in steps over the whole clip
        long[] last = job.progress.get(job.progress.size() - 1);
        assertArrayEquals(new long[] {16, 16}, last);
    }

    /**
     * A denoiser that reads the prompt's token states gets the encoder's word pieces of both branches, padded to the
     * longer with a mask; one that does not read them is sent none, and the encoder is not asked for them.
     */
    @Test
    void aDenoiserThatReadsTokenStatesGetsBothBranchesWordPieces() throws Exception {
        Models m = new Models();
        m.known.remove("t2v-world");
        List<org.kinora.core.inference.TensorSpec> in = new ArrayList<>();
        for (String name : List.of("latent", "t", "text", "text_tokens", "text_mask", "anchor", "anchor_flag")) {
            in.add(new org.kinora.core.inference.TensorSpec(name, TensorType.FP32, new long[] {-1}));
        }
        m.exports.add(new ModelInfo("t2v-world", "x", "builtin", "", in, List.of()));
        GenerateEffect fx = new GenerateEffect(m);
        fx.render(new EffectContext(values(fx, Map.of("prompt", "a red circle", "negative", "a blue square on grass", "steps", "2",
                "sampler", "euler")), null, new RecordingSink(), 8, new Profile(112, 64, FrameRate.FPS_25, 709), new RecordingJob()));
        assertEquals(Boolean.TRUE, m.encoder.get(0).parameters().get("token_states"));
        InferenceRequest r = m.denoiser.get(0);
        Tensor tokens = r.inputs().stream().filter(t -> t.name().equals("text_tokens")).findFirst().orElseThrow();
        Tensor mask = r.inputs().stream().filter(t -> t.name().equals("text_mask")).findFirst().orElseThrow();
        // "a red circle": 5 pieces; "a blue square on grass": 7
        assertArrayEquals(new long[] {2, 7, 384}, tokens.shape());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1}, mask.floats());
        float[] states = tokens.floats();
        assertEquals(1.04f, states[4 * 384], 1e-6f, "the prompt's last piece");
        assertEquals(0f, states[5 * 384], "padding");
        assertEquals(2.06f, states[(7 + 6) * 384 + 383], 1e-6f, "the negative prompt's last piece");

        // without a negative prompt the second branch is the empty prompt: no word pieces, all masked
        Models plain = new Models();
        plain.known.remove("t2v-world");
        plain.exports.add(new ModelInfo("t2v-world", "x", "builtin", "", in, List.of()));
        GenerateEffect fx2 = new GenerateEffect(plain);
        fx2.render(new EffectContext(values(fx2, Map.of("prompt", "a red circle", "steps", "1", "sampler", "euler")), null,
                new RecordingSink(), 8, new Profile(112, 64, FrameRate.FPS_25, 709), new RecordingJob()));
        Tensor mask2 = plain.denoiser.get(0).inputs().stream().filter(t -> t.name().equals("text_mask")).findFirst().orElseThrow();
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, mask2.floats());

        // the stand-in t2v-world of the other tests declares no text_tokens: it is sent none
        Models old = new Models();
        GenerateEffect fx3 = new GenerateEffect(old);
        fx3.render(new EffectContext(values(fx3, Map.of("prompt", "a red circle", "steps", "1", "sampler", "euler")), null,
                new RecordingSink(), 8, new Profile(112, 64, FrameRate.FPS_25, 709), new RecordingJob()));
        assertTrue(old.denoiser.get(0).inputs().stream().noneMatch(t -> t.name().startsWith("text_")));
        assertEquals(null, old.encoder.get(0).parameters().get("token_states"));
    }

    static ModelInfo export(String id, String in, long[] inShape, String out, long[] outShape) {
        return new ModelInfo(id, "x", "torchscript", "", List.of(new org.kinora.core.inference.TensorSpec(in, TensorType.FP32, inShape)),
                List.of(new org.kinora.core.inference.TensorSpec(out, TensorType.FP32, outShape)));
    }

    @Test
    void aDecoderExportTurnsTheLatentIntoFramesAndSetsTheNativeSize() throws Exception {
        Models m = new Models();
        m.exports.add(export("negate", "z", new long[] {1, 8, 32, 56, 3}, "frames", new long[] {1, 8, 32, 56, 3}));
        GenerateEffect fx = new GenerateEffect(m);
        RecordingSink sink = new RecordingSink();
        fx.render(new EffectContext(values(fx, Map.of("prompt", "x", "steps", "3", "sampler", "euler", "decoder", "negate")), null, sink,
                20, new Profile(112, 64, FrameRate.FPS_25, 709), new RecordingJob()));
        assertEquals(20, sink.frames.size());
        // the stand-in denoiser flows the latent to -0.5; the decoder negates it: +0.5 -> 191
        assertEquals(191, sink.frames.get(0).rgb().get(0) & 0xff, 1);
        assertEquals("z", m.stages.get(0).inputs().get(0).name(), "the latent goes in under the card's input name");
        assertArrayEquals(new long[] {1, 8, 32, 56, 3}, m.stages.get(0).inputs().get(0).shape());
    }

    /**
     * With a decoder export the latent's frames need not be the clip's, so a chunk continues from the last latent frame
     * of the one before and only that one is kept: 2.5 s need 22 native frames, 3 chunks adding 7 each after the first.
     */
    @Test
    void aDecoderExportsChunksContinueFromTheLastLatentFrameOnly() throws Exception {
        Models m = new Models();
        m.exports.add(export("negate", "z", new long[] {1, 8, 32, 56, 3}, "frames", new long[] {1, 8, 32, 56, 3}));
        GenerateEffect fx = new GenerateEffect(m);
        fx.render(new EffectContext(values(fx, Map.of("prompt", "x", "steps", "3", "sampler", "euler", "decoder", "negate", "seed", "5")),
                null, new RecordingSink(), 63, new Profile(112, 64, FrameRate.FPS_25, 709), new RecordingJob()));
        assertEquals(3 * 3, m.denoiser.size(), "3 chunks x 3 Euler steps");
        // the second chunk's second step: its first latent frame is the first chunk's last (-0.5) noised to the step's
        // level with the chunk's own noise; its second frame is left to the sampler
        FloatBuffer second = m.denoiser.get(4).inputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float t = (float) FlowSampler.schedule(3)[1];
        float[] noise = FlowSampler.noise(5 + 7919, 8 * 32 * 56 * 3);
        int frame = 32 * 56 * 3;
        for (int k = 0; k < frame; k += 101) {
            assertEquals((1 - t) * -0.5f + t * noise[k], second.get(k), 1e-5, "value " + k);
        }
        int differ = 0;
        for (int k = frame; k < 2 * frame; k++) {
            differ += Math.abs((1 - t) * -0.5f + t * noise[k] - second.get(k)) > 1e-3 ? 1 : 0;
        }
        assertTrue(differ > frame / 2, "the second latent frame is the sampler's, not kept: " + differ + " of " + frame + " differ");
    }

    @Test
    void aDecoderOfAnotherAspectOrWithoutFixedSizesIsRefusedByName() throws Exception {
        Models m = new Models();
        m.exports.add(export("negate", "z", new long[] {1, 8, 32, 56, 3}, "frames", new long[] {1, 8, 32, 56, 3}));
        m.exports.add(export("free", "z", new long[] {1, 8, -1, -1, 4}, "frames", new long[] {1, 8, -1, -1, 3}));
        GenerateEffect fx = new GenerateEffect(m);
        EffectException aspect = assertThrows(EffectException.class, () -> fx.render(new EffectContext(values(fx,
                Map.of("prompt", "x", "decoder", "negate")), null, new RecordingSink(), 10, new Profile(720, 720, FrameRate.FPS_25, 709),
                new RecordingJob())));
        assertTrue(aspect.getMessage().contains("'decoder'") && aspect.getMessage().contains("56x32"), aspect.getMessage());
        EffectException free = assertThrows(EffectException.class, () -> fx.render(new EffectContext(values(fx,
                Map.of("prompt", "x", "decoder", "free")), null, new RecordingSink(), 10, new Profile(640, 360, FrameRate.FPS_25, 709),
                new RecordingJob())));
        assertTrue(free.getMessage().contains("every size fixed"), free.getMessage());
        EffectException anchor = assertThrows(EffectException.class, () -> fx.check(values(fx,
                Map.of("prompt", "x", "decoder", "negate", "anchor", "V1:1@0"))));
        assertTrue(anchor.getMessage().contains("'anchor'") && anchor.getMessage().contains("encoder"), anchor.getMessage());
        assertTrue(assertThrows(EffectException.class, () -> fx.check(values(fx, Map.of("prompt", "x", "upsampler", "nope"))))
                .getMessage().contains("'nope'"));
    }

    @Test
    void aSuperResolutionExportRunsOnEachNativeFrameBeforeBicubic() throws Exception {
        Models m = new Models();
        m.exports.add(export("up2x", "image", new long[] {1, 3, -1, -1}, "image", new long[] {1, 3, -1, -1}));
        GenerateEffect fx = new GenerateEffect(m);
        RecordingSink sink = new RecordingSink();
        RecordingJob job = new RecordingJob();
        // 112x64 is exactly twice the 16:9 native 56x32: the export's frames are the output, no bicubic step after it
        fx.render(new EffectContext(values(fx, Map.of("prompt", "x", "steps", "2", "sampler", "euler", "upsampler", "up2x")), null, sink,
                8, new Profile(112, 64, FrameRate.FPS_25, 709), job));
        // 8 frames at 25 fps are 0.32 s: native frames 0..3 at 8 fps cover them; the chunk's later frames are not shown
        assertEquals(4, m.stages.size(), "one call per native frame the clip shows");
        assertArrayEquals(new long[] {1, 3, 32, 56}, m.stages.get(0).inputs().get(0).shape());
        var rgb = sink.frames.get(0).rgb();
        // -0.5 -> 64, and the export's checker of +-0.1 in its [0, 1] range (25.5 levels) survives: its pixels, not an
        // interpolation's
        assertEquals(64 + 25.5, rgb.get(0) & 0xff, 1);
        assertEquals(64 - 25.5, rgb.get(3) & 0xff, 1);
        long[] last = job.progress.get(job.progress.size() - 1);
        assertArrayEquals(new long[] {2 + 4, 2 + 4}, last, "progress counts the upsampler's frames too");
    }

    @Test
    void colourMatchingMovesAChunkOntoItsAnchorsMeanPerChannel() {
        float[] anchor = {0.2f, -0.1f, 0.5f, 0.2f, -0.1f, 0.5f};
        float[] chunk = {0.4f, -0.3f, 0.0f, 0.6f, -0.1f, 0.2f, 0.9f, 0.9f, 0.9f};
        GenerateEffect.matchColour(chunk, anchor, 6);
        assertEquals(0.2f, (chunk[0] + chunk[3]) / 2, 1e-6);
        assertEquals(-0.1f, (chunk[1] + chunk[4]) / 2, 1e-6);
        assertEquals(0.5f, (chunk[2] + chunk[5]) / 2, 1e-6);
        assertEquals(0.6f, chunk[6], 1e-6, "the rest of the chunk moves by the same shift");
        assertEquals(1f, chunk[8], 1e-6, "and stays in range");
    }

    @Test
    void eachAspectRatioHasItsNativeSize() {
        assertArrayEquals(new int[] {56, 32}, GenerateEffect.bucket(1920, 1080));
        assertArrayEquals(new int[] {32, 56}, GenerateEffect.bucket(1080, 1920));
        assertArrayEquals(new int[] {40, 40}, GenerateEffect.bucket(720, 720));
        assertArrayEquals(new int[] {48, 36}, GenerateEffect.bucket(1440, 1080));
    }

    @Test
    void cancellingStopsBetweenSteps() throws Exception {
        Models m = new Models();
        GenerateEffect fx = new GenerateEffect(m);
        RecordingSink sink = new RecordingSink();
        RecordingJob job = new RecordingJob();
        job.cancelAfter = 3;
        fx.render(new EffectContext(values(fx, Map.of("prompt", "x", "steps", "10", "sampler", "euler")), null, sink, 50,
                new Profile(64, 36, FrameRate.FPS_25, 709), job));
        assertEquals(0, sink.frames.size(), "nothing written");
        assertTrue(m.denoiser.size() <= 4, m.denoiser.size() + " calls");
    }

    @Test
    void checksNameTheParameter() throws Exception {
        Models m = new Models();
        GenerateEffect fx = new GenerateEffect(m);
        assertTrue(assertThrows(EffectException.class, () -> fx.check(values(fx, Map.of()))).getMessage().contains("'prompt'"));
        assertTrue(assertThrows(EffectException.class, () -> fx.check(values(fx, Map.of("prompt", "x", "anchor", "V1:2"))))
                .getMessage().contains("'anchor'"));
        assertTrue(assertThrows(EffectException.class, () -> fx.check(values(fx, Map.of("prompt", "x", "anchor", "V1:2@soon"))))
                .getMessage().contains("soon"));
        m.known.remove("minilm-l6-v2");
        assertTrue(assertThrows(EffectException.class, () -> fx.check(values(fx, Map.of("prompt", "x")))).getMessage()
                .contains("kinora models fetch minilm-l6-v2"));
    }
}
