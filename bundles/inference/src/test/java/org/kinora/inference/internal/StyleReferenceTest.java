package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;

/**
 * Guards the styles' outputs against unintended change (e.g. by memory or speed work): each style on fixed pictures at
 * the three working scales (full size, reduced by 2 and by 3, batches of 1 and 2) against reference outputs stored as
 * test resources ({@code style-reference/<model>-<case>.gz}: every {@code stride}-th row of each frame as raw RGB bytes,
 * then the means of all 8 x 8 blocks of the whole output, so every pixel counts and the files stay small). Float
 * rounding may differ by a level here and there; the picture must not. After an intended change of a style, write new
 * references with {@code -Dkinora.style.writeReferences=<dir>} (e.g. {@code src/test/resources/style-reference}) and
 * check them; {@code -Dkinora.style.referenceStride=1} stores (and then compares) every row.
 */
class StyleReferenceTest {

    static InferenceServiceImpl service;

    @BeforeAll
    static void start() {
        service = new InferenceServiceImpl();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** case name, width, height, pictures */
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String model : List.of(CartoonModel.ID, PencilModel.ID, PaintModel.ID)) {
            b.add(Arguments.of(model, "320x180x2", 320, 180, 2)); // full size (work scale 1)
            b.add(Arguments.of(model, "960x540x2", 960, 540, 2)); // reduced by 2
            b.add(Arguments.of(model, "1600x900x1", 1600, 900, 1)); // reduced by 3, as at 1080p
        }
        return b.build();
    }

    static byte[][] pictures(int w, int h, int n) {
        byte[][] p = new byte[n][];
        for (int i = 0; i < n; i++) {
            p[i] = i % 2 == 0 ? TestImages.photo(w, h, 11 + i) : TestImages.scene(w, h, 5 + i);
        }
        return p;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void outputMatchesTheReference(String model, String name, int w, int h, int n) throws Exception {
        InferenceResult r = service.infer(new InferenceRequest(model, List.of(TestImages.frames(w, h, pictures(w, h, n))),
                Map.of("strength", 1.0), "job-reference", Priority.INTERACTIVE));
        Tensor t = r.output("frames").orElseThrow();
        assertArrayEquals(new long[] {n, h, w, 3}, t.shape());
        String file = model + "-" + name + ".gz";
        String dir = System.getProperty("kinora.style.writeReferences");
        if (dir != null && !dir.isBlank()) {
            Files.createDirectories(Path.of(dir));
            int stride = Integer.getInteger("kinora.style.referenceStride", 7);
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(Path.of(dir, file)))) {
                o.write(stride);
                o.write(fingerprint(TestImages.bytes(t), n, w, h, stride));
            }
            return;
        }
        String refDir = System.getProperty("kinora.style.references");
        byte[] stored = refDir == null ? read(StyleReferenceTest.class.getResourceAsStream("/style-reference/" + file))
                : read(Files.newInputStream(Path.of(refDir, file)));
        assertNotNull(stored, "reference " + file);
        byte[] ref = java.util.Arrays.copyOfRange(stored, 1, stored.length);
        byte[] out = fingerprint(TestImages.bytes(t), n, w, h, stored[0]);
        assertTrue(ref.length == out.length, file + ": size " + out.length + " vs " + ref.length);
        long sum = 0;
        long off = 0;
        int max = 0;
        for (int i = 0; i < out.length; i++) {
            int d = Math.abs((out[i] & 0xff) - (ref[i] & 0xff));
            sum += d;
            max = Math.max(max, d);
            if (d > 2) {
                off++;
            }
        }
        double mean = sum / (double) out.length;
        String what = String.format("%s: mean abs diff %.5f, max %d, %d values off by more than 2", file, mean, max, off);
        System.out.println(what);
        assertTrue(mean < 0.05, what);
        assertTrue(off <= out.length / 2000, what);
    }

    /** Every {@code stride}-th row of each frame, then the rounded means of the 8 x 8 blocks (partial ones at the borders). */
    static byte[] fingerprint(byte[] px, int n, int w, int h, int stride) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int f = 0; f < n; f++) {
            for (int y = 0; y < h; y += stride) {
                b.write(px, (f * h + y) * w * 3, w * 3);
            }
        }
        for (int f = 0; f < n; f++) {
            for (int by = 0; by < h; by += 8) {
                for (int bx = 0; bx < w; bx += 8) {
                    for (int c = 0; c < 3; c++) {
                        int sum = 0;
                        int cnt = 0;
                        for (int y = by; y < Math.min(h, by + 8); y++) {
                            for (int x = bx; x < Math.min(w, bx + 8); x++) {
                                sum += px[((f * h + y) * w + x) * 3 + c] & 0xff;
                                cnt++;
                            }
                        }
                        b.write(Math.round(sum / (float) cnt));
                    }
                }
            }
        }
        return b.toByteArray();
    }

    private static byte[] read(InputStream stream) throws IOException {
        try (InputStream in = stream) {
            if (in == null) {
                return null;
            }
            try (InputStream z = new GZIPInputStream(in)) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                z.transferTo(b);
                return b.toByteArray();
            }
        }
    }
}
